"""Users: managers unlock their team's accounts; administrators also make one-time
password reset links and disable or re-enable accounts (any team)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.accounts import issue_reset_link, set_disabled, unlock_account
from safeside.access.models import User
from safeside.access.sessions import live_sessions
from safeside.access.throttle import account_key, account_lock
from safeside.settings import Settings
from safeside.web.deps import (
    CsrfDep,
    SessionDep,
    clock,
    get_settings,
    session_rules,
    signed_in,
    user_for,
)
from safeside.web.render import render

router = APIRouter()

SettingsDep = Annotated[Settings, Depends(get_settings)]


def _locked_until(
    session: Session, user: User, settings: Settings, now: datetime
) -> datetime | None:
    return account_lock(session, account_key(user.email, settings.secret_key), now)


@router.get("/users")
def user_list(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    query = select(User).order_by(User.full_name)
    if actor.role != "admin":
        query = query.where(User.team_id == actor.team_id)
    now = clock(request)
    users = [(user, _locked_until(session, user, settings, now)) for user in session.scalars(query)]
    return render(request, "pages/users/list.html", {"users": users, "now": now}, actor=actor)


@router.get("/users/{user_id}")
def user_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(user_for("view_user"))],
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    now = clock(request)
    return render(
        request,
        "pages/users/user.html",
        {
            "user": user,
            "locked_until": _locked_until(session, user, settings, now),
            "sessions": live_sessions(session, user.id, now, session_rules(settings)),
            "now": now,
        },
        actor=actor,
    )


@router.post("/users/{user_id}/unlock", dependencies=[CsrfDep])
def unlock(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(user_for("unlock_account"))],
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    unlock_account(session, actor, user, settings.secret_key)
    request.session["flash"] = f"{user.full_name}'s account is unlocked. They can sign in now."
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.post("/users/{user_id}/reset-link", dependencies=[CsrfDep])
def reset_link(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(user_for("issue_reset_link"))],
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    now = clock(request)
    lifetime = timedelta(hours=settings.reset_link_hours)
    token = issue_reset_link(session, actor, user, now, lifetime)
    link = str(request.url_for("reset_password_page", token=token))
    return render(
        request,
        "pages/users/reset_link.html",
        {"user": user, "link": link, "expires": now + lifetime, "now": now},
        actor=actor,
    )


@router.post("/users/{user_id}/disable", dependencies=[CsrfDep])
def disable(
    request: Request,
    session: SessionDep,
    user: Annotated[User, Depends(user_for("disable_account"))],
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    set_disabled(session, actor, user, True, clock(request))
    request.session["flash"] = (
        f"{user.full_name}'s account is disabled. They have been signed out everywhere."
    )
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@router.post("/users/{user_id}/enable", dependencies=[CsrfDep])
def enable(
    request: Request,
    session: SessionDep,
    user: Annotated[User, Depends(user_for("disable_account"))],
    actor: Annotated[User, Depends(signed_in("view_users"))],
) -> Response:
    set_disabled(session, actor, user, False, clock(request))
    request.session["flash"] = f"{user.full_name}'s account is enabled. They can sign in again."
    return RedirectResponse(f"/users/{user.id}", status_code=303)
