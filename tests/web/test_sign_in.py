"""Signing in and out: argon2, no user enumeration, cookie flags, CSRF.

Lockout and throttling: test_lockout.py; sessions ending: test_sessions.py."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from safeside.access.models import User
from safeside.db.session import Database
from safeside.demo.seed import DEMO_PASSWORD

from .support import EMAILS, TestClient, csrf, sign_in, try_sign_in, visible_text


def attempt(client: TestClient, email: str, password: str) -> str:
    status, page = try_sign_in(client, email, password)
    assert status in (303, 400, 429)
    return page or "signed in"


def test_pages_need_sign_in(client: TestClient) -> None:
    response = client.get("/cases")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/cases"


def test_sign_in_sets_a_secure_httponly_samesite_cookie(client: TestClient) -> None:
    response = client.post(
        "/sign-in",
        data={"email": EMAILS["manager"], "password": DEMO_PASSWORD, "csrf_token": csrf(client)},
    )
    cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "Jo Reid (Manager)" in visible_text(client.get("/").text)


def test_a_wrong_password_and_an_unknown_email_look_the_same(client: TestClient) -> None:
    wrong_password = attempt(client, EMAILS["manager"], "not-it")
    unknown_email = attempt(client, "nobody@northshire.example", "not-it")
    assert "Enter a correct email address and password" in wrong_password
    assert wrong_password == unknown_email


def test_five_wrong_passwords_lock_the_account(client: TestClient) -> None:
    for _ in range(5):
        attempt(client, EMAILS["legal"], "guess")
    assert "Try again after" in attempt(client, EMAILS["legal"], DEMO_PASSWORD)
    assert attempt(client, EMAILS["manager"], DEMO_PASSWORD) == "signed in"


def test_an_old_hash_is_upgraded_on_sign_in(client: TestClient, database: Database) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(DEMO_PASSWORD)
    with database.session() as session:
        user = session.scalars(select(User).where(User.email == EMAILS["admin"])).one()
        user.password_hash = weak
    sign_in(client, "admin")
    with database.session() as session:
        user = session.scalars(select(User).where(User.email == EMAILS["admin"])).one()
        assert user.password_hash != weak


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/sign-in")
    response = client.post("/sign-in", data={"email": EMAILS["manager"], "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "The form has expired" in visible_text(response.text)


def test_sign_out_ends_the_session(client: TestClient) -> None:
    sign_in(client, "practitioner")
    token = csrf(client, "/")
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/cases").status_code == 303


def test_sign_in_never_redirects_off_site(client: TestClient) -> None:
    response = client.post(
        "/sign-in",
        data={
            "email": EMAILS["manager"],
            "password": DEMO_PASSWORD,
            "next": "//evil.example/",
            "csrf_token": csrf(client),
        },
    )
    assert response.headers["location"] == "/"


def test_every_response_carries_security_headers(client: TestClient) -> None:
    headers = client.get("/sign-in").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
