"""UK-aware identifier recognizers: phones, postcodes, NI and NHS numbers, e-mail,
handles and profile links, case and court references, addresses.

Each is a :class:`PatternRecognizer`; validators check structure and checksums so
that a random ten-digit number is not reported as an NHS number.
"""

from __future__ import annotations

import re

from safeside.detectors.patterns import register_pattern
from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry

# --- validators ---------------------------------------------------------------------------


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def uk_phone_score(value: str) -> float | None:
    """Score a UK phone number: 07xxx mobiles, 01/02/03 landlines, 080x and +44 forms."""
    d = _digits(value)
    if d.startswith("44"):
        d = "0" + d[2:]
    if d.startswith("00"):
        return None
    if len(d) == 11 and d.startswith("07"):
        return 0.95
    if len(d) in (10, 11) and d[:2] in ("01", "02", "03", "08"):
        return 0.85
    return None


def intl_phone_score(value: str) -> float | None:
    """Score a non-UK phone number written in a common international or US layout."""
    d = _digits(value)
    if 10 <= len(d) <= 13 and len(set(d)) > 2:
        return 0.75
    return None


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

_SEP = r"[ \-.]?"
UK_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0044\s?|\(?0)"
    r"(?:7\d{3}\)?[ \-.]?\d{3}[ \-.]?\d{3}|[1-38]\d{2,3}\)?[ \-.]?\d{3,4}[ \-.]?\d{3,4})(?!\d)"
)
INTL_PHONE = re.compile(
    r"(?<![\w+])(?:\+(?!44)\d{1,3}[ \-.]?)?(?:\(\d{3}\)|\d{3})[ \-.]\d{3}[ \-.]\d{4}(?!\d)"
    r"|(?<![\w+])\+(?!44)\d{1,3}(?:[ \-.]?\d{2,4}){3,4}(?!\d)"
)
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
HANDLE_PREFIXED = re.compile(
    r"\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tiktok|tt|kik|discord|telegram|twitter|x)"
    r"\s*(?::|-|=)\s*@?[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b",
    re.I,
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
    r"linkedin|threads|youtube)\.com/(?:in/|@)?[A-Za-z0-9_.\-]{2,}(?:/[\w.\-?=&]*)?",
    re.I,
)
_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Court|Ct|Crescent|Cres|"
    r"Gardens|Gdns|Terrace|Place|Pl|Square|Grove|Green|Walk|Mews|Row|Hill|View|Rise|Parade|"
    r"Park|Vale|Fold|Croft|Gate|Wharf)"
)
ADDRESS = re.compile(
    r"\b(?:(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    r"(?:[A-Z][a-z'’]+\s+){1,3}" + _STREET + r"\b"
)
HOUSE_NUMBER = re.compile(
    r"(?:\b(?:at|live[sd]?\s+(?:at|in)|from|lives at|round)\s+(?:the\s+)?)"
    r"((?:number|no\.|no|num)\s?\d{1,4}[a-z]?)\b(?!\s*(?:bus|in|of|on|one|\d))",
    re.I,
)
HOUSE_NUMBER_NAMED = re.compile(r"\b(?:[A-Z][a-z]+s?\s+)(?:at\s+)((?:number|no\.)\s?\d{1,4})\b")


_make = register_pattern


_make(
    "identifiers.uk_phone",
    "PHONE",
    UK_PHONE,
    0.9,
    "UK phone number (07/01/02/03 or +44)",
    validator=uk_phone_score,
)
_make(
    "identifiers.intl_phone",
    "PHONE",
    INTL_PHONE,
    0.75,
    "phone number in an international layout",
    validator=intl_phone_score,
)
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
