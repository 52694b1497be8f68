"""The typed boundary around the engine: ``Check``, ``Analysis.from_dict`` and ``FakeCheck``."""

from __future__ import annotations

import json

import pytest

from safeside.check import Check, engine_check, is_mode
from safeside.engine.results import (
    SCHEMA_VERSION,
    Analysis,
    Change,
    Concern,
    Entity,
    Evidence,
    Rewrite,
)
from safeside.taxonomy import Mode, Severity
from safeside.testing import EXAMPLE, FakeCheck, Find, Raise, action, analysis, example_check


def full_analysis() -> Analysis:
    text = "Kayden (7) at Hillside Primary, I know where you live"
    return analysis(
        text,
        "own",
        entities=[Entity("PERSON", 0, 6, "Kayden", 0.91, "names.model", "A first name.")],
        concerns=[
            Concern(
                "threat",
                0.875,
                Severity.CRITICAL,
                [Evidence(39, 53, "where you live", "knows where you live")],
                "A veiled threat.",
                ["concerns.cues"],
                certainty="possible",
                similar=["I know your address"],
            )
        ],
        actions=[action("threat.imminent", "threat", "Call 999.", "now")],
    )


def test_from_dict_reads_back_what_to_dict_wrote() -> None:
    original = full_analysis()
    original.rewrite = Rewrite(
        "[name] at [school]", [Change(0, 6, "Kayden", "[name]", "a name")], ["Think first."]
    )
    original.notes = ["long text analysed in windows"]
    stored = json.loads(json.dumps(original.to_dict()))
    assert stored["schema"] == SCHEMA_VERSION == "safeside.analysis/2"
    assert Analysis.from_dict(stored) == original
    assert Analysis.from_dict(stored).to_dict() == stored


def test_from_dict_reads_an_analysis_stored_before_schema_2() -> None:
    stored = full_analysis().to_dict()
    stored["schema"] = "safeside.analysis/1"
    for concern in stored["concerns"]:
        del concern["certainty"], concern["similar"]
    (concern,) = Analysis.from_dict(stored).concerns
    assert (concern.certainty, concern.similar) == ("likely", [])
    assert concern.severity is Severity.CRITICAL


def test_the_real_engine_round_trips() -> None:
    result = engine_check("Kayden (7) is back from contact at Hillside Primary", "own")
    assert isinstance(result, Analysis)
    assert Analysis.from_dict(result.to_dict()).to_dict() == result.to_dict()


def test_a_fake_check_from_a_table_returns_real_analyses() -> None:
    check: Check = FakeCheck({"where you live": Raise("threat", "high"), "Kayden": Find("PERSON")})
    result = check("Kayden: I know WHERE YOU LIVE", "review")
    assert isinstance(result, Analysis)
    assert result.concern_labels == ["threat"]
    assert result.severity is Severity.HIGH and result.mode == "review"
    (evidence,) = result.concerns[0].evidence
    assert result.text[evidence.start : evidence.end] == "WHERE YOU LIVE"  # concerns ignore case
    assert [e.text for e in result.entities] == ["Kayden"]
    assert check("kayden", "own").entities == []  # entities match as written


def test_entities_alone_are_low_and_nothing_is_none() -> None:
    check = FakeCheck({"Hillside Primary": Find("SCHOOL")})
    assert check("At Hillside Primary", "own").severity is Severity.LOW
    assert check("Nothing here", "own").severity is Severity.NONE
    assert FakeCheck()("anything", "own") == analysis("anything", "own")


def test_a_fake_check_from_a_handler_records_its_calls() -> None:
    def handler(text: str, mode: Mode) -> Analysis:
        return analysis(text.upper(), mode)

    check = FakeCheck(handler)
    assert check("hi", "own").text == "HI"
    check("there", "review")
    assert check.calls == [("hi", "own"), ("there", "review")]
    assert check.texts == ["hi", "there"]


def test_a_fake_check_can_fail_like_a_broken_engine() -> None:
    check = FakeCheck(raising=RuntimeError("model file missing"))
    with pytest.raises(RuntimeError, match="model file missing"):
        check("text", "own")
    assert check.calls == [("text", "own")]


def test_the_example_table_flags_the_demo_threat_with_a_playbook_action() -> None:
    result = example_check()("I know where you live. Kayden, Hillside Primary", "review")
    assert result.concern_labels == ["threat"]
    assert [a.id for a in result.actions] == ["threat.report_manager"]
    assert sorted(e.label for e in result.entities) == ["PERSON", "SCHOOL"]
    assert set(EXAMPLE) == {"where you live", "Kayden", "Hillside Primary"}


def test_is_mode_narrows_form_values() -> None:
    assert is_mode("own") and is_mode("review")
    assert not is_mode("Own") and not is_mode(None) and not is_mode("")
