"""Repairing the mojibake in Facebook and Instagram exports.

Meta writes each UTF-8 byte of non-ASCII text as its own ``\\u00XX`` escape, so
"Radosław" arrives as "RadosÅ\\x82aw" and 👍 as "ð\\x9f\\x91\\x8d". Re-encoding such a
string as Latin-1 and decoding the bytes as UTF-8 restores it. Text that is already
right (an "é" on its own, a real emoji) does not survive that round trip and is left
alone, so the repair is safe to apply to every string.
"""

from __future__ import annotations

import re
from typing import Any

_HIGH_LATIN1 = re.compile(r"[\x80-\xff]")


def fix_text(text: str) -> str:
    """Undo Meta's Latin-1 mojibake in one string, or return it unchanged."""
    if not _HIGH_LATIN1.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def fix_strings(value: Any) -> Any:
    """Apply :func:`fix_text` to every string in a decoded JSON value."""
    if isinstance(value, str):
        return fix_text(value)
    if isinstance(value, list):
        return [fix_strings(item) for item in value]
    if isinstance(value, dict):
        return {fix_text(key): fix_strings(item) for key, item in value.items()}
    return value
