"""Resolve overlapping entity spans into one non-overlapping, ordered list."""

from __future__ import annotations

from safeside.engine.results import Entity

#: Detectors whose spans are checked by structure or checksum win over everything else;
#: phrase patterns win over the statistical tagger.
_TIER_BY_LABEL = {
    "EMAIL": 4, "PHONE": 4, "GOV_ID": 4, "CASE_REF": 4, "HANDLE": 4, "ADDRESS": 4,
    "_URL": 3,
    "SCHOOL": 2, "ORG": 2, "LOCATION": 2, "PERSON": 2, "CHILD_REF": 2, "AGE": 2, "HEALTH": 2,
    "DATE": 1,
}  # fmt: skip
_MODEL_PREFIX = "names."


def _tier(entity: Entity) -> int:
    if entity.detector.startswith(_MODEL_PREFIX):
        return 0
    if entity.detector == "identifiers.uk_postcode":
        return 4
    return _TIER_BY_LABEL.get(entity.label, 1)


def resolve_entities(entities: list[Entity]) -> list[Entity]:
    """Keep the strongest span wherever spans overlap, then sort by position.

    Stronger means a higher tier, then a longer span, then a higher score. Internal
    spans (labels starting with ``_``, e.g. web links) block others but are not reported.
    """
    if len(entities) <= 1:
        return [e for e in entities if not e.label.startswith("_")]
    ranked = sorted(entities, key=lambda e: (-_tier(e), -(e.end - e.start), -e.score, e.start))
    taken: list[tuple[int, int]] = []
    kept: list[Entity] = []
    for ent in ranked:
        if any(ent.start < e and s < ent.end for s, e in taken):
            continue
        taken.append((ent.start, ent.end))
        if not ent.label.startswith("_"):
            kept.append(ent)
    kept.sort(key=lambda e: e.start)
    return kept
