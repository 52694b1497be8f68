"""Due dates come from each playbook action's typed ``due``, counted in UK working days."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeside.cases.service import due_date_for
from safeside.engine.results import Action
from safeside.guidance.playbook import (
    Due,
    PlaybookError,
    add_working_days,
    is_working_day,
    load_playbook,
    parse_playbook,
)

FRIDAY_BEFORE_AUGUST_BANK_HOLIDAY = date(2026, 8, 28)  # Monday 31 August is a bank holiday


def action(id: str, urgency: str = "") -> Action:
    return Action(id, "proceedings_disclosure", "Tell your manager.", urgency, [])


def test_within_2_working_days_skips_the_weekend_and_the_bank_holiday() -> None:
    playbook = load_playbook("uk-default")
    due = due_date_for(
        action("proceedings.alert_court"), FRIDAY_BEFORE_AUGUST_BANK_HOLIDAY, playbook
    )
    assert due == date(2026, 9, 2)  # Tuesday is the first working day, Wednesday the second
    assert due.strftime("%A") == "Wednesday"


def test_each_default_urgency_has_its_due_date() -> None:
    playbook = load_playbook("uk-default")
    friday = FRIDAY_BEFORE_AUGUST_BANK_HOLIDAY
    by_urgency = {
        rule.urgency: playbook.due_date(action(rule.id), friday) for rule in playbook.rules
    }
    assert by_urgency == {
        "before posting": friday,
        "now": friday,
        "today": friday,
        "within 2 working days": date(2026, 9, 2),
        "this week": date(2026, 9, 4),  # seven calendar days
    }


def test_the_calendar_is_england_and_wales_unless_the_playbook_says() -> None:
    boxing_day_2022 = date(2022, 12, 27)  # substitute day in every UK nation
    st_andrews_day = date(2028, 11, 30)  # a Thursday: a bank holiday in Scotland only
    assert not is_working_day(boxing_day_2022)
    assert is_working_day(st_andrews_day)
    assert not is_working_day(st_andrews_day, "scotland")
    assert add_working_days(date(2028, 11, 29), 1) == st_andrews_day
    assert add_working_days(date(2028, 11, 29), 1, "scotland") == date(2028, 12, 1)

    scottish = parse_playbook(playbook_data(calendar="scotland"), "scotland.yaml")
    assert scottish.calendar == "scotland"
    assert scottish.due_date(action("a.one"), date(2028, 11, 29)) == date(2028, 12, 5)


def playbook_data(**extra: Any) -> dict[str, Any]:
    rule = {
        "id": "a.one",
        "concern": "threat",
        "urgency": "within 3 working days",
        "due": {"working_days": 3},
        "text": "Do it.",
        "sources": ["s"],
    }
    actions = extra.pop("actions", [rule])
    return {"sources": {"s": {"title": "A source"}}, "actions": actions, **extra}


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ({"now": True}, Due("now")),
        ({"today": True}, Due("today")),
        ({"working_days": 2}, Due("working_days", 2)),
        ({"days": 7}, Due("days", 7)),
    ],
)
def test_the_four_forms_of_due(due: dict[str, Any], expected: Due) -> None:
    rule = playbook_data()["actions"][0] | {"due": due}
    (parsed,) = parse_playbook(playbook_data(actions=[rule]), "p.yaml").rules
    assert parsed.due == expected
    assert Due.parse(expected.to_dict(), "again") == expected


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ({"working_days": 0}, "whole number from 1 to 365"),
        ({"days": "two"}, "whole number from 1 to 365"),
        ({"now": False}, r"due: \{now: true\} is the only form"),
        ({"weeks": 1}, "unknown entry 'weeks'"),
        ({"days": 1, "now": True}, "exactly one entry"),
        ("soon", "exactly one entry"),
    ],
)
def test_a_bad_due_is_refused_with_the_place_to_fix(due: object, message: str) -> None:
    rule = playbook_data()["actions"][0] | {"due": due}
    with pytest.raises(PlaybookError, match=message) as caught:
        parse_playbook(playbook_data(actions=[rule]), "p.yaml")
    assert "p.yaml: actions[0]" in str(caught.value)


def test_an_unknown_urgency_needs_a_due_and_a_known_one_does_not() -> None:
    rule = playbook_data()["actions"][0]
    del rule["due"]
    with pytest.raises(PlaybookError, match="urgency 'within 3 working days' needs a 'due'"):
        parse_playbook(playbook_data(actions=[rule]), "p.yaml")
    rule["urgency"] = "within 2 working days"  # the default playbook's words
    (parsed,) = parse_playbook(playbook_data(actions=[rule]), "p.yaml").rules
    assert parsed.due == Due("working_days", 2)


def test_an_unknown_calendar_is_refused() -> None:
    with pytest.raises(PlaybookError, match="unknown calendar 'wales'; use one of"):
        parse_playbook(playbook_data(calendar="wales"), "p.yaml")


def test_an_action_the_playbook_does_not_know_has_no_due_date() -> None:
    playbook = load_playbook("uk-default")
    assert playbook.due_date(action("org.custom", "whenever"), date(2026, 3, 2)) is None
    # ... unless its urgency is one the playbook uses
    assert playbook.due_date(action("org.custom", "today"), date(2026, 3, 2)) == date(2026, 3, 2)
