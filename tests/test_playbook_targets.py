"""The playbook routes actions by who is at risk, and keeps act-now steps out of tasks."""

from __future__ import annotations

from typing import Any

import pytest

from safeside.cases.models import Justification
from safeside.cases.tasks import targets_from_answers, targets_from_justification
from safeside.engine.results import Action, Concern
from safeside.guidance.playbook import TARGETS, PlaybookError, load_playbook, parse_playbook
from safeside.taxonomy import Severity

BOOK = load_playbook("uk-default")


def concern(label: str, severity: str = "high") -> Concern:
    return Concern(label, 0.9, Severity.parse(severity), [], "", ["test"])


def engine_actions(*concerns: Concern) -> list[Action]:
    """What the engine prescribes (each concern's usual target)."""
    return BOOK.actions_for(list(concerns), "review")


def ids(actions: list[Action]) -> set[str]:
    return {a.id for a in actions}


def test_a_threat_to_the_worker_raises_no_child_placement_task() -> None:
    found = [concern("threat", "high"), concern("contact_breach", "medium")]
    routed = BOOK.route(engine_actions(*found), found, "review", ["worker"])
    assert ids(routed.tasks) == {"threat.report_manager", "threat.police"}
    assert not any("placement" in a.text for a in routed.tasks)
    assert routed.set_aside == ["contact_breach"]


def test_the_same_threat_against_a_child_raises_child_safeguarding_instead() -> None:
    found = [concern("threat", "high"), concern("contact_breach", "medium")]
    routed = BOOK.route(engine_actions(*found), found, "review", ["child"])
    assert "threat.safeguard_child" in ids(routed.tasks)
    assert "contact.inform" in ids(routed.tasks)
    assert "threat.report_manager" not in ids(routed.tasks)
    assert routed.set_aside == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("adult", {"threat.safeguard_adult", "threat.police"}),
        ("public", {"threat.report_public", "threat.police"}),
        ("worker", {"threat.report_manager", "threat.police"}),
    ],
)
def test_each_target_has_its_own_threat_actions(target: str, expected: set[str]) -> None:
    found = [concern("threat", "high")]
    assert ids(BOOK.route(engine_actions(*found), found, "review", [target]).tasks) == expected


def test_not_sure_uses_each_concerns_usual_target_as_the_engine_did() -> None:
    found = [concern("threat", "high"), concern("grooming", "low")]
    routed = BOOK.route(engine_actions(*found), found, "review", None)
    assert ids(routed.tasks) == {"threat.report_manager", "threat.police", "grooming.safeguard"}


def test_emergency_steps_are_instructions_not_tasks() -> None:
    found = [concern("threat", "critical")]
    routed = BOOK.route(engine_actions(*found), found, "review", ["worker"])
    assert ids(routed.emergency) == {"threat.imminent"}
    assert "Call 999" in routed.emergency[0].text
    assert "threat.imminent" not in ids(routed.tasks)
    assert all(rule.urgency == "now" for rule in BOOK.rules if rule.emergency)


def test_every_call_999_action_is_marked_as_an_emergency() -> None:
    for rule in BOOK.rules:
        if "999" in rule.text or (rule.urgency == "now" and "review" in rule.modes):
            assert rule.emergency, rule.id


def test_an_action_the_playbook_does_not_know_is_kept() -> None:
    found = [concern("threat", "high")]
    own = Action("local.tell_security", "threat", "Tell building security.", "today", [])
    routed = BOOK.route([own], found, "review", ["child"])
    assert "local.tell_security" in ids(routed.tasks)
    now = Action("local.evacuate", "threat", "Leave the building.", "now", [])
    assert ids(BOOK.route([now], found, "review", ["worker"]).emergency) == {"local.evacuate"}


def test_the_engine_output_is_unchanged_for_each_concerns_usual_target() -> None:
    """The Check a post page and the CLI see the same actions as before targets existed."""
    found = [concern(label, "critical") for label in BOOK.usual_targets]
    chosen = ids(engine_actions(*found))
    assert "contact.inform" in chosen and "threat.report_manager" in chosen
    assert not chosen & {"threat.safeguard_child", "harassment.support_adult", "bullying.staff"}


def playbook(**changes: Any) -> dict[str, Any]:
    rule = {"id": "a.one", "concern": "threat", "text": "Do it.", "sources": ["s"], **changes}
    return {"sources": {"s": {"title": "A source"}}, "actions": [rule]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"targets": ["staff"]}, "unknown target 'staff'; use a list of worker, child"),
        ({"targets": "worker"}, "targets must be a list"),
        ({"emergency": "yes"}, "emergency must be true or false"),
    ],
)
def test_a_bad_target_or_emergency_is_refused_when_loading(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(PlaybookError, match=message):
        parse_playbook(playbook(**changes), "p.yaml")


def test_usual_targets_and_repeated_ids_are_checked() -> None:
    data = playbook() | {"usual_targets": {"threat": "boss"}}
    with pytest.raises(PlaybookError, match="usual_targets: threat: unknown target 'boss'"):
        parse_playbook(data, "p.yaml")
    data = playbook() | {"usual_targets": {"gossip": "worker"}}
    with pytest.raises(PlaybookError, match="unknown concern 'gossip'"):
        parse_playbook(data, "p.yaml")
    data = playbook()
    data["actions"] = data["actions"] * 2
    with pytest.raises(PlaybookError, match=r"repeated: a\.one"):
        parse_playbook(data, "p.yaml")


def justification(legal_basis: str, how_seen: str = "shown_to_me") -> Justification:
    return Justification(legal_basis=legal_basis, how_seen=how_seen)


@pytest.mark.parametrize(
    ("legal_basis", "how_seen", "expected"),
    [
        ("staff_safety", "shown_to_me", ["worker"]),
        ("children_act_s47", "public_post", ["child"]),
        ("care_proceedings", "shown_to_me", ["child"]),
        ("care_act_s42", "shown_to_me", ["adult"]),
        ("consent", "shown_to_me", []),
        ("children_act_s17", "own_account", ["worker", "child"]),
    ],
)
def test_the_capture_forms_default_comes_from_the_justification(
    legal_basis: str, how_seen: str, expected: list[str]
) -> None:
    assert targets_from_justification(justification(legal_basis, how_seen)) == expected


def test_the_capture_forms_answer_is_checked() -> None:
    child_case = justification("children_act_s47")
    assert targets_from_answers([], False, child_case) == (["child"], "")
    assert targets_from_answers(["public", "worker"], True, child_case) == (
        ["worker", "public"],
        "",
    )
    assert targets_from_answers(["not_sure"], True, child_case) == ([], "")
    assert targets_from_answers([], True, child_case)[1].startswith("Select who could be harmed")
    assert "not both" in targets_from_answers(["not_sure", "child"], True, child_case)[1]
    assert targets_from_answers(["boss"], True, child_case)[1]
    assert set(TARGETS) == {"worker", "child", "adult", "public"}


def test_critical_grooming_guidance_covers_sextortion_as_well_as_a_meeting() -> None:
    """A deadline to send images or money is as urgent as a meeting tonight: the "now"
    step must not assume a meeting only."""
    import safeside

    analysis = safeside.analyze(
        "send £200 by 9 tonight or the pics go to your whole year. i've got your followers "
        "list. tick tock",
        mode="review",
    )
    now = [a.text for a in analysis.actions if a.urgency == "now"]
    assert any("do not pay" in text and "meeting" in text for text in now)
