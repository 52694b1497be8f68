"""ASGI middleware: security headers, refusing any response a route did not authorise,
a size limit on request bodies, and the service error page for unhandled exceptions.

Order (outermost first): ``SecurityHeaders`` → ``RequireAuthorisation`` → sessions →
``LimitRequestBody`` → ``ServiceErrorPage`` → routes. Every response, the error page of
an unhandled exception included, passes through ``SecurityHeaders``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safeside.errors import SafesideError

log = logging.getLogger("safeside.web")

#: Set in the request scope by :func:`safeside.web.deps.authorize`.
AUTHORISED = "safeside.authorised"

#: Routes anyone may use without signing in. Every other route sends a visitor to the
#: sign-in page (the route × role sweep in tests/web/test_access.py checks both ways).
PUBLIC_ROUTES = frozenset(
    {
        ("GET", "/sign-in"),
        ("POST", "/sign-in"),
        ("POST", "/sign-out"),
        ("GET", "/reset-password/{token}"),
        ("POST", "/reset-password/{token}"),
    }
)


class UploadTooLarge(SafesideError):
    """The request body is over the upload limit; it is refused without being read whole."""


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds CSP (no inline script), anti-framing, no-sniff and no-store headers."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = {
                    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
                    b"x-content-type-options": b"nosniff",
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"same-origin",
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
                    b"cross-origin-opener-policy": b"same-origin",
                }
                if not static:
                    extra[b"cache-control"] = b"no-store"
                if self.hsts:
                    extra[b"strict-transport-security"] = b"max-age=31536000"
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequireAuthorisation:
    """Deny by default: a route that answers without asking the policy gets a 500.

    Every endpoint must call :func:`safeside.web.deps.authorize` (directly or
    through a dependency). Static files and unmatched URLs are exempt.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        blocked = False

        async def guarded_send(message: Message) -> None:
            nonlocal blocked
            if message["type"] == "http.response.start":
                matched = "endpoint" in scope
                if matched and AUTHORISED not in scope and message["status"] != 404:
                    blocked = True
                    log.error("Route %s answered without an authorisation check", scope["path"])
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 500,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                        }
                    )
                    await send(
                        {
                            "type": "http.response.body",
                            "body": b"This page has no access check, so it was not shown.",
                        }
                    )
                    return
            if not blocked:
                await send(message)

        await self.app(scope, receive, guarded_send)


class LimitRequestBody:
    """Stop reading a request body once it passes ``max_bytes``.

    The form parser then fails with :class:`UploadTooLarge` (shown as a 413 page), so a
    body without a ``Content-Length`` (chunked) cannot make the app read or spool more
    than the limit. A declared ``Content-Length`` over the limit is refused before any
    of the body is read (``safeside.web.deps.read_form``).
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, message: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        too_large = declared.isdigit() and int(declared) > self.max_bytes

        async def limited_receive() -> Message:
            nonlocal received
            if too_large:  # refused before a byte of the body is read
                raise UploadTooLarge(self.message)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise UploadTooLarge(self.message)
            return message

        await self.app(scope, limited_receive, send)


class ServiceErrorPage:
    """An unhandled exception is logged and answered with ``page`` (the GOV.UK "Sorry,
    there is a problem with the service" page, status 500, no traceback).

    It sits inside the other middleware, so the page gets the security headers. If the
    response had already started, the exception goes on up (the connection is dropped).
    """

    def __init__(self, app: ASGIApp, *, page: Callable[[Scope], Response]) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("Unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            scope.setdefault(AUTHORISED, "error_page")
            await self.page(scope)(scope, receive, send)
