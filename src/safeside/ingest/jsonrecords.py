"""Records of a JSON array that survive damage: :class:`RecordStream`.

:meth:`RecordStream.records` yields each record of the array at the cursor. A damaged
record (garbage, a lost byte or bracket, an unescaped quote) is reported and skipped,
and the stream *resynchronises*: it looks ahead for the next value that decodes, sits
where a record can (not a key, not the tail of a damaged record) and looks like the
good records (see :mod:`safeside.ingest.jsonshape`). Before any good record has been
seen, a candidate must instead be followed by values like itself up to an end of the
array that holds up, checked by parsing what follows it. So every good record before
*and after* the damage is kept, and nothing nested in a damaged record (a tweet's
mentions, a message's reactions) is mistaken for a record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from safeside.ingest.jsonshape import SIMILAR, Shape, similarity
from safeside.ingest.jsonstream import INVALID, BadRecord, JsonStream, Truncated

#: An object key: a string and its colon.
_KEY = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"\s*:')
#: How far ahead the stream parses to check where a damaged array really ends.
_LOOKAHEAD = 4 << 20
#: How far ahead an ordinary array end is checked (a stray "]}" must not end it early).
_QUICK = 64 << 10
#: Records like a candidate that settle it when no good record has been seen yet.
_CHAIN = 8
_STRAY = "has damaged data before it, which was skipped"
_SWALLOWED = (
    "invalid-record",
    "a record that lost a closing bracket held the records after it; they were read too",
)

#: Called with a record's index and a message when :meth:`RecordStream.records` skips it.
OnSkip = Callable[[int, str], None]


class RecordStream(JsonStream):
    """A :class:`JsonStream` that reads arrays of records past damage."""

    def records(self, on_skip: OnSkip) -> Iterator[tuple[int, Any]]:
        """``(index, value)`` for each item of the array at the cursor.

        A damaged item is passed to ``on_skip`` and the stream moves on to the next
        record that looks like the good ones. Raises :class:`Truncated` (with
        ``record`` set) if the file ends inside the array.
        """
        self._expect("[")
        self._open.append("[")
        shape = Shape()
        index = 0
        resynced = salvaged = False
        last: int | None = None  # where the last record started (kept in the buffer)
        while True:
            char = self.peek()
            careful = resynced or not shape.trusted  # after damage, or when unsure
            if char == "]" and self._really_closes(_LOOKAHEAD if careful else _QUICK):
                self._close()
                self._mark = None
                return
            if not char and not self._lost and last is not None and not salvaged:
                # The file ends inside the array: a record that lost a closing bracket
                # may have swallowed the ones after it. Look for them inside it.
                salvaged = resynced = True
                self._pos = last - self._consumed
                self._resync(shape, include_cursor=False)
                if not self._lost:
                    self.notes.append(_SWALLOWED)
                continue
            if not char:
                self._mark = None
                if self._lost:
                    self._open.pop()
                    return
                error = Truncated(f"file ends after item {index}, before the closing ']'")
                error.record = index
                raise error
            if char == "]":
                index += self._skip_stray(shape, index, on_skip, include_cursor=False)
                continue
            start = self._mark = self.offset
            try:
                value = self._decode()
                if not self._in_place(value, shape):
                    self._pos = start - self._consumed
                    raise BadRecord("a value out of place; damaged")
            except BadRecord as problem:
                resynced = True
                if self._resync(shape, include_cursor=False):
                    on_skip(index, f"is not valid JSON ({problem}); skipped")
                    index += 1
                else:
                    on_skip(index, _STRAY)
                continue
            except Truncated as error:
                # Damage (a lost bracket) can swallow the records after it to the end of
                # the file: look for them; only if there are none is the file cut short.
                self._resync(shape, include_cursor=False)
                if not self._lost:
                    on_skip(index, f"is not valid JSON ({error}); skipped")
                    index += 1
                    resynced = True
                    continue
                error.record = index
                self._mark = None
                raise
            last = start
            yield index, value
            index += 1
            char = self.peek()
            if char == ",":
                self._pos += 1
                if self.peek() == "]":
                    self._trailing_comma(index)
            elif char not in ("]", ""):
                index += self._skip_stray(shape, index, on_skip, include_cursor=True)
                resynced = True

    def _in_place(self, value: Any, shape: Shape) -> bool:
        """Whether a value just decoded sits where a record can: not a key (``"id":``),
        not the tail of a damaged record (``…}``), not an object nested in one. The
        shape learns from the values it is sure of."""
        char = self.peek()
        if isinstance(value, list):  # no export keeps records in nested arrays
            return False
        if not isinstance(value, dict) and char not in (",", "]", ""):
            return False
        if char in ("}", ":"):
            return False
        if not isinstance(value, dict) and char == "," and self._key_follows():
            return False  # a value inside a damaged object ("id": 1, …)
        if shape.trusted:
            placed = shape.fits(value) or self._leads_on(shape)
            placed = placed and (char != "]" or self._closes_here())
        elif char not in (",", "]", "", "{"):
            return False  # junk right after the first record: it may be junk itself
        else:
            run, _ = self._run(value, deep=False)
            if run != "ok":  # unsure: keep it unless it is nested, but learn nothing
                return run != "fragment"
            placed = True
        if placed:
            shape.learn(value)
        return placed

    def _key_follows(self) -> bool:
        """At a ``,``: whether an object key comes next (so we are inside an object)."""
        with self._lookahead():
            self._pos += 1
            self.peek()
            while len(self._buf) - self._pos < 4096 and self._fill():
                pass
            return _KEY.match(self._buf, self._pos) is not None
        return False  # pragma: no cover

    def _leads_on(self, shape: Shape) -> bool:
        """After a record unlike the others: do records like them follow (or does the
        array really end)? Objects nested in a damaged record are followed by neither."""
        with self._lookahead():
            for _ in range(_CHAIN):
                if self.peek() == "," and self._bump() and self.peek() != "]":
                    following = self.attempt()
                    if following is INVALID:
                        return False
                    if shape.fits(following):
                        return True
                    continue
                return self.peek() == "]" and self._really_closes()
            return True
        return False  # pragma: no cover

    def _skip_stray(
        self, shape: Shape, index: int, on_skip: OnSkip, *, include_cursor: bool
    ) -> int:
        """Skip damage between records (or a ``]`` that does not end the array); returns
        1 if what was skipped looked like a record of its own, else 0."""
        start = self.offset
        record_like = self._resync(shape, include_cursor=include_cursor)
        if self.offset == start:
            self.notes.append(
                ("invalid-record", "a comma is missing between two records (tolerated)")
            )
            return 0
        on_skip(index, _STRAY)
        return 1 if record_like else 0

    def _resync(self, shape: Shape, *, include_cursor: bool) -> bool:
        """Move to the next plausible record, or to the end of the file (then mark the
        structure lost). True if the skipped stretch looked like a record of its own."""
        first = self._buf[self._pos] if self._pos < len(self._buf) else ""
        openers = re.compile(f"[{re.escape(shape.openers)}]")
        start, colon = self.offset, False
        search = self._pos if include_cursor else self._pos + 1
        while True:
            match = openers.search(self._buf, search)
            found = match.start() if match else -1
            if found < 0:
                colon = colon or ":" in self._buf[search:]
                self._pos = len(self._buf)
                if not self._fill():
                    self._lost = True
                    return True
                search = self._pos
                continue
            colon = colon or ":" in self._buf[search:found]
            self._pos = found
            if self._plausible(shape):
                return self.offset > start and (first in '{"' or colon)
            search = self._pos + 1

    def _plausible(self, shape: Shape) -> bool:
        """Whether the value at the cursor looks like the next record (cursor unmoved)."""
        before = self._buf[max(0, self._pos - 64) : self._pos].rstrip()
        if self._buf[self._pos] == '"' and not before.endswith(","):
            return False
        with self._lookahead():
            value = self.attempt()
            if value is INVALID or not shape.fits(value):
                return False
            if shape.trusted:
                return self.peek() == "," or (self.peek() == "]" and self._really_closes())
            run, alike = self._run(value, deep=True)
            # (more damage right after it is fine; after values like it, those may
            # be nested in the damaged record with it)
            return run == "ok" or (run == "damaged" and not alike and isinstance(value, dict))
        return False  # pragma: no cover  (mypy: the context manager may swallow)

    def _run(self, value: Any, *, deep: bool) -> tuple[str, int]:
        """With no good record to compare against, what follows this value, and how many
        values like it came first: ``"ok"`` (8 of them, or up to an end of the array
        that holds up), ``"fragment"`` (a run that ends where the array cannot end: it
        is nested in a damaged record), ``"damaged"`` (a value that does not decode) or
        ``"unlike"`` (something else). ``deep`` checks a nested array's end too."""
        keys = frozenset(value) if isinstance(value, dict) else frozenset()
        alike = 0
        with self._lookahead():
            for _ in range(_CHAIN):
                char = self.peek()
                if char == "]":
                    if self._really_closes(_LOOKAHEAD if deep else _LOOKAHEAD // 16):
                        return "ok", alike
                    return ("damaged" if self._stray_close(keys) else "fragment"), alike
                if char != ",":
                    return "unlike", alike
                self._pos += 1
                if self.peek() == "]":
                    continue
                sibling = self.attempt()
                if sibling is INVALID:
                    return "damaged", alike
                if type(sibling) is not type(value) or (
                    isinstance(sibling, dict) and similarity(keys, frozenset(sibling)) < SIMILAR
                ):
                    return "unlike", alike
                alike += 1
            return "ok", alike
        return "unlike", 0  # pragma: no cover

    def _stray_close(self, keys: frozenset[str]) -> bool:
        """At a ``]`` that ends nothing: is it stray damage in or after a record (objects
        like ``keys``, no objects, or the array's real end soon follow), rather than the
        end of an array nested in a damaged record (other records follow)?"""
        with self._lookahead():
            while len(self._buf) - self._pos < 4096 and self._fill():
                pass
            start, end, unlike = self._pos, self._pos + 512, False
            found = self._buf.find("{", start, end)
            while found >= 0:
                self._pos = found
                following = self.attempt()
                if isinstance(following, dict):
                    if similarity(keys, frozenset(following)) >= SIMILAR:
                        return True
                    unlike = True
                found = self._buf.find("{", found + 1, end)
            found = self._buf.find("]", start + 1, end)
            while unlike and found >= 0:
                self._pos = found
                if self._really_closes():
                    return True
                found = self._buf.find("]", found + 1, end)
            return not unlike
        return False  # pragma: no cover

    def _bump(self) -> bool:
        self._pos += 1
        return True

    def _closes_here(self) -> bool:
        """At a ``]``: whether what comes next can follow this array's end (cheap)."""
        parent = self._open[-2] if len(self._open) > 1 else ""
        with self._lookahead():
            self._pos += 1
            char = self.peek()
            if parent == "[":
                return char in (",", "]")
            if parent == "{":
                return char == "}" or (char == "," and self._key_follows())
            while char == ";":
                self._pos += 1
                char = self.peek()
            return char == ""
        return False  # pragma: no cover

    def _really_closes(self, lookahead: int = _LOOKAHEAD) -> bool:
        """At a ``]``: whether it closes this array, judged by parsing what follows: the
        rest of each enclosing container, then the end of the file. Past ``lookahead``
        characters (or a value running past them), or at a file cut short, it cannot
        tell and says yes."""
        if not self._closes_here():
            return False
        with self._lookahead():
            self._pos += 1
            limit = self.offset + lookahead
            for container in reversed(self._open[:-1]):
                close = "}" if container == "{" else "]"
                while (char := self.peek()) != close:
                    if not char or self.offset > limit:
                        return True
                    if char != "," or not self._bump():
                        return False
                    if container == "{":
                        key = self.attempt()
                        if not isinstance(key, str) or self.peek() != ":" or not self._bump():
                            return False
                    if not self._ends_before(limit):
                        return True
                    try:
                        self._decode(note=False)
                    except BadRecord:
                        return False
                    except Truncated:
                        return True
                self._pos += 1
            while self.peek() == ";":
                self._pos += 1
            return self.peek() == ""
        return False  # pragma: no cover

    def _ends_before(self, limit: int) -> bool:
        """Whether the value at the cursor ends (by its brackets) before offset ``limit``,
        so that checking it stays within the look-ahead."""
        self.peek()
        while (end := self._find_end()) is None:
            if self.offset + len(self._buf) - self._pos > limit or not self._fill():
                return False
        return self._consumed + end <= limit
