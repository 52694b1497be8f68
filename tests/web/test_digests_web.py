"""Chat digests in the web app: upload an export, read the digest, one step to CPD."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from safeside.check import engine_check
from safeside.db.session import Database
from safeside.learning.cpd.models import CpdRecord
from safeside.settings import Settings
from safeside.web import create_app

from .support import TestClient, csrf, new_client, sign_in, visible_text

FIXTURES = Path(__file__).parents[1] / "fixtures" / "learning"


def upload(client: TestClient, path: Path, hashtag: str = "") -> httpx.Response:
    token = csrf(client, "/learning/digests")
    return client.post(
        "/learning/digests",
        data={"csrf_token": token, "hashtag": hashtag},
        files={"upload": (path.name, path.read_bytes(), "text/csv")},
    )


def test_a_chat_transcript_becomes_a_digest_and_then_a_draft_cpd_record(
    signed_in: Callable[[str], TestClient], app: FastAPI
) -> None:
    sam = signed_in("practitioner")
    response = upload(sam, FIXTURES / "swchat-transcript.csv", "#swchat")
    assert response.status_code == 303, visible_text(response.text)[:400]
    digest_url = response.headers["location"]
    page = visible_text(sam.get(digest_url).text)
    assert "#SWChat digest" in page
    assert "Summary" in page and "Participants" in page and "Most-shared links" in page
    assert digest_url.removeprefix("/learning/digests/") in sam.get("/learning/digests").text

    token = csrf(sam, digest_url)
    made = sam.post(f"{digest_url}/cpd", data={"csrf_token": token})
    assert made.status_code == 303
    record_id = int(made.headers["location"].split("/")[3])
    assert made.headers["location"] == f"/learning/cpd/{record_id}/edit"
    with app.state.database.session() as session:
        record = session.get(CpdRecord, record_id)
        assert record is not None
        assert record.source_kind == "digest" and record.source_ref.startswith("digest-")
        assert record.activity_type == "Online discussion (peer learning)"
        assert record.status == "draft"  # the practitioner still writes what they learnt
    form = sam.get(made.headers["location"]).text
    assert "[What did you learn? Write it in your own words.]" in form


def test_a_digest_that_could_identify_a_child_cannot_become_cpd(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings, database=database, check=engine_check)  # the real engine
    with new_client(app) as sam:
        sign_in(sam, "practitioner")
        response = upload(sam, FIXTURES / "flagged-chat.csv")
        assert response.status_code == 303
        page = sam.get(response.headers["location"])
        text = visible_text(page.text)
        assert "This digest may identify someone people support" in text
        assert "Hillside Primary" in text
        assert "Make a draft CPD record" not in text
        token = csrf(sam, response.headers["location"])
        refused = sam.post(
            f"{response.headers['location']}/cpd",
            data={"csrf_token": token},
        )
        assert "cannot become a CPD record" in visible_text(
            sam.get(refused.headers["location"]).text
        )
    with database.session() as session:
        assert session.query(CpdRecord).filter_by(source_kind="digest").count() == 0


def test_a_file_that_is_not_an_export_is_refused_with_the_reason(
    signed_in: Callable[[str], TestClient], tmp_path: Path
) -> None:
    junk = tmp_path / "holiday.bin"
    junk.write_bytes(b"\x00\x01\x02 not an export")
    response = upload(signed_in("practitioner"), junk)
    assert response.status_code == 400
    page = visible_text(response.text)
    assert "There is a problem" in page and "holiday.bin" in page


def test_a_hashtag_nobody_used_is_explained(signed_in: Callable[[str], TestClient]) -> None:
    response = upload(signed_in("practitioner"), FIXTURES / "swchat-transcript.csv", "#nochat")
    assert response.status_code == 400
    assert "no threads use #nochat" in visible_text(response.text)


def test_a_digest_is_seen_only_by_whoever_built_it(signed_in: Callable[[str], TestClient]) -> None:
    response = upload(signed_in("practitioner"), FIXTURES / "swchat-transcript.csv")
    url = response.headers["location"]
    manager = signed_in("manager")
    assert manager.get(url).status_code == 404
    assert "You have not built a digest yet" in manager.get("/learning/digests").text
