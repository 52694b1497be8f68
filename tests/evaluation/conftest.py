"""A fake analyzer so evaluation tests never depend on what the detectors find."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from safeside.engine.results import Analysis, Concern, Entity, Evidence
from safeside.taxonomy import Severity


def fake_analyze_batch(texts: Iterable[str], mode: str = "own") -> list[Analysis]:
    """Tags capitalised words as PERSON, @words as HANDLE and "kill" as a high threat."""
    out = []
    for text in texts:
        entities = [
            Entity(
                "HANDLE" if m.group().startswith("@") else "PERSON",
                m.start(),
                m.end(),
                m.group(),
                0.9,
                "fake",
            )
            for m in re.finditer(r"@\w+|\b[A-Z][a-z]+\b", text)
        ]
        concerns = [
            Concern(
                "threat",
                0.8,
                Severity.HIGH,
                [Evidence(m.start(), m.end(), m.group(), "violent verb")],
                "fake",
            )
            for m in re.finditer(r"\bkill\b", text)
        ][:1]
        severity = Severity.HIGH if concerns else Severity.NONE
        out.append(Analysis(text, mode, entities, concerns, severity, []))
    return out


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``safeside.analyze_batch`` the fake for code that calls the public API."""
    import safeside

    monkeypatch.setattr(safeside, "analyze_batch", fake_analyze_batch)


@pytest.fixture
def analyze_batch():
    """The fake, as a callable to pass to scorers."""
    return fake_analyze_batch
