"""Small text helpers shared by the digest steps: links, hashtags, words and sentences."""

from __future__ import annotations

import re

URL = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@])@\w+(?:@[\w.-]+\w)?")
HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘'(\[]?[A-Z0-9#@])|\n+")
#: Tweet-chat markers: ``Q1``, ``A2:``, ``Q3.`` at the start of a post.
CHAT_MARKER = re.compile(r"^\s*(?:(?:@\w+\s+)*)([QA])(\d{1,2})\b[\s:.)-]*", re.IGNORECASE)

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets getting
    got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself
    him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just
    let's like lot lots made make makes many may me more most much must mustn't my myself need
    needs no nor not now of off often on once one only or other ought our ours ourselves out over
    own really same say says see shan't she she'd she'll she's should shouldn't so some still
    such take than thank thanks that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've thing things think this those though through to
    today tonight too under until up upon us use used very via want was wasn't way we we'd we'll
    we're we've well were weren't what what's when when's where where's which while who who's
    whom why why's will with won't would wouldn't yes yet you you'd you'll you're you've your
    yours yourself yourselves amp rt great good
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tag_key(tag: str) -> str:
    """A hashtag as compared: no ``#``, case-folded (``#SWChat`` == ``swchat``)."""
    return tag.strip().lstrip("#").casefold()


def has_hashtag(text: str, tag: str) -> bool:
    """Whether ``text`` uses ``#tag`` (any capitals)."""
    key = tag_key(tag)
    return any(match.group(1).casefold() == key for match in HASHTAG.finditer(text))


def strip_noise(text: str) -> str:
    """The text without links, ``@handles``, a leading ``RT`` or chat marker, and extra space."""
    text = URL.sub(" ", text)
    text = re.sub(r"^\s*RT\s+@\w+:?", " ", text)
    text = CHAT_MARKER.sub(" ", text, count=1)
    text = HANDLE.sub(" ", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def content_words(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased words worth counting: no stopwords, links, handles or ``skip`` tags."""
    words = []
    for raw in _WORD.findall(strip_noise(text).replace("#", " ").lower()):
        word = raw.replace("’", "'")
        if len(word) > 2 and word not in STOPWORDS and word not in skip:
            words.append(word)
    return words


def sentences(text: str) -> list[str]:
    """Sentences of a post, in order (split at ``.!?`` before a capital, and at line breaks)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
