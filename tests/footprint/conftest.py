"""A fake analyzer with known answers, so footprint tests never depend on the detectors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import pytest

from safeside.engine.results import Action, Analysis, Concern, Evidence, Source
from safeside.ingest import Post, SourceRef
from safeside.taxonomy import Severity

#: cue word → (concern, severity, explanation)
RULES = {
    "Kayden": ("confidentiality", Severity.HIGH, "Names a child you work with."),
    "estate": ("self_exposure", Severity.MEDIUM, "Shows where you live."),
    "hate": ("harassment", Severity.CRITICAL, "Abuse aimed at a person."),
}


def fake_analyze_batch(texts: Iterable[str], mode: str = "own") -> list[Analysis]:
    results = []
    for text in texts:
        concerns = []
        for cue, (label, severity, why) in RULES.items():
            at = text.find(cue)
            if at >= 0:
                evidence = [Evidence(at, at + len(cue), cue, f"the word {cue!r}")]
                concerns.append(Concern(label, 0.9, severity, evidence, why, ["fake"]))
        top = max((c.severity for c in concerns), default=Severity.NONE)
        actions = [
            Action(
                f"{c.label}-1",
                c.label,
                f"Follow the {c.label} guidance.",
                "today",
                [Source("Playbook")],
            )
            for c in concerns
        ]
        results.append(Analysis(text, mode, [], concerns, top, actions))
    return results


def batch(texts: Sequence[str], mode: str) -> list[Analysis]:
    return fake_analyze_batch(texts, mode)


def post(text: str, month: int | None = 1, audience: str | None = None, n: int = 0) -> Post:
    stamp = datetime(2024, month, 10, 12, tzinfo=UTC) if month else None
    return Post(
        platform="twitter",
        text=text,
        source=SourceRef("data/tweets.js", archive="twitter.zip", record=n),
        timestamp=stamp,
        audience=audience,
        url=f"https://x.com/i/web/status/{n}",
    )


@pytest.fixture
def posts() -> list[Post]:
    return [
        post("Lovely day at the beach", 1, n=0),
        post("Kayden did so well at contact today", 1, n=1),
        post("Home from work, the estate is quiet", 3, audience="public", n=2),
        post("Home, estate quiet, friends only", 3, audience="followers", n=3),
        post("I hate you <script>alert(1)</script>", 4, n=4),
        post("No date on this one", None, n=5),
    ]
