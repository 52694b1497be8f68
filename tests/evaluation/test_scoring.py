import pytest

from safeside.engine.results import Analysis, Concern, Entity, Evidence
from safeside.evaluation.data import Example, LabelledSet, Span
from safeside.evaluation.scoring import (
    Counts,
    char_f1,
    concern_counts,
    entity_counts,
    evaluate,
    macro_f1,
    match_spans,
    score,
)
from safeside.taxonomy import Severity


def analysis(text, entities=(), concerns=(), severity=Severity.NONE):
    ents = [Entity(label, s, e, text[s:e], 1.0, "test") for label, s, e in entities]
    cons = [
        Concern(label, conf, sev, [Evidence(s, e, text[s:e], "cue")], "why")
        for label, conf, sev, s, e in concerns
    ]
    return Analysis(text, "own", ents, cons, severity, [])


def test_counts_give_precision_recall_f1():
    c = Counts(tp=3, fp=1, fn=2)
    assert (c.precision, c.recall) == (0.75, 0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Counts().f1 == 0.0


def test_exact_and_relaxed_span_matching():
    gold = [Span("PERSON", 0, 4), Span("PERSON", 10, 20), Span("DATE", 30, 35)]
    pred = [Span("PERSON", 0, 4), Span("PERSON", 12, 18), Span("LOCATION", 30, 35)]
    exact = entity_counts(gold, pred, ["PERSON", "DATE", "LOCATION"])
    assert (exact["PERSON"].tp, exact["PERSON"].fp, exact["PERSON"].fn) == (1, 1, 1)
    assert (exact["DATE"].fn, exact["LOCATION"].fp) == (1, 1)
    relaxed = entity_counts(gold, pred, ["PERSON", "DATE", "LOCATION"], relaxed=True)
    assert (relaxed["PERSON"].tp, relaxed["PERSON"].fp, relaxed["PERSON"].fn) == (2, 0, 0)


def test_relaxed_matching_is_one_to_one():
    matches, missed, spurious = match_spans(
        [Span("PERSON", 0, 10)], [Span("PERSON", 0, 3), Span("PERSON", 5, 10)], relaxed=True
    )
    assert len(matches) == 1 and not missed and spurious == [Span("PERSON", 5, 10)]


def test_labels_a_set_does_not_annotate_are_ignored():
    counts = entity_counts([Span("PERSON", 0, 3)], [Span("HEALTH", 5, 9)], ["PERSON"])
    assert list(counts) == ["PERSON"] and counts["PERSON"].fp == 0


def test_concern_counts_and_macro_f1():
    c = concern_counts(["threat"], ["threat", "bullying"], ["threat", "bullying", "grooming"])
    assert (c["threat"].tp, c["bullying"].fp, c["grooming"].tp + c["grooming"].fp) == (1, 1, 0)
    table = {"threat": Counts(tp=1), "bullying": Counts(fn=1), "grooming": Counts(fp=3)}
    assert macro_f1(table) == 0.5  # grooming has no gold support
    assert macro_f1({}) is None


def test_char_f1():
    assert char_f1([(0, 4)], [(2, 6)]) == 0.5
    assert char_f1([], []) == 1.0
    assert char_f1([(0, 4)], []) == 0.0


def dev_like_set():
    texts = [
        ("a", "Ann will kill you", ["threat"], "critical", [Span("PERSON", 0, 3)]),
        ("b", "lovely day with Bo", [], "none", [Span("PERSON", 16, 18)]),
        ("c", "tea with Cy", [], "none", []),
        ("d", "you are vile", ["harassment"], "medium", []),
    ]
    return LabelledSet(
        "toy",
        [
            Example(id=i, text=t, concerns=c, severity=s, entities=e, mode="review")
            for i, t, c, s, e in texts
        ],
        concern_labels=("threat", "harassment"),
        entity_labels=("PERSON",),
    )


def test_score_reports_everything_hand_computed():
    data = dev_like_set()
    analyses = [
        analysis(
            "Ann will kill you",
            [("PERSON", 0, 3)],
            [("threat", 0.9, Severity.HIGH, 9, 13)],
            Severity.HIGH,
        ),
        analysis(
            "lovely day with Bo",
            [("PERSON", 16, 18)],
            [("harassment", 0.4, Severity.LOW, 0, 6)],
            Severity.LOW,
        ),
        analysis("tea with Cy", [("PERSON", 0, 3)]),
        analysis("you are vile"),
    ]
    report = score(data, analyses)
    assert report.concerns["threat"].to_dict()["f1"] == 1.0
    harassment = report.concerns["harassment"]
    assert (harassment.tp, harassment.fp, harassment.fn) == (0, 1, 1)
    assert report.concern_macro_f1 == 0.5
    assert (report.n_benign, report.n_false_alarms, report.false_alarm_rate) == (2, 1, 0.5)
    person = report.entities_exact["PERSON"]
    assert (person.tp, person.fp, person.fn) == (2, 1, 0)
    # gold vs predicted severity: critical/high (one off), none/low (one off),
    # none/none (exact), medium/none (two off)
    assert (report.n_severity, report.severity_exact, report.severity_within_one) == (4, 1, 3)
    kinds = [e.kind for e in report.errors]
    assert kinds == ["false_alarm", "missed", "span_spurious"]
    assert "harassment (low, 0.40)" in report.errors[0].detail


def test_errors_rank_false_alarms_then_serious_misses_then_spans():
    data = LabelledSet(
        "toy",
        [
            Example("span", "Ann", entities=[Span("PERSON", 0, 3)], concerns=[]),
            Example("high", "x", concerns=["threat"], severity="high"),
            Example("crit", "y", concerns=["threat"], severity="critical"),
            Example("fa", "z", concerns=[]),
        ],
        concern_labels=("threat",),
        entity_labels=("PERSON",),
    )
    analyses = [
        analysis("Ann"),
        analysis("x"),
        analysis("y"),
        analysis("z", concerns=[("threat", 0.5, Severity.MEDIUM, 0, 1)]),
    ]
    report = score(data, analyses)
    assert [(e.kind, e.id) for e in report.errors] == [
        ("false_alarm", "fa"),
        ("missed_serious", "crit"),
        ("missed_serious", "high"),
        ("span_missed", "span"),
    ]


def test_evaluate_runs_each_text_in_its_mode(analyze_batch):
    seen = []

    def recording(texts, mode):
        seen.append((list(texts), mode))
        return analyze_batch(texts, mode)

    data = LabelledSet(
        "modes",
        [Example("1", "a", mode="review"), Example("2", "b"), Example("3", "c", mode="review")],
    )
    report, analyses = evaluate(data, recording, default_mode="own")
    assert seen == [(["a", "c"], "review"), (["b"], "own")]
    assert [a.text for a in analyses] == ["a", "b", "c"]
    assert report.n_texts == 3


def test_evidence_char_f1_uses_the_matching_concern(analyze_batch):
    text = "I will kill him"
    data = LabelledSet(
        "ev",
        [Example("1", text, concerns=["threat"], evidence={"threat": [(2, 11)]})],
        concern_labels=("threat",),
    )
    report, _ = evaluate(data, analyze_batch)
    # gold "will kill" (9 chars), predicted "kill" (4): 2*4/13
    assert report.evidence_f1["threat"] == pytest.approx(8 / 13)
    assert report.to_dict()["evidence_char_f1"] == {"threat": round(8 / 13, 4)}
