"""Training scenarios: the shipped content is complete and checked, and scoring works."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import safeside
from safeside.check import engine_check
from safeside.learning.cpd.service import has_prompt, is_complete, safety_flags
from safeside.learning.scenarios import (
    ScenarioError,
    all_scenarios,
    get_scenario,
    load_scenarios,
)
from safeside.learning.scenarios.models import ScenarioCompletion
from safeside.learning.scenarios.scenario import content_dir
from safeside.learning.scenarios.service import cpd_fields, first_unanswered, score
from safeside.learning.standards import PCF_DOMAINS, is_standard

from .linked_ids import SCENARIO_IDS

LINKED_IDS = list(SCENARIO_IDS)

PLAYBOOK = Path(safeside.__file__).parent / "guidance" / "playbooks" / "uk-default.yaml"
PLAYBOOK_SOURCES = set(yaml.safe_load(PLAYBOOK.read_text("utf-8"))["sources"])

#: The fake engine flags these; scenario text must not trip it in tests.
FAKE_ENGINE_CUES = ("where you live", "Kayden", "Hillside Primary")


def test_every_linked_scenario_ships() -> None:
    scenarios = all_scenarios()
    assert len(scenarios) >= 14
    assert set(LINKED_IDS) <= set(scenarios)
    assert next(iter(scenarios)) == "friend-request-from-service-user"
    assert get_scenario("no-such-scenario") is None
    assert all_scenarios() is scenarios, "loaded once"


@pytest.mark.parametrize("scenario_id", LINKED_IDS)
def test_each_decision_point_has_one_best_answer_and_explained_options(scenario_id: str) -> None:
    scenario = get_scenario(scenario_id)
    assert scenario is not None
    assert scenario.title and scenario.summary and scenario.situation and scenario.tags
    assert 2 <= len(scenario.steps) <= 4
    assert len(scenario.learning_points) >= 3
    for step in scenario.steps:
        assert step.question.endswith("?")
        assert 3 <= len(step.options) <= 4
        assert [o.score for o in step.options].count(2) == 1
        assert step.best.score == 2
        assert {o.score for o in step.options} - {2}, "some answers are not the best"
        for option in step.options:
            assert len(option.feedback) > 60, f"{scenario_id} step {step.number}: say why"
            assert option.sources, f"{scenario_id} step {step.number}: cite a source"
            assert {s.id for s in option.sources} <= PLAYBOOK_SOURCES


@pytest.mark.parametrize("scenario_id", LINKED_IDS)
def test_tags_are_real_standards_and_pcf_domains(scenario_id: str) -> None:
    scenario = get_scenario(scenario_id)
    assert scenario is not None
    assert scenario.standards and all(is_standard(code) for code in scenario.standards)
    assert scenario.pcf_domains and set(scenario.pcf_domains) <= set(PCF_DOMAINS)


def test_no_scenario_text_trips_the_test_engine() -> None:
    for file in content_dir().iterdir():
        if file.name.endswith(".yaml"):
            text = file.read_text("utf-8")
            for cue in FAKE_ENGINE_CUES:
                assert cue.lower() not in text.lower(), f"{file.name} says {cue!r}"


def test_the_score_counts_two_for_each_best_answer() -> None:
    scenario = get_scenario("threats-to-worker-online")
    assert scenario is not None
    best = {str(s.number): s.best.id for s in scenario.steps}
    assert score(scenario, best) == scenario.max_score == 6
    assert first_unanswered(scenario, best) is None
    partial = {"1": best["1"], "2": "z"}
    assert score(scenario, partial) == 2
    assert first_unanswered(scenario, partial) == 2


def test_a_cpd_draft_from_a_scenario_needs_the_practitioners_own_words() -> None:
    scenario = get_scenario("repeat-viewing-for-evidence")
    assert scenario is not None
    completion = ScenarioCompletion(
        id=7, scenario_id=scenario.id, scenario_version=1, score=5, max_score=6
    )
    draft = cpd_fields(completion, scenario, today=date(2026, 3, 2))
    assert draft.activity_type == "Scenario-based training"
    assert draft.title == "Scenario: Asked to keep watching a parent's profile for court"
    assert draft.source_kind == "scenario"
    assert draft.source_ref == "scenario:repeat-viewing-for-evidence:v1:completion:7"
    assert "scored 5 out of 6" in draft.description
    assert scenario.learning_points[0] in draft.learning
    assert has_prompt(draft.impact) and not is_complete(draft)
    assert draft.problems() == {}

    written = cpd_fields(completion, scenario, "I will ask legal before a second look.")
    assert written.impact == "I will ask legal before a second look."
    assert "I will ask legal before a second look." in written.learning
    assert is_complete(written)


@pytest.mark.slow
def test_no_scenario_makes_a_cpd_record_that_could_identify_someone() -> None:
    """The real engine, in own mode, finds nothing identifying in any scenario's draft
    (a flagged record would be left out of the practitioner's portfolio)."""

    for scenario in all_scenarios().values():
        completion = ScenarioCompletion(
            id=1,
            scenario_id=scenario.id,
            scenario_version=scenario.version,
            score=4,
            max_score=scenario.max_score,
        )
        flags = safety_flags(cpd_fields(completion, scenario), engine_check)
        assert flags == [], f"{scenario.id}: {flags}"


# --- the loader refuses files it cannot trust -------------------------------------------


def copy_of(tmp_path: Path, scenario_id: str = "friend-request-from-service-user") -> Path:
    """A folder holding one shipped scenario, to break."""
    source = content_dir().joinpath(f"{scenario_id}.yaml")
    target = tmp_path / f"{scenario_id}.yaml"
    target.write_text(source.read_text("utf-8"), "utf-8")
    return target


def test_a_folder_of_good_files_loads(tmp_path: Path) -> None:
    copy_of(tmp_path)
    copy_of(tmp_path, "threats-to-worker-online")
    loaded = load_scenarios(tmp_path)
    assert list(loaded) == ["friend-request-from-service-user", "threats-to-worker-online"]


def test_an_unknown_source_is_refused_naming_the_file_and_step(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    data = yaml.safe_load(path.read_text("utf-8"))
    data["steps"][1]["options"][0]["sources"] = ["made_up_policy"]
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenarios(tmp_path)
    message = str(error.value)
    assert "friend-request-from-service-user.yaml" in message
    assert "step 2" in message and "'made_up_policy'" in message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: [o.update(score=2) for o in d["steps"][0]["options"]],
            "exactly one option must score 2",
        ),
        (lambda d: d["steps"][0]["options"][0].update(score=3), "score must be 2"),
        (lambda d: d.update(standards=["9.1"]), "standards: '9.1' is not"),
        (lambda d: d.update(standards=[5.6]), "write 5.6 in quotes"),
        (lambda d: d.update(pcf_domains=["Knowledge", "Kindness"]), "'Kindness' is not a PCF"),
        (lambda d: d.update(steps=d["steps"][:1]), "2 to 4 decision points"),
        (lambda d: d["steps"][0].update(options=d["steps"][0]["options"][:2]), "3 or 4"),
        (lambda d: d.pop("title"), "title is missing"),
        (lambda d: d["steps"][2]["options"][1].pop("feedback"), "step 3, option 2: feedback"),
        (lambda d: d.update(id="Friend Request"), "lower-case words"),
        (lambda d: d.update(id="another-scenario"), "named after its id"),
    ],
)
def test_a_broken_scenario_is_refused_with_a_clear_message(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], words: str
) -> None:
    path = copy_of(tmp_path)
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data), "utf-8")
    with pytest.raises(ScenarioError, match=r"friend-request-from-service-user\.yaml") as error:
        load_scenarios(tmp_path)
    assert words in str(error.value)
    assert isinstance(error.value, ValueError)


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nsteps: [unclosed\n", "utf-8")
    with pytest.raises(ScenarioError, match=r"broken.yaml: not valid YAML"):
        load_scenarios(tmp_path)


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    path = copy_of(tmp_path)
    shutil.copy(path, path.with_suffix(".yml"))
    with pytest.raises(ScenarioError, match="is already used by another file"):
        load_scenarios(tmp_path)
