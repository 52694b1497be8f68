"""Check a post: the landing page. Answers at once and stores nothing."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from safeside.access.models import User
from safeside.access.policy import can
from safeside.cases.viewing import waiting_count
from safeside.check import is_mode
from safeside.engine.results import Analysis
from safeside.errors import SafesideError
from safeside.web.deps import CheckDep, CsrfDep, FormDep, SessionDep, signed_in
from safeside.web.forms import Form
from safeside.web.render import render

router = APIRouter()
log = logging.getLogger("safeside.web")


class AnalysisFailed(SafesideError):
    """The engine raised while checking a post."""


MODES = {
    "own": "My own post or draft",
    "review": "Someone else's post or message",
}
MAX_CHECK_LENGTH = 20_000


@router.get("/")
def check_page(
    request: Request,
    session: SessionDep,
    actor: Annotated[User, Depends(signed_in("check_post"))],
) -> Response:
    # A manager's home page says how many repeat viewings wait for their decision.
    waiting = (
        waiting_count(session, actor.team_id, decider=actor)
        if can(actor, "view_authorisations")
        else None
    )
    return render(
        request,
        "pages/check/check.html",
        {"form": Form(), "modes": MODES, "waiting": waiting},
        actor=actor,
    )


@router.post("/", dependencies=[CsrfDep])
def check_post(
    request: Request,
    form_data: FormDep,
    actor: Annotated[User, Depends(signed_in("check_post"))],
    check: CheckDep,
) -> Response:
    form = Form(form_data)
    text = form.require("text", "Enter the post or message to check", max_length=MAX_CHECK_LENGTH)
    mode = form.choice("mode", MODES, "Select whose post this is")
    analysis: Analysis | None = None
    if form.ok and is_mode(mode):
        raw = form.data.get("text") if form.data is not None else ""
        text = raw if isinstance(raw, str) else text
        try:
            analysis = check(text, mode)
        except Exception:  # the engine is a separate component; show a clear message
            log.exception("Check a post: analysis failed")
            raise AnalysisFailed(
                "Safeside could not check this text just now. Try again, or ask your "
                "administrator to look at the server log."
            ) from None
    return render(
        request,
        "pages/check/check.html",
        {"form": form, "modes": MODES, "analysis": analysis, "text": text},
        actor=actor,
        status_code=200 if form.ok else 400,
    )
