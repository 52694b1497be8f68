"""RSS 2.0 and Atom feeds saved from a blog (``.xml``, ``.rss``, ``.atom``).

Each ``<item>`` (RSS) or ``<entry>`` (Atom) becomes a post: its title and text (from
``content:encoded``, ``description``, ``content`` or ``summary``, with HTML turned into
plain text; scripts and styles dropped, nothing fetched), author, published date,
link and id. Entries marked as replies with the Atom threading extension
(``<thr:in-reply-to ref="…">``) are comments, threaded under the post they answer.

Feeds are parsed without ever expanding entities or reading a DTD: a file that
declares entities (the "billion laughs" attack) or refers to external ones is refused
with :class:`UnsafeXML`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import IO, NoReturn
from xml.parsers import expat

from safeside.errors import InputError
from safeside.ingest.dates import from_iso
from safeside.ingest.post import Post, SourceRef
from safeside.ingest.registry import Reader, ReadOptions, register
from safeside.ingest.report import ImportReport
from safeside.ingest.sources import Entry

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
THREAD = "{http://purl.org/syndication/thread/1.0}"

_SUFFIXES = (".xml", ".rss", ".atom")
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "tr"})
_HIDDEN = frozenset({"script", "style", "iframe", "object", "noscript", "template"})


class UnsafeXML(InputError):
    """An XML file that declares or refers to entities, which Safeside never expands."""


def _refuse(what: str) -> NoReturn:
    raise UnsafeXML(
        f"declares {what}; Safeside does not expand XML entities (a file built to exhaust "
        "memory or read other files looks like this), so it was not read"
    )


def parse_xml(stream: IO[bytes]) -> tuple[ET.Element, list[int]]:
    """A safely parsed XML document, and the line where each item or entry starts.

    Raises :class:`UnsafeXML` for entity declarations and external entities, and
    :class:`~safeside.errors.InputError` for XML that is not well formed.
    """
    builder = ET.TreeBuilder()
    lines: list[int] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def name(raw: str) -> str:
        uri, _, local = raw.rpartition(" ")
        return f"{{{uri}}}{local}" if uri else local

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(name(tag), {name(k): v for k, v in attrs.items()})
        if element.tag in ("item", f"{ATOM}entry"):
            lines.append(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = lambda *_: _refuse("an entity (<!ENTITY …>)")
    parser.UnparsedEntityDeclHandler = lambda *_: _refuse("an external entity")
    parser.ExternalEntityRefHandler = lambda *_: _refuse("a reference to an external entity")
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise InputError(f"is not well-formed XML ({error})") from None
    return builder.close(), lines


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href = href if href.startswith(("http://", "https://")) else None

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag == "a" and self.href:
            if self.href not in (self.parts[-1] if self.parts else ""):
                self.parts.append(f" ({self.href})")
            self.href = None
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """Plain text from HTML: paragraphs kept, link targets written after the link text,
    tags, scripts and styles dropped."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _rss_author(item: ET.Element, fallback: str | None) -> str | None:
    author = _text(item.find(f"{DC}creator")) or _text(item.find("author"))
    match = re.fullmatch(r"\S+@\S+\s*\((.+)\)", author)  # "jo@example.org (Jo Bloggs)"
    return (match.group(1) if match else author) or fallback


def _atom_body(entry: ET.Element) -> str:
    for tag in ("content", "summary"):
        element = entry.find(f"{ATOM}{tag}")
        if element is None:
            continue
        kind = element.get("type", "text")
        if kind == "xhtml":
            return re.sub(r"\s*\n\s*\n\s*", "\n\n", _text(element))
        return html_text(element.text or "") if kind == "html" else _text(element)
    return ""


def _atom_link(entry: ET.Element) -> str | None:
    links = entry.findall(f"{ATOM}link")
    chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), None)
    return chosen.get("href") if chosen is not None else None


def _reply_to(item: ET.Element) -> str | None:
    element = item.find(f"{THREAD}in-reply-to")
    return element.get("ref") if element is not None else None


def _combine(title: str, body: str) -> str:
    if title and body and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body or title


@register
class FeedReader(Reader):
    name = "rss"
    title = "RSS or Atom feed saved from a blog"

    def claims(self, entry: Entry, head: str) -> bool:
        start = head[:2048]
        return entry.suffix in _SUFFIXES and (
            "<rss" in start or ("<feed" in start and "http://www.w3.org/2005/Atom" in start)
        )

    def read(self, entry: Entry, report: ImportReport, options: ReadOptions) -> Iterator[Post]:
        with entry.open() as stream:
            root, lines = parse_xml(stream)
        make: Callable[[ET.Element, SourceRef, str | None], Post | None]
        if root.tag == f"{ATOM}feed":
            fallback = _text(root.find(f"{ATOM}author/{ATOM}name")) or None
            items = root.findall(f"{ATOM}entry")
            make = _atom_post
        elif root.tag == "rss":
            channel = root.find("channel")
            fallback = _text(channel.find(f"{DC}creator")) or None if channel is not None else None
            items = channel.findall("item") if channel is not None else []
            make = _rss_post
        else:
            raise InputError(f"is XML but not an RSS or Atom feed (it starts with <{root.tag}>)")
        for index, item in enumerate(items):
            where = entry.where(index, lines[index] if index < len(lines) else None)
            post = make(item, where, fallback)
            if post is None:
                report.skip("no-text", "has no title or text", where, quiet=True)
                continue
            if post.timestamp is None:
                report.warn("no-date", "has no usable publication date; kept without a date", where)
            yield post


def _rss_post(item: ET.Element, where: SourceRef, fallback: str | None) -> Post | None:
    body = html_text(_text(item.find(f"{CONTENT}encoded")) or _text(item.find("description")))
    text = _combine(_text(item.find("title")), body)
    if not text:
        return None
    link = _text(item.find("link")) or None
    ident = _text(item.find("guid")) or link
    reply_to = _reply_to(item)
    return Post(
        platform="rss",
        kind="comment" if reply_to else "post",
        text=text,
        source=where,
        id=ident,
        author=_rss_author(item, fallback),
        timestamp=from_iso(_text(item.find("pubDate")) or _text(item.find(f"{DC}date"))),
        url=link,
        thread=reply_to or ident,
    )


def _atom_post(entry: ET.Element, where: SourceRef, fallback: str | None) -> Post | None:
    text = _combine(_text(entry.find(f"{ATOM}title")), _atom_body(entry))
    if not text:
        return None
    ident = _text(entry.find(f"{ATOM}id")) or _atom_link(entry)
    reply_to = _reply_to(entry)
    published = _text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated"))
    return Post(
        platform="atom",
        kind="comment" if reply_to else "post",
        text=text,
        source=where,
        id=ident,
        author=_text(entry.find(f"{ATOM}author/{ATOM}name")) or fallback,
        timestamp=from_iso(published),
        url=_atom_link(entry),
        thread=reply_to or ident,
    )
