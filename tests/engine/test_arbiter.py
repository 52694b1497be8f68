"""The arbiter's "possible ..., please read" band: for serious risk, on texts long enough.

The model's view is set by hand, so each rule is tested on its own; the thresholds and
settings are the shipped ones.
"""

from __future__ import annotations

import pytest

from safeside.detectors.arbiter import NoExplanations, Settings, combine
from safeside.engine.aggregate import aggregate
from safeside.engine.doc import Doc, ModelView
from safeside.engine.results import Concern
from safeside.pipeline.analyzer import Analyzer
from safeside.taxonomy import Severity

TEXT = "sorted who gets the cat, posted the keys back, won't need them after tomorrow"


def view(analyzer: Analyzer, text: str, p: float, serious: float) -> Doc:
    """``text`` with the model at ``p`` for self-harm and ``serious`` on high + critical."""
    encoder = analyzer.encoder
    assert encoder is not None
    doc = Doc.make(text, "review")
    probs = dict.fromkeys(encoder.thresholds, 0.0)
    probs["self_harm"] = p
    rest = 1.0 - serious
    doc.model = ModelView(
        None,
        probs,
        {"none": rest / 2, "low": rest / 4, "medium": rest / 4, "high": serious, "critical": 0.0},
    )
    return doc


def in_band(analyzer: Analyzer) -> float:
    assert analyzer.encoder is not None
    th = analyzer.encoder.thresholds["self_harm"]
    assert th.possible < th.flag
    return (th.possible + th.flag) / 2


def labels(analyzer: Analyzer, doc: Doc) -> list[str]:
    assert analyzer.encoder is not None
    found = combine(doc, [], analyzer.encoder, explain=False)
    return [c.label for c in found]


def test_the_lower_band_is_reported_as_possible_when_the_risk_reads_as_serious(
    analyzer: Analyzer,
) -> None:
    assert analyzer.encoder is not None
    serious = analyzer.encoder.possible_serious + 0.2
    doc = view(analyzer, TEXT, in_band(analyzer), serious)
    found = combine(doc, [], analyzer.encoder, explain=False)
    assert [(c.label, c.certainty) for c in found] == [("self_harm", "possible")]


def test_the_lower_band_is_not_reported_when_nothing_serious_is_read(
    analyzer: Analyzer,
) -> None:
    assert analyzer.encoder is not None
    assert analyzer.encoder.possible_serious > 0.0
    doc = view(analyzer, TEXT, in_band(analyzer), serious=0.0)
    assert labels(analyzer, doc) == []


def test_over_the_flag_threshold_the_severity_does_not_matter(analyzer: Analyzer) -> None:
    assert analyzer.encoder is not None
    p = analyzer.encoder.thresholds["self_harm"].flag + 0.02
    assert labels(analyzer, view(analyzer, TEXT, p, serious=0.0)) == ["self_harm"]


@pytest.mark.parametrize("text", ["bye forever", "so done"])
def test_two_words_get_no_possible_band(analyzer: Analyzer, text: str) -> None:
    assert labels(analyzer, view(analyzer, text, in_band(analyzer), serious=0.9)) == []


def test_the_safety_floor_reports_the_likeliest_safety_concern(analyzer: Analyzer) -> None:
    """Nothing reaches a threshold, but the severity head reads the text as critical."""
    encoder = analyzer.encoder
    assert encoder is not None
    doc = view(analyzer, TEXT, 0.2, serious=0.0)
    assert doc.model is not None
    doc.model.severity = {"none": 0.3, "low": 0.0, "medium": 0.0, "high": 0.0, "critical": 0.0}
    assert labels(analyzer, doc) == []
    doc.model.severity["critical"] = encoder.critical_floor + 0.05
    found = combine(doc, [], encoder, explain=False)
    assert [(c.label, c.certainty) for c in found] == [("self_harm", "possible")]


CHEERFUL = (
    "Lovely long walk along the canal with the dog this morning and coffee by the lock. "
    "Fed the ducks and watched the boats go past for ages. "
    "Bumped into Sue from the allotments and she gave us a bag of runner beans. "
    "The dog had a swim and then rolled in something awful, so bath time later! "
    "Chips for tea I think. "
    "I will not be here after tonight so please look after the dog for me"
)


def test_a_farewell_inside_a_cheerful_post_is_found_from_its_own_sentence(
    analyzer: Analyzer,
) -> None:
    """The whole post reads lightly; the last sentence, read on its own, does not."""
    analysis = analyzer.analyze(CHEERFUL, "review")
    [concern] = analysis.concerns
    assert (concern.label, concern.certainty) == ("self_harm", "possible")
    [evidence] = concern.evidence
    assert evidence.text == "I will not be here after tonight so please look after the dog for me"
    assert CHEERFUL[evidence.start : evidence.end] == evidence.text
    assert "one sentence, read on its own" in concern.explanation
    # one confidence, the sentence's, in the score and in the words
    assert f"model {concern.confidence:.0%}" in concern.explanation


FAREWELL_POST = (
    "Lovely day at the park with the kids. Had a picnic and fed the ducks. "
    "Honestly I have sorted out who gets the cat and posted my keys back, "
    "I wont need them after tomorrow. Chips for tea I think."
)


def test_a_post_read_as_a_whole_points_first_at_its_strongest_sentence(
    analyzer: Analyzer,
) -> None:
    """The model raises the concern from the whole post; the evidence leads with the
    sentence to read first, then the words whose removal changes the reading most."""
    [concern] = analyzer.analyze(FAREWELL_POST, "review").concerns
    assert concern.label == "self_harm" and "concerns.encoder" in concern.detectors
    first, *words = concern.evidence
    assert first.text == (
        "Honestly I have sorted out who gets the cat and posted my keys back, "
        "I wont need them after tomorrow."
    )
    assert first.cue.startswith("read on its own, this sentence reads like it")
    assert words and all(" " not in w.text for w in words)
    assert "the sentence that reads most like it on its own is highlighted" in concern.explanation


def test_a_one_sentence_post_has_no_sentence_evidence(analyzer: Analyzer) -> None:
    text = "sorted who gets the cat, posted the keys back, won't need them after tomorrow"
    for concern in analyzer.analyze(text, "review").concerns:
        assert all(e.text != text for e in concern.evidence)
        assert "highlighted" not in concern.explanation


def test_sentences_are_not_read_when_the_sentence_floor_is_off(analyzer: Analyzer) -> None:
    encoder = analyzer.encoder
    assert encoder is not None and encoder.sentence_floor > 0
    doc = Doc.make(CHEERFUL, "review")
    encoder.prepare([doc])
    encoder.sentence_floor = 0.0
    try:
        assert combine(doc, [], encoder, explain=False) == []
        assert doc.model is not None and doc.model.sentence is None
    finally:
        encoder.sentence_floor = encoder.model.sentence_floor


def test_a_cheerful_post_with_no_farewell_stays_quiet(analyzer: Analyzer) -> None:
    text = (
        "Lovely long walk along the canal with the dog this morning and coffee by the lock. "
        "Fed the ducks and watched the boats go past for ages. "
        "Back home now and the kettle is on, see you all at quiz night tomorrow"
    )
    assert analyzer.analyze(text, "review").concerns == []


MEANS = "This exam stress is killing me, jk. I've actually got the tablets saved up."


def cue_concerns(analyzer: Analyzer, doc: Doc) -> list[Concern]:
    """What the cue rules alone say about ``doc`` (the arbiter's input)."""
    analyzer._detect(doc)
    return aggregate(doc)


def found_with(analyzer: Analyzer, doc: Doc) -> list[Concern]:
    assert analyzer.encoder is not None
    return combine(doc, cue_concerns(analyzer, doc), analyzer.encoder, explain=False)


def test_a_vetoed_serious_cue_stays_as_possible_when_some_risk_is_read(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Means named in so many words are not dropped on the model's word alone."""
    assert analyzer.encoder is not None
    monkeypatch.setattr(analyzer.encoder, "kept_cues", (Severity.HIGH, 0.3))
    assert [c.label for c in cue_concerns(analyzer, Doc.make(MEANS, "review"))] == ["self_harm"]
    found = found_with(analyzer, view(analyzer, MEANS, 0.01, serious=0.35))
    assert [(c.label, c.certainty, c.severity.label) for c in found] == [
        ("self_harm", "possible", "high")
    ]
    assert found[0].explanation.startswith("Possible risk of suicide or self-harm, please read")
    assert "tablets" in " ".join(e.text for e in found[0].evidence)


@pytest.mark.parametrize(
    ("kept", "serious"),
    [((Severity.HIGH, 0.3), 0.1), ((Severity.CRITICAL, 0.0), 0.9), (None, 0.9)],
    ids=["nothing serious read", "cue below the severity", "setting off"],
)
def test_otherwise_the_veto_drops_the_cue(
    analyzer: Analyzer,
    monkeypatch: pytest.MonkeyPatch,
    kept: tuple[Severity, float] | None,
    serious: float,
) -> None:
    assert analyzer.encoder is not None
    monkeypatch.setattr(analyzer.encoder, "kept_cues", kept)
    assert found_with(analyzer, view(analyzer, MEANS, 0.01, serious=serious)) == []


def test_settings_given_directly_decide_as_the_shipped_encoder_does(analyzer: Analyzer) -> None:
    """Out-of-fold scoring (training/encoder/oof.py) runs the arbiter on views computed
    elsewhere, with :class:`Settings` and :class:`NoExplanations` standing in for the
    encoder: on the same views they must decide as the app does."""
    encoder = analyzer.encoder
    assert encoder is not None
    settings = Settings(
        model=NoExplanations(),
        thresholds=encoder.thresholds,
        veto_share=encoder.veto_share,
        possible_serious=encoder.possible_serious,
        critical_floor=encoder.critical_floor,
        sentence_floor=encoder.sentence_floor,
        kept_cues=encoder.kept_cues,
    )
    th = encoder.thresholds["self_harm"]
    for p, serious in ((th.flag + 0.01, 0.0), (in_band(analyzer), 0.9), (0.01, 0.0)):
        app = combine(view(analyzer, TEXT, p, serious), [], encoder, explain=False)
        standin = combine(view(analyzer, TEXT, p, serious), [], settings, explain=True)
        assert [(c.label, c.certainty) for c in standin] == [(c.label, c.certainty) for c in app]
        assert all(not c.similar for c in standin)


EXTORTION = "send £200 by 9 tonight or the pics go to your whole year, tick tock"


def menace(analyzer: Analyzer, threat: float, grooming: float) -> list[str]:
    """The concerns reported when the model alone reads threat and grooming at these."""
    doc = view(analyzer, EXTORTION, 0.0, serious=0.9)
    assert doc.model is not None
    doc.model.probs.update(threat=threat, grooming=grooming)
    assert analyzer.encoder is not None
    return [c.label for c in combine(doc, [], analyzer.encoder, explain=False)]


def test_a_threat_that_is_part_of_a_stronger_specific_risk_is_not_repeated(
    analyzer: Analyzer,
) -> None:
    """ "Pay or the pics go round" is grooming (sextortion); a separate threat would send
    the worker down the staff-safety route as well."""
    assert menace(analyzer, threat=0.8, grooming=0.95) == ["grooming"]
    doc = view(analyzer, EXTORTION, 0.0, serious=0.9)
    assert doc.model is not None
    doc.model.probs.update(threat=0.8, grooming=0.95)
    assert analyzer.encoder is not None
    combine(doc, [], analyzer.encoder, explain=False)
    assert doc.notes == [
        "Threat: not listed separately; the menace in this post is read as part of "
        "“Signs of grooming or sexual exploitation” above"
    ]


def test_a_threat_that_reads_stronger_than_the_specific_risk_stands(analyzer: Analyzer) -> None:
    assert menace(analyzer, threat=0.95, grooming=0.8) == ["threat", "grooming"]


def test_a_threat_found_in_words_stands_whatever_the_model_reads(analyzer: Analyzer) -> None:
    text = "I know where you live and I'm going to stab you tonight, pay up or the pics go round"
    doc = view(analyzer, text, 0.0, serious=0.9)
    assert doc.model is not None
    doc.model.probs.update(threat=0.8, grooming=0.95)
    cues = cue_concerns(analyzer, Doc.make(text, "review"))
    assert "threat" in [c.label for c in cues]
    assert analyzer.encoder is not None
    found = combine(doc, cues, analyzer.encoder, explain=False)
    assert "threat" in [c.label for c in found]
