"""Sign in and sign out, change your password, and set one with a reset link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from safeside.access.accounts import LINK_EXPIRED, change_password, redeem_reset, usable_reset
from safeside.access.errors import NotReady
from safeside.access.models import User
from safeside.access.passwords import new_password_problem, verify_password
from safeside.access.sessions import end_session, end_user_sessions, start_session
from safeside.access.signin import SIGN_IN_FAILED, attempt_sign_in
from safeside.access.throttle import Lock, LockoutRules, account_key, active_lock, record_failure
from safeside.audit_log.log import append_event
from safeside.db.session import end_read_transaction
from safeside.settings import Settings
from safeside.web.deps import CsrfDep, FormDep, SessionDep, allow, clock, get_settings, signed_in
from safeside.web.forms import Form
from safeside.web.render import render, uk_time

router = APIRouter()

SettingsDep = Annotated[Settings, Depends(get_settings)]
Anyone = Annotated[User | None, Depends(allow("sign_in"))]
DISABLED = "Your account has been disabled. Ask your administrator if you need to use Safeside."


def _safe_next(target: str) -> str:
    """Only same-site paths, so sign-in cannot redirect somewhere else."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def source_of(request: Request) -> str:
    """Where the request comes from: the client IP (behind a proxy, run uvicorn with
    ``--forwarded-allow-ips`` so that this is the real client, not the proxy)."""
    return request.client.host if request.client else "unknown"


def locked_message(lock: Lock, request: Request) -> str:
    until = uk_time(lock.until, clock(request))
    if lock.scope == "source":
        return (
            "There have been too many wrong attempts to sign in from this device or network. "
            f"Try again after {until}."
        )
    return (
        "There have been too many wrong attempts to sign in to this account. "
        f"Try again after {until}, or ask your manager to unlock your account."
    )


def _begin(request: Request, session: SessionDep, user: User) -> None:
    """A fresh browser session (and CSRF token) for ``user``."""
    previous = request.session.get("sid")
    if isinstance(previous, str):  # this browser's earlier session ends here
        end_session(session, previous, "signed_out", clock(request))
    token = start_session(session, user, clock(request), source_of(request))
    request.session.clear()
    request.session["sid"] = token


@router.get("/sign-in")
def sign_in_page(request: Request, actor: Anyone, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "pages/auth/sign_in.html", {"form": Form(), "next": _safe_next(next)})


@router.post("/sign-in", dependencies=[CsrfDep])
def sign_in(
    request: Request, form_data: FormDep, session: SessionDep, settings: SettingsDep, _: Anyone
) -> Response:
    form = Form(form_data)
    email = form.require("email", "Enter your email address", max_length=320)
    password = form.text("password")
    if not password:
        form.errors["password"] = "Enter your password"
    next_url = _safe_next(form.text("next") or "/")
    status = 400
    if form.ok:
        result = attempt_sign_in(  # argon2 is slow: this handler runs in the thread pool
            session,
            email,
            password,
            source=source_of(request),
            now=clock(request),
            rules=LockoutRules.from_settings(settings),
            secret=settings.secret_key,
        )
        if result.user is not None:
            _begin(request, session, result.user)
            return RedirectResponse(next_url, status_code=303)
        if result.locked is not None:
            form.errors["email"] = locked_message(result.locked, request)
            status = 429
        elif result.disabled:
            form.errors["email"] = DISABLED
            status = 403
        else:
            form.errors["email"] = SIGN_IN_FAILED
    return render(
        request, "pages/auth/sign_in.html", {"form": form, "next": next_url}, status_code=status
    )


def _verified(session: Session, stored: str, password: str) -> bool:
    end_read_transaction(session)  # argon2 runs with no transaction open
    return verify_password(stored, password)


@router.post("/sign-out", dependencies=[CsrfDep])
def sign_out(
    request: Request,
    session: SessionDep,
    actor: Annotated[User | None, Depends(allow("sign_out"))],
) -> Response:
    """Ends every session of the user, on every device, not only this browser's."""
    if actor is not None:
        ended = end_user_sessions(session, actor.id, "signed_out", clock(request))
        append_event(session, "signed_out", actor=actor, detail={"sessions_ended": ended})
    request.session.clear()
    request.session["flash"] = "You have signed out."
    return RedirectResponse("/sign-in", status_code=303)


ChangeOwn = Annotated[User, Depends(signed_in("change_own_password"))]


@router.get("/account/password")
def change_password_page(request: Request, actor: ChangeOwn) -> Response:
    return render(request, "pages/auth/change_password.html", {"form": Form()}, actor=actor)


@router.post("/account/password", dependencies=[CsrfDep])
def change_password_form(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    actor: ChangeOwn,
) -> Response:
    form = Form(form_data)
    current = form.text("current_password")
    new = form.text("new_password")
    # Wrong current passwords count like wrong sign-ins, so a borrowed session cannot
    # be used to guess the password.
    rules, now, source = LockoutRules.from_settings(settings), clock(request), source_of(request)
    key = account_key(actor.email, settings.secret_key)
    lock = active_lock(session, key, source, now, rules)
    if lock is not None:
        form.errors["current_password"] = locked_message(lock, request)
    elif not current:
        form.errors["current_password"] = "Enter your current password"
    elif not _verified(session, actor.password_hash, current):
        record_failure(session, key, source, now, rules)
        form.errors["current_password"] = "Your current password is not correct"
    _check_new_password(form, new, actor.email)
    if not form.ok:
        return render(
            request,
            "pages/auth/change_password.html",
            {"form": form},
            actor=actor,
            status_code=400,
        )
    change_password(session, actor, new, clock(request))
    _begin(request, session, actor)  # every other session has ended; this one starts afresh
    request.session["flash"] = (
        "Your password has been changed. You have been signed out everywhere else."
    )
    return RedirectResponse("/", status_code=303)


def _check_new_password(form: Form, new: str, email: str) -> None:
    problem = new_password_problem(new, email)
    if problem:
        form.errors["new_password"] = problem
    elif form.text("confirm_password") != new:
        form.errors["confirm_password"] = "Enter the same new password twice"


@router.get("/reset-password/{token}")
def reset_password_page(
    request: Request,
    session: SessionDep,
    token: str,
    actor: Annotated[User | None, Depends(allow("reset_password"))],
) -> Response:
    if usable_reset(session, token, clock(request)) is None:
        return _link_expired(request, actor)
    return render(
        request, "pages/auth/reset_password.html", {"form": Form(), "token": token}, actor=actor
    )


@router.post("/reset-password/{token}", dependencies=[CsrfDep])
def reset_password(
    request: Request,
    form_data: FormDep,
    session: SessionDep,
    settings: SettingsDep,
    token: str,
    actor: Annotated[User | None, Depends(allow("reset_password"))],
) -> Response:
    reset = usable_reset(session, token, clock(request))
    if reset is None:
        return _link_expired(request, actor)
    form = Form(form_data)
    new = form.text("new_password")
    user = session.get_one(User, reset.user_id)
    _check_new_password(form, new, user.email)
    if not form.ok:
        return render(
            request,
            "pages/auth/reset_password.html",
            {"form": form, "token": token},
            actor=actor,
            status_code=400,
        )
    try:
        redeem_reset(session, token, new, clock(request), settings.secret_key)
    except NotReady:
        return _link_expired(request, actor)
    previous = request.session.get("sid")
    if isinstance(previous, str):  # whoever was signed in on this browser is signed out
        end_session(session, previous, "signed_out", clock(request))
    request.session.clear()
    request.session["flash"] = "Your new password has been saved. Sign in with your new password."
    return RedirectResponse("/sign-in", status_code=303)


def _link_expired(request: Request, actor: User | None) -> Response:
    return render(
        request,
        "pages/error.html",
        {"title": "This link has expired", "message": LINK_EXPIRED},
        actor=actor,
        status_code=404,
    )
