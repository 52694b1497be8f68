"""Digital-capability self-assessment, personal learning plans and the practitioner survey.

::

    questionnaire()                          the questions (questionnaire.yaml, checked)
    submit(session, actor, answers)          store one person's answers, audited
    latest_for(session, user)                their latest response, or None
    learning_plan(response.answers)          scores per area and the plan from them
    team_report(session, team)               a team's results (only for 5 or more people)
    organisation_report(session)             everyone's results (likewise)
    reports_for(session, actor)              what a manager or administrator may see
    research_csv(session)                    the anonymised CSV for research
    seed_capability_demo(session, users)     fictional answers for the demo

See docs/capability.md.
"""

from safeside.learning.capability.demo import seed_capability_demo
from safeside.learning.capability.plan import LearningPlan, learning_plan
from safeside.learning.capability.questionnaire import (
    Questionnaire,
    QuestionnaireError,
    questionnaire,
)
from safeside.learning.capability.report import (
    MIN_GROUP,
    CapabilityReports,
    GroupReport,
    organisation_report,
    reports_for,
    team_report,
)
from safeside.learning.capability.research import NotEnoughAnswers, research_csv
from safeside.learning.capability.service import AnswerError, latest_for, submit

__all__ = [
    "MIN_GROUP",
    "AnswerError",
    "CapabilityReports",
    "GroupReport",
    "LearningPlan",
    "NotEnoughAnswers",
    "Questionnaire",
    "QuestionnaireError",
    "latest_for",
    "learning_plan",
    "organisation_report",
    "questionnaire",
    "reports_for",
    "research_csv",
    "seed_capability_demo",
    "submit",
    "team_report",
]
