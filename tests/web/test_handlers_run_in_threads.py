"""Every handler that touches the database is a plain ``def``, so FastAPI runs it in the
thread pool: a blocking query never stalls the event loop, and the request's session
(``SessionDep``, ``scope="function"``) commits before the response is sent."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from safeside.web.deps import get_session


def api_routes(app: FastAPI) -> Iterator[APIRoute]:
    def walk(routes: list[Any]) -> Iterator[APIRoute]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route
            elif hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)

    yield from walk(list(app.routes))


def takes_session(dependant: Dependant) -> bool:
    """Whether ``dependant`` has a database-session parameter itself."""
    return any(sub.call is get_session for sub in dependant.dependencies)


def tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from tree(sub)


def is_async(call: Callable[..., Any] | None) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)


def name(call: Callable[..., Any] | None) -> str:
    return f"{getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', call)}"


def test_handlers_and_dependencies_with_a_session_are_plain_def(app: FastAPI) -> None:
    async_with_session: list[str] = []
    endpoints_with_session = 0
    for route in api_routes(app):
        everything = list(tree(route.dependant))
        if any(takes_session(d) for d in everything):
            endpoints_with_session += 1
            if is_async(route.endpoint):
                async_with_session.append(f"{sorted(route.methods)} {route.path}")
        async_with_session += [
            f"{route.path}: dependency {name(d.call)}"
            for d in everything[1:]
            if takes_session(d) and is_async(d.call)
        ]
    assert not async_with_session, (
        "These reach the database but are `async def`; make them plain `def`:\n"
        + "\n".join(sorted(set(async_with_session)))
    )
    assert endpoints_with_session > 40, "the walk found too few handlers: is it still working?"


def test_the_session_commits_before_the_response(app: FastAPI) -> None:
    scopes = {
        d.scope for route in api_routes(app) for d in tree(route.dependant) if d.call is get_session
    }
    assert scopes == {"function"}
