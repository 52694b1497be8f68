"""Team and organisation capability reports, shown only for groups of at least five.

A report counts each person's latest answers once. Below :data:`MIN_GROUP` people it
holds no numbers at all, only how many have answered so far ("3 of 5 needed"). At or
above it, it holds the number of people, each area's mean confidence and how many people
are at each level, how many asked for each training topic, and the totals for each
choice question (use of social media and the survey).

An administrator sees the organisation and each team. Showing both could let someone
subtract the teams from the organisation and read the answers of a small group (say,
two people in a third team); so when the people not covered by the teams shown number
from one to four, the smallest team shown is withheld as well, until they are zero or
at least five.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.errors import AccessDenied
from safeside.access.models import Team, User
from safeside.access.policy import can
from safeside.learning.capability.models import CapabilityResponse
from safeside.learning.capability.plan import LEVELS, area_means, level
from safeside.learning.capability.questionnaire import questionnaire
from safeside.learning.capability.service import latest_responses

#: The fewest people a report will show numbers for.
MIN_GROUP = 5

SHOWN, TOO_FEW, WITHHELD = "shown", "too_few", "withheld"


@dataclass(frozen=True, slots=True)
class Count:
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class AreaSummary:
    """One area across a group: the mean of each person's area score, and the levels."""

    id: str
    title: str
    mean: float
    #: People at each level, from "Not yet confident" to "Confident".
    levels: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class ChoiceSummary:
    """How many people chose each option of one question."""

    id: str
    question: str
    counts: tuple[Count, ...]
    #: The title of the questionnaire section the question is in.
    section: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceTable:
    """Questions with the same options, side by side: a row per question."""

    caption: str
    options: tuple[str, ...]
    rows: tuple[ChoiceSummary, ...]


@dataclass(frozen=True, slots=True)
class GroupReport:
    """A team's or the organisation's results; empty unless ``status`` is ``shown``."""

    name: str
    kind: str  # "team" or "organisation"
    respondents: int
    status: str
    areas: tuple[AreaSummary, ...] = ()
    training: tuple[Count, ...] = ()
    choices: tuple[ChoiceSummary, ...] = ()

    @property
    def shown(self) -> bool:
        return self.status == SHOWN

    @property
    def choice_tables(self) -> tuple[ChoiceTable, ...]:
        """The choice questions for display: neighbours with the same options together."""
        tables: list[list[ChoiceSummary]] = []
        for choice in self.choices:
            texts = [c.text for c in choice.counts]
            if tables and [c.text for c in tables[-1][0].counts] == texts:
                tables[-1].append(choice)
            else:
                tables.append([choice])
        return tuple(
            ChoiceTable(
                caption=rows[0].section if len(rows) > 1 else rows[0].question,
                options=tuple(c.text for c in rows[0].counts),
                rows=tuple(rows),
            )
            for rows in tables
        )

    @property
    def message(self) -> str:
        """Why the numbers are not shown (empty when they are)."""
        whose = "this team's" if self.kind == "team" else "the organisation's"
        if self.status == TOO_FEW:
            return (
                f"Not enough people have answered yet to show {whose} results "
                f"({self.respondents} of {MIN_GROUP} needed)"
            )
        if self.status == WITHHELD:
            return (
                f"{whose.capitalize()} results are not shown separately: together with the "
                f"other results on this page they would reveal the answers of fewer than "
                f"{MIN_GROUP} people in other teams"
            )
        return ""


@dataclass(frozen=True, slots=True)
class CapabilityReports:
    """What one person may see: the organisation (administrators) and teams."""

    organisation: GroupReport | None
    teams: tuple[GroupReport, ...]


def summarise(name: str, kind: str, responses: Sequence[CapabilityResponse]) -> GroupReport:
    """The report for one group of latest responses (one per person)."""
    if len({r.user_id for r in responses}) != len(responses):
        raise ValueError("summarise() needs one response per person (use latest_responses)")
    if len(responses) < MIN_GROUP:
        return GroupReport(name, kind, len(responses), TOO_FEW)
    current = questionnaire()
    answers = [r.answers for r in responses]

    per_person = [area_means(a, current) for a in answers]
    areas = []
    for area in current.areas:
        means = [p[area.id] for p in per_person if area.id in p]
        if not means:
            continue
        by_level = Counter(level(round(m, 1)) for m in means)  # as in each person's plan
        areas.append(
            AreaSummary(
                id=area.id,
                title=area.title,
                mean=round(sum(means) / len(means), 1),
                levels=tuple(Count(title, by_level[title]) for _, title in reversed(LEVELS)),
            )
        )

    training: list[Count] = []
    choices: list[ChoiceSummary] = []
    for part, question in ((p, q) for p in current.sections for q in p.questions):
        if question.kind == "confidence":
            continue
        counted: Counter[str] = Counter()
        for a in answers:
            value = a.get(question.id)
            if isinstance(value, list):
                counted.update(str(v) for v in value)
            elif isinstance(value, str):
                counted[value] += 1
        counts = [Count(o.text, counted[o.value]) for o in question.options]
        if question.kind == "multi":
            training.extend(counts)
        else:
            choices.append(ChoiceSummary(question.id, question.text, tuple(counts), part.title))
    training.sort(key=lambda c: -c.count)  # stable: ties in the questionnaire's order
    return GroupReport(
        name, kind, len(responses), SHOWN, tuple(areas), tuple(training), tuple(choices)
    )


def team_report(session: Session, team: Team) -> GroupReport:
    """``team``'s results (its members' latest answers), or why they cannot be shown."""
    return summarise(team.name, "team", latest_responses(session, team.id))


def organisation_report(session: Session, name: str = "Your organisation") -> GroupReport:
    """Everyone's latest answers together, or why they cannot be shown."""
    return summarise(name, "organisation", latest_responses(session))


def _withhold_differences(organisation: GroupReport, teams: list[GroupReport]) -> None:
    """Withhold teams until the people outside the teams shown are none or at least five."""
    shown = [t for t in teams if t.shown]
    left = organisation.respondents - sum(t.respondents for t in shown)
    while shown and 0 < left < MIN_GROUP:
        smallest = min(shown, key=lambda t: t.respondents)
        shown.remove(smallest)
        left += smallest.respondents
        index = teams.index(smallest)
        teams[index] = GroupReport(smallest.name, "team", smallest.respondents, WITHHELD)


def reports_for(session: Session, actor: User, organisation: str = "") -> CapabilityReports:
    """The reports ``actor`` may see: a manager their own team; an administrator the
    organisation and every team.

    Raises:
        AccessDenied: ``actor`` may not see capability reports.
    """
    if not can(actor, "view_team_capability"):
        raise AccessDenied("You do not have access to capability reports.")
    if not can(actor, "view_org_capability"):
        return CapabilityReports(None, (team_report(session, actor.team),))
    everyone = organisation_report(session, organisation or "Your organisation")
    teams = [team_report(session, t) for t in session.scalars(select(Team).order_by(Team.name))]
    if everyone.shown:
        _withhold_differences(everyone, teams)
    return CapabilityReports(everyone, tuple(teams))
