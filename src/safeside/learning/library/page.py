"""A guidance page: one rule or principle, in plain English, with the sources it rests on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageSource:
    """Where a page's rule comes from: a standard, a statute, guidance or a local policy."""

    title: str
    reference: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class GuidancePage:
    """One page of the guidance library.

    Attributes:
        id: the page's slug, used in its address (``/learning/guidance/<id>``).
        title: the page's heading.
        summary: one or two sentences shown in lists and search results.
        body: the page in Markdown (rendered safely by :func:`render_markdown`).
        sources: what the page rests on; every built-in page cites at least one.
        tags: extra words people search for (``"RIPA"``, ``"repeat viewing"``).
        related: ids of other guidance pages.
        scenarios: ids of training scenarios that practise this guidance.
        local: True for an organisation's own policy page.
        replaces: the built-in page a local page stands in for, if any.
        file: the file the page was read from (its name only), for messages.
    """

    id: str
    title: str
    summary: str
    body: str
    sources: tuple[PageSource, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    local: bool = False
    replaces: str | None = None
    file: str = ""
