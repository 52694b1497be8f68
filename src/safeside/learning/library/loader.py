"""Load the guidance library: Safeside's built-in pages and an organisation's local pages.

A page is a Markdown file. Built-in pages (``library/pages/*.md``) start with YAML front
matter between ``---`` lines; a mistake in one is a bug, so it raises
:class:`LibraryError`. Local pages come from the organisation's folder
(``SAFESIDE_GUIDANCE_DIR``); front matter is optional, and a file that cannot be used is
skipped with a problem message naming it, so one bad file never takes the library down.

Sources are given as ids from the default playbook's ``sources:`` block
(``sources: [ca1989_s97, aja1960_s12]``) or inline as ``{title, reference, url}``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from safeside.errors import ContentError
from safeside.guidance.playbook import default_sources
from safeside.learning.library.page import GuidancePage, PageSource
from safeside.learning.library.render import plain_text
from safeside.learning.library.search import SearchIndex, SearchResult

MAX_PAGE_BYTES: Final = 1024 * 1024
MAX_LOCAL_PAGES: Final = 500
MAX_TITLE_CHARS: Final = 200
MAX_SUMMARY_CHARS: Final = 300
PAGE_SUFFIXES: Final = (".md", ".markdown")
FIELDS: Final = frozenset(
    {"id", "title", "summary", "sources", "tags", "related", "scenarios", "replaces"}
)
#: The source a local page cites when it names none: the page itself.
LOCAL_SOURCE_TITLE: Final = "Your organisation's local policy"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


class LibraryError(ContentError):
    """A guidance page cannot be used; the message names the file and what to fix."""


@dataclass(slots=True)
class Library:
    """The pages people can read and search, and what went wrong loading local pages."""

    pages: dict[str, GuidancePage]
    problems: list[str] = field(default_factory=list)
    index: SearchIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = SearchIndex(self.pages.values())

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Pages matching ``query``, best first (see :mod:`.search`)."""
        return self.index.search(query, limit)

    def get(self, page_id: str) -> GuidancePage | None:
        return self.pages.get(page_id)

    @property
    def builtin(self) -> list[GuidancePage]:
        """Safeside's own pages, by title."""
        return sorted((p for p in self.pages.values() if not p.local), key=_by_title)

    @property
    def local(self) -> list[GuidancePage]:
        """The organisation's pages, by title."""
        return sorted((p for p in self.pages.values() if p.local), key=_by_title)


def _by_title(page: GuidancePage) -> str:
    return page.title.casefold()


# --- sources ----------------------------------------------------------------------------------


@cache
def playbook_sources() -> Mapping[str, PageSource]:
    """The default playbook's sources, by id (``ca1989_s97`` → Children Act 1989 s.97(2))."""
    return {
        key: PageSource(title=source.title, reference=source.reference, url=source.url)
        for key, source in default_sources().items()
    }


def _sources(raw: Any, where: str) -> tuple[PageSource, ...]:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    known = playbook_sources()
    found: list[PageSource] = []
    for item in items:
        if isinstance(item, str):
            if item not in known:
                raise LibraryError(
                    f"{where}: cites unknown source {item!r}; use a source id from the "
                    "playbook (such as 'ca1989_s97') or give title, reference and url"
                )
            found.append(known[item])
        elif isinstance(item, dict) and isinstance(item.get("title"), str) and item["title"]:
            url = str(item.get("url") or "")
            if url and not url.startswith(("https://", "http://")):
                raise LibraryError(
                    f"{where}: source {item['title']!r} has a url that is not a web address"
                )
            found.append(PageSource(item["title"], str(item.get("reference") or ""), url))
        else:
            raise LibraryError(
                f"{where}: each source is a playbook source id or has a 'title' (got {item!r})"
            )
    return tuple(found)


# --- front matter -----------------------------------------------------------------------------


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any] | None, str]:
    """The YAML front matter (None if there is none) and the Markdown after it."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            block = "".join(lines[1:number])
            body = "".join(lines[number + 1 :])
            break
    else:
        raise LibraryError(f"{where}: the front matter has no closing '---' line")
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 2})" if mark is not None else ""
        raise LibraryError(f"{where}: the front matter is not valid YAML{at}") from None
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise LibraryError(f"{where}: the front matter must be 'name: value' lines")
    return {str(k): v for k, v in data.items()}, body


def _text(data: Mapping[str, Any], key: str, where: str, limit: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise LibraryError(f"{where}: '{key}' must be text")
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise LibraryError(f"{where}: '{key}' is longer than {limit} characters")
    return text or None


def _strings(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in items):
        raise LibraryError(f"{where}: '{key}' must be a list of words or ids")
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def _slugs(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = _strings(data, key, where)
    bad = [v for v in values if not _SLUG.fullmatch(v)]
    if bad:
        raise LibraryError(f"{where}: '{key}' has ids that are not kebab-case: {', '.join(bad)}")
    return values


def slugify(name: str) -> str:
    """``"Lone Working_Policy 2026"`` → ``"lone-working-policy-2026"``."""
    return "-".join(re.findall(r"[a-z0-9]+", name.casefold()))


# --- pages ------------------------------------------------------------------------------------


def _title_from_heading(body: str) -> tuple[str | None, str]:
    """The first ``# heading`` (outside code) and the body without it."""
    lines = body.splitlines(keepends=True)
    fenced = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _H1.match(line.rstrip("\r\n"))):
            return match.group(1).strip(), "".join(lines[:number] + lines[number + 1 :])
    return None, body


def _summary_from_body(body: str) -> str:
    first = next((line for line in plain_text(body).splitlines() if line.strip()), "")
    first = " ".join(first.split())
    if len(first) <= MAX_SUMMARY_CHARS:
        return first
    cut = first[: MAX_SUMMARY_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


def parse_page(text: str, name: str, *, local: bool) -> tuple[GuidancePage, list[str]]:
    """A page from a file's text, and any warnings (ignored fields) about it.

    Args:
        text: the file's contents.
        name: the file's name, for messages and, for local pages, the default id and title.
        local: a local page (front matter optional) rather than a built-in one.

    Raises:
        LibraryError: the page cannot be used; the message names the file.
    """
    where = name
    data, body = split_front_matter(text, where)
    warnings: list[str] = []
    if data is None:
        if not local:
            raise LibraryError(f"{where}: a built-in page needs front matter between '---' lines")
        data = {}
    unknown = sorted(set(data) - FIELDS)
    if unknown and not local:
        raise LibraryError(f"{where}: unknown front matter fields: {', '.join(unknown)}")
    if unknown:
        warnings.append(f"{where}: ignored unknown front matter fields: {', '.join(unknown)}")

    stem = Path(name).stem
    page_id = _text(data, "id", where, 100) or (slugify(stem) if local else stem)
    if not _SLUG.fullmatch(page_id):
        raise LibraryError(f"{where}: the id {page_id!r} must be lower-case words joined by '-'")
    if not local and page_id != stem:
        raise LibraryError(f"{where}: the id {page_id!r} must match the file name")
    replaces = _text(data, "replaces", where, 100)
    if replaces is not None and not local:
        raise LibraryError(f"{where}: only local pages may replace another page")

    title = _text(data, "title", where, MAX_TITLE_CHARS)
    heading, without_heading = _title_from_heading(body)
    if title is None and heading:
        title = " ".join(heading.split())[:MAX_TITLE_CHARS]
    if heading and title is not None and " ".join(heading.split()).casefold() == title.casefold():
        body = without_heading  # the title is shown once, as the page's h1
    if title is None:
        if not local:
            raise LibraryError(f"{where}: a built-in page needs a title")
        title = re.sub(r"[-_\s]+", " ", stem).strip().capitalize() or page_id
    summary = _text(data, "summary", where, MAX_SUMMARY_CHARS)
    if summary is None:
        if not local:
            raise LibraryError(f"{where}: a built-in page needs a summary")
        summary = _summary_from_body(body)

    sources = _sources(data.get("sources"), where)
    if not sources:
        if not local:
            raise LibraryError(f"{where}: a built-in page must cite at least one source")
        sources = (PageSource(LOCAL_SOURCE_TITLE, reference=name),)
    page = GuidancePage(
        id=page_id,
        title=title,
        summary=summary,
        body=body.strip() + "\n",
        sources=sources,
        tags=_strings(data, "tags", where),
        related=tuple(r for r in _slugs(data, "related", where) if r != page_id),
        scenarios=_slugs(data, "scenarios", where),
        local=local,
        replaces=replaces,
        file=name,
    )
    return page, warnings


@cache
def _builtin() -> tuple[GuidancePage, ...]:
    folder = resources.files("safeside.learning.library").joinpath("pages")
    pages: list[GuidancePage] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md") and entry.is_file():
            page, _ = parse_page(entry.read_text("utf-8"), entry.name, local=False)
            pages.append(page)
    ids = {p.id for p in pages}
    for page in pages:
        missing = [r for r in page.related if r not in ids]
        if missing:
            raise LibraryError(f"{page.file}: related pages not found: {', '.join(missing)}")
    return tuple(pages)


def builtin_pages() -> dict[str, GuidancePage]:
    """Safeside's own guidance pages, by id (parsed once per process)."""
    return {page.id: page for page in _builtin()}


# --- local pages ------------------------------------------------------------------------------


def local_files(folder: Path) -> list[Path]:
    """The page files in ``folder`` (not hidden, not in subfolders), by name."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in PAGE_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def _read_local(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise LibraryError(f"{path.name}: larger than 1 MB, so it was not loaded")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LibraryError(
            f"{path.name}: not UTF-8 text; save it as UTF-8 (plain text) and it will load"
        ) from None


def _local_pages(
    folder: Path, builtin: Mapping[str, GuidancePage]
) -> tuple[list[GuidancePage], list[str]]:
    problems: list[str] = []
    try:
        files = local_files(folder)
    except OSError as exc:
        return [], [f"The guidance folder {folder} cannot be read: {exc.strerror or exc}"]
    if len(files) > MAX_LOCAL_PAGES:
        problems.append(
            f"The guidance folder has {len(files)} pages; only the first {MAX_LOCAL_PAGES} were loaded"
        )
        files = files[:MAX_LOCAL_PAGES]
    pages: list[GuidancePage] = []
    taken: dict[str, str] = {}
    for path in files:
        try:
            page, warnings = parse_page(_read_local(path), path.name, local=True)
            page = _place(page, builtin, taken)
        except LibraryError as exc:
            problems.append(f"{exc} (skipped)")
            continue
        except OSError as exc:
            problems.append(f"{path.name}: cannot be read: {exc.strerror or exc} (skipped)")
            continue
        problems.extend(warnings)
        taken[page.id] = page.file
        pages.append(page)
    return pages, problems


def _place(
    page: GuidancePage, builtin: Mapping[str, GuidancePage], taken: Mapping[str, str]
) -> GuidancePage:
    """The page under the id it may have: a built-in id only with ``replaces``."""
    where = page.file
    if page.replaces is not None:
        original = builtin.get(page.replaces)
        if original is None:
            raise LibraryError(f"{where}: replaces {page.replaces!r}, which is not a built-in page")
        page = dataclasses.replace(
            page,
            id=original.id,
            tags=page.tags or original.tags,
            related=page.related or original.related,
            scenarios=page.scenarios or original.scenarios,
        )
    elif page.id in builtin:
        raise LibraryError(
            f"{where}: the id {page.id!r} belongs to a built-in page; add "
            f"'replaces: {page.id}' to the front matter to use this page instead"
        )
    if page.id in taken:
        raise LibraryError(f"{where}: the id {page.id!r} is already used by {taken[page.id]}")
    return page


def load_library(local_dir: Path | None) -> Library:
    """The built-in pages plus the organisation's pages in ``local_dir`` (if given).

    Never raises for a local problem: each unusable local file is listed in
    :attr:`Library.problems` and the rest still load.
    """
    pages = builtin_pages()
    problems: list[str] = []
    if local_dir is not None:
        if not local_dir.is_dir():
            problems.append(f"The guidance folder {local_dir} does not exist or is not a folder")
        else:
            local, problems = _local_pages(local_dir, pages)
            for page in local:
                pages[page.id] = page
    for page in list(pages.values()):
        if page.local:
            missing = [r for r in page.related if r not in pages]
            if missing:
                problems.append(
                    f"{page.file}: related pages not found, links left out: {', '.join(missing)}"
                )
                pages[page.id] = dataclasses.replace(
                    page, related=tuple(r for r in page.related if r in pages)
                )
    return Library(pages, problems)


def search(library: Library, query: str, limit: int = 20) -> list[SearchResult]:
    """``library.search(query, limit)``, as a function."""
    return library.search(query, limit)
