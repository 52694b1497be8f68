"""Where the importer tests find their inputs.

Real-format samples live outside the repo in ``shared/data/exports/`` (their licences
vary, so they are never copied in); our own fictional fixtures are in
``tests/fixtures/exports/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).parents[2].parent / "shared"
EXPORTS = SHARED / "data" / "exports"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports"


@pytest.fixture
def exports() -> Path:
    """The shared real-format samples, or a loud skip when they are not checked out."""
    if not EXPORTS.is_dir():
        pytest.skip(
            f"REAL-FORMAT SAMPLES NOT FOUND at {EXPORTS}: importer tests against real "
            "exports did not run (check out the shared folder next to the repo)"
        )
    return EXPORTS


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
