"""Request dependencies: database session, the signed-in user, authorisation and CSRF.

Route signatures read as sentences::

    async def case_page(case: Annotated[Case, Depends(case_for("view_case"))], ...)
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeside.access.errors import AccessDenied
from safeside.access.models import User
from safeside.access.policy import Owned, can
from safeside.access.sessions import SessionRules, resume_session
from safeside.audit_log.log import append_event
from safeside.cases.models import Case
from safeside.check import Check
from safeside.db.session import Database, outside_transaction
from safeside.engine.results import Analysis
from safeside.errors import SafesideError
from safeside.settings import Settings
from safeside.taxonomy import Mode
from safeside.web.security import AUTHORISED, UploadTooLarge


class SignInRequired(SafesideError):
    """No one is signed in; the user is sent to the sign-in page."""


class NotFound(SafesideError):
    """The page or record does not exist, or the user may not know that it does."""


class CsrfFailed(SafesideError):
    """The form's CSRF token is missing or wrong."""


#: The largest id a record can have (PostgreSQL ``integer``); a larger one is a 404.
MAX_ID = 2**31 - 1
#: A record id in a URL path: a whole number from 1 to :data:`MAX_ID`, or the page is 404.
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A step or section number in a URL path (1, 2, 3 …); anything else is a 404.
Position = Annotated[int, Path(ge=1, le=1000)]
#: Room for a form's other fields and the multipart framing, on top of the file limit.
FORM_ALLOWANCE = 1024 * 1024

#: What a user sees on the sign-in page after their session ended without them signing out.
SESSION_ENDED = {
    "idle": "You have been signed out because you had not used Safeside for {idle}. "
    "Sign in again to continue.",
    "expired": "You have been signed out because you had been signed in for {max_age}. "
    "Sign in again to continue.",
}
SIGNED_OUT_ELSEWHERE = "You have been signed out. Sign in again to continue."


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


def upload_limit(settings: Settings) -> int:
    """The most a request body may hold: the file limit plus room for the other fields."""
    return settings.max_upload_bytes + FORM_ALLOWANCE


def too_large_message(settings: Settings) -> str:
    return f"The file must be smaller than {settings.max_upload_bytes // (1024 * 1024)}MB"


async def read_form(request: Request) -> FormData:
    """The submitted form, parsed once, never reading more than :func:`upload_limit`.

    A body that says it is larger is refused before a byte of it is read; one that does
    not say (chunked) is cut off by ``LimitRequestBody`` as soon as it passes the limit.
    Files are spooled to disk as they arrive, so memory stays small whatever is sent.
    """
    settings: Settings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > upload_limit(settings):
        raise UploadTooLarge(too_large_message(settings))
    return await request.form(max_files=5, max_fields=200, max_part_size=FORM_ALLOWANCE)


async def form_data(request: Request) -> FormData:
    """The submitted form, parsed once on the event loop (handlers themselves are ``def``)."""
    return await read_form(request)


FormDep = Annotated[FormData, Depends(form_data)]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_check(request: Request, session: SessionDep) -> Check:
    """The app's engine (:func:`safeside.check.engine_check`, or a test's fake).

    Each call runs with no database transaction open when the request has not written
    yet (:func:`~safeside.db.session.outside_transaction`), so no lock or snapshot is
    held while the engine reads a post or a whole digest.
    """
    check: Check = request.app.state.check

    def run(text: str, mode: Mode) -> Analysis:
        return outside_transaction(session, lambda: check(text, mode))

    return run


CheckDep = Annotated[Check, Depends(get_check)]


def clock(request: Request) -> datetime:
    """Now, in UTC, from the app's clock (tests replace ``app.state.clock``)."""
    now: datetime = request.app.state.clock()
    return now


def session_rules(settings: Settings) -> SessionRules:
    return SessionRules(
        idle=timedelta(minutes=settings.session_idle_minutes),
        max_age=timedelta(hours=settings.session_max_hours),
    )


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" + ("s" if hours != 1 else "")
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


def load_user(request: Request, session: Session) -> User | None:
    """The signed-in user, or None.

    The cookie holds a session token; the session must be live in ``user_sessions``.
    One that was ended (sign-out, password change or reset, disabled account) or has run
    out (idle or too old) signs the browser out with a message saying why.
    """
    token = request.session.get("sid")
    if not isinstance(token, str):
        return None
    settings: Settings = request.app.state.settings
    resumed = resume_session(session, token, clock(request), session_rules(settings))
    if resumed.user is not None and not resumed.ended_reason:
        return resumed.user
    if resumed.just_ended and resumed.row is not None:
        append_event(
            session,
            "session_ended",
            actor=resumed.user,
            detail={"reason": resumed.ended_reason, "session": resumed.row.id},
        )
        session.commit()  # the session stays ended even if this request then fails
    message = SESSION_ENDED.get(resumed.ended_reason, SIGNED_OUT_ELSEWHERE).format(
        idle=_duration(settings.session_idle_minutes),
        max_age=_duration(settings.session_max_hours * 60),
    )
    request.session.clear()
    request.session["notice"] = message
    return None


def current_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user, or None (see :func:`load_user`)."""
    return load_user(request, session)


ActorDep = Annotated[User | None, Depends(current_user)]


def authorize(
    request: Request,
    actor: User | None,
    action: str,
    resource: Case | Owned | User | None = None,
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


def _path_id(request: Request, name: str) -> int | None:
    """The record id in path parameter ``name``, or None unless it is 1 to :data:`MAX_ID`."""
    raw = str(request.path_params.get(name, ""))
    valid = raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_ID
    return int(raw) if valid else None


def case_for(action: str) -> Callable[..., Case]:
    """A dependency that loads ``case_id`` from the path and authorises ``action`` on it."""

    def dependency(
        request: Request, case_id: RecordId, actor: ActorDep, session: SessionDep
    ) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            authorize(request, actor, "list_cases")
            raise NotFound("Page not found")
        authorize(request, actor, action, case)
        return case

    dependency.__name__ = f"case_for_{action}"
    return dependency


class CaseRecord(Protocol):
    """A record that belongs to one case (a justification, an evidence item, a task)."""

    @property
    def id(self) -> int: ...

    @property
    def case_id(self) -> int: ...


R = TypeVar("R", bound=CaseRecord)


def case_record(model: type[R], action: str, id_param: str) -> Callable[..., R]:
    """A dependency that loads a case's child record (``model`` by the path parameter
    ``id_param``) and authorises ``action`` on its case; or 404s.

    With ``case_id`` in the path (``/cases/{case_id}/evidence/{item_id}``) the record must
    belong to that case; without (``/actions/{task_id}``) its own case is used. A record
    that does not exist, or belongs to a case the actor may not see, is not revealed.
    """

    def dependency(request: Request, actor: ActorDep, session: SessionDep) -> R:
        record_id = _path_id(request, id_param)
        record = session.get(model, record_id) if record_id is not None else None
        case = session.get(Case, record.case_id) if record is not None else None
        in_path = request.path_params.get("case_id")
        if (
            record is None
            or case is None
            or (in_path is not None and _path_id(request, "case_id") != case.id)
        ):
            authorize(request, actor, "list_cases")
            raise NotFound("Page not found")
        authorize(request, actor, action, case)
        return record

    dependency.__name__ = f"{model.__name__.lower()}_for_{action}"
    return dependency


def owned(model: type[Any], action: str, id_param: str) -> Callable[..., Any]:
    """A dependency that loads ``model`` by the path parameter ``id_param`` and
    authorises ``action`` on it (owner-only records: another user's answers 404)."""

    def dependency(request: Request, actor: ActorDep, session: SessionDep) -> Any:
        record_id = _path_id(request, id_param)
        record = session.get(model, record_id) if record_id is not None else None
        if record is None:
            authorize(request, actor, "view_learning")
            raise NotFound("Page not found")
        authorize(request, actor, action, record)
        return record

    dependency.__name__ = f"owned_{model.__name__}_{action}"
    return dependency


def user_for(action: str) -> Callable[..., User]:
    """A dependency that loads the account ``user_id`` and authorises ``action`` on it
    (an account the actor may not look after is a 404)."""

    def dependency(
        request: Request, user_id: RecordId, actor: ActorDep, session: SessionDep
    ) -> User:
        user = session.get(User, user_id)
        if user is None:
            authorize(request, actor, "view_users")
            raise NotFound("Page not found")
        authorize(request, actor, action, user)
        return user

    dependency.__name__ = f"user_for_{action}"
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
    form = await read_form(request)
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
