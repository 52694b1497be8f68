"""Command: ``safeside digest PATH`` — a digest of a chat, hashtag or blog archive.

Reads an export (X or Mastodon archive, transcript CSV/JSONL, RSS/Atom feed), rebuilds
its threads, and prints participants, most-shared links, topics and a summary. The
``--json``, ``--markdown`` and ``--cpd-draft`` files are written only when the safety
check (own mode) finds nothing identifying in them, unless ``--allow-flagged``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from safeside.check import engine_check
from safeside.cli.errors import exit_on_error
from safeside.errors import InputError

if TYPE_CHECKING:
    from safeside.learning.digest import Digest

_out = Console(highlight=False)
_err = Console(stderr=True, highlight=False)

#: Exit status when exports were refused because the safety check flagged something.
EXIT_FLAGGED = 2

PathArg = Annotated[
    Path, typer.Argument(help="An X or Mastodon archive, a chat CSV/JSONL, or an RSS/Atom file.")
]
TagOpt = Annotated[
    str | None, typer.Option("--hashtag", help="Keep threads using this hashtag (any capitals).")
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="First day to include (YYYY-MM-DD, UK time).")
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last day to include (YYYY-MM-DD, UK time).")
]
TitleOpt = Annotated[str | None, typer.Option("--title", help="Title for the digest.")]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the digest as JSON here.")]
MdOpt = Annotated[
    Path | None, typer.Option("--markdown", help="Write the digest as Markdown here.")
]
CpdOpt = Annotated[
    Path | None, typer.Option("--cpd-draft", help="Write a draft CPD record (JSON) here.")
]
AllowOpt = Annotated[
    bool,
    typer.Option("--allow-flagged", help="Write the files even if the safety check flags text."),
]
FormatOpt = Annotated[
    str | None, typer.Option("--format", help="Read as this format instead of detecting it.")
]
TzOpt = Annotated[
    str, typer.Option("--timezone", help="Timezone for dates the export writes without one.")
]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        TextColumn("{task.completed} posts"),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    )


def _build(
    path: Path,
    hashtag: str | None,
    start: date | None,
    end: date | None,
    title: str | None,
    format: str | None,
    timezone: str,
) -> Digest:
    from safeside.ingest import ReadOptions, open_import
    from safeside.learning.digest import build_digest, within

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown timezone {timezone!r}; try Europe/London") from None
    options = ReadOptions(timezone=zone, hint=str(path).lower())
    with _progress() as progress, open_import(path, options=options, format=format) as source:
        task = progress.add_task(f"Reading {path.name}", total=None)
        posts = []
        for post in source:
            posts.append(post)
            progress.advance(task)
        progress.update(task, description="Building the digest")
        kept = within(posts, start, end)
        if not kept:
            for line in source.report.summary_lines():
                _err.print(line)
            for problem in source.report.problems[:5]:
                _err.print(f"  {problem}")
            raise InputError(f"{path.name}: no posts to digest in the dates given")
        digest = build_digest(kept, hashtag=hashtag, title=title)
        if not digest.posts:
            raise InputError(
                f"{path.name}: no threads use #{hashtag.lstrip('#') if hashtag else ''}"
            )
        progress.update(task, description="Checking what would be shared")
        digest.safety_check(engine_check)
    return digest


def _show(digest: Digest) -> None:
    _out.rule(f"[bold]{digest.title}")
    _out.print(f"{len(digest.posts)} posts from {len(digest.participants)} participants")
    if digest.summary:
        _out.print("\n[bold]Summary[/bold]")
        for sentence in digest.summary:
            _out.print(f"  • {sentence.text} [dim](from {', '.join(sentence.post_ids)})[/dim]")
    if digest.clusters:
        _out.print("\n[bold]Topics[/bold]")
        for cluster in digest.clusters:
            _out.print(f"  • {cluster.label} [dim]({len(cluster.post_ids)} posts)[/dim]")
    if digest.links:
        _out.print("\n[bold]Most-shared links[/bold]")
        for link in digest.links[:5]:
            _out.print(f"  • {link.url} [dim]({link.count})[/dim]")
    _out.print("\n[bold]Participants[/bold]")
    _out.print("  " + ", ".join(f"{p.handle} ({p.posts})" for p in digest.participants[:10]))
    replied = [t for t in digest.threads if t.replies]
    _out.print(f"\n{len(digest.threads)} threads, {len(replied)} with replies")


def _report_flags(digest: Digest, refused: bool) -> None:
    heading = (
        "[red]Not written:[/red] the safety check found details that should not go into a "
        "portfolio. Edit the posts or use --allow-flagged after checking them yourself."
        if refused
        else "[yellow]Written although the safety check flagged these:[/yellow]"
    )
    _err.print(heading, soft_wrap=True)
    for flag in digest.flags(engine_check):
        _err.print(f"  {flag.where}: “{flag.text}”", soft_wrap=True)
        for reason in flag.reasons:
            _err.print(f"    - {reason}", soft_wrap=True)


def _write(digest: Digest, json_out: Path | None, md_out: Path | None, cpd: Path | None) -> None:
    from safeside.learning.digest.markdown import to_markdown

    if json_out:
        json_out.write_text(json.dumps(digest.to_dict(), indent=2, ensure_ascii=False), "utf-8")
        _err.print(f"Wrote {json_out}")
    if md_out:
        md_out.write_text(to_markdown(digest), "utf-8")
        _err.print(f"Wrote {md_out}")
    if cpd:
        cpd.write_text(json.dumps(digest.cpd_draft(), indent=2, ensure_ascii=False), "utf-8")
        _err.print(f"Wrote {cpd}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command()
    def digest(
        path: PathArg,
        hashtag: TagOpt = None,
        start: FromOpt = None,
        end: ToOpt = None,
        title: TitleOpt = None,
        json_out: JsonOpt = None,
        markdown: MdOpt = None,
        cpd_draft: CpdOpt = None,
        allow_flagged: AllowOpt = False,
        format: FormatOpt = None,
        timezone: TzOpt = "Europe/London",
    ) -> None:
        """Digest a chat or hashtag archive: threads, topics, links, summary, CPD draft."""
        with exit_on_error(_err):
            result = _build(
                path,
                hashtag,
                _day(start, "--from"),
                _day(end, "--to"),
                title,
                format,
                timezone,
            )
            _show(result)
            exporting = any((json_out, markdown, cpd_draft))
            flags = result.flags(engine_check)
            if flags and exporting:
                _report_flags(result, refused=not allow_flagged)
                if not allow_flagged:
                    raise typer.Exit(code=EXIT_FLAGGED)
            elif flags:
                _err.print(
                    f"[yellow]Note:[/yellow] {len(flags)} part(s) of this digest would be "
                    "refused for export by the safety check."
                )
            _write(result, json_out, markdown, cpd_draft)
