"""The CPD portfolio PDF as a reader sees it: every page rendered to pixels, every answer
wrapped inside the margins and whole, and "Page x of y" on every page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from evidence.pages import margin_problems, pages  # tests/evidence/pages.py
from safeside.access.models import User
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.cpd.portfolio import Selection, render_pdf

LONG_URL = "https://www.example.org/learning/" + "a-very-long-path-segment-without-spaces-" * 6
LONG_WORD = "Supercalifragilistic" * 12


def record(number: int, words: int) -> CpdRecord:
    answer = " ".join(f"reflection{n}" for n in range(words)) + f" {LONG_WORD} {LONG_URL}"
    return CpdRecord(
        id=number,
        owner_id=1,
        status="complete",
        activity_type="Reading a blog, article or research " * 3,
        title=f"Record {number}: " + "keeping boundaries with families online " * 4,
        activity_date=date(2026, 5, number),
        description="What I did: " + answer,
        learning="What I learnt: " + answer,
        impact="What changes: " + answer,
        peer_reflection_with="Supervisor " + LONG_WORD,
        peer_reflection="We reflected: " + answer,
        standards_json='["2.7", "5.6"]',
        pcf_json='["Professionalism", "Values and ethics"]',
        source_kind="manual",
        source_ref="Blog by " + LONG_WORD,
        source_url=LONG_URL,
    )


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_answer_wraps_inside_the_margins_and_stays_whole() -> None:
    owner = User(id=1, email="sam@example.org", full_name="Sam Patel", role="practitioner")
    records = [record(1, 40), record(2, 400)]  # the second runs over several pages
    selection = Selection(date(2026, 4, 1), date(2027, 3, 31), included=records)
    pdf = render_pdf(owner, selection, datetime(2026, 6, 1, 12, 0, tzinfo=UTC))

    shown = pages(pdf, dpi=72)
    assert len(shown) >= 4
    assert [problem for page in shown for problem in margin_problems(page)] == []
    for page in shown:
        assert f"Page {page.number} of {len(shown)}" in page.text
    # A record that runs on is headed with its title on each further page.
    heads = [f"{n}. {r.title} (continued)" for n, r in enumerate(records, 1)]
    assert sum(squash(heads[1]) in page.squashed for page in shown) >= 2
    everything = "".join(page.body("CPD portfolio of Sam Patel", *heads) for page in shown)
    for item in records:
        for answer in (
            item.title,
            item.activity_type,
            item.description,
            item.learning,
            item.impact,
            item.peer_reflection_with,
            item.peer_reflection,
            item.source_url,
        ):
            assert squash(answer) in everything, answer[:60]
    # A long word or address is whole on one page, never cut at the edge.
    assert all(
        any(squash(value) in page.squashed for page in shown) for value in (LONG_WORD, LONG_URL)
    )
