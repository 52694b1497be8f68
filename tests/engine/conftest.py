"""Fixtures for engine tests: one analyzer built once per session."""

from __future__ import annotations

import pytest

import safeside
from safeside.engine.analyzer import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return safeside.get_analyzer()
