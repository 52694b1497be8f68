"""Safeside: safe, explainable social-media checks for social-work practice.

The whole engine is one call::

    >>> import safeside
    >>> result = safeside.analyze("Kayden (7) back from contact at Hillside", mode="own")
    >>> result.severity.label, result.concern_labels

See ``docs/analysis-schema.md`` for the result schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from safeside.engine.results import (
    SCHEMA_VERSION,
    Action,
    Analysis,
    Concern,
    Entity,
    Evidence,
    Rewrite,
)
from safeside.taxonomy import Severity

if TYPE_CHECKING:
    from safeside.pipeline.analyzer import Analyzer

__all__ = [
    "SCHEMA_VERSION",
    "Action",
    "Analysis",
    "Analyzer",
    "Concern",
    "Entity",
    "Evidence",
    "Rewrite",
    "Severity",
    "analyze",
    "analyze_batch",
    "get_analyzer",
]

__version__ = "0.1.0"

_default: Analyzer | None = None


def get_analyzer() -> Analyzer:
    """The process-wide analyzer: the default pipeline and UK playbook, with the
    organisation's configuration file applied when ``SAFESIDE_CONFIG`` names one."""
    global _default
    if _default is None:
        from safeside.pipeline.analyzer import Analyzer
        from safeside.settings import engine_config_file

        _default = Analyzer.from_config(engine_config_file())
    return _default


def analyze(text: str, mode: str = "own") -> Analysis:
    """Analyse one text.

    Args:
        text: a post, comment, message or OCR'd screenshot text.
        mode: ``"own"`` for a practitioner's own post, ``"review"`` for third-party content.

    Returns:
        An :class:`Analysis` whose offsets point into ``text`` as given.
    """
    return get_analyzer().analyze(text, mode=mode)


def analyze_batch(
    texts: Iterable[str], mode: str = "own", *, explain: bool = True
) -> list[Analysis]:
    """Analyse many texts in one mode; faster per text than repeated :func:`analyze`.

    ``explain=False`` gives the same concerns without the contextual model's word
    evidence and nearest examples, several times faster on flagged texts.
    """
    return get_analyzer().analyze_batch(texts, mode=mode, explain=explain)


def __getattr__(name: str) -> object:
    if name == "Analyzer":
        from safeside.pipeline.analyzer import Analyzer

        return Analyzer
    raise AttributeError(name)
