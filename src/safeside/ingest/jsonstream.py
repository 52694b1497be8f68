"""Reading big JSON exports one record at a time, tolerating the usual damage.

:class:`JsonStream` walks objects and arrays without loading the file: a reader asks
for the members of an object (:meth:`~JsonStream.members`) or the items of an array (:meth:`~JsonStream.items`;
:class:`~safeside.ingest.jsonrecords.RecordStream` adds records that survive damage),
so memory stays bounded by the largest single record.

It is lenient where exports are known to break:

* ``window.YTD.tweets.part0 = [...]`` assignments and ``//`` comment lines before the data;
* trailing commas (``[1, 2, ]``) are accepted and noted in :attr:`JsonStream.notes`;
* a value that does not parse raises :class:`BadRecord`, leaving the cursor on it;
* only a file that really ends in the middle of a value raises :class:`Truncated`
  (an unescaped quote or a lost bracket is damage, not a cut-short download).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

_WS = re.compile(r"[ \t\n\r\ufeff]*")
# A string (group 1 is its closing quote, missing if cut off), or a bracket.
_STRUCT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(")?|[\[\]{}]')
_SCALAR_END = re.compile(r"[,\]}]")
_COMMENT = re.compile(r"\s*(//[^\n]*\n|/\*.*?\*/)", re.DOTALL)
#: What may be left when a file is cut inside a number or literal.
_CUT_SCALAR = re.compile(r"\s*(t(r(u)?)?|f(a(l(s)?)?)?|n(u(l)?)?|-?[0-9.eE+-]*)\s*")
_DECODER = json.JSONDecoder(strict=False)
_TRAILING_COMMA = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|,(\s*[\]}])')
#: How far ahead the stream reads to repair a record with trailing commas.
_LOOKAHEAD = 4 << 20

#: What :meth:`JsonStream.attempt` returns for a value that does not decode.
INVALID = object()


def _without_trailing_commas(raw: str) -> str:
    return _TRAILING_COMMA.sub(lambda m: m.group(1) or m.group(2), raw)


class JsonProblem(Exception):
    """Base for problems found while streaming JSON."""


class BadRecord(JsonProblem):
    """A value that is not valid JSON."""


class Truncated(JsonProblem):
    """The file ends in the middle of a value; ``record`` is the array index, if known."""

    record: int | None = None


class JsonStream:
    """A cursor over a JSON text stream that decodes one value at a time."""

    def __init__(self, text: IO[str], *, chunk: int = 1 << 20, max_value: int = 512 << 20) -> None:
        self._text = text
        self._chunk = chunk
        self._max_value = max_value
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._consumed = 0
        self._mark: int | None = None
        self._open: list[str] = []  # the containers the cursor is inside
        self._lost = False
        #: ``(reason, message)`` pairs for tolerated damage, such as trailing commas.
        self.notes: list[tuple[str, str]] = []

    # -- buffer -----------------------------------------------------------------

    def _fill(self, at_least: int | None = None) -> bool:
        """Read more text; False at end of file. Text before the cursor (or mark) is dropped."""
        if self._eof:
            return False
        keep = self._pos if self._mark is None else min(self._pos, self._mark - self._consumed)
        if keep > len(self._buf) // 2:
            self._consumed += keep
            self._buf = self._buf[keep:]
            self._pos -= keep
        more = self._text.read(max(self._chunk, at_least or 0))
        if not more:
            self._eof = True
            return False
        self._buf += more
        return True

    @property
    def offset(self) -> int:
        """Characters consumed so far (for messages)."""
        return self._consumed + self._pos

    @contextmanager
    def _lookahead(self) -> Iterator[None]:
        """Read ahead freely; the cursor goes back to where it was afterwards."""
        start, saved = self.offset, self._mark
        self._mark = start if saved is None else min(saved, start)
        try:
            yield
        finally:
            self._pos = start - self._consumed
            self._mark = saved

    def peek(self) -> str:
        """The next non-space character, without consuming it ('' at end of file)."""
        while True:
            match = _WS.match(self._buf, self._pos)
            assert match is not None
            self._pos = match.end()
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def _expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            if not found:
                raise Truncated(f"file ends where {char!r} was expected")
            raise BadRecord(f"expected {char!r} but found {found!r} at character {self.offset}")
        self._pos += 1

    def skip_prologue(self) -> None:
        """Skip ``//`` comments and a ``name = `` JavaScript assignment before the data."""
        while True:
            if len(self._buf) - self._pos < 4096:
                self._fill()
            match = _COMMENT.match(self._buf, self._pos)
            if not match:
                break
            self._pos = match.end()
        if self.peek() not in "[{":
            while "=" not in self._buf[self._pos :]:
                if not self._fill():
                    raise BadRecord("no JSON data found after the JavaScript prologue")
            self._pos = self._buf.index("=", self._pos) + 1

    # -- values -----------------------------------------------------------------

    def value(self) -> Any:
        """Decode the next value; raises :class:`BadRecord` or :class:`Truncated`."""
        return self._decode()

    def _decode(self, *, note: bool = True) -> Any:
        """Decode the value at the cursor and move past it (the cursor stays on failure)."""
        if not self.peek():
            raise Truncated("file ends where a value was expected")
        if self._buf[self._pos] not in '[{"':
            # A number or literal: make sure it is not cut at the edge of the buffer.
            while not _SCALAR_END.search(self._buf, self._pos) and self._fill():
                pass
        while True:
            try:
                result, end = _DECODER.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as error:
                if self._wants_more(error):
                    if len(self._buf) - self._pos > self._max_value:
                        raise BadRecord("a single record is larger than the limit") from None
                    self._fill(at_least=len(self._buf) - self._pos)
                    continue
                if self._eof and self._cut_short(error):
                    raise Truncated(f"file ends in the middle of a record ({error.msg})") from None
                repaired = self._repair(error, note=note)
                if repaired is INVALID:
                    raise BadRecord(error.msg) from None
                return repaired
            self._pos = end
            return result

    def _wants_more(self, error: json.JSONDecodeError) -> bool:
        """Whether the error may just be the buffer's edge (more text could fix it)."""
        return not self._eof and (
            error.pos >= len(self._buf) - 16 or error.msg.startswith("Unterminated string")
        )

    def _cut_short(self, error: json.JSONDecodeError) -> bool:
        """At end of file: whether the value is cut short rather than damaged."""
        rest = self._buf[error.pos : error.pos + 64]
        return error.msg.startswith("Unterminated string") or (
            len(rest) < 64 and _CUT_SCALAR.fullmatch(rest) is not None
        )

    def _repair(self, error: json.JSONDecodeError, *, note: bool) -> Any:
        """The value with trailing commas removed, or ``INVALID``."""
        if not self._buf[max(self._pos, error.pos - 256) : error.pos].rstrip().endswith(","):
            return INVALID
        end = self._find_end()
        while end is None and len(self._buf) - self._pos < _LOOKAHEAD and self._fill():
            end = self._find_end()
        if end is None:
            return INVALID
        try:
            result = json.loads(_without_trailing_commas(self._buf[self._pos : end]), strict=False)
        except json.JSONDecodeError:
            return INVALID
        if note:
            self.notes.append(("trailing-comma", "trailing comma inside a record (tolerated)"))
        self._pos = end
        return result

    def attempt(self) -> Any:
        """The value at the cursor (moving past it), or ``INVALID``."""
        try:
            return self._decode(note=False)
        except JsonProblem:
            return INVALID

    def skip(self) -> None:
        """Move past the next value without decoding it."""
        self.peek()
        while True:
            end = self._find_end()
            if end is not None:
                self._pos = end
                return
            if not self._fill(at_least=len(self._buf) - self._pos):
                raise Truncated("file ends in the middle of a record")

    def _find_end(self) -> int | None:
        """Where the value starting at the cursor ends, or None if not in the buffer."""
        buf, pos = self._buf, self._pos
        if pos >= len(buf):
            return None
        if buf[pos] not in "[{":
            if buf[pos] == '"':
                match = _STRUCT.match(buf, pos)
                return match.end() if match and match.group(1) else None
            match = _SCALAR_END.search(buf, pos)
            return match.start() if match else (len(buf) if self._eof else None)
        depth = 0
        for match in _STRUCT.finditer(buf, pos):
            token = match.group()
            if token[0] == '"':
                if not match.group(1):
                    return None
            elif token in "[{":
                depth += 1
            elif token in "]}":
                depth -= 1
                if depth == 0:
                    return match.end()
        return None

    # -- containers -------------------------------------------------------------

    def items(self) -> Iterator[int]:
        """For an array at the cursor: yield each item's index; the caller consumes the item."""
        self._expect("[")
        self._open.append("[")
        index = 0
        if self.peek() == "]":
            self._close()
            return
        while True:
            start = self.offset
            yield index
            if self.offset == start:
                self.skip()
            index += 1
            if self._after_item("]", index):
                return

    def members(self) -> Iterator[str]:
        """For an object at the cursor: yield each key; the caller consumes the value."""
        self._expect("{")
        self._open.append("{")
        if self.peek() == "}":
            self._close()
            return
        count = 0
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise BadRecord(f"object key {key!r} is not a string")
            self._expect(":")
            self.peek()
            start = self.offset
            yield key
            if self.offset == start:
                self.skip()
            count += 1
            if self._after_item("}", count):
                return

    def stop(self) -> None:
        """Give up the rest of the file (its damage has been reported): containers
        still open close quietly at the end instead of raising :class:`Truncated`."""
        self._lost = True

    def _close(self) -> None:
        self._pos += 1
        self._open.pop()

    def _after_item(self, close: str, count: int) -> bool:
        """Consume the separator after an item; True when the container has closed."""
        char = self.peek()
        if char == ",":
            self._pos += 1
            if self.peek() == close:
                self._trailing_comma(count)
                self._close()
                return True
            return False
        if char == close:
            self._close()
            return True
        if not char:
            if self._lost:  # a resync ran to the end: the damage was reported already
                self._open.pop()
                return True
            raise Truncated(f"file ends after item {count}, before the closing {close!r}")
        raise BadRecord(f"expected ',' or {close!r} after item {count} but found {char!r}")

    def _trailing_comma(self, count: int) -> None:
        self.notes.append(
            ("trailing-comma", f"trailing comma after item {count} (not valid JSON; tolerated)")
        )
