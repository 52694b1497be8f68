"""Markdown to safe HTML for guidance pages, and Markdown to plain text for search.

Pages come from Safeside and from an organisation's folder, so the renderer trusts
neither: raw HTML is escaped, never passed through; images are not rendered; links keep
only safe schemes (markdown-it refuses ``javascript:``, ``vbscript:``, ``file:`` and
``data:``). Headings start at ``<h2>``, because the page title is the page's one ``<h1>``.
GOV.UK Frontend classes are added so pages look like the rest of the service.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    "code_block": "ss-code",
    "fence": "ss-code",
}
_HEADING_CLASSES = {"h2": "govuk-heading-m", "h3": "govuk-heading-s"}


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    return md


def _heading_tag(tag: str) -> str:
    """``h1`` becomes ``h2``; the rest stay (the page title is the only ``h1``)."""
    level = max(2, int(tag[1:]))
    return f"h{level}"


def _decorate(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _heading_tag(token.tag)
            if token.type == "heading_open":
                token.attrSet("class", _HEADING_CLASSES.get(token.tag, "govuk-heading-s"))
        elif token.type in _CLASSES:
            token.attrSet("class", _CLASSES[token.type])
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if href.startswith(("http://", "https://", "//")):
                token.attrSet("rel", "noreferrer noopener")
        if token.children:
            _decorate(token.children)


def render_markdown(text: str) -> Markup:
    """Safe HTML for ``text`` (Markdown). Raw HTML in ``text`` is shown, escaped, as text."""
    md = _markdown()
    tokens = md.parse(text)
    _decorate(tokens)
    return Markup(md.renderer.render(tokens, md.options, {}))


def plain_text(text: str) -> str:
    """The words of ``text`` (Markdown) without its markup: one line per block."""
    lines: list[str] = []
    current: list[str] = []
    for token in _markdown().parse(text):
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    current.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    current.append(" ")
        elif token.type in ("code_block", "fence"):
            current.append(token.content)
        elif (token.nesting == -1 or token.type == "hr") and current:
            lines.append("".join(current).strip())
            current = []
    if current:
        lines.append("".join(current).strip())
    return "\n".join(line for line in lines if line)
