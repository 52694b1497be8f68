"""A deterministic stand-in engine for tests and benchmarks of the batch machinery.

It knows a handful of cue words, finds ``@handles``, optionally spends a fixed time per
post (to stand for the real engine's cost), and fails on any text containing
``ENGINE-FAIL`` (to test that one bad record never loses its partition). Use it with
``EngineFactory(target="safeside.batch.standin:make", config="delay=0.002")``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable

from safeside.engine.results import Analysis, Concern, Entity, Evidence
from safeside.taxonomy import Severity, concern_allowed

#: cue word → (concern, severity, cue description)
RULES = {
    "Kayden": ("confidentiality", Severity.HIGH, "identifies: person (a known first name)"),
    "estate": ("self_exposure", Severity.MEDIUM, "says where you live"),
    "hate": ("harassment", Severity.CRITICAL, "abuse aimed at a person"),
    "kill": ("threat", Severity.HIGH, "says they will kill, hurt or attack someone"),
    "meet up": ("grooming", Severity.HIGH, "asks a child to meet in secret"),
}
_HANDLE = re.compile(r"@\w+")

#: processes that built a stand-in (one line per build), for tests of engine reuse
BUILDS_ENV = "SAFESIDE_STANDIN_BUILDS"


class StandIn:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def analyze_batch(
        self, texts: Iterable[str], mode: str = "own", *, explain: bool = True
    ) -> list[Analysis]:
        out = []
        for text in texts:
            if "ENGINE-FAIL" in text:
                raise RuntimeError("stand-in engine failure")
            if self.delay:
                time.sleep(self.delay)
            entities = [
                Entity("HANDLE", m.start(), m.end(), m.group(), 0.9, "standin.handle")
                for m in _HANDLE.finditer(text)
            ]
            concerns = []
            for cue, (label, severity, why) in RULES.items():
                at = text.find(cue)
                if at >= 0 and concern_allowed(label, mode):
                    evidence = [Evidence(at, at + len(cue), cue, f"{why} ('{cue}')")]
                    concerns.append(Concern(label, 0.9, severity, evidence, why, ["standin.cues"]))
            top = max((c.severity for c in concerns), default=Severity.NONE)
            out.append(Analysis(text, mode, entities, concerns, top, []))
        return out


def make(config: str | None) -> StandIn:
    """``config``: ``"delay=SECONDS"`` per post, or nothing."""
    delay = 0.0
    for part in (config or "").split(","):
        key, _, value = part.partition("=")
        if key.strip() == "delay":
            delay = float(value)
    log = os.environ.get(BUILDS_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")
    return StandIn(delay)
