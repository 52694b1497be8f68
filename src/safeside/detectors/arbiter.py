"""Combine the contextual model's view with the cue rules into the concerns a person sees.

The model reads meaning; the cues name exact wording and need identifiers for the
identification concerns. Per concern, with the model's probability ``p`` and its
operating points (``flag``, ``possible``, chosen on held-out training data):

- a cue concern stands unless the model is confident it is wrong (``p < veto``): this
  removes hyperbole, jokes, quoted news and training posts that share a cue's words;
  a safety cue at the severity ``kept_cues`` names (a plan or means, a weapon with a time
  or place) is not dropped on the model's word alone but kept as *possible*, and so is a
  bare safety cue ("i will kill you" and nothing else): the veto reads context, and a
  post that is only the cue has none;
- the model alone raises a concern when ``p >= flag`` (no keyword needed);
- for safety concerns (self-harm, threat, grooming, exploitation, contact breach) the
  band ``possible <= p < flag`` is reported as *possible* ("please read"): a miss costs
  more than a false alarm. The band is for serious risk: the severity head must put at
  least ``possible_serious`` on high or critical (an ordinary text near the line is not
  worth a "please read");
- the safety floor: when the model puts real weight on *critical* severity
  (``critical_floor``) and nothing else was raised, the likeliest safety concern is
  reported as possible, severity high; the same for one sentence read on its own
  (``sentence_floor``), with that sentence as the evidence: a farewell inside a cheerful
  post is diluted in the whole post's reading, not in its own sentence's.

Every model-raised concern explains itself: the words whose removal changes the model's
decision most (occlusion on the shipped model) and the nearest labelled example.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from safeside.detectors.classifier import STOPWORDS
from safeside.detectors.encoder import SEVERITY_NAMES, Matrix, Thresholds
from safeside.detectors.lexical import HABIT_DAYS
from safeside.engine.aggregate import kept_anonymous
from safeside.engine.doc import Doc, ModelView
from safeside.engine.results import Concern, Evidence
from safeside.taxonomy import CONCERN_TITLES, CONCERNS, Severity

IDENTIFICATION = frozenset({"confidentiality", "proceedings_disclosure", "self_exposure"})
SAFETY = frozenset({"self_harm", "threat", "grooming", "exploitation", "contact_breach"})
#: safety concerns whose menace a separate threat would only repeat (see
#: :func:`_specific_risk`)
SPECIFIC_MENACE = ("exploitation", "contact_breach", "grooming")
#: P(critical) from the severity head at which a reported concern is rated critical.
CRITICAL_SEVERITY = 0.5
#: The model alone raises nothing on a text this short (in words), and vetoes no cue on
#: it: "bla", "hola", "kys" carry too little context to read as a whole, and there is
#: nothing to point at as evidence. A safety concern needs fewer ("bye forever", "goodbye
#: everyone"), but only at its flag threshold: two words are too little to report as
#: "possible" ("ok thanks", "see ya" sat in that band). The cues read every text.
MIN_WORDS_ALONE = 3
MIN_WORDS_ALONE_SAFETY = 2
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_FILLER = STOPWORDS | {"m", "s", "re", "ll", "gonna", "gunna", "going", "im", "ill", "ur", "u"}
#: telling someone to kill themselves: abuse however lightly the rest reads, so a bare
#: one ("go kill yourself") is kept like a bare safety cue (see :func:`_bare_cue`)
_TELLS_TO_DIE = re.compile(
    r"\b(?:(?:go (?:and )?)?(?:kill|hang) (?:yourself|urself|yaself)|go (?:and )?die|drop dead)\b",
    re.IGNORECASE,
)


class Explainer(Protocol):
    """What the arbiter asks of the model beyond the view on the document: evidence and
    examples (``EncoderModel`` in the app; :class:`NoExplanations` where views come from
    elsewhere)."""

    def attribute(self, doc: Doc, concerns: list[str]) -> None:
        """Put the words that moved each concern most on ``doc.model.words``."""

    def strongest_sentences(self, doc: Doc, concerns: list[str]) -> None:
        """Put the sentence that reads most like each concern on ``doc.model.strongest``."""

    def read_sentences(self, docs: list[Doc]) -> None:
        """Put the sentence nearest the safety floor on each ``doc.model.sentence``."""

    def nearest(self, vector: Matrix, concern: str, mode: str, k: int = 1) -> list[str]:
        """The ``k`` labelled training texts with ``concern`` closest in meaning."""


class OperatingPoints(Protocol):
    """The model and the settings the arbiter decides with (``ConcernEncoder`` in the app;
    :class:`Settings` for out-of-fold scoring)."""

    @property
    def model(self) -> Explainer: ...
    @property
    def thresholds(self) -> Mapping[str, Thresholds]: ...
    @property
    def veto_share(self) -> float: ...
    @property
    def possible_serious(self) -> float: ...
    @property
    def critical_floor(self) -> float: ...
    @property
    def sentence_floor(self) -> float: ...
    @property
    def kept_cues(self) -> tuple[Severity, float] | None: ...


class NoExplanations:
    """An :class:`Explainer` for views computed elsewhere (``training/encoder/oof.py``
    scores the arbiter on out-of-fold views): no evidence words, no examples, and the
    views already carry their sentence."""

    def attribute(self, doc: Doc, concerns: list[str]) -> None:
        return None

    def strongest_sentences(self, doc: Doc, concerns: list[str]) -> None:
        return None

    def read_sentences(self, docs: list[Doc]) -> None:
        return None

    def nearest(self, vector: Matrix, concern: str, mode: str, k: int = 1) -> list[str]:
        return []


@dataclass(frozen=True, slots=True)
class Settings:
    """:class:`OperatingPoints` given directly (out-of-fold scoring, tests)."""

    model: Explainer
    thresholds: Mapping[str, Thresholds]
    veto_share: float
    possible_serious: float
    critical_floor: float
    sentence_floor: float
    kept_cues: tuple[Severity, float] | None


def combine(
    doc: Doc, concerns: list[Concern], encoder: OperatingPoints, *, explain: bool = True
) -> list[Concern]:
    """The final concerns for ``doc`` (in taxonomy order). ``explain=False`` leaves out
    the model's word evidence and nearest examples (the same concerns, several times
    faster on texts the model flags): for aggregate runs that show no explanations."""
    view = doc.model
    if view is None:
        return concerns
    model = encoder.model
    by_label = {c.label: c for c in concerns}
    words = len(_WORDS.findall(doc.text))
    out: dict[str, Concern] = {}
    raised: list[str] = []
    for label in CONCERNS:
        p = view.probs.get(label, 0.0)
        th = encoder.thresholds[label]
        cue = by_label.get(label)
        if cue is not None:
            vetoed = p < th.flag * encoder.veto_share
            if vetoed and words >= MIN_WORDS_ALONE and _may_veto(doc, label):
                if _keeps_serious_cue(view, encoder, label, cue) or _bare_cue(doc, label, cue):
                    out[label] = _kept_cue(cue, p)
                    continue
                doc.notes.append(
                    f"{CONCERN_TITLES[label]}: wording matched a cue, but read as a whole the "
                    f"post does not mean it (model {p:.0%}); not reported"
                )
                continue
            out[label] = cue
            if p >= th.flag:
                out[label] = replace(cue, severity=max(cue.severity, _severity(view)))
        elif label in IDENTIFICATION and not doc.entities and not _routine(doc, label):
            continue  # identification needs something that identifies (taxonomy)
        elif (label == "proceedings_disclosure" and kept_anonymous(doc)) or words < (
            MIN_WORDS_ALONE_SAFETY if label in SAFETY else MIN_WORDS_ALONE
        ):
            continue  # court talk on a post kept anonymous; too few words to read alone
        elif p >= th.flag or (
            label in SAFETY
            and p >= th.possible
            and words >= MIN_WORDS_ALONE
            and _serious(view) >= encoder.possible_serious
        ):
            raised.append(label)
    specific = _specific_risk(view, out, raised) if "threat" in raised else None
    if specific is not None:
        raised.remove("threat")
        doc.notes.append(
            "Threat: not listed separately; the menace in this post is read as part of "
            f"“{CONCERN_TITLES[specific]}” above"
        )
    by_sentence = False
    if not out and not raised and words >= MIN_WORDS_ALONE_SAFETY:
        probs = view.probs
        if view.severity.get("critical", 0.0) < encoder.critical_floor:
            probs = _sentence_at_floor(doc, view, encoder)
            by_sentence = bool(probs)
        safety = max(SAFETY, key=lambda c: probs.get(c, 0.0))
        if probs.get(safety, 0.0) > 0.0:
            raised.append(safety)
    if raised and explain and not by_sentence:  # a sentence is its own evidence
        model.attribute(doc, raised)
        model.strongest_sentences(doc, raised)
    for label in raised:
        out[label] = _model_concern(doc, view, encoder, label)
        if by_sentence:
            out[label] = _sentence_concern(doc, view, out[label])
    for label, concern in out.items():
        if explain and not concern.similar:
            out[label] = replace(concern, similar=model.nearest(view.vector, label, doc.mode))
    return [out[c] for c in CONCERNS if c in out]


def _routine(doc: Doc, label: str) -> bool:
    """Your own routine ("lates Mon-Thurs", "every Tuesday") is what self-exposure can
    give away with no name or place (taxonomy): days of a habit are no date, but they
    are something that identifies."""
    return label == "self_exposure" and HABIT_DAYS.search(doc.clean.text) is not None


def _specific_risk(view: ModelView, out: dict[str, Concern], raised: list[str]) -> str | None:
    """A threat the model alone raises is part of a more specific risk when exploitation,
    contact breach or grooming is raised too and reads stronger: "do the drop or they
    visit your family" is exploitation, "I'll be at the stop, don't tell your carers" a
    contact breach, "pay by midnight or the pics go round" grooming. On our development
    sets, 20 of 22 such threats were not the labellers' reading (a threat a cue found,
    in words, always stands)."""
    threat = view.probs.get("threat", 0.0)
    stronger = [
        c for c in SPECIFIC_MENACE if (c in out or c in raised) and view.probs.get(c, 0.0) > threat
    ]
    return max(stronger, key=lambda c: view.probs.get(c, 0.0)) if stronger else None


def _keeps_serious_cue(view: ModelView, encoder: OperatingPoints, label: str, cue: Concern) -> bool:
    """A serious safety cue (a plan or means, a weapon, a time or place) is not dropped on
    the model's word alone when ``kept_cues`` is set, the cue is at least its severity and
    the severity head puts at least its share on high or critical: it stays as "possible"."""
    kept = encoder.kept_cues
    if kept is None or label not in SAFETY:
        return False
    least, serious = kept
    return cue.severity >= least and _serious(view) >= serious


def _bare_cue(doc: Doc, label: str, cue: Concern) -> bool:
    """A safety cue that is (nearly) the whole post: "i will kill you", "you're dead" (and
    "go kill yourself", see :data:`_TELLS_TO_DIE`).
    The model's veto reads context, and a bare threat has none to read, so it stays as
    "possible" for a person to read (at most one content word outside the cue's words;
    single letters, as in "i w i l l k i l l y o u", are no context)."""
    if label not in SAFETY and not (label == "harassment" and _TELLS_TO_DIE.search(doc.text)):
        return False
    text = doc.text
    spans = [(e.start, e.end) for e in cue.evidence]
    outside = [
        m.group().lower()
        for m in _WORDS.finditer(text)
        if not any(s <= m.start() < e for s, e in spans)
    ]
    return len([w for w in outside if len(w) > 1 and w not in _FILLER]) <= 1


def _kept_cue(cue: Concern, p: float) -> Concern:
    """A vetoed serious cue, kept as "possible ..., please read" at high severity."""
    title = CONCERN_TITLES[cue.label]
    said = cue.explanation.removeprefix(f"{title}: ").rstrip(".")
    return replace(
        cue,
        certainty="possible",
        severity=Severity.HIGH,
        explanation=(
            f"Possible {title.lower()}, please read: the words match a serious warning sign "
            f"({said}), though the post as a whole reads more lightly (model {p:.0%})."
        ),
    )


def _sentence_at_floor(doc: Doc, view: ModelView, encoder: OperatingPoints) -> dict[str, float]:
    """The concern probabilities of the sentence that reaches the sentence floor, or none.
    Sentences are read only now: most texts never need it."""
    if not encoder.sentence_floor:
        return {}
    if view.sentence is None:
        encoder.model.read_sentences([doc])
    sentence = view.sentence
    return sentence[3] if sentence is not None and sentence[2] >= encoder.sentence_floor else {}


def _sentence_concern(doc: Doc, view: ModelView, concern: Concern) -> Concern:
    """A concern the safety floor raised from one sentence: that sentence is the evidence."""
    assert view.sentence is not None
    start, end, critical, probs = view.sentence
    title = CONCERN_TITLES[concern.label]
    # the confidence is the sentence's, as its evidence is (the post's is lower)
    p = round(min(probs.get(concern.label, concern.confidence), 0.99), 3)
    reading = f"model {p:.0%}, critical risk {critical:.0%}"
    return replace(
        concern,
        confidence=p,
        certainty="possible",
        severity=max(concern.severity, Severity.HIGH),
        evidence=[
            Evidence(
                start,
                end,
                doc.text[start:end],
                f"read on its own, this sentence reads like it ({reading})",
            )
        ],
        explanation=(
            f"Possible {title.lower()}, please read: one sentence, read on its own, reads "
            f"like it ({reading}), though the post as a whole reads more lightly."
        ),
    )


def _serious(view: ModelView) -> float:
    """The severity head's weight on high or critical."""
    return view.severity.get("high", 0.0) + view.severity.get("critical", 0.0)


def _severity(view: ModelView, floor: Severity = Severity.LOW) -> Severity:
    """The most likely severity given that there is a concern (critical when plausible)."""
    dist = {name: view.severity.get(name, 0.0) for name in SEVERITY_NAMES[1:]}
    if dist["critical"] >= CRITICAL_SEVERITY:
        return Severity.CRITICAL
    best = max(dist, key=lambda n: dist[n])
    return max(Severity.parse(best), floor)


def _model_concern(doc: Doc, view: ModelView, encoder: OperatingPoints, label: str) -> Concern:
    p = view.probs.get(label, 0.0)
    th = encoder.thresholds[label]
    possible = p < th.flag
    words = view.words.get(label, [])
    evidence = [
        Evidence(
            s, e, doc.text[s:e], f"the model's reading changes most without this word (-{drop:.0%})"
        )
        for s, e, drop in sorted(words)
    ]
    quoted = ", ".join(f"'{doc.text[s:e]}'" for s, e, _ in words)
    title = CONCERN_TITLES[label]
    if possible:
        head = f"Possible {title.lower()}, please read: the post as a whole reads like it (model {p:.0%})"
    else:
        head = (
            f"{title}: the post as a whole reads like it (model {p:.0%}), without needing a keyword"
        )
    explanation = head + (f"; the words that weigh most: {quoted}" if quoted else "")
    strongest = view.strongest.get(label)
    if strongest is not None and strongest[2] >= min(th.possible, th.flag):
        # the sentence to read first leads the evidence; the words stay inside or beside it
        s, e, sp = strongest
        evidence.insert(
            0,
            Evidence(
                s,
                e,
                doc.text[s:e],
                f"read on its own, this sentence reads like it (model {sp:.0%})",
            ),
        )
        explanation += (
            f"; the sentence that reads most like it on its own is highlighted (model {sp:.0%})"
        )
    explanation += "."
    severity = _severity(view)
    if (
        possible
        and severity < Severity.HIGH
        and view.severity.get("critical", 0.0) < CRITICAL_SEVERITY
    ):
        severity = min(severity, Severity.MEDIUM)
    return Concern(
        label,
        round(min(p, 0.99), 3),
        severity,
        evidence,
        explanation,
        ["concerns.encoder"],
        certainty="possible" if possible else "likely",
    )


#: Cues for wording our writers never wrote, so the model has no reading of it to
#: overrule them with: a worker hungover or drunk on duty (no training text; the model
#: read "Still hungover from Friday and on duty all day" at 3%).
UNREAD_CUES = frozenset({"unprofessional.unfit_for_work", "unprofessional.drunk_or_unfit"})


def _may_veto(doc: Doc, label: str) -> bool:
    """The model may overrule a cue only when it read the whole text in one window, never
    an organisation's own terms (its policy, not our model, decides those) and never a
    cue for wording it was not trained on (:data:`UNREAD_CUES`)."""
    if doc.model is None or doc.model.windows > 1:
        return False
    return not any(
        s.concern == label and (".org_terms_" in s.cue or s.cue in UNREAD_CUES) for s in doc.signals
    )
