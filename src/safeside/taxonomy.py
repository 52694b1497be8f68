"""The shared vocabulary: entity labels, concerns, severities and modes (taxonomy v1).

Source of truth: ``shared/spec/taxonomy.md``. Every other module imports its labels
from here so that a typo is a type error, not a silent miss.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final, Literal

Mode = Literal["own", "review"]
MODES: Final = ("own", "review")

ENTITY_LABELS: Final = (
    "PERSON",
    "CHILD_REF",
    "AGE",
    "DATE",
    "SCHOOL",
    "LOCATION",
    "ADDRESS",
    "PHONE",
    "EMAIL",
    "HANDLE",
    "CASE_REF",
    "GOV_ID",
    "ORG",
    "HEALTH",
)

#: Concerns in taxonomy order, with the modes each is valid in.
CONCERN_MODES: Final[dict[str, tuple[str, ...]]] = {
    "confidentiality": ("own",),
    "unprofessional": ("own",),
    "self_exposure": ("own",),
    "proceedings_disclosure": ("review",),
    "contact_breach": ("review",),
    "threat": ("own", "review"),
    "harassment": ("own", "review"),
    "grooming": ("review",),
    "self_harm": ("own", "review"),
    "bullying": ("review",),
    "exploitation": ("review",),
}
CONCERNS: Final = tuple(CONCERN_MODES)

#: Plain-English names for people reading a report.
CONCERN_TITLES: Final[dict[str, str]] = {
    "confidentiality": "Could identify someone you support",
    "unprofessional": "Could read as unprofessional",
    "self_exposure": "Exposes your own or your family's safety details",
    "proceedings_disclosure": "Publishes details of a child in court proceedings",
    "contact_breach": "Contact with a child that bypasses an order or placement",
    "threat": "Threat of violence or harm",
    "harassment": "Abuse, insults or harassment of a person",
    "grooming": "Signs of grooming or sexual exploitation",
    "self_harm": "Risk of suicide or self-harm",
    "bullying": "Bullying of a child or young person",
    "exploitation": "Signs of criminal exploitation",
}

ENTITY_TITLES: Final[dict[str, str]] = {
    "PERSON": "name",
    "CHILD_REF": "reference to a child",
    "AGE": "age",
    "DATE": "date or day",
    "SCHOOL": "school or nursery",
    "LOCATION": "place",
    "ADDRESS": "address",
    "PHONE": "phone number",
    "EMAIL": "e-mail address",
    "HANDLE": "social-media handle",
    "CASE_REF": "case or court reference",
    "GOV_ID": "official ID number",
    "ORG": "organisation",
    "HEALTH": "health detail",
}


class Severity(IntEnum):
    """Ordered severity; ``critical`` means imminent risk to life or of serious harm."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r}: use none, low, medium, high or critical"
            ) from None


def concern_allowed(concern: str, mode: str) -> bool:
    """Whether a concern is reported in a mode (taxonomy table, 'mode' column)."""
    return mode in CONCERN_MODES.get(concern, ())
