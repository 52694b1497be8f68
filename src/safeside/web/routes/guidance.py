"""Guidance library: search the rules Safeside's guidance encodes, and read each with its sources."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from markupsafe import Markup

from safeside.access.models import User
from safeside.learning.library import Library, load_library, render_markdown
from safeside.learning.library.loader import local_files
from safeside.learning.scenarios import ScenarioError, get_scenario
from safeside.settings import Settings
from safeside.web.deps import NotFound, get_settings, signed_in
from safeside.web.render import render

router = APIRouter()

MAX_QUERY_CHARS: Final = 200
_CACHE_SIZE: Final = 16
_lock = threading.Lock()
_libraries: dict[str | None, tuple[tuple[object, ...], Library]] = {}


def _fingerprint(folder: Path) -> tuple[object, ...]:
    """What changes when a local page is added, removed, renamed or edited."""
    try:
        entries = []
        for path in local_files(folder):
            stat = path.stat()
            entries.append((path.name, stat.st_mtime_ns, stat.st_size))
        return (folder.stat().st_mtime_ns, tuple(entries))
    except OSError:
        return ("unreadable",)


def library_for(folder: Path | None) -> Library:
    """The library for ``folder``, loaded again only when the folder or a page in it changes."""
    key = str(folder) if folder is not None else None
    fingerprint = _fingerprint(folder) if folder is not None else ()
    with _lock:
        cached = _libraries.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
    library = load_library(folder)
    with _lock:
        _libraries.pop(key, None)
        while len(_libraries) >= _CACHE_SIZE:
            _libraries.pop(next(iter(_libraries)))
        _libraries[key] = (fingerprint, library)
    return library


def guidance_library(settings: Annotated[Settings, Depends(get_settings)]) -> Library:
    """The built-in pages plus this organisation's (``SAFESIDE_GUIDANCE_DIR``)."""
    return library_for(settings.guidance_dir)


LibraryDep = Annotated[Library, Depends(guidance_library)]
Reader = Annotated[User, Depends(signed_in("view_guidance"))]


@lru_cache(maxsize=256)
def _page_html(body: str) -> Markup:
    return render_markdown(body)


def scenario_title(scenario_id: str) -> str:
    """The scenario's own title, or its id in words if it cannot be found."""
    try:
        scenario = get_scenario(scenario_id)
    except ScenarioError:  # a broken scenario file must not break the guidance
        scenario = None
    if scenario is not None:
        return scenario.title
    return scenario_id.replace("-", " ").capitalize()


@router.get("/learning/guidance")
def guidance_index(request: Request, actor: Reader, library: LibraryDep, q: str = "") -> Response:
    query = " ".join(q.split())[:MAX_QUERY_CHARS]
    return render(
        request,
        "pages/guidance/index.html",
        {
            "query": query,
            "results": library.search(query) if query else [],
            "builtin": library.builtin,
            "local": library.local,
            "problems": library.problems if actor.role == "admin" else [],
        },
        actor=actor,
    )


@router.get("/learning/guidance/{page_id}")
def guidance_page(request: Request, actor: Reader, library: LibraryDep, page_id: str) -> Response:
    page = library.get(page_id)
    if page is None:
        raise NotFound("Page not found")
    related = [library.pages[r] for r in page.related if r in library.pages]
    scenarios = [(s, scenario_title(s)) for s in page.scenarios]
    return render(
        request,
        "pages/guidance/page.html",
        {"page": page, "body": _page_html(page.body), "related": related, "scenarios": scenarios},
        actor=actor,
    )
