"""The digital-capability questionnaire: what it is made of, its loader and answer checks.

The questions live in ``questionnaire.yaml`` beside this file (see ``docs/capability.md``).
The loader refuses a file it cannot trust and says which section and question to fix:
five to seven capability areas of two to four confidence questions each, a five-point
scale, unique ids, and no free-text questions at all (a sentence about practice can
identify a person, so the survey never asks for one).

Answers are a dict of question id to value: an ``int`` 1-5 for a confidence question,
an option value (``str``) for a choice, and a list of option values for a multi-choice.
:meth:`Questionnaire.check` turns submitted values (form strings or stored values) into
that shape and gives a GOV.UK-style message for each question that is missing or wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from safeside.errors import ContentError

#: A stored answer: a confidence point, one option, or several options.
Answer = int | str | list[str]

#: Section kinds: capability areas (confidence questions) and the survey parts.
SECTION_KINDS = ("area", "use", "training", "survey")
#: Question kinds. There is deliberately no free-text kind.
QUESTION_KINDS = ("confidence", "choice", "multi")

MIN_AREAS, MAX_AREAS = 5, 7
MIN_AREA_QUESTIONS, MAX_AREA_QUESTIONS = 2, 4
SCALE_POINTS = (1, 2, 3, 4, 5)

_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class QuestionnaireError(ContentError):
    """The questionnaire file cannot be used; the message says where and what to fix."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``error`` is the message shown when it is not answered properly."""

    id: str
    kind: str
    text: str
    error: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    exclusive: str = ""

    def option_text(self, value: str) -> str:
        return next((o.text for o in self.options if o.value == value), value)


@dataclass(frozen=True, slots=True)
class Section:
    """One page of the questionnaire; an ``area`` section is one capability area."""

    number: int
    id: str
    kind: str
    title: str
    intro: str
    questions: tuple[Question, ...]

    @property
    def is_area(self) -> bool:
        return self.kind == "area"


@dataclass(frozen=True, slots=True)
class Questionnaire:
    id: str
    version: int
    title: str
    scale: tuple[Option, ...]
    sections: tuple[Section, ...]

    @property
    def areas(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_area)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def section(self, number: int) -> Section | None:
        """Section ``number`` (1-based), or None."""
        return self.sections[number - 1] if 1 <= number <= len(self.sections) else None

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def scale_text(self, point: int) -> str:
        return next((o.text for o in self.scale if o.value == str(point)), str(point))

    def check(
        self, answers: Mapping[str, object], sections: Iterable[Section] | None = None
    ) -> tuple[dict[str, Answer], dict[str, str]]:
        """Check ``answers`` against the questions of ``sections`` (default: all).

        Values may be as a form sends them (strings, lists of strings) or as stored.
        Returns the cleaned answers and, in question order, a message for every
        question that is missing or has a value that is not one of its choices. When
        checking the whole questionnaire, an answer to an unknown question is an error.
        """
        chosen = tuple(self.sections if sections is None else sections)
        clean: dict[str, Answer] = {}
        errors: dict[str, str] = {}
        for question in (q for s in chosen for q in s.questions):
            value, problem = _check_answer(question, answers.get(question.id))
            if problem:
                errors[question.id] = problem
            elif value is not None:
                clean[question.id] = value
        if sections is None:
            known = {q.id for q in self.questions}
            for name in answers:
                if name not in known:
                    errors[name] = f"There is no question ‘{name}’ in this questionnaire"
        return clean, errors


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    return [str(v).strip() for v in raw if isinstance(v, str | int) and str(v).strip()]


def _check_answer(question: Question, raw: object) -> tuple[Answer | None, str]:
    """The cleaned answer, or a message saying what is wrong with it."""
    values = _values(raw)
    if question.kind == "confidence":
        if len(values) != 1 or values[0] not in {str(p) for p in SCALE_POINTS}:
            return None, question.error
        return int(values[0]), ""
    allowed = [o.value for o in question.options]
    if question.kind == "choice":
        if len(values) != 1 or values[0] not in allowed:
            return None, question.error
        return values[0], ""
    picked = [v for v in allowed if v in values]  # in the questionnaire's order, once each
    if not picked or len(picked) != len(set(values)):
        return None, question.error
    if question.exclusive and question.exclusive in picked and len(picked) > 1:
        none_text = question.option_text(question.exclusive)
        return None, f"Select ‘{none_text}’ on its own, or select the topics you want"
    return picked, ""


# --- loading -------------------------------------------------------------------------


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise QuestionnaireError(f"{where}: ‘{key}’ is missing")
        return ""
    if not isinstance(value, str):
        raise QuestionnaireError(f"{where}: ‘{key}’ must be text, not {value!r}")
    return " ".join(value.split())


def _id(raw: Mapping[str, Any], where: str) -> str:
    value = raw.get("id")
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise QuestionnaireError(
            f"{where}: ‘id’ must be lower-case words joined by hyphens, not {value!r}"
        )
    return value


def _options(raw: object, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        raise QuestionnaireError(f"{where}: ‘options’ must be a list of options")
    options: list[Option] = []
    for index, item in enumerate(raw, 1):
        here = f"{where}, option {index}"
        if not isinstance(item, dict):
            raise QuestionnaireError(f"{here}: must have a ‘value’ and a ‘text’")
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise QuestionnaireError(
                f"{here}: ‘value’ must be text or a number, not {value!r} "
                "(put quotes around yes and no)"
            )
        options.append(Option(str(value), _text(item, "text", here)))
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise QuestionnaireError(f"{where}: two options have the same value")
    return tuple(options)


def _question(raw: object, where: str, option_sets: Mapping[str, tuple[Option, ...]]) -> Question:
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{where}: must be a mapping with ‘id’, ‘kind’ and ‘text’")
    question_id = _id(raw, where)
    where = f"{where} ({question_id})"
    kind = raw.get("kind")
    if kind in ("text", "free-text", "textarea", "input"):
        raise QuestionnaireError(
            f"{where}: free-text questions are not allowed: written answers can identify "
            "people. Use ‘choice’ or ‘multi’ with a list of options"
        )
    if kind not in QUESTION_KINDS:
        raise QuestionnaireError(
            f"{where}: ‘kind’ must be one of {', '.join(QUESTION_KINDS)}, not {kind!r}"
        )
    text = _text(raw, "text", where)
    hint = _text(raw, "hint", where, required=False)
    if kind == "confidence":
        if "options" in raw:
            raise QuestionnaireError(f"{where}: a confidence question uses the scale, not options")
        default = f"Select how confident you are at {text[0].lower()}{text[1:]}"
        error = _text(raw, "error", where, required=False) or default.rstrip("?.")
        return Question(question_id, kind, text, error, hint)
    spec = raw.get("options")
    if isinstance(spec, str):
        if spec not in option_sets:
            raise QuestionnaireError(f"{where}: there is no option set called ‘{spec}’")
        options = option_sets[spec]
    else:
        options = _options(spec, where)
    if len(options) < 2:
        raise QuestionnaireError(f"{where}: needs at least 2 options")
    error = _text(raw, "error", where)
    exclusive = ""
    if "exclusive" in raw:
        if kind != "multi":
            raise QuestionnaireError(f"{where}: only a ‘multi’ question can have ‘exclusive’")
        exclusive = str(raw["exclusive"])
        if exclusive not in {o.value for o in options}:
            raise QuestionnaireError(
                f"{where}: ‘exclusive’ {exclusive!r} is not one of its options"
            )
    return Question(question_id, str(kind), text, error, hint, options, exclusive)


def _section(raw: object, number: int, option_sets: Mapping[str, tuple[Option, ...]]) -> Section:
    where = f"section {number}"
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{where}: must be a mapping with ‘id’, ‘kind’ and ‘questions’")
    section_id = _id(raw, where)
    where = f"section {number} ({section_id})"
    kind = raw.get("kind")
    if kind not in SECTION_KINDS:
        raise QuestionnaireError(
            f"{where}: ‘kind’ must be one of {', '.join(SECTION_KINDS)}, not {kind!r}"
        )
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise QuestionnaireError(f"{where}: ‘questions’ must be a list of questions")
    questions = tuple(
        _question(q, f"{where}, question {i}", option_sets) for i, q in enumerate(raw_questions, 1)
    )
    if kind == "area":
        if any(q.kind != "confidence" for q in questions):
            raise QuestionnaireError(f"{where}: every question in an area must be ‘confidence’")
        if not MIN_AREA_QUESTIONS <= len(questions) <= MAX_AREA_QUESTIONS:
            raise QuestionnaireError(
                f"{where}: an area needs {MIN_AREA_QUESTIONS} to {MAX_AREA_QUESTIONS} "
                f"questions, not {len(questions)}"
            )
    elif any(q.kind == "confidence" for q in questions):
        raise QuestionnaireError(f"{where}: confidence questions belong in an ‘area’ section")
    return Section(
        number=number,
        id=section_id,
        kind=str(kind),
        title=_text(raw, "title", where),
        intro=_text(raw, "intro", where, required=False),
        questions=questions,
    )


def load_questionnaire(text: str, where: str = "questionnaire.yaml") -> Questionnaire:
    """Parse and check a questionnaire file.

    Raises:
        QuestionnaireError: naming ``where``, the section and the question to fix.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise QuestionnaireError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise QuestionnaireError(f"{where}: must be a mapping with ‘id’, ‘version’ and ‘sections’")
    try:
        return _questionnaire(raw)
    except QuestionnaireError as exc:
        raise QuestionnaireError(f"{where}: {exc}") from None


def _questionnaire(raw: Mapping[str, Any]) -> Questionnaire:
    questionnaire_id = _id(raw, "the questionnaire")
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise QuestionnaireError(f"‘version’ must be a whole number from 1, not {version!r}")
    scale = _options(raw.get("scale"), "scale")
    if tuple(o.value for o in scale) != tuple(str(p) for p in SCALE_POINTS):
        raise QuestionnaireError("scale: must have exactly the points 1, 2, 3, 4 and 5, in order")
    raw_sets = raw.get("option_sets") or {}
    if not isinstance(raw_sets, dict):
        raise QuestionnaireError("option_sets: must map a name to a list of options")
    option_sets = {str(k): _options(v, f"option set {k}") for k, v in raw_sets.items()}
    raw_sections = raw.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise QuestionnaireError("‘sections’ must be a list of sections")
    sections = tuple(_section(s, n, option_sets) for n, s in enumerate(raw_sections, 1))
    areas = [s for s in sections if s.is_area]
    if not MIN_AREAS <= len(areas) <= MAX_AREAS:
        raise QuestionnaireError(
            f"needs {MIN_AREAS} to {MAX_AREAS} capability areas, not {len(areas)}"
        )
    names = [s.id for s in sections] + [q.id for s in sections for q in s.questions]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise QuestionnaireError(f"ids must be unique; used more than once: {', '.join(repeated)}")
    return Questionnaire(
        id=questionnaire_id,
        version=version,
        title=_text(raw, "title", "the questionnaire"),
        scale=scale,
        sections=sections,
    )


@cache
def questionnaire() -> Questionnaire:
    """The questionnaire that ships with Safeside (loaded and checked once)."""
    text = (
        resources.files("safeside.learning.capability")
        .joinpath("questionnaire.yaml")
        .read_text("utf-8")
    )
    return load_questionnaire(text)
