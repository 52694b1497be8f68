"""A personal learning plan from one person's self-assessment.

Each capability area is scored as the mean of its confidence answers (1 to 5). Areas
below :data:`PRIORITY_BELOW` are priorities, lowest first (at most
:data:`MAX_PRIORITIES`; the rest are listed for later); when none is, the two
lowest areas are, so there is always somewhere to go next. Each priority suggests
concrete steps for the questions answered lowest: guidance pages to read and training
scenarios to work through, by id. Training topics the person asked for become plan
items too.

Steps link only to Safeside's own guidance pages and shipped scenarios, under their
own titles; an unknown id is an error (the tests check every step exists).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from safeside.learning.capability.questionnaire import Questionnaire, Section, questionnaire
from safeside.learning.library import builtin_pages
from safeside.learning.scenarios import all_scenarios

#: An area whose mean confidence is below this is a priority ("Fairly confident" is 4).
PRIORITY_BELOW = 3.5
#: How many areas are suggested when every area is at or above the threshold.
LOWEST_WHEN_CONFIDENT = 2
#: A question answered at or below this point is one to work on ("Somewhat confident").
WORK_ON_AT_OR_BELOW = 3
#: The most areas a plan puts first; any others below the threshold come "later".
MAX_PRIORITIES = 3
#: The most steps suggested for one plan item.
MAX_STEPS = 4


def _g(page_id: str) -> tuple[str, str]:
    return ("guidance", page_id)


def _s(scenario_id: str) -> tuple[str, str]:
    return ("scenario", scenario_id)


#: Steps for each confidence question, most useful first.
QUESTION_STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    "footprint": (_g("your-digital-footprint-and-safety"), _s("personal-safety-footprint")),
    "privacy-settings": (_g("your-digital-footprint-and-safety"), _s("personal-safety-footprint")),
    "threats-and-abuse": (_g("threats-and-abuse-towards-staff"), _s("threats-to-worker-online")),
    "wellbeing": (_g("threats-and-abuse-towards-staff"), _s("venting-in-private-group")),
    "friend-requests": (
        _g("no-fake-profiles-or-friend-requests"),
        _s("friend-request-from-service-user"),
        _g("professional-boundaries-online"),
    ),
    "posting-about-work": (
        _g("professional-standards-online"),
        _g("confidentiality-and-jigsaw-identification"),
        _s("colleague-shares-case-photo"),
    ),
    "private-groups": (_g("professional-boundaries-online"), _s("venting-in-private-group")),
    "jigsaw-identification": (
        _g("confidentiality-and-jigsaw-identification"),
        _s("colleague-shares-case-photo"),
    ),
    "recording-evidence": (
        _g("recording-evidence-from-social-media"),
        _s("repeat-viewing-for-evidence"),
    ),
    "children-in-proceedings": (
        _g("children-in-proceedings"),
        _s("parent-posts-about-proceedings"),
    ),
    "lawful-viewing": (
        _g("viewing-service-users-social-media"),
        _s("searching-family-profiles-without-reason"),
        _s("anonymous-account-dilemma"),
        _s("repeat-viewing-for-evidence"),
    ),
    "grooming-and-exploitation": (
        _g("grooming-and-exploitation"),
        _s("grooming-signs-in-messages"),
        _s("county-lines-exploitation-post"),
    ),
    "self-harm-risk": (_g("self-harm-and-suicide-risk"), _s("young-person-self-harm-post")),
    "video-calls": (_g("video-calls-and-remote-contact"), _s("child-on-video-call-not-alone")),
    "contact-in-care": (
        _g("contact-with-children-in-care-and-adopted-children"),
        _s("birth-parent-messages-adopted-child"),
    ),
    "approved-tools": (
        _g("video-calls-and-remote-contact"),
        _g("professional-boundaries-online"),
    ),
    "finding-learning": (_g("cpd-and-learning-online"),),
    "judging-sources": (_g("cpd-and-learning-online"),),
    "recording-cpd": (_g("cpd-and-learning-online"), _g("professional-standards-online")),
}

#: Steps for each training topic a person can ask for.
TOPIC_STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    "footprint-and-safety": (
        _g("your-digital-footprint-and-safety"),
        _s("personal-safety-footprint"),
    ),
    "boundaries": (
        _g("professional-boundaries-online"),
        _g("no-fake-profiles-or-friend-requests"),
        _s("friend-request-from-service-user"),
    ),
    "confidentiality": (
        _g("confidentiality-and-jigsaw-identification"),
        _s("colleague-shares-case-photo"),
    ),
    "lawful-viewing-and-evidence": (
        _g("viewing-service-users-social-media"),
        _g("recording-evidence-from-social-media"),
        _s("repeat-viewing-for-evidence"),
    ),
    "grooming-and-exploitation": (
        _g("grooming-and-exploitation"),
        _s("grooming-signs-in-messages"),
        _s("county-lines-exploitation-post"),
    ),
    "self-harm-and-suicide": (_g("self-harm-and-suicide-risk"), _s("young-person-self-harm-post")),
    "threats-and-abuse": (_g("threats-and-abuse-towards-staff"), _s("threats-to-worker-online")),
    "remote-contact": (_g("video-calls-and-remote-contact"), _s("child-on-video-call-not-alone")),
    "contact-in-care": (
        _g("contact-with-children-in-care-and-adopted-children"),
        _s("birth-parent-messages-adopted-child"),
    ),
    "cpd-online": (_g("cpd-and-learning-online"),),
}

#: Confidence levels, by the lowest mean score each starts at (highest first).
LEVELS = ((PRIORITY_BELOW, "Confident"), (2.5, "Developing"), (0.0, "Not yet confident"))


def level(score: float) -> str:
    """The plain-English level of an area's mean score."""
    return next(title for bottom, title in LEVELS if score >= bottom)


@dataclass(frozen=True, slots=True)
class Step:
    """Something to read or practise: a guidance page or a training scenario."""

    kind: str  # "guidance" or "scenario"
    id: str
    title: str

    @property
    def href(self) -> str:
        folder = "guidance" if self.kind == "guidance" else "scenarios"
        return f"/learning/{folder}/{self.id}"

    @property
    def kind_title(self) -> str:
        return "Read the guidance" if self.kind == "guidance" else "Try the scenario"


@dataclass(frozen=True, slots=True)
class AreaScore:
    """One capability area's mean confidence for one person."""

    id: str
    title: str
    score: float
    answered: int

    @property
    def level(self) -> str:
        return level(self.score)

    @property
    def is_priority(self) -> bool:
        return self.score < PRIORITY_BELOW


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One thing in a plan: why it is there, what to focus on, and the steps to take."""

    title: str
    reason: str
    steps: tuple[Step, ...]
    focus: tuple[str, ...] = ()
    area_id: str = ""


@dataclass(frozen=True, slots=True)
class LearningPlan:
    scores: tuple[AreaScore, ...]
    priorities: tuple[PlanItem, ...]
    training: tuple[PlanItem, ...]
    other: tuple[PlanItem, ...]
    #: Areas below the threshold beyond the first :data:`MAX_PRIORITIES`, for later.
    later: tuple[AreaScore, ...]
    #: True when no area is below the threshold (the priorities are the lowest two).
    all_confident: bool

    @property
    def items(self) -> tuple[PlanItem, ...]:
        return self.priorities + self.training + self.other

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step in the plan, once each, in plan order."""
        seen: dict[tuple[str, str], Step] = {}
        for item in self.items:
            for step in item.steps:
                seen.setdefault((step.kind, step.id), step)
        return tuple(seen.values())


def step(kind: str, item_id: str) -> Step:
    """A step by kind and id; only known guidance pages and scenarios."""
    found = (
        builtin_pages().get(item_id)
        if kind == "guidance"
        else all_scenarios().get(item_id)
        if kind == "scenario"
        else None
    )
    if found is None:
        raise ValueError(f"Unknown {kind} {item_id!r}: a plan links only to known pages")
    return Step(kind, item_id, found.title)


def _steps(pairs: list[tuple[str, str]]) -> tuple[Step, ...]:
    unique = list(dict.fromkeys(pairs))[:MAX_STEPS]
    return tuple(step(kind, item_id) for kind, item_id in unique)


def _points(answers: Mapping[str, object], area: Section) -> dict[str, int]:
    points: dict[str, int] = {}
    for question in area.questions:
        value = answers.get(question.id)
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            points[question.id] = value
    return points


def area_means(
    answers: Mapping[str, object], questions: Questionnaire | None = None
) -> dict[str, float]:
    """The exact mean confidence of each area answered (area id to mean), in area order."""
    means = {}
    for area in (questions or questionnaire()).areas:
        points = _points(answers, area)
        if points:
            means[area.id] = sum(points.values()) / len(points)
    return means


def area_scores(
    answers: Mapping[str, object], questions: Questionnaire | None = None
) -> tuple[AreaScore, ...]:
    """Each area answered, its mean to one decimal place, in area order."""
    questions = questions or questionnaire()
    means = area_means(answers, questions)
    return tuple(
        AreaScore(area.id, area.title, round(means[area.id], 1), len(_points(answers, area)))
        for area in questions.areas
        if area.id in means
    )


def _priority(area: Section, points: Mapping[str, int], score: AreaScore) -> PlanItem:
    ranked = sorted(area.questions, key=lambda q: points.get(q.id, 5))  # stable: file order
    weak = [q for q in ranked if points.get(q.id, 5) <= WORK_ON_AT_OR_BELOW] or ranked[:1]
    pairs = [pair for q in weak for pair in QUESTION_STEPS.get(q.id, ())]
    if not pairs:  # a question without steps of its own: fall back to the area's
        pairs = [pair for q in area.questions for pair in QUESTION_STEPS.get(q.id, ())]
    if score.is_priority:
        reason = f"Your confidence here is {score.score} out of 5 ({score.level.lower()})."
    else:
        reason = f"One of your two lowest areas, at {score.score} out of 5."
    return PlanItem(
        title=area.title,
        reason=reason,
        steps=_steps(pairs),
        focus=tuple(q.text for q in weak),
        area_id=area.id,
    )


def learning_plan(
    answers: Mapping[str, object], questions: Questionnaire | None = None
) -> LearningPlan:
    """The personal learning plan for one set of answers (as stored by ``submit``)."""
    questions = questions or questionnaire()
    areas = {a.id: a for a in questions.areas}
    scores = area_scores(answers, questions)
    lowest_first = sorted(scores, key=lambda s: s.score)  # stable: ties in area order
    below = [s for s in lowest_first if s.is_priority]
    chosen = below[:MAX_PRIORITIES] or lowest_first[:LOWEST_WHEN_CONFIDENT]
    priorities = tuple(_priority(areas[s.id], _points(answers, areas[s.id]), s) for s in chosen)

    training: list[PlanItem] = []
    for question in (q for q in questions.questions if q.kind == "multi"):
        picked = answers.get(question.id)
        for value in picked if isinstance(picked, list) else []:
            if value == question.exclusive or value not in TOPIC_STEPS:
                continue
            training.append(
                PlanItem(
                    title=question.option_text(value),
                    reason="You asked for training on this.",
                    steps=_steps(list(TOPIC_STEPS[value])),
                )
            )

    other: list[PlanItem] = []
    policy = questions.question("organisation-policy")
    if policy is not None and answers.get(policy.id) in ("no", "not-sure"):
        other.append(
            PlanItem(
                title="Find your organisation's social media policy",
                reason="You said your organisation has no policy, or you are not sure. "
                "Ask your manager: most councils have one, often inside the code of conduct.",
                steps=_steps([_g("professional-standards-online")]),
            )
        )
    return LearningPlan(
        scores=scores,
        priorities=priorities,
        training=tuple(training),
        other=tuple(other),
        later=tuple(below[MAX_PRIORITIES:]),
        all_confident=bool(scores) and not below,
    )
