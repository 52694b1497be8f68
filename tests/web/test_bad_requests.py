"""Bad ids and page numbers are 404 or 400 pages, and an unexpected error is the GOV.UK
"Sorry, there is a problem with the service" page: never a traceback, always the
security headers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from httpx import Response

from safeside.access.models import User
from safeside.web.app import route_table
from safeside.web.deps import signed_in as allowed

from .support import TestClient, csrf, new_client, visible_text
from .test_access import concrete

HUGE = "99999999999999999999"


def assert_safe_error_page(response: Response, status: int, heading: str) -> None:
    assert response.status_code == status, response.text[:300]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    page = visible_text(response.text)
    assert page.startswith(f"{heading} – Safeside"), page[:120]
    assert "Traceback" not in response.text and "Error" not in heading


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/cases/{HUGE}", 404),
        (f"/cases/1/evidence/{HUGE}", 404),
        (f"/cases/1/evidence/{HUGE}/original", 404),
        (f"/cases/1/justifications/{HUGE}", 404),
        (f"/learning/cpd/{HUGE}", 404),
        ("/cases/-1", 404),
        ("/cases/abc", 404),
        ("/cases/2147483648", 404),
        (f"/audit?page={HUGE}", 400),
        ("/audit?page=-1", 400),
        ("/audit?page=0", 400),
        ("/audit?page=two", 400),
    ],
)
def test_a_bad_id_or_page_is_a_plain_error_page(
    signed_in: Callable[[str], TestClient], path: str, status: int
) -> None:
    heading = "Page not found" if status == 404 else "There is a problem with the web address"
    assert_safe_error_page(signed_in("manager").get(path), status, heading)


@pytest.mark.slow
@pytest.mark.parametrize("bad", [HUGE, "-1", "0", "abc", "1.5", "2147483648"])
def test_no_route_fails_on_a_bad_number_in_its_address(
    app: FastAPI, signed_in: Callable[[str], TestClient], bad: str
) -> None:
    client = signed_in("manager")
    token = csrf(client, "/")
    tried = 0
    for method, path in route_table(app):
        for name in re.findall(r"{(\w+)}", path):
            if name in ("scenario_id", "page_id", "token"):
                continue  # not numbers
            url = concrete(path.replace("{" + name + "}", bad))
            response = (
                client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
            )
            assert response.status_code in (400, 404), f"{method} {url}: {response.status_code}"
            assert "content-security-policy" in response.headers, f"{method} {url}"
            tried += 1
    assert tried > 30


@pytest.fixture
def failing_app(app: FastAPI) -> FastAPI:
    """The app with two routes that fail: one after its access check, one before."""

    @app.get("/failing/after-authorisation")
    def after(actor: Annotated[User, Depends(allowed("list_cases"))]) -> None:
        raise RuntimeError("database password is hunter2")

    @app.get("/failing/before-authorisation")
    def before() -> None:
        raise ZeroDivisionError("secret detail")

    return app


@pytest.mark.parametrize("path", ["/failing/after-authorisation", "/failing/before-authorisation"])
def test_an_unexpected_error_is_the_service_error_page_with_security_headers(
    failing_app: FastAPI,
    signed_in: Callable[[str], TestClient],
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    client = signed_in("manager")
    with caplog.at_level(logging.ERROR, logger="safeside.web"):
        response = client.get(path)
    assert_safe_error_page(response, 500, "Sorry, there is a problem with the service")
    assert "Try again later." in visible_text(response.text)
    assert "hunter2" not in response.text and "secret detail" not in response.text
    assert any(record.exc_info for record in caplog.records), "the error is logged"


def test_the_service_error_page_needs_no_session(failing_app: FastAPI) -> None:
    with new_client(failing_app) as anonymous:
        response = anonymous.get("/failing/before-authorisation")
    assert_safe_error_page(response, 500, "Sorry, there is a problem with the service")
