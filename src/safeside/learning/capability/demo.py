"""Fictional self-assessments for the demo: five different people, always the same answers.

Enough for the East team's capability report to show (five people) and for the
research export. Each profile gives the confidence points of every area in
questionnaire order, how often they use social media and messaging, the training they
asked for and their survey answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.learning.capability.models import CapabilityResponse
from safeside.learning.capability.questionnaire import Answer, questionnaire
from safeside.learning.capability.service import submit


@dataclass(frozen=True, slots=True)
class Profile:
    #: Confidence points per area, in area order; each string is one area's questions.
    confidence: tuple[str, ...]
    #: Social media for work, messaging people supported, social media personally.
    use: tuple[str, str, str]
    training: tuple[str, ...]
    organisation_policy: str
    had_training: str


PROFILES = (
    # Newly qualified, at home online, unsure about lawful viewing and evidence.
    Profile(
        ("4423", "433", "322", "233", "434", "543"),
        ("daily", "weekly", "daily"),
        ("lawful-viewing-and-evidence", "threats-and-abuse"),
        "yes",
        "no",
    ),
    # Experienced and sure of boundaries; less so of the technology.
    Profile(
        ("2233", "443", "444", "443", "232", "232"),
        ("rarely", "monthly", "weekly"),
        ("footprint-and-safety", "remote-contact", "cpd-online"),
        "not-sure",
        "no",
    ),
    # A manager: fairly confident throughout.
    Profile(
        ("4443", "544", "445", "444", "344", "443"),
        ("weekly", "rarely", "daily"),
        ("none",),
        "yes",
        "employer",
    ),
    # Strong on information and proceedings; less on safeguarding signs online.
    Profile(
        ("3332", "454", "555", "422", "334", "344"),
        ("monthly", "never", "weekly"),
        ("grooming-and-exploitation", "self-harm-and-suicide"),
        "yes",
        "elsewhere",
    ),
    # Confident with the technology, new to practice questions.
    Profile(
        ("5534", "332", "332", "222", "445", "442"),
        ("daily", "never", "daily"),
        ("boundaries", "confidentiality"),
        "no",
        "not-sure",
    ),
)


def demo_answers(index: int) -> dict[str, Answer]:
    """The answers of demo profile ``index`` (profiles repeat after five)."""
    profile = PROFILES[index % len(PROFILES)]
    current = questionnaire()
    answers: dict[str, Answer] = {}
    for area, points in zip(current.areas, profile.confidence, strict=True):
        for question, point in zip(area.questions, points, strict=True):
            answers[question.id] = int(point)
    for name, value in zip(
        ("social-media-work", "messaging-work", "social-media-personal"), profile.use, strict=True
    ):
        answers[name] = value
    answers["training-topics"] = list(profile.training)
    answers["organisation-policy"] = profile.organisation_policy
    answers["had-training"] = profile.had_training
    return answers


def seed_capability_demo(session: Session, users: Sequence[User]) -> list[CapabilityResponse]:
    """Submit a different demo self-assessment for each of ``users``, in order."""
    return [submit(session, user, demo_answers(i)) for i, user in enumerate(users)]
