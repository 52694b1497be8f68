"""Resolve overlapping entity spans into one non-overlapping, ordered list."""

from __future__ import annotations

import bisect

from safeside.engine.results import Entity

#: Detectors whose spans are checked by structure or checksum win over everything else;
#: phrase patterns win over the statistical tagger.
_TIER_BY_LABEL = {
    "EMAIL": 4, "PHONE": 4, "GOV_ID": 4, "CASE_REF": 4, "HANDLE": 4, "ADDRESS": 4,
    "_URL": 3, "_LAYOUT": 3, "_HABIT": 3,
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
    # Taken spans never overlap, so sorted by start they are also sorted by end: a new
    # span overlaps one only if it overlaps its neighbour on either side (O(log n)).
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Entity] = []
    for ent in ranked:
        i = bisect.bisect_left(starts, ent.start)
        if i > 0 and ends[i - 1] > ent.start:
            continue
        if i < len(starts) and starts[i] < ent.end:
            continue
        starts.insert(i, ent.start)
        ends.insert(i, ent.end)
        if not ent.label.startswith("_"):
            kept.append(ent)
    kept.sort(key=lambda e: e.start)
    return kept
