"""What keeps a text from leaving Safeside: one rule for digests and CPD records.

A text is held back when the engine (own mode, as if it were being posted) raises a
concern, or finds a detail that could identify a person someone supports
(:data:`IDENTIFYING`): a child, an age, a school, an address, contact details, a case or
official reference. Names and handles alone are not held back (chat participants are
named in every digest); a name in a case context raises the confidentiality concern.
"""

from __future__ import annotations

from collections.abc import Collection

from safeside.engine.results import Analysis
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES

#: Entity labels that make a shared text identifying (names alone are not).
IDENTIFYING = frozenset(
    {"CHILD_REF", "AGE", "SCHOOL", "ADDRESS", "PHONE", "EMAIL", "CASE_REF", "GOV_ID"}
)


def reasons(analysis: Analysis, concerns: Collection[str] | None = None) -> list[str]:
    """Why ``analysis`` keeps its text from being shared, one line per concern (only those
    in ``concerns``, if given) with its evidence, and per identifying detail."""
    out = []
    for concern in analysis.concerns:
        if concerns is not None and concern.label not in concerns:
            continue
        quoted = ", ".join(dict.fromkeys(f"“{e.text}”" for e in concern.evidence if e.text))
        title = CONCERN_TITLES.get(concern.label, concern.label)
        out.append(f"{title}: {quoted}" if quoted else title)
    for entity in analysis.entities:
        if entity.label in IDENTIFYING:
            title = ENTITY_TITLES.get(entity.label, entity.label)
            out.append(f"identifying detail ({title}): “{entity.text}”")
    return list(dict.fromkeys(out))
