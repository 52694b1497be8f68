"""Scenario-based training on digital practice, with feedback grounded in the playbook.

    from safeside.learning.scenarios import all_scenarios, get_scenario

    scenario = get_scenario("friend-request-from-service-user")
    scenario.steps[0].best.feedback   # why the best answer is best, citing its sources

Scoring a run, saving it and turning it into a CPD record: ``scenarios.service``.
"""

from __future__ import annotations

from functools import cache

from safeside.learning.scenarios.scenario import (
    Option,
    Scenario,
    ScenarioError,
    SourceRef,
    Step,
    content_dir,
    load_scenarios,
)

__all__ = [
    "Option",
    "Scenario",
    "ScenarioError",
    "SourceRef",
    "Step",
    "all_scenarios",
    "get_scenario",
    "load_scenarios",
]


@cache
def all_scenarios() -> dict[str, Scenario]:
    """The shipped scenarios, by id, in the order they are offered (checked once)."""
    return load_scenarios(content_dir())


def get_scenario(scenario_id: str) -> Scenario | None:
    return all_scenarios().get(scenario_id)
