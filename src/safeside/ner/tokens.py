"""A small regex tokeniser for social-media text that keeps code-point offsets.

Handles, hashtags, e-mail addresses and URLs stay whole (they are never names); a
possessive ``'s`` is split off so that "Frank's" yields the name "Frank".
"""

from __future__ import annotations

import re
from typing import NamedTuple

TOKEN_PATTERN = re.compile(
    r"https?://\S+|www\.\S+"  # URL
    r"|[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+"  # e-mail (bounded: stays linear)
    r"|[@#]\w+(?:\.\w+)*"  # handle or hashtag
    r"|['’][sS](?!\w)"  # possessive 's
    r"|\w+(?:(?:-|['’](?![sS](?!\w)))\w+)*"  # word, hyphenated or with an apostrophe
    r"|\S"  # anything else, one character at a time
)


class Token(NamedTuple):
    """A token and its ``[start, end)`` code-point offsets in the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; whitespace is dropped, offsets are kept."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(text)]
