"""CPD records: Social Work England's questions, the registration year and its requirement."""

from __future__ import annotations

from datetime import date

import pytest

from safeside.engine.results import Concern, Entity, Evidence
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.cpd.service import (
    PORTFOLIO_CONCERNS,
    CpdFields,
    has_prompt,
    is_complete,
    safety_flags,
    year_progress,
)
from safeside.learning.sharing import reasons
from safeside.learning.standards import registration_year, standard_title
from safeside.taxonomy import Severity
from safeside.testing import FakeCheck, Find, Raise, analysis


def record(day: date, *, status: str = "complete", peer: str = "") -> CpdRecord:
    return CpdRecord(
        activity_date=day,
        status=status,
        peer_reflection_with=peer,
        title="t",
        activity_type="Other",
    )


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 12, 1), (date(2026, 12, 1), date(2027, 11, 30))),
        (date(2026, 11, 30), (date(2025, 12, 1), date(2026, 11, 30))),
        (date(2026, 6, 15), (date(2025, 12, 1), date(2026, 11, 30))),
    ],
)
def test_the_registration_year_runs_from_1_december(day: date, year: tuple[date, date]) -> None:
    assert registration_year(day) == year


def test_two_complete_records_one_with_peer_reflection_meet_the_requirement() -> None:
    today = date(2026, 6, 1)
    one = [record(date(2026, 1, 5), peer="My supervisor")]
    progress = year_progress(one, today)
    assert not progress.met
    assert progress.still_needed == ["1 more completed record"]
    two = [*one, record(date(2026, 3, 1))]
    assert year_progress(two, today).met
    last_year = [*one, record(date(2025, 11, 30)), record(date(2026, 4, 1), status="draft")]
    progress = year_progress(last_year, today)
    assert (progress.complete, progress.drafts, progress.met) == (1, 1, False)


def test_without_peer_reflection_the_requirement_is_not_met() -> None:
    progress = year_progress([record(date(2026, 1, 5)), record(date(2026, 2, 5))], date(2026, 6, 1))
    assert progress.still_needed == ["a completed record with peer reflection"]


def test_a_record_with_a_drafts_prompts_left_in_is_not_complete() -> None:
    fields = CpdFields("Other", "A chat", date(2026, 1, 1), "Did it", "Learnt it", "Changed it")
    assert is_complete(fields)
    fields.learning = "Key points:\n- one\n\n[What did you learn? Write it in your own words.]"
    assert has_prompt(fields.learning) and not is_complete(fields)
    assert not has_prompt("I use [square brackets] in my notes.")


def test_a_digest_draft_becomes_fields_and_bad_tags_are_refused() -> None:
    fields = CpdFields.from_draft(
        {
            "activity_type": "Other",
            "title": "T",
            "activity_date": "2026-11-27",
            "standards": ["4.6", "9.1"],
            "pcf_domains": ["Knowledge"],
            "source_kind": "digest",
        }
    )
    assert fields.activity_date == date(2026, 11, 27)
    assert fields.problems() == {"standards": "9.1 is not a Social Work England standard"}


def test_only_identifying_concerns_and_details_keep_a_text_out_of_a_portfolio() -> None:
    text = "I will hurt you, Tyler, 6"
    found = analysis(
        text,
        concerns=[
            Concern("threat", 0.9, Severity.HIGH, [Evidence(2, 10, "hurt you", "hurt")], ""),
            Concern(
                "confidentiality",
                0.8,
                Severity.MEDIUM,
                [Evidence(17, 22, "Tyler", "name"), Evidence(24, 25, "6", "age")],
                "",
            ),
        ],
        entities=[
            Entity("PERSON", 17, 22, "Tyler", 0.9, "t"),
            Entity("AGE", 24, 25, "6", 0.9, "t"),
        ],
    )
    assert reasons(found, PORTFOLIO_CONCERNS) == [
        "Could identify someone you support: “Tyler”, “6”",
        "identifying detail (age): “6”",
    ]


def test_the_safety_check_reads_each_field_in_own_mode() -> None:
    check = FakeCheck({"Kayden": Raise("confidentiality", "medium"), "Year 3": Find("AGE")})
    fields = CpdFields(
        activity_type="Other",
        title="Supervision",
        activity_date=date(2026, 3, 1),
        description="Talked about Kayden.",
        learning="Nothing identifying.",
        impact="Children in Year 3 need more time.",
    )
    flags = safety_flags(fields, check)
    assert [(f["field"], f["reasons"]) for f in flags] == [
        ("description", ["Could identify someone you support: “Kayden”"]),
        ("impact", ["identifying detail (age): “Year 3”"]),
    ]
    assert {mode for _, mode in check.calls} == {"own"}
    assert check.texts == [fields.title, fields.description, fields.learning, fields.impact]


def test_standards_have_their_titles() -> None:
    assert (
        standard_title("5.6")
        == "Standard 5.6: Act safely, respectfully and with professional integrity"
    )
    with pytest.raises(ValueError, match="unknown Social Work England standard"):
        standard_title("7")
