"""An administrator makes a one-time, expiring link; the user sets a new password with it."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import FastAPI

from safeside.demo.seed import DEMO_PASSWORD

from .support import EMAILS, Clock, TestClient, csrf, new_client, try_sign_in, visible_text

NEW_PASSWORD = "three random words"
EXPIRED = "The link to set a new password has expired or has already been used."


def make_link(admin: TestClient, user_id: int = 1) -> str:
    response = admin.post(
        f"/users/{user_id}/reset-link", data={"csrf_token": csrf(admin, f"/users/{user_id}")}
    )
    assert response.status_code == 200, response.text
    page = visible_text(response.text)
    assert "It works once, until" in page
    match = re.search(r"https://testserver(/reset-password/[\w-]+)", page)
    assert match, page
    return match.group(1)


def set_password(client: TestClient, link: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        link,
        data={
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": csrf(client, "/sign-in"),  # the browser's session token
        },
    )


def test_a_reset_link_sets_a_new_password_once_and_signs_the_user_out(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    sam_at_work, ash = signed_in("practitioner"), signed_in("admin")
    link = make_link(ash)

    with new_client(app, "10.1.1.1") as sam_at_home:
        assert "Set a new password" in visible_text(sam_at_home.get(link).text)
        response = set_password(sam_at_home, link, NEW_PASSWORD)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in"
        assert "Your new password has been saved" in visible_text(sam_at_home.get("/sign-in").text)

        assert sam_at_work.get("/cases").status_code == 303  # the old session has ended
        assert try_sign_in(sam_at_home, EMAILS["practitioner"], DEMO_PASSWORD)[0] == 400
        assert try_sign_in(sam_at_home, EMAILS["practitioner"], NEW_PASSWORD)[0] == 303

    with new_client(app, "10.1.1.2") as someone_else:  # the link works once
        response = someone_else.get(link)
        assert response.status_code == 404 and EXPIRED in visible_text(response.text)
        assert set_password(someone_else, link, "another password here").status_code == 404

    audit = visible_text(signed_in("manager").get("/audit").text)
    assert "Ash Kowalski Made a password reset link" in audit
    assert "Sam Patel Set a new password with a reset link" in audit


def test_a_reset_link_expires(
    app: FastAPI, clock: Clock, signed_in: Callable[[str], TestClient]
) -> None:
    link = make_link(signed_in("admin"))
    clock.advance(hours=24, seconds=1)
    with new_client(app) as sam:
        response = sam.get(link)
        assert response.status_code == 404 and EXPIRED in visible_text(response.text)
        assert set_password(sam, link, NEW_PASSWORD).status_code == 404


def test_a_new_link_ends_the_older_one(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    ash = signed_in("admin")
    first, second = make_link(ash), make_link(ash)
    with new_client(app) as sam:
        assert sam.get(first).status_code == 404
        assert sam.get(second).status_code == 200


def test_a_reset_unlocks_the_account(app: FastAPI, signed_in: Callable[[str], TestClient]) -> None:
    with new_client(app, "10.1.1.3") as sam:
        for _ in range(5):
            try_sign_in(sam, EMAILS["practitioner"], "forgotten")
        assert try_sign_in(sam, EMAILS["practitioner"], DEMO_PASSWORD)[0] == 429
        set_password(sam, make_link(signed_in("admin")), NEW_PASSWORD)
        assert try_sign_in(sam, EMAILS["practitioner"], NEW_PASSWORD)[0] == 303


def test_the_new_password_form_says_how_to_fix_each_problem(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    link = make_link(signed_in("admin"))
    with new_client(app) as sam:
        for new, confirm, message in [
            ("", None, "Enter a new password"),
            ("too short", None, "Password must be 12 characters or more"),
            (NEW_PASSWORD, "something else", "Enter the same new password twice"),
            (EMAILS["practitioner"], None, "Password must not be your email address"),
        ]:
            response = set_password(sam, link, new, confirm)
            assert response.status_code == 400
            assert f"There is a problem {message}" in visible_text(response.text)
        assert set_password(sam, link, NEW_PASSWORD).status_code == 303  # still usable


def test_only_administrators_make_reset_links(signed_in: Callable[[str], TestClient]) -> None:
    for who in ("manager", "practitioner", "legal"):
        client = signed_in(who)
        response = client.post("/users/1/reset-link", data={"csrf_token": csrf(client, "/")})
        assert response.status_code == 404, who
    jo = signed_in("manager")
    assert "Make a password reset link" not in jo.get("/users/1").text
    assert "Make a password reset link" in signed_in("admin").get("/users/1").text
