"""Jinja2 set-up (our templates + govuk-frontend-jinja macros) and the page renderer."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from safeside.access.models import User
from safeside.access.policy import can
from safeside.audit_log.log import ACTION_TITLES
from safeside.cases.models import TASK_STATUS_TITLES
from safeside.cases.service import HOW_SEEN, LEGAL_BASES
from safeside.cases.tasks import TARGET_CHOICES, targets_from_justification
from safeside.cases.viewing import PURPOSES, REASON_TITLES, waited
from safeside.evidence.models import KIND_TITLES
from safeside.highlight import pieces
from safeside.learning.cpd.models import SOURCE_KINDS
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES
from safeside.uktime import UK as UK
from safeside.web.deps import csrf_token
from safeside.web.times import uk_time as uk_time
from safeside.web.times import when

SEVERITY_TAGS = {
    "none": "govuk-tag--grey",
    "low": "govuk-tag--blue",
    "medium": "govuk-tag--yellow",
    "high": "govuk-tag--orange",
    "critical": "govuk-tag--red",
}


def _is_web_link(value: object) -> bool:
    """Whether ``value`` is an http(s) address, safe to put in an ``href``."""
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))


@cache
def make_templates() -> Jinja2Templates:
    """The shared template environment (built once per process; rendering is thread-safe)."""
    environment = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("safeside.web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package; no stat() per render
    )
    # One filter shows every date and time, in UK time (safeside.web.times); the other
    # names are the same function, kept until every template says `when`.
    environment.filters["when"] = when
    environment.filters["uk_time"] = when
    environment.filters["uk_when"] = when
    environment.filters["waited"] = waited
    environment.tests["web_link"] = _is_web_link
    environment.globals.update(
        concern_titles=CONCERN_TITLES,
        entity_titles=ENTITY_TITLES,
        severity_tags=SEVERITY_TAGS,
        action_titles=ACTION_TITLES,
        task_status_titles=TASK_STATUS_TITLES,
        how_seen_titles=HOW_SEEN,
        legal_basis_titles=LEGAL_BASES,
        purpose_titles=PURPOSES,
        reason_titles=REASON_TITLES,
        kind_titles=KIND_TITLES,
        source_kinds=SOURCE_KINDS,
        pieces=pieces,
        can=can,
        target_choices=TARGET_CHOICES,
        targets_from_justification=targets_from_justification,
    )
    return Jinja2Templates(env=environment)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    actor: User | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the signed-in user, CSRF token and council name available."""
    templates: Jinja2Templates = request.app.state.templates
    settings = request.app.state.settings
    page = {
        "actor": actor,
        "csrf_token": csrf_token(request),
        "organisation": settings.organisation,
        "flash": request.session.pop("flash", None),
        "notice": request.session.pop("notice", None),
        "session_idle_minutes": settings.session_idle_minutes,
        "session_max_hours": settings.session_max_hours,
    }
    page.update(context or {})
    return templates.TemplateResponse(request, template, page, status_code=status_code)


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """An RFC 6266 header keeping any file name: an ASCII fallback plus ``filename*`` UTF-8."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{encoded}"
