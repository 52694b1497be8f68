"""The app factory: settings, database, templates, middleware, routes and error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from safeside.access.errors import AccessDenied
from safeside.cases.service import AnalyzeFn
from safeside.db.session import Database
from safeside.errors import SafesideError
from safeside.settings import Settings
from safeside.web.deps import CsrfFailed, NotFound, SignInRequired, load_user
from safeside.web.render import make_templates, render
from safeside.web.routes import (
    audit,
    auth,
    capability,
    cases,
    check,
    concerns,
    cpd,
    digests,
    exports,
    guidance,
    learning,
    scenarios,
    tasks,
)
from safeside.web.security import AUTHORISED, RequireAuthorisation, SecurityHeaders

STATIC = Path(__file__).with_name("static")
SESSION_HOURS = 8


def default_analyze(text: str, mode: str) -> dict[str, Any]:
    """The real engine, imported on first use."""
    import safeside

    return safeside.analyze(text, mode=mode).to_dict()


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    analyze: AnalyzeFn | None = None,
) -> FastAPI:
    """Build the web app. The database must already be migrated (see ``prepare_database``).

    Args:
        settings: where to run; defaults to :meth:`Settings.from_env`.
        database: an open database; defaults to one for ``settings.database_url``.
        analyze: ``(text, mode) -> Analysis.to_dict()``; tests inject a fake.
    """
    settings = settings or Settings.from_env()
    app = FastAPI(title="Safeside", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.database = database or Database(settings.database_url)
    app.state.analyze = analyze or default_analyze
    app.state.templates = make_templates()

    for router in (
        auth.router,
        check.router,
        cases.router,
        concerns.router,
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

    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="safeside_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(RequireAuthorisation)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    _add_error_pages(app)
    return app


def _error_page(request: Request, title: str, message: str, status_code: int) -> Response:
    request.scope.setdefault(AUTHORISED, "error_page")
    actor = None
    if "session" in request.scope and isinstance(request.session.get("user_id"), int):
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
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, _: SignInRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, _: NotFound) -> Response:
        return _error_page(
            request, "Page not found", "If you typed the web address, check it is correct.", 404
        )

    @app.exception_handler(AccessDenied)
    async def access_denied(request: Request, error: AccessDenied) -> Response:
        return _error_page(request, "You do not have access to this page", str(error), 403)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, error: CsrfFailed) -> Response:
        return _error_page(request, "The form has expired", str(error), 400)

    @app.exception_handler(SafesideError)
    async def safeside_error(request: Request, error: SafesideError) -> Response:
        return _error_page(request, "There is a problem", str(error), 400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, _: RequestValidationError) -> Response:
        return _error_page(
            request, "Page not found", "If you typed the web address, check it is correct.", 404
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return _error_page(
                request, "Page not found", "If you typed the web address, check it is correct.", 404
            )
        if error.status_code == 405:
            return _error_page(
                request, "Page not found", "This page cannot be used in that way.", 405
            )
        return _error_page(
            request,
            "Sorry, there is a problem with the service",
            "Try again later.",
            error.status_code,
        )


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
