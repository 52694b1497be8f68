"""CPD: the counts beside the list match the records listed, and a record that could
identify someone is checked before it is saved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from fastapi import FastAPI
from sqlalchemy import func, select

from safeside.audit_log.models import AuditEvent
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.standards import registration_year

from .support import TestClient, csrf, visible_text
from .test_cpd import COMPLETE

CHILD = "The boy from Hillside Primary was upset after contact."


def counts(app: FastAPI) -> tuple[int, int]:
    """(CPD records, audit events about creating or changing one)."""
    with app.state.database.session() as session:
        records = session.scalar(select(func.count(CpdRecord.id))) or 0
        events = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action.in_(("created_cpd_record", "updated_cpd_record"))
            )
        )
        return int(records), int(events or 0)


def post(client: TestClient, path: str, **changes: str) -> tuple[int, str, str]:
    data = {**COMPLETE, **changes, "csrf_token": csrf(client, path)}
    response = client.post(path, data=data)
    return response.status_code, response.headers.get("location", ""), response.text


def test_the_count_is_of_the_records_listed_under_it(
    signed_in: Callable[[str], TestClient],
) -> None:
    """The demo's two completed records are dated last registration year."""
    page = visible_text(signed_in("practitioner").get("/learning/cpd").text)
    start, end = registration_year(date.today())
    last_start, last_end = registration_year(start - timedelta(days=1))
    year = f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    assert f"This registration year runs from {year}" in page
    assert "0 completed records this year" in page
    assert "You have no records dated in this registration year yet." in page
    assert "2 records from earlier registration years" in page
    earlier = (
        f"Registration year {last_start.day} {last_start:%B %Y} to {last_end.day} {last_end:%B %Y}"
    )
    assert f"{earlier} (2 records, 2 completed)" in page


def test_a_record_this_year_is_counted_and_listed_under_the_count(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    status, _, _ = post(sam, "/learning/cpd/new")
    assert status == 303
    page = visible_text(sam.get("/learning/cpd").text)
    assert "1 completed record this year" in page
    assert "This registration year (1 record, 1 completed)" in page
    assert page.index("This registration year (1 record") < page.index("Boundaries with families")
    assert page.index("Boundaries with families") < page.index("(2 records, 2 completed)")


def test_a_record_naming_a_child_is_checked_before_it_is_saved(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    before = counts(app)
    status, _, html = post(sam, "/learning/cpd/new", learning=CHILD)
    page = visible_text(html)
    assert status == 200
    assert counts(app) == before, "nothing is saved or audited before the practitioner decides"
    assert "Not saved yet" in page and "This record may identify someone you support" in page
    assert (
        "What did you learn? : identifying detail (school or nursery): “Hillside Primary”" in page
    )
    assert 'href="#learning"' in html
    assert "Save it as it is" in page
    assert CHILD in html  # what they wrote is still in the form, to edit

    status, location, _ = post(sam, "/learning/cpd/new", learning="Contact can unsettle a child.")
    assert status == 303
    record = visible_text(sam.get(location).text)
    assert "Saved. This record is complete." in record
    assert counts(app) == (before[0] + 1, before[1] + 1)


def test_the_practitioner_may_save_it_as_it_is_and_it_stays_flagged(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    status, location, _ = post(sam, "/learning/cpd/new", learning=CHILD, confirm_flagged="yes")
    assert status == 303
    page = visible_text(sam.get(location).text)
    assert "This record may identify someone you support" in page
    with app.state.database.session() as session:
        record = session.scalars(select(CpdRecord).order_by(CpdRecord.id.desc())).first()
        assert record is not None and record.safety


def test_an_edit_is_checked_before_it_is_saved_too(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    status, location, _ = post(sam, "/learning/cpd/new")
    assert status == 303
    edit = location + "/edit"
    before = counts(app)
    status, _, html = post(sam, edit, impact=CHILD)
    assert status == 200 and "Not saved yet" in visible_text(html)
    assert counts(app) == before
    with app.state.database.session() as session:
        record = session.get(CpdRecord, int(location.rsplit("/", 1)[1]))
        assert record is not None and CHILD not in record.impact
