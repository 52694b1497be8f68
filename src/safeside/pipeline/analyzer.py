"""The Analyzer: runs the configured detector pipeline over one document.

normalise → entity detectors → resolve overlaps → concern detectors
          → aggregate into concerns and severity → playbook actions → safer rewrite
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from safeside.engine.aggregate import aggregate
from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry
from safeside.engine.resolve import resolve_entities
from safeside.engine.results import Analysis
from safeside.pipeline.config import PipelineConfig, load_config
from safeside.taxonomy import MODES, Severity

if TYPE_CHECKING:
    from safeside.detectors.encoder import ConcernEncoder

#: Texts longer than this are analysed in windows (split at whitespace) and merged.
WINDOW = 20_000


class Analyzer:
    """Analyses texts with one configured pipeline. Build once, call many times."""

    def __init__(self, config: PipelineConfig) -> None:
        import safeside.detectors  # noqa: F401  (registers the built-in detectors)
        from safeside.detectors.concerns import make_cue_detector
        from safeside.detectors.encoder import ConcernEncoder
        from safeside.detectors.patterns import PatternRecognizer, compile_pattern
        from safeside.guidance.playbook import load_playbook

        self.config = config
        self.entity_detectors: list[Detector] = [
            registry.create(name, config.options.get(name)) for name in config.entities
        ]
        for pat in config.patterns:
            name = str(pat.get("name") or f"org.{pat['label'].lower()}")
            self.entity_detectors.append(
                PatternRecognizer(
                    name=name,
                    label=str(pat["label"]),
                    regex=compile_pattern(str(pat["regex"]), bool(pat.get("ignore_case", False))),
                    score=float(pat.get("score", 0.85)),
                    explanation=str(
                        pat.get("explanation") or "matches your organisation's pattern"
                    ),
                )
            )
        self.concern_detectors: list[Detector] = []
        for name in config.concerns:
            if name == "concerns.cues":
                self.concern_detectors.append(make_cue_detector(config.terms))
            else:
                self.concern_detectors.append(registry.create(name, config.options.get(name)))
        self.playbook = load_playbook(config.playbook)
        #: the contextual model, when configured and shipped (see detectors/arbiter.py)
        self.encoder: ConcernEncoder | None = next(
            (d for d in self.concern_detectors if isinstance(d, ConcernEncoder)), None
        )

    @classmethod
    def default(cls) -> Analyzer:
        return cls(load_config(None))

    @classmethod
    def from_config(cls, path: str | Path | None) -> Analyzer:
        """An analyzer with an organisation's configuration file applied."""
        return cls(load_config(path))

    # -- public API -------------------------------------------------------------------------

    def analyze(self, text: str, mode: str = "own") -> Analysis:
        """Analyse one text in ``mode`` ("own" or "review")."""
        text = _check_text(text)
        if mode not in MODES:
            raise ValueError(f"mode must be 'own' or 'review', not {mode!r}")
        return self._finish(self._run(text, mode), text, mode)

    def _finish(self, doc: Doc, text: str, mode: str, explain: bool = True) -> Analysis:
        concerns = aggregate(doc)
        if self.encoder is not None:
            from safeside.detectors.arbiter import combine

            if doc.model is None:
                self.encoder(doc)
            concerns = combine(doc, concerns, self.encoder, explain=explain)
        severity = max((c.severity for c in concerns), default=Severity.NONE)
        actions = self.playbook.actions_for(concerns, mode)
        analysis = Analysis(
            text=text,
            mode=mode,
            entities=doc.entities,
            concerns=concerns,
            severity=severity,
            actions=actions,
            notes=doc.notes,
        )
        if mode == "own" and concerns:
            from safeside.rewrite.safer import safer_rewrite

            analysis.rewrite = safer_rewrite(analysis)
        return analysis

    def analyze_batch(
        self, texts: Iterable[str], mode: str = "own", *, explain: bool = True
    ) -> list[Analysis]:
        """Analyse many texts in one mode; the contextual model runs on padded batches.

        ``explain=False``: the same concerns, without the model's word evidence and
        nearest examples (the occlusion behind them costs most of the time on flagged
        texts); for aggregate runs such as ``safeside batch``.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be 'own' or 'review', not {mode!r}")
        items = [_check_text(t) for t in texts]
        out: list[Analysis] = []
        chunk = 256
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            docs = [Doc.make(t, mode) if len(t) <= WINDOW else None for t in part]
            encoding = None
            if self.encoder is not None:
                # the model's threads read the texts while this one runs the detectors
                encoding = _background().submit(
                    self.encoder.prepare, [d for d in docs if d is not None]
                )
            ready: list[Doc] = []
            for text, doc in zip(part, docs, strict=True):
                if doc is None:
                    doc = self._run(text, mode)
                else:
                    self._detect(doc)
                ready.append(doc)
            if encoding is not None:
                encoding.result()
            for text, doc in zip(part, ready, strict=True):
                out.append(self._finish(doc, text, mode, explain))
        return out

    # -- internals --------------------------------------------------------------------------

    def _run(self, text: str, mode: str) -> Doc:
        if len(text) <= WINDOW:
            doc = Doc.make(text, mode)
            self._detect(doc)
            return doc
        merged = Doc.make(text, mode)  # the whole text's views: the model reads them
        for start, end in _windows(text, WINDOW):
            part = Doc.make(text[start:end], mode)
            self._detect(part)
            for ent in part.entities:
                ent.start += start
                ent.end += start
            for sig in part.signals:
                sig.start += start
                sig.end += start
            merged.entities.extend(part.entities)
            merged.signals.extend(part.signals)
        merged.notes.append(
            f"long text ({len(text):,} characters) analysed in {WINDOW:,}-character windows"
        )
        return merged

    def _detect(self, doc: Doc) -> None:
        for detector in self.entity_detectors:
            detector(doc)
        doc.entities = resolve_entities(doc.entities)
        for detector in self.concern_detectors:
            if detector is not self.encoder:  # the model reads the whole text, in _finish
                detector(doc)


_WS = re.compile(r"\s")
_POOL: tuple[int, ThreadPoolExecutor] | None = None
_POOL_LOCK = threading.Lock()


def _background() -> ThreadPoolExecutor:
    """One thread that runs the model's batch beside the detectors (made again after fork;
    requests on several threads share it and each waits for its own batch)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL[0] != os.getpid():
            _POOL = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="safeside-prepare"))
        return _POOL[1]


def _windows(text: str, size: int) -> Iterable[tuple[int, int]]:
    """Split ``text`` into windows of at most ``size`` characters, at whitespace if possible."""
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = max(
                    (m.start() for m in _WS.finditer(text, start + size // 2, end)), default=-1
                )
            if cut > start:
                end = cut + 1
        yield start, end
        start = end


def _check_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        raise TypeError(
            "analyze() takes text (str), not bytes: decode it first, e.g. data.decode('utf-8')"
        )
    raise TypeError(f"analyze() takes text (str), not {type(text).__name__}")
