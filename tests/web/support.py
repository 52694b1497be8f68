"""Helpers for web tests: demo sign-ins, CSRF tokens and reading pages as a person does."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

# Starlette warns that its test client will move to httpx2; that is its concern, not ours.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

from safeside.demo.seed import DEMO_PASSWORD  # noqa: E402

#: One demo user per role, plus people outside the first case and the first team.
EMAILS = {
    "practitioner": "sam.patel@northshire.example",
    "practitioner_not_member": "alex.morgan@northshire.example",
    "manager": "jo.reid@northshire.example",
    "legal": "lee.adeyemi@northshire.example",
    "admin": "ash.kowalski@northshire.example",
    "other_team_practitioner": "kim.lowe@northshire.example",
    "other_team_manager": "ro.hughes@northshire.example",
}

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_client(app: FastAPI, source: str = "testclient") -> TestClient:
    """A browser at ``source`` (its IP address, as sign-in throttling sees it).

    https, because the session cookie is Secure and is never sent over plain http.
    """
    return TestClient(
        app, base_url="https://testserver", follow_redirects=False, client=(source, 50000)
    )


def csrf(client: TestClient, path: str = "/sign-in") -> str:
    """The CSRF token from the form on ``path``."""
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def try_sign_in(client: TestClient, email: str, password: str) -> tuple[int, str]:
    """Submit the sign-in form; the status and the page's words ("" after a redirect)."""
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": csrf(client)}
    )
    return response.status_code, "" if response.status_code == 303 else visible_text(response.text)


def sign_in(client: TestClient, who: str, password: str = DEMO_PASSWORD) -> TestClient:
    status, page = try_sign_in(client, EMAILS[who], password)
    assert status == 303, page
    return client


def visible_text(html: str) -> str:
    """The page's words as a person reads them (tags removed, spaces normalised)."""
    without_tags = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
    text = re.sub(r"\s+", " ", without_tags).replace("&#39;", "'").replace("&quot;", '"')
    return text.replace("&amp;", "&").strip()


class SignedInClients:
    """``make("manager")`` gives a client signed in as that demo user; ``close()`` ends
    every client it made (the ``signed_in`` fixture, for any app)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.clients: list[TestClient] = []

    def make(self, who: str) -> TestClient:
        client = new_client(self.app)
        client.__enter__()
        self.clients.append(client)
        return sign_in(client, who)

    def close(self) -> None:
        for client in self.clients:
            client.__exit__(None, None, None)


class Clock:
    """The app's clock, moved on by hand (``app.state.clock``): no sleeping in tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
