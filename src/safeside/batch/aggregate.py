"""Counts that merge across partitions, and the small-cell suppression that makes them shareable.

Each partition counts posts in cells (concern × month × platform, severity, detector,
cue family…) and keeps, per cell, the smallest :data:`MIN_CELL` distinct author keys it
saw. Merging partitions unions those samples and keeps the smallest :data:`MIN_CELL`
again, which is exactly the smallest :data:`MIN_CELL` of all the cell's authors — enough
to tell whether a cell has at least that many, without holding every author.

A post with no author counts as written by its input (one author per file): right for a
person's own export, and cautious for a corpus without author ids.

A cell is shown only with at least :data:`MIN_CELL` posts *and* :data:`MIN_CELL` distinct
authors; otherwise it is suppressed (``None`` in JSON, "<5" in HTML).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from safeside.batch.outputs import cue_family
from safeside.engine.results import Analysis

MIN_CELL = 5
UNDATED = "undated"

#: Cell kinds and what their key parts are.
KINDS: dict[str, tuple[str, ...]] = {
    "posts": ("month", "platform"),
    "flagged": ("month", "platform"),
    "concern": ("concern", "month", "platform"),
    "severity": ("severity",),
    "detector": ("concern", "detector"),
    "cue": ("concern", "cue"),
}

Key = tuple[str, ...]


@dataclass
class Cell:
    posts: int = 0
    authors: set[str] = field(default_factory=set)

    def add(self, author: str, posts: int = 1) -> None:
        self.posts += posts
        self.authors.add(author)
        if len(self.authors) > MIN_CELL:
            self.authors.remove(max(self.authors))

    def merge(self, posts: int, authors: Iterable[str]) -> None:
        self.posts += posts
        self.authors.update(authors)
        while len(self.authors) > MIN_CELL:
            self.authors.remove(max(self.authors))

    @property
    def shown(self) -> bool:
        return self.posts >= MIN_CELL and len(self.authors) >= MIN_CELL


@dataclass
class Counts:
    """Cells keyed by ``(kind, *parts)``."""

    cells: dict[Key, Cell] = field(default_factory=dict)

    def add(self, key: Key, author: str) -> None:
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = Cell()
        cell.add(author)

    def count(self, analysis: Analysis, platform: str, month: str | None, author: str) -> None:
        """Count one analysed post."""
        month = month or UNDATED
        self.add(("posts", month, platform), author)
        self.add(("severity", analysis.severity.label), author)
        if analysis.concerns:
            self.add(("flagged", month, platform), author)
        for concern in analysis.concerns:
            self.add(("concern", concern.label, month, platform), author)
            for detector in sorted(set(concern.detectors)):
                self.add(("detector", concern.label, detector), author)
            for cue in sorted({cue_family(e.cue) for e in concern.evidence}):
                self.add(("cue", concern.label, cue), author)

    def to_json(self) -> dict[str, Any]:
        """Cells as ``[kind, *parts, posts, [author numbers]]``, authors listed once."""
        authors = sorted({a for cell in self.cells.values() for a in cell.authors})
        number = {a: n for n, a in enumerate(authors)}
        cells = [
            [*key, cell.posts, sorted(number[a] for a in cell.authors)]
            for key, cell in sorted(self.cells.items())
        ]
        return {"authors": authors, "cells": cells}

    def merge_json(self, data: dict[str, Any]) -> None:
        authors = data["authors"]
        for item in data["cells"]:
            kind = item[0]
            width = 1 + len(KINDS[kind])
            key: Key = tuple(str(part) for part in item[:width])
            cell = self.cells.get(key)
            if cell is None:
                cell = self.cells[key] = Cell()
            cell.merge(int(item[width]), (authors[n] for n in item[width + 1]))

    def rollup(self, kind: str, keep: tuple[int, ...]) -> dict[Key, Cell]:
        """Cells of ``kind`` summed over every key part not in ``keep`` (positions)."""
        out: dict[Key, Cell] = {}
        for key, cell in self.cells.items():
            if key[0] != kind:
                continue
            short = tuple(key[1 + i] for i in keep)
            target = out.get(short)
            if target is None:
                target = out[short] = Cell()
            target.merge(cell.posts, cell.authors)
        return out


def shown(cell: Cell | None) -> int | None:
    """The cell's count, or None when it is suppressed (fewer than 5 posts or authors)."""
    if cell is None or not cell.shown:
        return None
    return cell.posts
