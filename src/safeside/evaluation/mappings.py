"""Label mappings from public data sets to the Safeside taxonomy.

Each mapping turns a source label into a taxonomy label, or ``None`` to drop the
span (it is then neither gold nor scored). Public NER sets are scored only on
the labels they annotate (see :data:`SCORED_LABELS`).
"""

from __future__ import annotations

from typing import Final

from safeside.taxonomy import ENTITY_LABELS

#: CoNLL-2003 types, as in the Broad Twitter Corpus and Tweebank-NER; MISC is
#: dropped. An entity written as an @-mention is a HANDLE whatever its type (see
#: :func:`map_entity`): BTC tags "@colgo" as PER; Tweebank's "@USER12" are ``O``.
CONLL2003: Final[dict[str, str | None]] = {
    "PER": "PERSON",
    "LOC": "LOCATION",
    "ORG": "ORG",
    "MISC": None,
}

#: WNUT-17 emerging entities; product and creative-work are dropped.
WNUT17: Final[dict[str, str | None]] = {
    "person": "PERSON",
    "location": "LOCATION",
    "corporation": "ORG",
    "group": "ORG",
    "product": None,
    "creative-work": None,
}

#: WNUT-16 (10 types); only people, places and companies/teams are kept.
WNUT16: Final[dict[str, str | None]] = {
    "person": "PERSON",
    "geo-loc": "LOCATION",
    "facility": "LOCATION",
    "company": "ORG",
    "sportsteam": "ORG",
    "movie": None,
    "musicartist": None,
    "other": None,
    "product": None,
    "tvshow": None,
}

#: Presidio-research synthetic PII set.
PRESIDIO: Final[dict[str, str | None]] = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "STREET_ADDRESS": "ADDRESS",
    "AGE": "AGE",
    "DATE_TIME": "DATE",
    "ORGANIZATION": "ORG",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
    "ZIP_CODE": "LOCATION",
}

MAPPINGS: Final[dict[str, dict[str, str | None]]] = {
    "conll2003": CONLL2003,
    "btc": CONLL2003,
    "tweebank": CONLL2003,
    "wnut17": WNUT17,
    "wnut16": WNUT16,
    "presidio": PRESIDIO,
}

#: The taxonomy labels each set annotates: predictions of other labels are not
#: false positives there. HANDLE is scored only where the gold has handles.
SCORED_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "conll2003": ("PERSON", "LOCATION", "ORG", "HANDLE"),
    "btc": ("PERSON", "LOCATION", "ORG", "HANDLE"),
    "tweebank": ("PERSON", "LOCATION", "ORG"),
    "wnut17": ("PERSON", "LOCATION", "ORG"),
    "wnut16": ("PERSON", "LOCATION", "ORG"),
    "presidio": ("PERSON", "PHONE", "EMAIL", "ADDRESS", "AGE", "DATE", "ORG", "LOCATION"),
}


def map_entity(scheme: str, label: str, text: str = "") -> str | None:
    """Map a source label to a taxonomy label (``None``: drop the span).

    ``scheme`` is a key of :data:`MAPPINGS`, or ``"safeside"`` for labels that are
    already taxonomy labels. In CoNLL-2003 sets a PER/LOC/ORG span whose text
    starts with "@" is a HANDLE. Unknown source labels are dropped.
    """
    if scheme == "safeside":
        return label if label in ENTITY_LABELS else None
    mapping = MAPPINGS.get(scheme)
    if mapping is None:
        raise ValueError(f"unknown label scheme {scheme!r}: use safeside, {', '.join(MAPPINGS)}")
    if mapping is CONLL2003 and text.startswith("@") and mapping.get(label):
        return "HANDLE"
    return mapping.get(label)
