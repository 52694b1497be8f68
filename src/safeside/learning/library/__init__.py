"""The guidance library: the principles and rules the playbook encodes, with sources.

Safeside ships one page per rule or principle (``pages/*.md``); an organisation adds its
own policy pages from a folder (``SAFESIDE_GUIDANCE_DIR``). Every page can be searched::

    from safeside.learning.library import load_library

    library = load_library(settings.guidance_dir)
    for result in library.search("repeat viewing"):
        print(result.page.title)

See ``docs/guidance-library.md`` for the page format.
"""

from safeside.learning.library.loader import (
    Library,
    LibraryError,
    builtin_pages,
    load_library,
    playbook_sources,
    search,
)
from safeside.learning.library.page import GuidancePage, PageSource
from safeside.learning.library.render import plain_text, render_markdown
from safeside.learning.library.search import SearchResult, SnippetPart

__all__ = [
    "GuidancePage",
    "Library",
    "LibraryError",
    "PageSource",
    "SearchResult",
    "SnippetPart",
    "builtin_pages",
    "load_library",
    "plain_text",
    "playbook_sources",
    "render_markdown",
    "search",
]
