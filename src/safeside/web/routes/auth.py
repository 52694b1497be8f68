"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from safeside.access.models import User
from safeside.access.signin import SIGN_IN_FAILED, authenticate
from safeside.audit_log.log import append_event
from safeside.settings import Settings
from safeside.web.deps import CsrfDep, FormDep, SessionDep, allow, get_settings
from safeside.web.forms import Form
from safeside.web.render import render

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only same-site paths, so sign-in cannot redirect somewhere else."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/sign-in")
def sign_in_page(
    request: Request, actor: Annotated[User | None, Depends(allow("sign_in"))], next: str = "/"
) -> Response:
    if actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "pages/auth/sign_in.html", {"form": Form(), "next": _safe_next(next)})


@router.post("/sign-in", dependencies=[CsrfDep])
def sign_in(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    settings: Annotated[Settings, Depends(get_settings)],
    _: Annotated[User | None, Depends(allow("sign_in"))],
) -> Response:
    form = Form(form_data)
    email = form.require("email", "Enter your email address", max_length=320)
    password = form.text("password")
    if not password:
        form.errors["password"] = "Enter your password"
    next_url = _safe_next(form.text("next") or "/")
    user = None
    if form.ok:
        user = authenticate(  # argon2 is slow: this handler runs in the thread pool
            session,
            email,
            password,
            lockout_after=settings.lockout_after,
            lockout_minutes=settings.lockout_minutes,
        )
        session.commit()
        if user is None:
            form.errors["email"] = SIGN_IN_FAILED
    if user is None:
        return render(
            request, "pages/auth/sign_in.html", {"form": form, "next": next_url}, status_code=400
        )
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session["user_id"] = user.id
    return RedirectResponse(next_url, status_code=303)


@router.post("/sign-out", dependencies=[CsrfDep])
def sign_out(
    request: Request,
    session: SessionDep,
    actor: Annotated[User | None, Depends(allow("sign_out"))],
) -> Response:
    if actor is not None:
        append_event(session, "signed_out", actor=actor)
        session.commit()
    request.session.clear()
    request.session["flash"] = "You have signed out."
    return RedirectResponse("/sign-in", status_code=303)
