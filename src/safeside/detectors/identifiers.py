"""UK-aware identifier recognizers: phones, postcodes, NI and NHS numbers, e-mail,
handles and profile links, case and court references, addresses.

Each is a :class:`PatternRecognizer`; validators check structure and checksums so
that a random ten-digit number is not reported as an NHS number. Phone numbers are
found and checked by libphonenumber (the ``phonenumbers`` package: numbering plans of
every country, kept up to date by Google), read as UK numbers unless they carry a
country code, plus Ofcom's ranges for drama, which it does not count as valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from safeside.detectors.patterns import PatternOptions, PatternRecognizer, register_pattern
from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry

# --- validators ---------------------------------------------------------------------------


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def nhs_number_score(value: str) -> float | None:
    """NHS numbers: ten digits with a modulus-11 check digit.

    Numbers in the 999 test range are accepted even with a wrong check digit (they are
    how NHS numbers are written in training material and fictional case studies), at a
    lower score.
    """
    d = _digits(value)
    if len(d) != 10:
        return None
    total = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check != 10 and check == int(d[9]):
        return 0.9
    if d.startswith("999"):
        return 0.7
    return None


_NINO_BAD_PREFIX = {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}


def nino_score(value: str) -> float | None:
    """National Insurance numbers: two letters, six digits, a suffix A–D.

    HMRC's rules exclude D, F, I, Q, U, V as first letter; the never-issued ``QQ``
    prefix is used in examples and accepted at a lower score.
    """
    v = re.sub(r"\s", "", value).upper()
    prefix = v[:2]
    if prefix == "QQ":
        return 0.8
    if prefix in _NINO_BAD_PREFIX or prefix[0] in "DFIQUV" or prefix[1] in "DFIOQUV":
        return None
    return 0.9


def postcode_score(value: str) -> float | None:
    """UK postcodes by structure (area letters, district, sector digit, unit letters)."""
    v = value.upper().replace(" ", "")
    if len(v) < 5 or len(v) > 7:
        return None
    inward = v[-3:]
    if inward[1] in "CIKMOV" or inward[2] in "CIKMOV":
        return None
    return 0.9 if " " in value else 0.75


# --- patterns -----------------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
POSTCODE = re.compile(r"\b(?:[A-Za-z][A-HJ-Ya-hj-y]?\d[A-Za-z\d]?) ?\d[A-Za-z]{2}\b")
NINO = re.compile(
    r"\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b|\bQQ ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
NHS = re.compile(r"(?<![\d\w])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d\w])")
# Family-court case numbers: court code, year, case type, serial (e.g. LS21C00123).
COURT_CASE = re.compile(r"\b[A-Z]{2}\d{2}[A-Z]\d{5}\b")
CASE_NUMBER = re.compile(
    r"\b(?:case|claim|file|record|crime|incident)\s*(?:no\.?|number|num|#|ref(?:erence)?)\s*:?\s*"
    r"#?(?:[A-Z]{1,4} (?=\d{3}))?(?=[A-Z/-]*\d)(?=[A-Z\d/-]*\d{3})[A-Z\d][A-Z\d/-]{2,}\b",
    re.I,
)
REF_NUMBER = re.compile(
    r"\b(?:ref(?:erence)?\.?|our ref|hearing ref|court ref)\s*:?\s*(#?(?=[A-Z/-]*\d)[A-Z\d/-]{5,})\b",
    re.I,
)
HANDLE_AT = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])")
#: "snap: kaydz09", "sc: grind.szn": the name needs an "@", digit, underscore or inner dot
#: ("TikTok: the", "insta: new house keys" and "X-ray" are words, not usernames)
HANDLE_PREFIXED = re.compile(
    r"(?<![.@])\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tiktok|tt|kik|discord|telegram|twitter|x)"
    r"\s*(?::|-|=)\s*(?:@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}"
    r"|(?=[A-Za-z0-9_.]*(?:\d|_|\.[A-Za-z0-9]))[A-Za-z0-9_][A-Za-z0-9_.]{1,29})\b",
    re.I,
)
#: A username written bare: joined by underscores or dots ("lil_benji", "xX_Rook_Xx",
#: "faded.jay"), letters then two or more digits ("bradz07"), or Reddit's "u/name".
#: :func:`username_score` turns away dotted words that are not names ("e.g", "s.47",
#: "bbc.co.uk", "distance.gif", "there.then").
HANDLE_USERNAME = re.compile(
    r"(?<![\w@#/.'’£$-])(?:u/[A-Za-z0-9_-]{3,20}"
    r"|_*[A-Za-z0-9]+(?:[._]+[A-Za-z0-9]+)+_*|_+[A-Za-z0-9]+_*|[A-Za-z0-9]+_+"
    r"|[A-Za-z]{3,}\d{2,}[A-Za-z]*)(?![\w@'’/-]|\.\w)"
)
HANDLE_ADD_ME = re.compile(
    r"\b(?:add|follow|message|msg|dm)\s+(?:me|her|him|them|us)\s+(?:on|at)\s+"
    r"(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|kik|discord|telegram)\s*:?\s*"
    r"(@?[A-Za-z0-9_][A-Za-z0-9_.]{2,29}\d[A-Za-z0-9_.]*|@[A-Za-z0-9_.]{2,30})\b",
    re.I,
)
HANDLE_BARE = re.compile(
    r"\b(?:snap(?:chat)?|insta(?:gram)?|ig|tiktok|username|user ?name|handle|account|page)"
    r"\s+(?:is|its|it's|=)\s+@?([A-Za-z][A-Za-z0-9_.]*\d[A-Za-z0-9_.]*|[A-Za-z0-9]*_[A-Za-z0-9_.]+)\b",
    re.I,
)
PROFILE_URL = re.compile(
    r"\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|twitter|x|snapchat|"
    r"linkedin|threads|youtube)\.com/(?:in/|@)?[A-Za-z0-9_.\-]*[A-Za-z0-9_](?:/[\w.\-?=&]*[\w=&])?",
    re.I,
)
_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|"
    r"Gardens|Gdns|Terrace|Place|Pl|Square|Grove|Green|Walk|Mews|Row|Hill|View|Rise|Parade|"
    r"Park|Vale|Fold|Croft|Gate|Wharf)"
)
_STREET_LOWER = r"(?:road|street|lane|avenue|close|drive|crescent|gardens|terrace|grove|mews)"
ADDRESS = re.compile(
    r"\b(?:(?:[Ff]lat|FLAT|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+|(?:[Nn]umber|[Nn]o\.?)\s?)?"
    r"\d{1,4}[A-Za-z]?,?\s+"
    # a court is no street: "Grace Orme, 10, Carrowby Family Court"
    r"(?!(?:[A-Z][a-z'’]+\s+){0,2}(?:Family|County|Crown|Magistrates'?|Youth|Civil)\s+Court\b)"
    r"(?:(?:[A-Z][a-z'’]+\s+){1,3}"
    + _STREET
    + r"|(?!(?:long|main|big|new|old|dirt|back|side|private|quiet|busy|dead|lane|way|the|and)\s)"
    r"[a-z]{3,}\s+" + _STREET_LOWER + r")\b"
)
#: "outside number 22", "the lady at no. 9", "back to flat 7": a house on its own.
HOUSE_NUMBER = re.compile(
    r"(?:\b(?:at|live[sd]?\s+(?:at|in)|from|lives at|round|outside|opposite|near|to|for|"
    r"with|by|of|in|next door to)\s+(?:the\s+)?)"
    r"((?:number|no\.|no|num|flat)\s?\d{1,4}[a-z]?)\b(?!\s*(?:bus|in\b|of\b|on\b|one|\d|%|in the))",
    re.I,
)
HOUSE_NUMBER_NAMED = re.compile(r"\b(?:[A-Z][a-z]+s?\s+)(?:at\s+)((?:number|no\.)\s?\d{1,4})\b")


#: the ends of web addresses and file names: "bbc.co.uk" and "distance.gif" are not users
_ENDS = """com co uk org net gov nhs ac sch edu io ie info biz police mod
    gif jpg jpeg png pdf doc docx xls xlsx ppt pptx txt csv zip mp3 mp4 mov html htm"""
_NOT_USERNAME_ENDS = frozenset(_ENDS.split())
#: words that take two digits and are not usernames ("covid19", "year10", "room12")
_STEMS = """covid year yr room flat unit bus route gcse level grade class page week day under
    ward bay bed floor platform gate junction exit car seat table team top best over
    aged age size tier section chapter part step no number"""
_NOT_USERNAME_STEMS = frozenset(_STEMS.split())
#: longer than any platform's username (Instagram and X allow 30, Reddit 20, TikTok 24)
MAX_USERNAME = 40
#: a title run into a name ("Mr.Smith") is not a username
_TITLE_WORDS = "mr mrs ms mx dr st prof rev miss no"
_TITLES = frozenset(_TITLE_WORDS.split())


@lru_cache(maxsize=1)
def _plain_words() -> frozenset[str]:
    """Frequent words of two or more letters that are not first names."""
    from safeside.ner import load_tagger

    lexicon = load_tagger().lexicon
    return frozenset(w for w in lexicon.common if len(w) >= 2 and lexicon.classes.get(w) != "first")


def username_score(value: str) -> float | None:
    """0.8 for a bare username, ``None`` for a dotted word or number that is not one."""
    if len(value) > MAX_USERNAME:
        return None  # "a_a_a_…" for pages on end: no platform allows a name that long
    if value.startswith("u/"):
        return 0.8
    if "_" in value:
        inner = value.strip("_")
        if value[0] == value[-1] == "_" and inner.lower() in _plain_words():
            return None  # "_really_": emphasis, not a username
        return 0.8 if sum(ch.isalpha() for ch in value) >= 2 else None
    if "." not in value:  # letters then digits
        stem = value.rstrip("0123456789").lower()
        return None if stem.rstrip("s") in _NOT_USERNAME_STEMS else 0.8
    parts = value.lower().split(".")
    if not parts[0][:1].isalpha() or parts[-1] in _NOT_USERNAME_ENDS or parts[0] in _TITLES:
        return None
    if max(sum(ch.isalpha() for ch in part) for part in parts) < 3:
        return None  # "e.g", "s.47", "d.i.e.t", "no.5"
    plain = _plain_words()
    if all(part in plain or part.isdigit() for part in parts):
        return None  # "there.then": a missing space, not a username
    return 0.8


_make = register_pattern


_make("identifiers.email", "EMAIL", EMAIL, 0.95, "e-mail address")
_make(
    "identifiers.uk_postcode",
    "LOCATION",
    POSTCODE,
    0.85,
    "UK postcode (pins a home to a few streets)",
    validator=postcode_score,
)
_make(
    "identifiers.uk_nino",
    "GOV_ID",
    NINO,
    0.9,
    "National Insurance number (two letters, six digits, A–D)",
    validator=nino_score,
)
_make(
    "identifiers.uk_nhs",
    "GOV_ID",
    NHS,
    0.9,
    "NHS number (ten digits, modulus-11 check)",
    validator=nhs_number_score,
    context=("nhs", "nhs no", "nhs number", "patient"),
    min_score=0.7,
)
_make(
    "identifiers.court_case",
    "CASE_REF",
    COURT_CASE,
    0.9,
    "family-court case number (court code, year, case type, serial)",
)
_make("identifiers.case_number", "CASE_REF", CASE_NUMBER, 0.85, "case or record number")
_make("identifiers.reference", "CASE_REF", REF_NUMBER, 0.8, "reference number", group=1)
_make("identifiers.handle_at", "HANDLE", HANDLE_AT, 0.9, "social-media handle (@name)")
_make(
    "identifiers.handle_prefixed",
    "HANDLE",
    HANDLE_PREFIXED,
    0.9,
    "social-media username given with its app (e.g. 'snap: ...')",
)
_make(
    "identifiers.handle_add_me",
    "HANDLE",
    HANDLE_ADD_ME,
    0.85,
    "username given in 'add me on ...'",
    group=1,
)
_make(
    "identifiers.handle_username",
    "HANDLE",
    HANDLE_USERNAME,
    0.8,
    "a username ('lil_benji', 'faded.jay', 'u/name')",
    validator=username_score,
)
_make(
    "identifiers.handle_bare",
    "HANDLE",
    HANDLE_BARE,
    0.8,
    "username given as 'her snap is ...'",
    group=1,
)
_make("identifiers.profile_url", "HANDLE", PROFILE_URL, 0.9, "link to a social-media profile")
_make("identifiers.address", "ADDRESS", ADDRESS, 0.9, "house number and street")
_make(
    "identifiers.house_number",
    "ADDRESS",
    HOUSE_NUMBER,
    0.75,
    "house number ('at number 22')",
    group=1,
)
_make(
    "identifiers.house_number_named",
    "ADDRESS",
    HOUSE_NUMBER_NAMED,
    0.8,
    "house number after a family name ('the Okafors at number 22')",
    group=1,
)


# --- phone numbers ------------------------------------------------------------------------

#: Ofcom's numbers for drama and training material that libphonenumber does not count as
#: valid: mobiles 07700 900000-900999, 01632 960000-960999 and Nottingham 0115 496 0000-0999.
DRAMA_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(?0)"
    r"(?:7700\)?[ \-.]?900[ \-.]?\d{3}|1632\)?[ \-.]?960[ \-.]?\d{3}|115\)?[ \-.]?496[ \-.]?0\d{3})"
    r"(?!\d)"
)
#: UK numbers shorter than this (nine digits after the 0) are services, such as
#: Childline's 0800 1111, not someone's phone.
_SHORTEST_UK = 100_000_000
#: Seven digits close together: only then is libphonenumber's matcher run.
_DIGITS = re.compile(r"\d(?:[ ()./\-]{0,3}\d){6}")
#: How libphonenumber's number types are put in an explanation (others: lower case).
_KINDS = {"FIXED_LINE": "landline", "FIXED_LINE_OR_MOBILE": "landline or mobile",
          "TOLL_FREE": "freephone", "VOIP": "internet (VoIP)", "UAN": "non-geographic"}  # fmt: skip


class Phone(NamedTuple):
    """A phone number found in a text: where, whether a UK number, and how it is shown."""

    start: int
    end: int
    uk: bool
    score: float  # 0.95 a UK mobile, 0.85 another UK number, 0.75 a number abroad
    explanation: str  # "UK mobile number", "landline number (FR)"


@lru_cache(maxsize=256)
def find_phones(text: str) -> tuple[Phone, ...]:
    """Phone numbers in ``text``: valid numbers by libphonenumber (national ones read as
    UK numbers; not short service numbers), Ofcom's drama numbers, and either with a
    letter misread for a digit by text recognition."""
    if not _DIGITS.search(text):
        return tuple(_ocr_phones(text))
    found = [
        _phone(m.start, m.end, m.number)
        for m in PhoneNumberMatcher(text, "GB", leniency=Leniency.VALID)
        if m.number.country_code != 44 or (m.number.national_number or 0) >= _SHORTEST_UK
    ]
    for m in DRAMA_PHONE.finditer(text):
        if not any(p.start < m.end() and m.start() < p.end for p in found):
            mobile = "7700" in m.group()
            kind = "mobile" if mobile else "landline"
            found.append(
                Phone(m.start(), m.end(), True, 0.95 if mobile else 0.85, f"UK {kind} number")
            )
    for ocr in _ocr_phones(text):
        if not any(p.start < ocr.end and ocr.start < p.end for p in found):
            found.append(ocr)
    return tuple(sorted(found))


#: a run of digits where text recognition may have read 0 as O and 1 as l, I or |
_OCR_RUN = re.compile(r"(?<![\w@])[0-9OoIl|+](?:[ ()./\-]{0,3}[0-9OoIl|]){9,13}(?![\w@])")
_OCR_DIGITS = str.maketrans("OoIl|", "00111")


def _ocr_phones(text: str) -> list[Phone]:
    """Numbers in a screenshot's text with a letter misread for a digit ("07700 9OO123"):
    runs of at least seven real digits and one or more O, o, l, I or |, read as digits."""
    out = []
    for m in _OCR_RUN.finditer(text):
        run = m.group()
        if sum(c.isdigit() for c in run) < 7 or not any(c in "OoIl|" for c in run):
            continue
        fixed = run.translate(_OCR_DIGITS)
        for p in find_phones(fixed):
            if p.end - p.start >= len(fixed) - 2:  # the whole run is the number
                how = f"{p.explanation}, a letter read as a digit (screenshot text)"
                out.append(
                    p._replace(start=m.start() + p.start, end=m.start() + p.end, explanation=how)
                )
    return out


def _phone(start: int, end: int, number: phonenumbers.PhoneNumber) -> Phone:
    kind = PhoneNumberType.to_string(phonenumbers.number_type(number))
    words = "phone" if kind == "UNKNOWN" else _KINDS.get(kind, kind.lower().replace("_", " "))
    if number.country_code == 44:
        return Phone(start, end, True, 0.95 if kind == "MOBILE" else 0.85, f"UK {words} number")
    region = phonenumbers.region_code_for_number(number) or f"+{number.country_code}"
    return Phone(start, end, False, 0.75, f"{words} number ({region})")


@dataclass(slots=True)
class PhoneRecognizer(PatternRecognizer):
    """PHONE entities from :func:`find_phones`: UK numbers (``uk``) or the others; the
    score is the number's own unless configured."""

    uk: bool = True

    def __call__(self, doc: Doc) -> None:
        for p in find_phones(doc.clean.text):
            if p.uk == self.uk:
                score = self.score if self.score >= 0 else p.score
                doc.add_entity(
                    self.label, doc.clean, p.start, p.end, score, self.name, p.explanation
                )


def _phones(name: str, explanation: str, *, uk: bool) -> None:
    @registry.register(name, options=PatternOptions)
    def factory(options: PatternOptions) -> Detector:
        score = -1.0 if options.score is None else float(options.score)  # -1: the number's
        return PhoneRecognizer(name, "PHONE", _DIGITS, score, explanation, uk=uk)


_phones("identifiers.uk_phone", "UK phone number (07/01/02/03 or +44)", uk=True)
_phones("identifiers.intl_phone", "phone number in an international layout", uk=False)


class UrlMask:
    """Marks web links (label ``_URL``, never reported) so that words inside them are not
    read as names or places; profile links are reported as handles by their own recognizer."""

    name = "identifiers.url_mask"
    URL = re.compile(
        r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|org|net|co\.uk|org\.uk|gov\.uk|io)(?:/\S*)?",
        re.I,
    )

    def __call__(self, doc: Doc) -> None:
        for m in self.URL.finditer(doc.clean.text):
            doc.add_entity("_URL", doc.clean, m.start(), m.end(), 0.5, self.name, "web link")


@registry.register("identifiers.url_mask")
def _url_mask(options: object) -> Detector:
    return UrlMask()
