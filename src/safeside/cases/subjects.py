"""Who a viewing is about: one key for a person however they are written down.

A practitioner may name the same person "Parent A (fictional)", "parent a", "@parent_a_demo"
or ``https://www.facebook.com/parent.a.demo/?ref=share``. :func:`identity` turns each into
a set of **keys**; two subjects that share a key are the same subject (a repeat viewing).
Names that share no key but are close (a typo, a missing initial, a longer handle) are
:func:`similar`: a manager is asked "Same person?" instead of the viewing passing silently.

What is folded away: case, diacritics and compatibility forms, punctuation, notes in
brackets ("(fictional)"), titles (Mr, Mrs, Dr …), word order, a leading ``@``, and in
addresses the scheme, ``www.``/``m.``, query strings, fragments and trailing slashes.
Profile addresses on Facebook, Instagram, X/Twitter, TikTok, Threads and Snapchat become
the handle they show, so ``x.com/parent_a_demo`` and ``@Parent_A_Demo`` are one key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from rapidfuzz.distance import OSA

#: Social-media hosts (after ``www.``, ``m.`` … are dropped), by platform.
PLATFORM_HOSTS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "tiktok.com": "tiktok",
    "threads.net": "threads",
    "threads.com": "threads",
    "snapchat.com": "snapchat",
}
#: First path parts that are a platform's own pages, not a person's profile.
NOT_PROFILES = {
    "facebook": frozenset(
        {
            "groups",
            "pages",
            "events",
            "watch",
            "photo",
            "photo.php",
            "story.php",
            "permalink.php",
            "share",
            "sharer",
            "sharer.php",
            "hashtag",
            "marketplace",
            "reel",
            "reels",
            "stories",
            "login",
            "home.php",
            "search",
            "messages",
        }
    ),
    "instagram": frozenset({"p", "reel", "reels", "explore", "tv", "accounts", "direct"}),
    "x": frozenset(
        {
            "i",
            "home",
            "search",
            "hashtag",
            "intent",
            "share",
            "explore",
            "settings",
            "messages",
            "notifications",
            "compose",
            "login",
        }
    ),
    "tiktok": frozenset(),
    "threads": frozenset(),
    "snapchat": frozenset({"discover", "spotlight", "lens"}),
}
HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.")
#: Words that say who someone is rather than name them.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "master"})

_PLATFORM_PATTERN = "|".join(re.escape(host) for host in PLATFORM_HOSTS)
URL_IN_TEXT = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|\b(?:[a-z0-9-]+\.)*(?:{_PLATFORM_PATTERN})(?:/[^\s<>\"']*)?"
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"']*",
    re.IGNORECASE,
)
HANDLE_IN_TEXT = re.compile(r"(?<![\w@.])@([\w.]{1,80})")
NOTES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
#: Letters that Unicode decomposition leaves alone.
LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
APOSTROPHES = str.maketrans({"'": None, "’": None, "‘": None, "`": None, "ʼ": None})
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """``text`` without case, diacritics or compatibility forms (``Ｐâｒent`` → ``parent``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(LETTERS)


def words(text: str) -> tuple[str, ...]:
    """The folded words of ``text``: punctuation, underscores and apostrophes split or go."""
    return tuple(WORD.findall(fold(text).translate(APOSTROPHES)))


def handle_key(handle: str) -> str:
    """The key of an @handle: folded, letters and digits only (``@Parent.A_demo`` → ``parentademo``)."""
    return "".join(words(handle.strip().lstrip("@")))


@dataclass(frozen=True, slots=True)
class Identity:
    """What a subject's text says about who it is.

    ``keys`` identify (shared key = same subject); ``groups`` are the word lists (the name,
    each handle's parts) compared by :func:`similar`.
    """

    keys: frozenset[str]
    groups: tuple[tuple[str, ...], ...]


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower().strip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def profile_keys(address: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The keys and the handle (if any) of a web address.

    A profile on a known platform gives its handle (``handle:…``), or its number
    (``facebook:…`` for ``profile.php?id=``); another site's page gives ``web:host/path``.
    A platform page that is not a profile (a post without a name in it) gives nothing.
    """
    text = address.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return frozenset(), ()
    host = _host(parts.netloc)
    path = [p for p in parts.path.split("/") if p]
    platform = next(
        (name for h, name in PLATFORM_HOSTS.items() if host == h or host.endswith("." + h)),
        None,
    )
    if platform is None:
        if not host or not path:
            return frozenset(), ()
        return frozenset({"web:" + fold(host + "/" + "/".join(path))}), ()
    query = parse_qs(parts.query)
    if platform == "facebook":
        if path[:1] == ["profile.php"] and query.get("id"):
            return frozenset({"facebook:" + query["id"][0].strip()}), ()
        if path[:1] == ["people"] and len(path) >= 3:
            return frozenset({"facebook:" + path[2]}), ()
    first = path[0] if path else ""
    handle = ""
    if platform in ("tiktok", "threads"):
        handle = first[1:] if first.startswith("@") else ""
    elif platform == "snapchat":
        handle = path[1] if first == "add" and len(path) > 1 else ""
    elif platform == "instagram" and first == "stories" and len(path) > 1:
        handle = path[1]
    elif first and first.lower() not in NOT_PROFILES[platform]:
        handle = first
    key = handle_key(handle)
    return (frozenset({"handle:" + key}), (handle,)) if key else (frozenset(), ())


def _handle_words(handle: str) -> tuple[str, ...]:
    """A handle's parts for near matching: ``kayden_smith2010`` → ``kayden``, ``smith``."""
    parts: list[str] = []
    for word in words(handle):
        parts += [p for p in re.findall(r"[^\W\d]+|\d+", word) if not p.isdigit()]
    return tuple(parts)


@lru_cache(maxsize=8192)
def identity(text: str) -> Identity:
    """Every key and word group in ``text`` (a name, handles, addresses, or a mix)."""
    keys: set[str] = set()
    groups: list[tuple[str, ...]] = []
    handles: list[str] = []
    rest = text
    for found in URL_IN_TEXT.findall(text):
        address = found.rstrip(".,;:!?)]}")
        url_keys, url_handles = profile_keys(address)
        keys |= url_keys
        handles += url_handles
        rest = rest.replace(address, " ")
    for handle in HANDLE_IN_TEXT.findall(rest):
        handles.append(handle.rstrip("."))
    rest = HANDLE_IN_TEXT.sub(" ", rest)
    for handle in handles:
        if key := handle_key(handle):
            keys.add("handle:" + key)
            groups.append(_handle_words(handle))
    name = NOTES.sub(" ", rest)
    tokens = tuple(w for w in words(name) if w not in TITLES)
    if tokens:
        keys.add("name:" + " ".join(sorted(tokens)))
        # The name run together is also how it would be written as a handle (@parenta).
        keys.add("handle:" + "".join(tokens))
        groups.append(tuple(t for t in tokens if not t.isdigit()) or tokens)
        if len(tokens) == 1 and re.fullmatch(r"[\w.]+", name.strip()):
            groups.append(_handle_words(name.strip()))
    return Identity(frozenset(keys), tuple(g for g in groups if g))


def same_subject(first: str, second: str) -> bool:
    """Whether two subjects share a key (the same person, however written)."""
    return bool(identity(first).keys & identity(second).keys)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours)."""
    return int(OSA.distance(a, b))


def _close(token: str, other: str) -> bool:
    """Two words that could be the same: an initial (``j``/``john``) or a small typo."""
    if len(token) == 1 or len(other) == 1:
        return len(token) != len(other) and token[0] == other[0]
    if min(len(token), len(other)) < 3:
        return False
    allowed = 1 if max(len(token), len(other)) <= 6 else 2
    return abs(len(token) - len(other)) <= allowed and edit_distance(token, other) <= allowed


def _groups_similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Every word of the shorter group matches its own word of the longer one, at least
    one of them a real word (not only initials); or, written differently in words, the
    letters run together are a typo apart (``jon smith`` / ``jonsmith``)."""
    short, long = sorted((a, b), key=len)
    remaining = list(long)
    real_word = False
    for token in sorted(short, key=len, reverse=True):
        match = token if token in remaining else None
        if match is None:
            match = next((t for t in remaining if _close(token, t)), None)
        if match is None:
            return _run_together_close(a, b)
        remaining.remove(match)
        real_word = real_word or (len(token) >= 3 and len(match) >= 3)
    return real_word or _run_together_close(a, b)


def _run_together_close(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) == len(b):
        return False  # word by word was already compared
    joined_a, joined_b = "".join(a), "".join(b)
    if min(len(joined_a), len(joined_b)) < 6:
        return False
    allowed = 1 if max(len(joined_a), len(joined_b)) < 10 else 2
    return (
        abs(len(joined_a) - len(joined_b)) <= allowed
        and edit_distance(joined_a, joined_b) <= allowed
    )


def similar(first: Identity, second: Identity) -> bool:
    """Whether two subjects that share no key are close enough to ask "Same person?"."""
    return any(_groups_similar(a, b) for a in first.groups for b in second.groups)
