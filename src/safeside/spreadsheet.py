"""CSV cells that are safe to open in a spreadsheet."""

#: A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Stop a spreadsheet treating ``value`` as a formula (CSV injection): prefix an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
