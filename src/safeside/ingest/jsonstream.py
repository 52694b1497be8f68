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

A file that is one array of records is read by ijson's C parser (YAJL) when it is
installed and the stream can be read again from the start (``reopen``), which is the
fast path: :meth:`JsonStream.fast_items`. YAJL cannot say where in the text it stopped,
so at the first damage the file is read again with the stream's own decoder, quietly up
to the damaged record and from there with the usual resynchronisation
(:meth:`~safeside.ingest.jsonrecords.RecordStream.records`). ijson's pure-Python
backend is not used: it is several times slower than this module's own decoder.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import IO, Any, Protocol

try:
    import ijson

    _YAJL: Any = ijson.get_backend("yajl2_c")
except ImportError:  # no C backend for this platform: the stream's own decoder reads it all
    _YAJL = None

_WS = re.compile(r"[ \t\n\r\ufeff]*")
# A string (group 1 is its closing quote, missing if cut off), or a bracket.
_STRUCT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(")?|[\[\]{}]')
_SCALAR_END = re.compile(r"[,\]}]")
_COMMENT = re.compile(r"\s*(//[^\n]*\n|/\*.*?\*/)", re.DOTALL)
#: What may be left when a file is cut inside a number or literal.
_CUT_SCALAR = re.compile(r"\s*(t(r(u)?)?|f(a(l(s)?)?)?|n(u(l)?)?|-?[0-9.eE+-]*)\s*")
_DECODER = json.JSONDecoder(strict=False)
_TRAILING_COMMA = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|,(\s*[\]}])')
#: How much text YAJL is given at a time (it parses 64 KB pieces about twice as fast as 1 MB).
_YAJL_CHUNK = 64 << 10
#: What may end a JavaScript file after its data.
_ENDING = " \t\r\n;"
#: How far ahead the stream reads to repair a record with trailing commas.
_LOOKAHEAD = 4 << 20


class _Text(Protocol):
    def read(self, size: int = -1, /) -> str: ...


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

    def __init__(
        self,
        text: IO[str],
        *,
        chunk: int = 1 << 20,
        max_value: int = 512 << 20,
        reopen: Callable[[], IO[str]] | None = None,
    ) -> None:
        self._text: _Text = text
        #: Opens the same text again from its start, which allows the fast path.
        self._reopen = reopen if _YAJL is not None else None
        self._prologue = False
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
        self._prologue = True
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

    # -- the fast path ------------------------------------------------------------

    def fast_items(self, lag: int) -> Generator[tuple[int, Any], None, int | None]:
        """For a top-level array at the cursor, ``(index, value)`` for each item, parsed by
        YAJL; returns None when the array was read whole, or the number of items given
        before YAJL stopped at damage, with the stream rewound to the start of the file
        so that its own decoder can go on from there.

        An item is given only once ``lag`` more have parsed after it (or the array has
        ended): the resynchronisation judges an item by what follows it (a key of a
        record that lost its brace reads as a string), so the items just before damage
        are left to it. An item that is not an object or a string stops the fast path
        too. Yields nothing and returns 0 when there is no fast path (no C backend, no
        ``reopen``, not at the top level)."""
        if self._reopen is None or self._open or self.peek() != "[":
            return 0
        source = _Utf8Source(self._text, self._buf[self._pos :], min(self._chunk, _YAJL_CHUNK))
        items = _YAJL.items(source, "item", use_float=True)
        held: deque[Any] = deque()
        count = 0
        while True:
            try:
                value = next(items)
            except StopIteration:
                for value in held:
                    yield count, value
                    count += 1
                self._buf, self._pos, self._eof = "", 0, True
                return None
            except (ijson.JSONError, ValueError, OverflowError):
                break
            if not isinstance(value, dict | str):
                break
            held.append(value)
            if len(held) > lag:
                yield count, held.popleft()
                count += 1
        self._restart(self._consumed + len(self._buf) + source.read_chars)
        return count

    def _restart(self, read: int) -> None:
        """Go back to the start of the file: the ``read`` characters already taken from
        the stream come from a new copy of it, the rest from the stream itself."""
        assert self._reopen is not None
        self._text = _Chain(self._reopen(), read, self._text)
        self._buf, self._pos, self._consumed, self._eof, self._mark = "", 0, 0, False, None
        if self._prologue:
            self.skip_prologue()

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


class _Utf8Source:
    """The text after the cursor as UTF-8 bytes, for YAJL; semicolons and spaces that end
    the file (``window.YTD.x = [...];``) are left out."""

    def __init__(self, text: _Text, first: str, chunk: int) -> None:
        self._text = text
        self._chunk = chunk
        self._held: str | None = first  # the start, then what may be the end of the file
        self.read_chars = 0  # taken from ``text``

    def read(self, size: int = -1) -> bytes:
        while size and self._held is not None:
            more = self._text.read(self._chunk)
            self.read_chars += len(more)
            if not more:
                text, self._held = self._held, None
                return text.rstrip(_ENDING).encode("utf-8")
            text = self._held + more
            body = text.rstrip(_ENDING)
            self._held = text[len(body) :]
            if body:
                return body.encode("utf-8")
        return b""


class _Chain:
    """``count`` characters of ``first``, then whatever ``rest`` gives."""

    def __init__(self, first: _Text, count: int, rest: _Text) -> None:
        self._first, self._left, self._rest = first, count, rest

    def read(self, size: int = -1) -> str:
        if self._left <= 0:
            return self._rest.read(size)
        text = self._first.read(self._left if size < 0 else min(size, self._left))
        self._left = self._left - len(text) if text else 0
        return text
