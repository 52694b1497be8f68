"""The engine on a worker: a small picklable factory travels, the analyzer is built once.

The :class:`~safeside.pipeline.analyzer.Analyzer` holds an ONNX session and locks, so it
does not pickle. What is sent to a Dask worker is an :class:`EngineFactory` (a config
path, or the dotted name of a stand-in for tests and benchmarks); :func:`load_engine`
builds the engine the first time a process asks for it and keeps it for every later
task. :class:`EnginePlugin` does that as soon as a worker starts (and again whenever a
worker is restarted), so the first partition on a worker does not pay for it.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from distributed.diagnostics.plugin import WorkerPlugin

from safeside.engine.results import Analysis


class Engine(Protocol):
    """What a partition needs from an engine: one mode per call, results in order."""

    def analyze_batch(self, texts: Iterable[str], mode: str = "own") -> list[Analysis]: ...


@dataclass(frozen=True, slots=True)
class _ProcessDefault:
    """The process-wide default analyzer (``SAFESIDE_CONFIG`` applies), looked up at call
    time through :func:`safeside.analyze_batch` so that tests can swap it."""

    explain: bool = True

    def analyze_batch(self, texts: Iterable[str], mode: str = "own") -> list[Analysis]:
        import safeside

        return safeside.analyze_batch(texts, mode=mode, explain=self.explain)

    def warm(self) -> None:
        import safeside

        safeside.get_analyzer()


@dataclass(frozen=True, slots=True)
class EngineFactory:
    """How to build the engine in a worker; small, hashable and picklable.

    ``config``: an organisation's configuration YAML (as for ``safeside check --config``);
    ``target``: ``"module:callable"`` returning an object with ``analyze_batch`` (called
    with ``config``), for stand-in engines in tests and benchmarks. Neither: the default.
    ``explain``: whether the contextual model explains its concerns (word evidence and
    nearest examples; see :meth:`~safeside.pipeline.analyzer.Analyzer.analyze_batch`).
    """

    config: str | None = None
    target: str | None = None
    explain: bool = True

    def build(self) -> Engine:
        if self.target:
            module, _, name = self.target.partition(":")
            maker: Any = getattr(importlib.import_module(module), name)
            engine: Engine = maker(self.config)
            return engine
        if self.config:
            from safeside.pipeline.analyzer import Analyzer

            return _Configured(Analyzer.from_config(self.config), self.explain)
        return _ProcessDefault(self.explain)


@dataclass(frozen=True, slots=True)
class _Configured:
    """An organisation's analyzer, explaining or not as the factory says."""

    analyzer: Any
    explain: bool

    def analyze_batch(self, texts: Iterable[str], mode: str = "own") -> list[Analysis]:
        result: list[Analysis] = self.analyzer.analyze_batch(texts, mode, explain=self.explain)
        return result


_LOADED: dict[EngineFactory, Engine] = {}
_LOCK = threading.Lock()


def load_engine(factory: EngineFactory) -> Engine:
    """The engine ``factory`` describes, built once per process."""
    with _LOCK:
        engine = _LOADED.get(factory)
        if engine is None:
            engine = factory.build()
            warm = getattr(engine, "warm", None)
            if callable(warm):
                warm()
            _LOADED[factory] = engine
        return engine


def loaded_count() -> int:
    """How many engines this process has built (for tests: one per worker, not per task)."""
    return len(_LOADED)


class EnginePlugin(WorkerPlugin):
    """Builds the engine when a worker starts, so tasks find it ready."""

    name = "safeside-engine"

    def __init__(self, factory: EngineFactory) -> None:
        self.factory = factory

    def setup(self, worker: Any) -> None:
        # one worker process per core: the model's own threads would only contend
        # (an explicit SAFESIDE_MODEL_THREADS on the worker wins)
        os.environ.setdefault("SAFESIDE_MODEL_THREADS", "1")
        load_engine(self.factory)
