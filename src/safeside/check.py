"""The one typed boundary around the engine: ``Check = Callable[[str, Mode], Analysis]``.

Everything outside the analysis core that needs a text judged (cases, learning, the web
app, the CLI, the demo data, first-run set-up) is handed a :data:`Check` and calls it.
The real one is :func:`engine_check`; tests pass a :class:`safeside.testing.FakeCheck`.
Both return a real :class:`~safeside.engine.results.Analysis`; the ``dict`` form
(``Analysis.to_dict()`` / ``Analysis.from_dict``) is only for storage and JSON output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

from safeside.engine.results import Analysis
from safeside.taxonomy import MODES, Mode

#: Analyse one text in one mode: ``check(text, "own") -> Analysis``.
Check = Callable[[str, Mode], Analysis]


def engine_check(text: str, mode: Mode) -> Analysis:
    """The real engine (the process-wide analyzer), loaded on first use."""
    import safeside

    return safeside.analyze(text, mode=mode)


def is_mode(value: object) -> TypeGuard[Mode]:
    """Whether ``value`` is ``"own"`` or ``"review"`` (narrows a form value to :data:`Mode`)."""
    return isinstance(value, str) and value in MODES


__all__ = ["Check", "Mode", "engine_check", "is_mode"]
