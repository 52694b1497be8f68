"""The app factory: settings, database, templates, middleware, routes and error pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import Scope

from safeside.access.errors import AccessDenied
from safeside.check import Check, engine_check
from safeside.db.base import utcnow
from safeside.db.session import Database
from safeside.errors import SafesideError
from safeside.settings import Settings
from safeside.web.deps import (
    CsrfFailed,
    NotFound,
    SignInRequired,
    load_user,
    too_large_message,
    upload_limit,
)
from safeside.web.render import make_templates, render
from safeside.web.routes import (
    accounts,
    audit,
    auth,
    authorisations,
    capability,
    cases,
    concerns,
    cpd,
    digests,
    exports,
    guidance,
    learning,
    scenarios,
    tasks,
)
from safeside.web.routes import check as check_a_post
from safeside.web.security import (
    AUTHORISED,
    LimitRequestBody,
    RequireAuthorisation,
    SecurityHeaders,
    ServiceErrorPage,
    UploadTooLarge,
)

log = logging.getLogger("safeside.web")
STATIC = Path(__file__).with_name("static")
SERVICE_ERROR = "Sorry, there is a problem with the service"
PAGE_NOT_FOUND = ("Page not found", "If you typed the web address, check it is correct.")


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    check: Check = engine_check,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    """Build the web app. The database must already be migrated (see ``prepare_database``).

    Args:
        settings: where to run; defaults to :meth:`Settings.from_env`.
        database: an open database; defaults to one for ``settings.database_url``.
        check: the engine, ``(text, mode) -> Analysis``; tests pass a
            :class:`safeside.testing.FakeCheck`.
        clock: now, in UTC, for sessions and sign-in locks; tests may replace
            ``app.state.clock`` to move time on.
    """
    settings = settings or Settings.from_env()
    app = FastAPI(title="Safeside", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.database = database or Database(settings.database_url)
    app.state.check = check
    app.state.templates = make_templates()
    app.state.clock = clock

    for router in (
        auth.router,
        accounts.router,
        check_a_post.router,
        cases.router,
        concerns.router,
        authorisations.router,
        tasks.router,
        exports.router,
        audit.router,
        learning.router,
        cpd.router,
        digests.router,
        scenarios.router,
        guidance.router,
        capability.router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # Added innermost first: SecurityHeaders ends up outermost, so every response
    # (the unhandled-exception page from ServiceErrorPage included) carries the headers.
    app.add_middleware(ServiceErrorPage, page=_service_error_page)
    app.add_middleware(
        LimitRequestBody, max_bytes=upload_limit(settings), message=too_large_message(settings)
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="safeside_session",
        # The cookie outlives no session; the session itself is checked on the server.
        max_age=settings.session_max_hours * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(RequireAuthorisation)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    _add_error_pages(app)
    return app


def _service_error_page(scope: Scope) -> Response:
    """The page for an unhandled exception: no traceback, no database (it may be the cause)."""
    try:
        return render(
            Request(scope),
            "pages/error.html",
            {"title": SERVICE_ERROR, "message": "Try again later."},
            status_code=500,
        )
    except Exception:  # the page itself failed: plain words, still no traceback
        log.exception("The service error page could not be rendered")
        return HTMLResponse(
            f"<!DOCTYPE html><html lang='en-GB'><title>{SERVICE_ERROR}</title>"
            f"<h1>{SERVICE_ERROR}</h1><p>Try again later.</p></html>",
            status_code=500,
        )


def _error_page(request: Request, title: str, message: str, status_code: int) -> Response:
    """An error page for the signed-in user (reads the database: call it from a thread)."""
    request.scope.setdefault(AUTHORISED, "error_page")
    actor = None
    if "session" in request.scope and isinstance(request.session.get("sid"), str):
        with request.app.state.database.session() as session:
            actor = load_user(request, session)
    return render(
        request,
        "pages/error.html",
        {"title": title, "message": message},
        actor=actor,
        status_code=status_code,
    )


def _add_error_pages(app: FastAPI) -> None:
    # Plain ``def`` handlers run in the thread pool: _error_page reads the database.

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, _: SignInRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)

    @app.exception_handler(NotFound)
    def not_found(request: Request, _: NotFound) -> Response:
        return _error_page(request, *PAGE_NOT_FOUND, 404)

    @app.exception_handler(AccessDenied)
    def access_denied(request: Request, error: AccessDenied) -> Response:
        return _error_page(request, "You do not have access to this page", str(error), 403)

    @app.exception_handler(CsrfFailed)
    def csrf_failed(request: Request, error: CsrfFailed) -> Response:
        return _error_page(request, "The form has expired", str(error), 400)

    @app.exception_handler(UploadTooLarge)
    def upload_too_large(request: Request, error: UploadTooLarge) -> Response:
        return _error_page(
            request, "The file is too big", f"{error}. Go back and choose a smaller file.", 413
        )

    @app.exception_handler(SafesideError)
    def safeside_error(request: Request, error: SafesideError) -> Response:
        return _error_page(request, "There is a problem", str(error), 400)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        # A bad id in the path is a page that does not exist; a bad query value
        # (``?page=-1``) is a bad request for a page that does.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in error.errors())
        if in_path:
            return _error_page(request, *PAGE_NOT_FOUND, 404)
        return _error_page(
            request,
            "There is a problem with the web address",
            "Check the web address, or go back and use the links on the page.",
            400,
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return _error_page(request, *PAGE_NOT_FOUND, 404)
        if error.status_code == 405:
            return _error_page(
                request, "Page not found", "This page cannot be used in that way.", 405
            )
        if error.status_code == 400:
            return _error_page(
                request,
                "There is a problem with the form",
                "Go back, reload the page and try again.",
                400,
            )
        return _error_page(request, SERVICE_ERROR, "Try again later.", error.status_code)


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, including routes of included routers."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found.update((method, route.path) for method in route.methods or ())
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes)

    walk(list(app.routes))
    return sorted(found)
