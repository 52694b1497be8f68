"""Functional tests in the spirit of HateCheck: one linguistic phenomenon per row.

The rows are ours (``functional_cases.yaml``, written apart from the training data).
A failing row is a bug in the engine. Rows the current model still gets wrong are
listed in ``functional_known_failures.txt`` with the run that found them: they run as
strict expected failures, so fixing one makes the suite say so, and the list is the
engine's open bug list (docs/evaluation.md reports the pass rate per functionality).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import safeside

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "functional_cases.yaml").read_text("utf-8"))
KNOWN = {
    line.split("#", 1)[0].strip()
    for line in (HERE / "functional_known_failures.txt").read_text("utf-8").splitlines()
} - {""}


def failures(case: dict[str, Any], labels: list[str]) -> list[str]:
    """What is wrong with ``labels`` for ``case`` (empty when the row passes)."""
    problems = []
    expect = case.get("expect")
    if expect == "none" and labels:
        problems.append(f"expected no concern, got {labels}")
    elif isinstance(expect, list):
        problems += [f"missed {c}" for c in expect if c not in labels]
    problems += [f"must not report {c}" for c in case.get("not") or [] if c in labels]
    return problems


def test_the_table_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 100
    assert set(ids) >= KNOWN, f"known failures that are not rows: {sorted(KNOWN - set(ids))}"
    for case in CASES:
        assert case["mode"] in ("own", "review") and case["text"].strip(), case["id"]
        assert (
            case.get("expect") == "none" or isinstance(case.get("expect"), list) or case.get("not")
        ), case["id"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c["id"], marks=pytest.mark.xfail(strict=True, reason="known bug"))
        if c["id"] in KNOWN
        else pytest.param(c, id=c["id"])
        for c in CASES
    ],
)
def test_row(case: dict[str, Any]) -> None:
    analysis = safeside.analyze(case["text"], mode=case["mode"])
    assert not failures(case, analysis.concern_labels), case.get("why", "")
