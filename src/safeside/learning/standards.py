"""The professional frameworks CPD records, scenarios and guidance are tagged with.

- Social Work England's six professional standards (England's regulator, 2019): a tag is
  the standard's number, or a sub-standard such as ``"4.6"`` or ``"5.6"``.
- The nine domains of BASW's Professional Capabilities Framework (PCF, 2018 refresh).
- The CPD activity types a record can have, and Social Work England's registration
  year (1 December to 30 November), in which each registrant records at least two pieces
  of CPD, at least one of them with peer reflection.
"""

from __future__ import annotations

from datetime import date
from typing import Final

#: Social Work England professional standards, by number.
SWE_STANDARDS: Final = {
    "1": "Promote the rights, strengths and wellbeing of people, families and communities",
    "2": "Establish and maintain the trust and confidence of people",
    "3": "Be accountable for the quality of my practice and the decisions I make",
    "4": "Maintain my continuing professional development",
    "5": "Act safely, respectfully and with professional integrity",
    "6": "Promote ethical practice and report concerns",
}

#: The nine PCF domains, in the framework's order.
PCF_DOMAINS: Final = (
    "Professionalism",
    "Values and ethics",
    "Diversity and equality",
    "Rights, justice and economic wellbeing",
    "Knowledge",
    "Critical reflection and analysis",
    "Skills and interventions",
    "Contexts and organisations",
    "Professional leadership",
)

#: Kinds of CPD activity a record can describe.
ACTIVITY_TYPES: Final = (
    "Online discussion (peer learning)",
    "Reading a blog, article or research",
    "Scenario-based training",
    "Course, workshop or e-learning",
    "Supervision or reflective discussion",
    "Conference, webinar or event",
    "Learning from practice",
    "Other",
)

#: Records and peer-reflected records Social Work England asks for each year.
REQUIRED_RECORDS: Final = 2
REQUIRED_WITH_PEER_REFLECTION: Final = 1


def standard_title(code: str) -> str:
    """``"4.6"`` → ``"Standard 4.6: Maintain my continuing professional development"``."""
    headline = SWE_STANDARDS.get(code.split(".", 1)[0])
    if headline is None:
        raise ValueError(f"unknown Social Work England standard {code!r}")
    return f"Standard {code}: {headline}"


def is_standard(code: str) -> bool:
    head, _, sub = code.partition(".")
    return head in SWE_STANDARDS and (not sub or sub.isdigit())


def registration_year(day: date) -> tuple[date, date]:
    """The Social Work England registration year holding ``day``: 1 December to 30 November."""
    start_year = day.year if day.month == 12 else day.year - 1
    return date(start_year, 12, 1), date(start_year + 1, 11, 30)
