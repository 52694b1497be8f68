"""Fixtures for engine tests: one analyzer built once per session."""

from __future__ import annotations

import pytest

import safeside
from safeside.pipeline.analyzer import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return safeside.get_analyzer()


#: Engine-level tests that engine v2 (the contextual model, 2026-12-04) gets wrong: open
#: bugs, run as strict expected failures so a fix is noticed. See docs/evaluation.md.
KNOWN_V2_REGRESSIONS = {
    "tests/engine/test_concerns.py::test_negated_condemned_and_sarcastic_threats_are_not_flagged[Someone will get hurt on that roundabout one day.]",
    "tests/engine/test_concerns.py::test_telling_someone_to_die_is_abuse_not_the_writers_self_harm",
    "tests/engine/test_concerns.py::test_indirect_and_slang_wording_is_found[I want to kill all of those people-threat]",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid in KNOWN_V2_REGRESSIONS:
            item.add_marker(pytest.mark.xfail(strict=True, reason="engine v2 regression (open)"))
