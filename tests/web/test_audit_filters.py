"""The audit page: filters by person, case, event and dates; CSV of what is shown; case
references instead of ids; UK times; the same roles as before (issue #13, item 7)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from safeside.access.models import User
from safeside.audit_log.log import append_event
from safeside.audit_log.models import AuditEvent
from safeside.db.session import Database
from safeside.web.times import when as uk_when

from .support import TestClient, visible_text
from .test_page_invariants import test_page_follows_the_design_system_basics as follows_basics

#: Demo user ids, in seed order.
SAM, JO, KIM = 1, 3, 6


def rows(html: str) -> list[list[str]]:
    """The audit table's rows, as the cells' words."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        [visible_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_events_filter_by_event_name(signed_in: Callable[[str], TestClient]) -> None:
    jo = signed_in("manager")
    response = jo.get("/audit?event=captured_evidence")
    assert response.status_code == 200
    found = rows(response.text)
    assert found and all(row[2] == "Captured evidence" for row in found)
    assert '<option value="captured_evidence" selected>' in response.text


def test_events_filter_by_person(signed_in: Callable[[str], TestClient]) -> None:
    found = rows(signed_in("manager").get(f"/audit?person={SAM}").text)
    assert found and all(row[1] == "Sam Patel" for row in found)


def test_events_filter_by_case_and_show_its_reference(
    signed_in: Callable[[str], TestClient],
) -> None:
    response = signed_in("manager").get("/audit?case=EA-2026-0142")
    found = rows(response.text)
    assert found and all(row[3] == "EA-2026-0142" for row in found)
    assert '<a class="govuk-link" href="/cases/1">EA-2026-0142</a>' in response.text


def test_the_unfiltered_list_shows_references_not_ids(
    signed_in: Callable[[str], TestClient],
) -> None:
    cases = {row[3] for row in rows(signed_in("legal").get("/audit").text)}
    assert "EA-2026-0142" in cases
    assert not any(c.isdigit() for c in cases), cases


def test_filters_combine_and_dates_are_uk_days(signed_in: Callable[[str], TestClient]) -> None:
    jo = signed_in("manager")
    both = rows(jo.get(f"/audit?person={SAM}&event=captured_evidence&from={today()}").text)
    assert both and all(r[1] == "Sam Patel" and r[2] == "Captured evidence" for r in both)
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    none = jo.get(f"/audit?from={tomorrow}")
    assert rows(none.text) == [["No events match the filters."]]
    yesterday = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    assert rows(jo.get(f"/audit?to={yesterday}").text) == [["No events match the filters."]]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-02-30", "from", "The date from must be a real date, like 2026-03-14"),
        ("to=yesterday", "to", "The date to must be a real date, like 2026-03-14"),
        (
            "from=2026-03-14&to=2026-03-01",
            "to",
            "The date to must be the same as or after the date from",
        ),
        ("person=abc", "person", "Select a person from the list"),
        ("person=99999999999999999999", "person", "Select a person from the list"),
        (f"person={KIM}", "person", "Select a person from the list"),  # another team's
        ("case=WE-2026-0031", "case", "Select a case from the list"),  # another team's
        ("event=dropped_tables", "event", "Select an event from the list"),
    ],
)
def test_a_wrong_filter_gets_a_design_system_error(
    signed_in: Callable[[str], TestClient], query: str, field: str, message: str
) -> None:
    response = signed_in("manager").get(f"/audit?{query}")
    assert response.status_code == 400
    page = visible_text(response.text)
    assert f"There is a problem {message}" in page
    assert f'href="#{field}"' in response.text
    assert "<title>Error: Audit" in response.text
    assert "Download these events" not in page


def test_pages_keep_the_filters(signed_in: Callable[[str], TestClient], database: Database) -> None:
    with database.session() as session:
        jo = session.get_one(User, JO)
        for _ in range(105):
            append_event(session, "viewed_tasks", actor=jo)
    html = signed_in("manager").get("/audit?event=viewed_tasks").text
    assert 'href="/audit?page=2&amp;event=viewed_tasks"' in html
    second = signed_in("manager").get("/audit?page=2&event=viewed_tasks").text
    assert rows(second) and all(r[2] == "Viewed actions" for r in rows(second))


def test_times_are_shown_in_uk_time() -> None:
    assert uk_when(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 July 2026 at 13:00 BST"
    assert uk_when(datetime(2026, 1, 15, 9, 30, tzinfo=UTC)) == "15 January 2026 at 09:30 GMT"


def test_the_page_shows_uk_times(signed_in: Callable[[str], TestClient]) -> None:
    found = rows(signed_in("manager").get("/audit").text)
    assert all(row[0].endswith(("GMT", "BST")) for row in found)


def test_the_csv_holds_the_filtered_events(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    jo = signed_in("manager")
    response = jo.get("/audit/download?case=EA-2026-0142&event=captured_evidence")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="safeside-audit-'
    )
    table = read_csv(response.content)
    assert table[0] == [
        "Event",
        "When (UK time)",
        "Who",
        "What",
        "Event name",
        "Case",
        "Record",
        "Detail",
        "Event hash",
    ]
    assert len(table) > 1
    for row in table[1:]:
        assert row[3] == "Captured evidence" and row[5] == "EA-2026-0142"
        assert row[1].endswith(("GMT", "BST"))
    with database.session() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and last.action == "exported_audit"
    assert last.detail["events"] == len(table) - 1
    assert last.detail["event"] == "captured_evidence"


def test_every_csv_cell_is_neutralised(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    with database.session() as session:
        jo = session.get_one(User, JO)
        jo.full_name = '=HYPERLINK("http://evil.example","Jo")'  # a name a spreadsheet would run
        append_event(session, "viewed_tasks", actor=jo, detail={"note": "@SUM(1+1)"})
    table = read_csv(signed_in("legal").get("/audit/download?event=viewed_tasks").content)
    names = [row[2] for row in table[1:]]
    assert '\'=HYPERLINK("http://evil.example","Jo")' in names
    for row in table:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_wrong_filter_on_the_download_shows_the_page_with_the_error(
    signed_in: Callable[[str], TestClient],
) -> None:
    response = signed_in("manager").get("/audit/download?from=31/12/2026")
    assert response.status_code == 400
    assert "The date from must be a real date" in visible_text(response.text)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("practitioner", 403),
        ("practitioner_not_member", 403),
        ("manager", 200),
        ("legal", 200),
        ("admin", 200),
        ("other_team_manager", 200),
    ],
)
def test_the_same_roles_read_and_download_the_audit_log(
    signed_in: Callable[[str], TestClient], who: str, status: int
) -> None:
    client = signed_in(who)
    assert client.get("/audit").status_code == status
    download = client.get("/audit/download")
    assert download.status_code == status
    if who == "other_team_manager":
        assert "EA-2026-0142" not in download.text
        assert "Sam Patel" not in download.text


def test_viewing_a_filtered_list_is_audited(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    signed_in("manager").get(f"/audit?person={SAM}&case=EA-2026-0142")
    with database.session() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and last.action == "viewed_audit"
    assert last.detail == {"page": 1, "person": SAM, "case": 1}


@pytest.mark.parametrize(
    "path",
    ["/audit", "/audit?event=captured_evidence&from=2026-01-01", "/audit?case=EA-2026-0142"],
)
def test_the_audit_pages_follow_the_design_system_basics(
    signed_in: Callable[[str], TestClient], client: TestClient, path: str
) -> None:
    follows_basics("manager", path, signed_in, client)
