"""A predictable stand-in for the engine, for tests and demos that must not depend on detectors.

``fake_analyze`` returns the ``Analysis.to_dict()`` shape: it flags the phrase
"where you live" as a high-severity threat, the name "Kayden" as a PERSON and
"Hillside Primary" as a SCHOOL.
"""

from __future__ import annotations

from typing import Any

THREAT_CUE = "where you live"
NAME = "Kayden"
SCHOOL = "Hillside Primary"


def fake_analyze(text: str, mode: str) -> dict[str, Any]:
    """Analyse ``text`` with two fixed rules (see the module docstring)."""
    entities: list[dict[str, Any]] = []
    concerns: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    severity = "none"
    for label, words, explanation in (
        ("PERSON", NAME, "A first name."),
        ("SCHOOL", SCHOOL, "A school's name."),
    ):
        at = text.find(words)
        if at >= 0:
            entities.append(
                {
                    "label": label,
                    "start": at,
                    "end": at + len(words),
                    "text": words,
                    "score": 0.9,
                    "detector": "fake",
                    "explanation": explanation,
                }
            )
            severity = "low"
    at = text.lower().find(THREAT_CUE)
    if at >= 0:
        evidence = {
            "start": at,
            "end": at + len(THREAT_CUE),
            "text": text[at : at + len(THREAT_CUE)],
            "cue": THREAT_CUE,
        }
        concerns.append(
            {
                "label": "threat",
                "confidence": 0.9,
                "severity": "high",
                "evidence": [evidence],
                "explanation": "Says they know where someone lives: a veiled threat.",
                "detectors": ["fake"],
            }
        )
        actions.append(
            {
                "id": "threat.report_today",
                "concern": "threat",
                "text": "Report this to your manager today.",
                "urgency": "today",
                "sources": [{"title": "Lone working policy", "url": "", "reference": "s.4"}],
            }
        )
        severity = "high"
    return {
        "schema": "safeside.analysis/1",
        "mode": mode,
        "text": text,
        "severity": severity,
        "entities": entities,
        "concerns": concerns,
        "actions": actions,
        "rewrite": None,
        "notes": [],
    }
