"""Every route × every role: each asks the policy, and no route leaks another team's case."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from safeside.access.models import User
from safeside.access.policy import can
from safeside.cases.models import Case
from safeside.web.app import route_table
from safeside.web.security import PUBLIC_ROUTES

from .support import EMAILS, TestClient, csrf, new_client

ROLES = [None, *EMAILS]
#: Ids of the first demo records: case 1 is East team's EA-2026-0142 (Sam is a member).
IDS = {
    "case_id": "1",
    "justification_id": "1",
    "item_id": "1",
    "task_id": "1",
    # Learning: Sam's first demo CPD record; the rest are made in the tests that need them.
    "record_id": "1",
    "digest_id": "1",
    "completion_id": "1",
    "scenario_id": "friend-request-from-service-user",
    "step": "1",
    "page_id": "children-in-proceedings",
    "section": "1",
    # Accounts: Sam; a reset link that was never made.
    "user_id": "1",
    "token": "no-such-link",
}
CASE_1_WORDS = ("EA-2026-0142", "online abuse of worker")


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: IDS[m.group(1)], path)


def all_routes(app: FastAPI) -> list[tuple[str, str]]:
    return route_table(app)


def client_for(app: FastAPI, who: str | None, signed_in: Callable[[str], TestClient]) -> TestClient:
    if who is None:
        client = new_client(app)
        client.__enter__()
        return client
    return signed_in(who)


def test_the_route_table_is_what_the_docs_list(app: FastAPI) -> None:
    paths = {path for _, path in all_routes(app)}
    assert "/cases/{case_id}/concerns/new" in paths
    assert len(paths) >= 15
    assert all(
        re.fullmatch(r"[a-z0-9/{}_-]*", p) and "_" not in re.sub(r"{\w+}", "", p) for p in paths
    ), "URLs are kebab-case"


@pytest.mark.slow
@pytest.mark.parametrize("who", ROLES)
def test_every_route_asks_the_policy_for_every_role(
    app: FastAPI, who: str | None, signed_in: Callable[[str], TestClient]
) -> None:
    client = client_for(app, who, signed_in)
    token = csrf(client, "/sign-in" if who is None else "/")
    for method, path in all_routes(app):
        if path == "/sign-out":
            continue  # would end this client's session; covered in test_sign_in
        url = concrete(path)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.request(method, url, data={"csrf_token": token})
        assert response.status_code != 500, f"{method} {path} as {who}: {response.text[:200]}"
        assert "has no access check" not in response.text
        if who is None and (method, path) not in PUBLIC_ROUTES:
            assert response.status_code == 303, f"{method} {path} is open to anonymous users"
            if method == "GET":  # back to the page asked for, once signed in
                assert response.headers["location"] == f"/sign-in?next={url}", path


CASE_OUTCOMES = {
    "practitioner": 200,
    "practitioner_not_member": 404,
    "manager": 200,
    "legal": 200,
    "admin": 404,
    "other_team_practitioner": 404,
    "other_team_manager": 404,
}


@pytest.mark.parametrize(("who", "status"), CASE_OUTCOMES.items())
def test_only_members_and_their_teams_managers_and_lawyers_see_a_case(
    who: str, status: int, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in(who)
    assert client.get("/cases/1").status_code == status
    listing = client.get("/cases").text
    assert ("EA-2026-0142" in listing) == (status == 200)


@pytest.mark.slow
@pytest.mark.parametrize("who", ["other_team_practitioner", "other_team_manager"])
def test_no_route_leaks_another_teams_case(
    app: FastAPI, who: str, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in(who)
    token = csrf(client, "/")
    for method, path in all_routes(app):
        if path == "/sign-out":
            continue
        url = concrete(path)
        response = (
            client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        )
        for words in CASE_1_WORDS:
            assert words not in response.text, f"{method} {path} shows {words!r} to {who}"
        if "{case_id}" in path or "{task_id}" in path:
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"


def test_the_public_routes_are_registered_and_exist(app: FastAPI) -> None:
    """Routes open without signing in are listed in web/security.py (PUBLIC_ROUTES)."""
    assert set(PUBLIC_ROUTES) <= set(all_routes(app))
    with new_client(app) as anonymous:
        token = csrf(anonymous)
        for method, path in sorted(PUBLIC_ROUTES - {("POST", "/sign-out")}):
            response = anonymous.request(method, concrete(path), data={"csrf_token": token})
            assert response.status_code in (200, 400, 404), f"{method} {path}"
            assert not response.headers.get("location", "").startswith("/sign-in?next=")


def test_a_route_that_forgets_to_authorise_is_refused(app: FastAPI) -> None:
    @app.get("/forgetful")
    async def forgetful() -> dict[str, str]:
        return {"secret": "shown"}

    with new_client(app) as client:
        response = client.get("/forgetful")
    assert response.status_code == 500
    assert "secret" not in response.text


def test_the_policy_refuses_unknown_actions() -> None:
    manager = User(id=1, role="manager", team_id=1, email="m", full_name="M", password_hash="")
    case = Case(id=1, team_id=1, reference="R", title="T", created_by_id=1)
    assert can(manager, "view_case", case)
    assert not can(manager, "veiw_case", case)
    assert not can(None, "view_case", case)
