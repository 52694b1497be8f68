"""Request dependencies: database session, the signed-in user, authorisation and CSRF.

Route signatures read as sentences::

    async def case_page(case: Annotated[Case, Depends(case_for("view_case"))], ...)
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeside.access.errors import AccessDenied
from safeside.access.models import User
from safeside.access.policy import Owned, can
from safeside.cases.models import Case
from safeside.cases.service import AnalyzeFn
from safeside.db.session import Database
from safeside.errors import SafesideError
from safeside.settings import Settings
from safeside.web.security import AUTHORISED


class SignInRequired(SafesideError):
    """No one is signed in; the user is sent to the sign-in page."""


class NotFound(SafesideError):
    """The page or record does not exist, or the user may not know that it does."""


class CsrfFailed(SafesideError):
    """The form's CSRF token is missing or wrong."""


# FastAPI runs plain ``def`` dependencies in the thread pool. Those that touch the
# database stay ``def``: taking a pooled connection can block, and must never block the
# event loop. Those that only read the request are ``async def`` (no thread hop).


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request, committed when the handler returns without error.

    Function-scoped: the commit (audit event included) happens *before* the response is
    sent, so a page the user sees always has its audit event, and no transaction (or the
    audit chain's lock) outlives the handler.
    """
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def form_data(request: Request) -> FormData:
    """The submitted form, parsed once on the event loop (handlers themselves are ``def``)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_analyze(request: Request) -> AnalyzeFn:
    analyze: AnalyzeFn = request.app.state.analyze
    return analyze


def load_user(request: Request, session: Session) -> User | None:
    """The signed-in user, or None. A disabled or deleted account signs the session out."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    if user is None:
        request.session.clear()
    return user


def current_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user, or None (see :func:`load_user`)."""
    return load_user(request, session)


ActorDep = Annotated[User | None, Depends(current_user)]


def authorize(
    request: Request, actor: User | None, action: str, resource: Case | Owned | None = None
) -> None:
    """Ask the policy; raise unless ``actor`` may take ``action``.

    Raises:
        SignInRequired: nobody is signed in.
        NotFound: a case the actor may not see (its existence is not revealed).
        AccessDenied: the actor may not take this action.
    """
    request.scope[AUTHORISED] = action
    if can(actor, action, resource):
        return
    if actor is None:
        raise SignInRequired("Sign in to continue.")
    if isinstance(resource, Case) and not can(actor, "view_case", resource):
        raise NotFound("Page not found")
    if resource is not None and not isinstance(resource, Case):
        raise NotFound("Page not found")  # someone else's record: not revealed
    raise AccessDenied("You do not have access to this page.")


def allow(action: str) -> Callable[..., Coroutine[Any, Any, User | None]]:
    """A dependency that authorises ``action`` (no resource) and returns the actor."""

    async def dependency(request: Request, actor: ActorDep) -> User | None:
        authorize(request, actor, action)
        return actor

    dependency.__name__ = f"allow_{action}"
    return dependency


def signed_in(action: str) -> Callable[..., Coroutine[Any, Any, User]]:
    """Like :func:`allow` but for actions that need a signed-in user."""

    async def dependency(request: Request, actor: ActorDep) -> User:
        authorize(request, actor, action)
        if actor is None:  # the policy never lets an anonymous user through here
            raise SignInRequired("Sign in to continue.")
        return actor

    dependency.__name__ = f"signed_in_{action}"
    return dependency


def case_for(action: str) -> Callable[..., Case]:
    """A dependency that loads ``case_id`` from the path and authorises ``action`` on it."""

    def dependency(request: Request, case_id: int, actor: ActorDep, session: SessionDep) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            authorize(request, actor, "list_cases")
            raise NotFound("Page not found")
        authorize(request, actor, action, case)
        return case

    dependency.__name__ = f"case_for_{action}"
    return dependency


def owned(model: type[Any], action: str, id_param: str) -> Callable[..., Any]:
    """A dependency that loads ``model`` by the path parameter ``id_param`` and
    authorises ``action`` on it (owner-only records: another user's answers 404)."""

    def dependency(request: Request, actor: ActorDep, session: SessionDep) -> Any:
        raw = request.path_params.get(id_param, "")
        record = session.get(model, int(raw)) if str(raw).isdigit() else None
        if record is None:
            authorize(request, actor, "view_learning")
            raise NotFound("Page not found")
        authorize(request, actor, action, record)
        return record

    dependency.__name__ = f"owned_{model.__name__}_{action}"
    return dependency


def csrf_token(request: Request) -> str:
    """This session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> AsyncIterator[None]:
    """Refuse a form post whose ``csrf_token`` does not match the session's.

    Also closes the form's uploaded files once the handler has finished.
    """
    form = await request.form()
    try:
        sent = form.get("csrf_token")
        expected = request.session.get("csrf")
        if not (
            isinstance(sent, str)
            and isinstance(expected, str)
            and hmac.compare_digest(sent, expected)
        ):
            raise CsrfFailed("The form has expired. Go back, reload the page and try again.")
        yield
    finally:
        await form.close()


CsrfDep = Depends(csrf_protect)

Handler = Callable[..., Coroutine[Any, Any, Any]]
