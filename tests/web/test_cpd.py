"""CPD records in the web app: write, check, change, delete and export a portfolio."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pypdf
from fastapi import FastAPI
from sqlalchemy import select

from safeside.audit_log.models import AuditEvent
from safeside.learning.cpd.models import CpdRecord
from safeside.learning.standards import registration_year

from .support import TestClient, csrf, visible_text

TODAY = date.today().isoformat()
START = registration_year(date.today())[0].isoformat()

COMPLETE = {
    "activity_type": "Online discussion (peer learning)",
    "title": "Boundaries with families on WhatsApp",
    "activity_date": TODAY,
    "description": "Took part in a peer chat about messaging families outside work hours.",
    "learning": "Work phones and agreed hours protect both me and the family.",
    "impact": "I will agree contact hours at the first visit and record them.",
    "peer_reflection_with": "My supervisor",
    "peer_reflection": "We talked through my out-of-hours messages.",
    "standards": ["4.6", "5.6"],
    "pcf_domains": ["Professionalism", "Values and ethics"],
}


def write(client: TestClient, **changes: object) -> int:
    """Write a record through the form; its id."""
    data = {**COMPLETE, **changes, "csrf_token": csrf(client, "/learning/cpd/new")}
    response = client.post("/learning/cpd/new", data=data)
    assert response.status_code == 303, visible_text(response.text)[:500]
    return int(response.headers["location"].rsplit("/", 1)[1])


def export(client: TestClient, fmt: str, **changes: str) -> bytes:
    start, end = registration_year(date.today())
    data = {"start": start.isoformat(), "end": end.isoformat(), "format": fmt, **changes}
    data["csrf_token"] = csrf(client, "/learning/cpd/export")
    response = client.post("/learning/cpd/export", data=data)
    assert response.status_code == 200, visible_text(response.text)[:500]
    assert "attachment" in response.headers["content-disposition"]
    return response.content


def test_a_practitioner_writes_a_complete_record(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    record_id = write(sam)
    page = visible_text(sam.get(f"/learning/cpd/{record_id}").text)
    assert "Saved. This record is complete." in page
    assert "Work phones and agreed hours" in page
    assert "5.6 Not use technology or social media unlawfully" in page
    listing = visible_text(sam.get("/learning/cpd").text)
    assert "Boundaries with families on WhatsApp" in listing
    assert "1 completed record" in listing and "1 with peer reflection" in listing
    with app.state.database.session() as session:
        record = session.get(CpdRecord, record_id)
        assert record is not None and record.status == "complete"
        assert record.standards == ["4.6", "5.6"]
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "created_cpd_record" in actions


def test_two_records_one_with_peer_reflection_meet_the_requirement(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    write(sam)
    write(
        sam, title="Reading on jigsaw identification", peer_reflection_with="", peer_reflection=""
    )
    assert "Requirement met" in sam.get("/learning").text


def test_missing_answers_are_explained_next_to_each_field(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    token = csrf(sam, "/learning/cpd/new")
    response = sam.post(
        "/learning/cpd/new", data={"csrf_token": token, "activity_date": "27/11/2026"}
    )
    assert response.status_code == 400
    page = visible_text(response.text)
    assert page.count("Select the type of activity") == 2  # summary and field
    assert "Enter a title for this CPD" in page
    assert "Enter the date of the activity" in page
    assert "<title>Error: Write a CPD record" in response.text


def test_a_draft_stays_a_draft_until_its_prompts_are_replaced(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    record_id = write(sam, impact="[How will this change your practice?]")
    page = visible_text(sam.get(f"/learning/cpd/{record_id}").text)
    assert "Saved as a draft" in page and "Replace the prompts" in page
    data = {**COMPLETE, "csrf_token": csrf(sam, f"/learning/cpd/{record_id}/edit")}
    assert sam.post(f"/learning/cpd/{record_id}/edit", data=data).status_code == 303
    assert "This record is complete" in visible_text(sam.get(f"/learning/cpd/{record_id}").text)


def test_a_record_that_could_identify_someone_is_flagged_and_kept_out_of_exports(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    safe = write(sam)
    # The test engine reads "Hillside Primary" as a school: an identifying detail. The
    # check runs before saving; the practitioner chose to save it as it is.
    flagged = write(
        sam,
        title="A hard visit",
        learning="The boy from Hillside Primary was upset.",
        confirm_flagged="yes",
    )
    page = visible_text(sam.get(f"/learning/cpd/{flagged}").text)
    assert "This record may identify someone you support" in page
    assert (
        "What did you learn? : identifying detail (school or nursery): “Hillside Primary”" in page
    )
    portfolio = json.loads(export(sam, "json"))
    assert [r["id"] for r in portfolio["records"]] == [safe]
    assert portfolio["left_out"] == [
        {"id": flagged, "title": "A hard visit", "why": "it may identify someone you support"}
    ]


def test_the_portfolio_pdf_shows_every_record_with_its_reflection_tags_and_source(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    write(sam)
    write(sam, title="Jigsaw identification reading", source_url="https://example.org/blog")
    data = export(sam, "pdf")
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    for words in (
        "CPD portfolio",
        "Boundaries with families on WhatsApp",
        "Jigsaw identification reading",
        "We talked through my out-of-hours messages.",
        "Standard 5.6: Act safely, respectfully and with professional integrity",
        "Professionalism; Values and ethics",
        "Written by hand: https://example.org/blog",
    ):
        assert words in flat, words


def test_the_portfolio_csv_opens_safely_in_a_spreadsheet(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    write(sam, title='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(export(sam, "csv").decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["standards"] == "4.6; 5.6"


def test_an_export_with_nothing_in_it_says_why(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    write(sam, impact="")  # a draft
    token = csrf(sam, "/learning/cpd/export")
    response = sam.post(
        "/learning/cpd/export",
        data={"csrf_token": token, "start": START, "end": TODAY, "format": "pdf"},
    )
    assert response.status_code == 400
    assert "(it is a draft)" in visible_text(response.text)


def test_a_record_starts_from_a_post_the_practitioner_read(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    token = csrf(sam, "/learning/cpd/from-post")
    response = sam.post(
        "/learning/cpd/from-post",
        data={
            "csrf_token": token,
            "post_text": "Five things I wish I had known about court reports",
            "post_author": "@swblogger",
            "post_url": "https://example.org/court-reports",
        },
    )
    assert response.status_code == 200
    assert 'value="Five things I wish I had known about court reports"' in response.text
    assert 'name="source_kind" value="post"' in response.text
    assert "Read a post by @swblogger" in response.text


def test_nobody_else_can_see_change_or_delete_a_record(
    signed_in: Callable[[str], TestClient],
) -> None:
    record_id = write(signed_in("practitioner"))
    for who in ("manager", "admin", "other_team_practitioner"):
        other = signed_in(who)
        assert other.get(f"/learning/cpd/{record_id}").status_code == 404
        assert other.get(f"/learning/cpd/{record_id}/edit").status_code == 404
        token = csrf(other, "/learning/cpd")
        data = {**COMPLETE, "csrf_token": token}
        assert other.post(f"/learning/cpd/{record_id}/edit", data=data).status_code == 404
        assert other.post(f"/learning/cpd/{record_id}/delete", data=data).status_code == 404
        assert "Boundaries with families" not in other.get("/learning/cpd").text


def test_a_record_can_be_deleted_by_its_owner(signed_in: Callable[[str], TestClient]) -> None:
    sam = signed_in("practitioner")
    record_id = write(sam)
    assert "You cannot undo this" in sam.get(f"/learning/cpd/{record_id}/delete").text
    token = csrf(sam, f"/learning/cpd/{record_id}/delete")
    response = sam.post(f"/learning/cpd/{record_id}/delete", data={"csrf_token": token})
    assert response.headers["location"] == "/learning/cpd"
    assert sam.get(f"/learning/cpd/{record_id}").status_code == 404
