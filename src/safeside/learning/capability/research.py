"""The anonymised research export: each person's latest answers, one row each, as CSV.

Columns: a respondent number, a role group, the month answered, the questionnaire's id
and version, then one column per question (question ids as in ``questionnaire.yaml``).
Never a name, e-mail address, user id or team.

* Respondent numbers are 1 to n in a random order, drawn afresh for every export, so a
  number says nothing about who answered first or about the user id, and two exports
  cannot be joined on it. Rows are in respondent-number order.
* A role held by fewer than :data:`MIN_GROUP` respondents is shown as ``other``; if
  ``other`` would then hold one to four people, the next smallest role joins it.
* The administrator who exports can read in the audit log who submitted when, so the
  month is a way back to a person. Within each role group, a month with fewer than
  :data:`MIN_GROUP` responses is shown as ``withheld`` (joined by the next smallest
  month until ``withheld`` holds none or at least five). Every combination of role group
  and month therefore covers at least five people.
* There is nothing to export until the organisation has at least five respondents.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from safeside.errors import SafesideError
from safeside.learning.capability.models import CapabilityResponse
from safeside.learning.capability.questionnaire import questionnaire
from safeside.learning.capability.report import MIN_GROUP
from safeside.learning.capability.service import latest_responses
from safeside.spreadsheet import safe_record

OTHER_ROLE = "other"
WITHHELD_MONTH = "withheld"

#: The columns before the questions.
FIXED_COLUMNS = (
    "respondent",
    "role_group",
    "month_submitted",
    "questionnaire_id",
    "questionnaire_version",
)


class NotEnoughAnswers(SafesideError):
    """Fewer people have answered than an anonymous export needs."""


def generalise(values: Sequence[str], bucket: str, k: int = MIN_GROUP) -> dict[str, str]:
    """Map each value to itself, or to ``bucket`` where fewer than ``k`` share it.

    The smallest remaining values join the bucket until it holds no one or at least
    ``k`` (so the bucket itself never singles anyone out).
    """
    counts = Counter(values)
    small = {v for v, n in counts.items() if n < k}
    kept = sorted((v for v in counts if v not in small), key=lambda v: (counts[v], v))
    while kept and 0 < sum(counts[v] for v in small) < k:
        small.add(kept.pop(0))
    return {v: (bucket if v in small else v) for v in counts}


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else str(value)


def research_rows(
    responses: Sequence[CapabilityResponse], rng: random.Random | None = None
) -> list[dict[str, str]]:
    """The anonymised rows for each person's latest response (see the module notes)."""
    current = questionnaire()
    roles = generalise([r.role for r in responses], OTHER_ROLE)
    groups = [roles[r.role] for r in responses]
    months = [r.submitted_at.strftime("%Y-%m") for r in responses]
    month_shown = list(months)
    for group in set(groups):
        members = [i for i, g in enumerate(groups) if g == group]
        mapping = generalise([months[i] for i in members], WITHHELD_MONTH)
        for i in members:
            month_shown[i] = mapping[months[i]]
    numbers = list(range(1, len(responses) + 1))
    (rng or random.SystemRandom()).shuffle(numbers)
    rows = []
    for index, response in enumerate(responses):
        answers = response.answers
        row = {
            "respondent": str(numbers[index]),
            "role_group": groups[index],
            "month_submitted": month_shown[index],
            "questionnaire_id": response.questionnaire_id,
            "questionnaire_version": str(response.questionnaire_version),
        }
        for question in current.questions:
            row[question.id] = _cell(answers.get(question.id))
        rows.append(row)
    rows.sort(key=lambda row: int(row["respondent"]))
    return rows


def research_csv(session: Session, rng: random.Random | None = None) -> str:
    """The research CSV for the whole organisation.

    Raises:
        NotEnoughAnswers: fewer than :data:`MIN_GROUP` people have answered.
    """
    responses = latest_responses(session)
    if len(responses) < MIN_GROUP:
        raise NotEnoughAnswers(
            f"Only {len(responses)} of the {MIN_GROUP} people needed have answered the "
            "self-assessment, so an export could identify them. Try again when more "
            "people have answered."
        )
    columns = [*FIXED_COLUMNS, *(q.id for q in questionnaire().questions)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(safe_record(row) for row in research_rows(responses, rng))
    return buffer.getvalue()
