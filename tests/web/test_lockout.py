"""Sign-in lockout by account and by source (client IP), with exponential back-off.

The app's clock is fixed at 14:00 UK summer time (13:00 UTC) and moved on by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from safeside.access.models import User
from safeside.db.session import Database
from safeside.demo.seed import DEMO_PASSWORD

from .support import EMAILS, Clock, TestClient, csrf, new_client, try_sign_in, visible_text

SUMMER_2PM = datetime(2026, 7, 1, 13, 0, tzinfo=UTC)  # 14:00 in London (BST)
WRONG = "Enter a correct email address and password"
ACCOUNT_LOCKED = "There have been too many wrong attempts to sign in to this account."
SOURCE_LOCKED = "There have been too many wrong attempts to sign in from this device or network."

Browser = Callable[[str], TestClient]


@pytest.fixture
def at_2pm(clock: Clock) -> Clock:
    clock.now = SUMMER_2PM
    return clock


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Browser]:
    """``browser("10.0.0.1")``: a new browser at that IP address."""
    opened: list[TestClient] = []

    def make(source: str) -> TestClient:
        client = new_client(app, source)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def user_id(database: Database, who: str) -> int:
    with database.session() as session:
        return session.scalars(select(User.id).where(User.email == EMAILS[who])).one()


def fail(client: TestClient, email: str, times: int = 1) -> tuple[int, str]:
    result = (0, "")
    for _ in range(times):
        result = try_sign_in(client, email, "not-the-password")
    return result


def test_five_wrong_passwords_lock_that_source_and_say_until_when(
    at_2pm: Clock, browser: Browser
) -> None:
    home = browser("10.0.0.1")
    status, page = fail(home, EMAILS["legal"], 4)
    assert status == 400 and WRONG in page
    status, page = fail(home, EMAILS["legal"])  # the fifth
    assert status == 429
    assert ACCOUNT_LOCKED in page
    assert "Try again after 14:01, or ask your manager to unlock your account." in page
    assert WRONG not in page
    status, page = try_sign_in(home, EMAILS["legal"], DEMO_PASSWORD)  # even the right one
    assert status == 429 and "Try again after 14:01" in page


def test_the_wait_doubles_and_other_sources_wait_only_briefly(
    at_2pm: Clock, browser: Browser
) -> None:
    attacker, owner = browser("203.0.113.7"), browser("10.0.0.2")
    waits = []
    for _ in range(4):  # failures 5 to 8, each as soon as the last lock ends
        _, page = fail(attacker, EMAILS["legal"], 5 if not waits else 1)
        waits.append(page.split("Try again after ")[1][:5])
        attacker_until = datetime.strptime(waits[-1], "%H:%M")
        at_2pm.now = SUMMER_2PM.replace(hour=attacker_until.hour - 1, minute=attacker_until.minute)
    assert waits == ["14:01", "14:03", "14:07", "14:15"]  # 1, 2, 4, 8 minutes

    # The owner, elsewhere, is held back for at most 5 minutes after the last failure...
    at_2pm.now = SUMMER_2PM.replace(minute=7)
    status, page = try_sign_in(owner, EMAILS["legal"], DEMO_PASSWORD)
    assert status == 429 and "Try again after 14:12" in page
    at_2pm.now = SUMMER_2PM.replace(minute=12)
    assert try_sign_in(owner, EMAILS["legal"], DEMO_PASSWORD)[0] == 303
    # ...while the attacker's source is still locked out of the account.
    status, page = try_sign_in(attacker, EMAILS["legal"], DEMO_PASSWORD)
    assert status == 429 and "Try again after 14:15" in page


def test_an_unknown_email_address_locks_exactly_like_a_real_one(
    at_2pm: Clock, browser: Browser
) -> None:
    real, unknown = browser("10.0.0.3"), browser("10.0.0.4")
    real_pages = [fail(real, EMAILS["legal"]) for _ in range(6)]
    unknown_pages = [fail(unknown, "nobody@northshire.example") for _ in range(6)]
    assert real_pages == unknown_pages
    assert [status for status, _ in real_pages] == [400, 400, 400, 400, 429, 429]


def test_spraying_many_accounts_from_one_source_locks_that_source_only(
    at_2pm: Clock, browser: Browser
) -> None:
    sprayer = browser("198.51.100.9")
    emails = [*EMAILS.values()][:5] + [f"guess{n}@northshire.example" for n in range(5)]
    pages = [try_sign_in(sprayer, email, "Password1")[1] for email in emails]  # 10 failures
    assert all(WRONG in page for page in pages[:9])
    assert SOURCE_LOCKED in pages[9] and "Try again after 14:01." in pages[9]

    status, page = try_sign_in(sprayer, EMAILS["manager"], DEMO_PASSWORD)
    assert status == 429 and SOURCE_LOCKED in page
    assert try_sign_in(browser("10.0.0.7"), EMAILS["manager"], DEMO_PASSWORD)[0] == 303


def test_fifty_unknown_addresses_from_one_source_are_mostly_refused_unchecked(
    at_2pm: Clock, browser: Browser
) -> None:
    sprayer = browser("198.51.100.10")
    pages = [fail(sprayer, f"user{n}@example.org")[1] for n in range(50)]
    assert sum(WRONG in page for page in pages) == 9
    assert sum(SOURCE_LOCKED in page for page in pages) == 41
    at_2pm.advance(minutes=1)
    _, page = fail(sprayer, "one.more@example.org")
    assert "Try again after 14:03." in page  # the next lock is twice as long


def test_a_manager_unlocks_an_account_in_their_team(
    at_2pm: Clock,
    browser: Browser,
    signed_in: Callable[[str], TestClient],
    database: Database,
) -> None:
    lee = browser("10.0.0.8")
    fail(lee, EMAILS["legal"], 5)
    jo = signed_in("manager")
    lee_id = user_id(database, "legal")
    assert f"Lee Adeyemi {EMAILS['legal']} Legal adviser" in visible_text(jo.get("/users").text)
    assert "Locked until 14:01" in visible_text(jo.get(f"/users/{lee_id}").text)

    response = jo.post(f"/users/{lee_id}/unlock", data={"csrf_token": csrf(jo, "/users")})
    assert response.status_code == 303
    assert "Lee Adeyemi's account is unlocked" in visible_text(
        jo.get(response.headers["location"]).text
    )
    assert try_sign_in(lee, EMAILS["legal"], DEMO_PASSWORD)[0] == 303

    page = jo.get("/audit").text
    rows = visible_text(page[page.index("<tbody") :])  # the events, not the filter's options
    assert "Sign-in locked after wrong attempts" in rows
    assert "Jo Reid Unlocked an account" in rows


@pytest.mark.parametrize(
    ("who", "page", "unlock"),
    [("other_team_manager", 404, 404), ("practitioner", 404, 404), ("admin", 200, 303)],
)
def test_who_may_unlock_an_account(
    who: str,
    page: int,
    unlock: int,
    signed_in: Callable[[str], TestClient],
    database: Database,
) -> None:
    client = signed_in(who)
    lee_id = user_id(database, "legal")
    assert client.get(f"/users/{lee_id}").status_code == page
    token = csrf(client, "/")
    assert client.post(f"/users/{lee_id}/unlock", data={"csrf_token": token}).status_code == unlock
