"""Sessions live on the server: a copied cookie dies with the session it came from.

Sign-out, a password change or reset and disabling an account end every session of
that user; a session also ends after 30 minutes without a request and 8 hours after
sign-in, and the user is told why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select

from safeside.access.models import User, UserSession
from safeside.audit_log.models import AuditEvent
from safeside.db.session import Database
from safeside.demo.seed import DEMO_PASSWORD

from .support import EMAILS, Clock, TestClient, csrf, new_client, try_sign_in, visible_text

NEW_PASSWORD = "correct horse battery staple"


def copy_of(app: FastAPI, client: TestClient) -> TestClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    thief = new_client(app, "203.0.113.66")
    thief.__enter__()
    for cookie in client.cookies.jar:
        thief.cookies.jar.set_cookie(cookie)
    return thief


def is_signed_out(client: TestClient, path: str = "/cases") -> bool:
    response = client.get(path)
    return response.status_code == 303 and response.headers["location"].startswith("/sign-in")


def sign_out(client: TestClient) -> None:
    assert client.post("/sign-out", data={"csrf_token": csrf(client, "/")}).status_code == 303


def sign_in_page_says(client: TestClient) -> str:
    return visible_text(client.get("/sign-in").text)


def test_a_copied_cookie_stops_working_when_its_user_signs_out(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    thief = copy_of(app, sam)
    assert thief.get("/cases").status_code == 200
    assert thief.get("/cases/1/evidence/1/original").status_code == 200

    sign_out(sam)

    assert is_signed_out(thief, "/cases")
    assert is_signed_out(thief, "/cases/1/evidence/1/original")
    thief.__exit__(None, None, None)


def test_signing_out_ends_every_session_of_the_user(
    signed_in: Callable[[str], TestClient],
) -> None:
    laptop, phone = signed_in("practitioner"), signed_in("practitioner")
    colleague = signed_in("manager")
    sign_out(laptop)
    assert is_signed_out(phone)
    assert "You have been signed out. Sign in again to continue." in sign_in_page_says(phone)
    assert colleague.get("/cases").status_code == 200


def test_a_session_ends_after_30_minutes_without_a_request(
    clock: Clock, signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam = signed_in("practitioner")
    for _ in range(3):  # busy for 87 minutes: each request keeps the session going
        clock.advance(minutes=29)
        assert sam.get("/cases").status_code == 200
    clock.advance(minutes=30)
    assert is_signed_out(sam)
    assert (
        "You have been signed out because you had not used Safeside for 30 minutes. "
        "Sign in again to continue." in sign_in_page_says(sam)
    )
    with database.session() as session:
        ended = session.scalars(select(UserSession).where(UserSession.user_id == 1)).one()
        assert ended.ended_reason == "idle"
        assert (
            session.scalars(select(AuditEvent).where(AuditEvent.action == "session_ended"))
            .one()
            .actor_name
            == "Sam Patel"
        )


def test_a_session_ends_8_hours_after_sign_in_however_busy(
    signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam = signed_in("practitioner")
    with database.session() as session:  # signed in 8 hours ago, busy ever since
        for row in session.scalars(select(UserSession)):
            row.created_at -= timedelta(hours=8, seconds=1)
    assert is_signed_out(sam)
    assert (
        "You have been signed out because you had been signed in for 8 hours."
        in sign_in_page_says(sam)
    )


def test_the_time_limits_are_shown_on_every_page(
    client: TestClient, signed_in: Callable[[str], TestClient]
) -> None:
    line = "You will be signed out after 30 minutes of inactivity, and always 8 hours after"
    assert line in visible_text(client.get("/sign-in").text)
    assert line in visible_text(signed_in("manager").get("/cases").text)


def change_password(client: TestClient, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": csrf(client, "/account/password"),
        },
    )


def test_changing_your_password_signs_you_out_everywhere_else(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    here, elsewhere = signed_in("practitioner"), signed_in("practitioner")
    response = change_password(here, DEMO_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    assert "Your password has been changed" in visible_text(here.get("/").text)
    assert here.get("/cases").status_code == 200
    assert is_signed_out(elsewhere)

    fresh = new_client(app)
    with fresh:
        assert try_sign_in(fresh, EMAILS["practitioner"], DEMO_PASSWORD)[0] == 400
        assert try_sign_in(fresh, EMAILS["practitioner"], NEW_PASSWORD)[0] == 303


def test_the_password_form_says_how_to_fix_each_problem(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    cases = [
        ("wrong", NEW_PASSWORD, None, "Your current password is not correct"),
        (DEMO_PASSWORD, "short", None, "Password must be 12 characters or more"),
        (DEMO_PASSWORD, NEW_PASSWORD, "different", "Enter the same new password twice"),
        ("", NEW_PASSWORD, None, "Enter your current password"),
    ]
    for current, new, confirm, message in cases:
        response = change_password(sam, current, new, confirm)
        assert response.status_code == 400
        assert f"There is a problem {message}" in visible_text(response.text)


def test_disabling_an_account_signs_its_user_out_and_keeps_them_out(
    app: FastAPI, signed_in: Callable[[str], TestClient], database: Database
) -> None:
    sam, ash = signed_in("practitioner"), signed_in("admin")
    response = ash.post("/users/1/disable", data={"csrf_token": csrf(ash, "/users/1")})
    assert response.status_code == 303
    assert "Sam Patel's account is disabled" in visible_text(ash.get("/users/1").text)
    assert is_signed_out(sam)

    with new_client(app) as browser:
        status, page = try_sign_in(browser, EMAILS["practitioner"], DEMO_PASSWORD)
        assert status == 403 and "Your account has been disabled" in page
        status, page = try_sign_in(browser, EMAILS["practitioner"], "a guess")
        assert status == 400 and "disabled" not in page  # a wrong password tells nothing

        ash.post("/users/1/enable", data={"csrf_token": csrf(ash, "/users/1")})
        assert try_sign_in(browser, EMAILS["practitioner"], DEMO_PASSWORD)[0] == 303
    with database.session() as session:
        assert session.get_one(User, 1).disabled_at is None


def test_only_an_administrator_disables_and_never_their_own_account(
    signed_in: Callable[[str], TestClient],
) -> None:
    jo, ash = signed_in("manager"), signed_in("admin")
    assert jo.post("/users/1/disable", data={"csrf_token": csrf(jo, "/")}).status_code == 404
    response = ash.post("/users/5/disable", data={"csrf_token": csrf(ash, "/")})
    assert response.status_code == 400
    assert "You cannot disable or enable your own account" in visible_text(response.text)
