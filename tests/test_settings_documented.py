"""Settings live in one documented place: every ``SAFESIDE_*`` variable the code reads is
in the settings table of ``safeside.settings`` and in docs/configuration.md."""

from __future__ import annotations

import re
from pathlib import Path

import safeside
import safeside.settings

SRC = Path(safeside.__file__).parent
DOCS = SRC.parents[1] / "docs" / "configuration.md"
VARIABLE = re.compile(r"\bSAFESIDE_[A-Z_]+\b")
#: Read by test and benchmark harnesses only, not by users.
INTERNAL = {"SAFESIDE_STANDIN_BUILDS"}


def used_in_code() -> set[str]:
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        names |= set(VARIABLE.findall(path.read_text("utf-8")))
    return names - INTERNAL


def test_every_variable_the_code_reads_is_in_the_settings_table() -> None:
    table = set(VARIABLE.findall(safeside.settings.__doc__ or ""))
    assert used_in_code() - table == set()


def test_every_variable_is_documented_for_administrators() -> None:
    documented = set(VARIABLE.findall(DOCS.read_text("utf-8")))
    assert used_in_code() - documented == set()
    assert documented - used_in_code() == set(), "documented but never read"
