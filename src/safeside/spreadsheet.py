"""CSV cells that are safe to open in a spreadsheet.

Every CSV Safeside writes passes every cell through :func:`safe_cell` (use
:func:`safe_row` for a whole row), whatever its source: a post's author or address, a
file name from an archive, a question's answer. Only a cell that a spreadsheet would
run is changed, so ordinary values read back as they were written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
#: (OWASP "CSV injection"), including the full-width forms some versions accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: object) -> str:
    """``value`` as text a spreadsheet will not run: a would-be formula gets a leading
    apostrophe (``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``). None is the empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def safe_record(row: Mapping[str, object]) -> dict[str, str]:
    """Every value of a ``csv.DictWriter`` row through :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}
