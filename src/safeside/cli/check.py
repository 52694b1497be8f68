"""``safeside check``: analyse one text and explain every flag."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from safeside.engine.results import Analysis
from safeside.pipeline.analyzer import Analyzer
from safeside.taxonomy import CONCERN_TITLES, ENTITY_TITLES, Severity

MAX_INPUT_BYTES = 5_000_000

_SEVERITY_STYLE = {
    "none": "green",
    "low": "yellow",
    "medium": "dark_orange",
    "high": "bold red",
    "critical": "bold white on red",
}
_ENTITY_STYLE = "underline bold cyan"
_EVIDENCE_STYLE = "bold black on yellow"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error to stderr and return the Exit to raise."""
    Console(stderr=True).print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(code)


def read_text_input(text: str | None, file: Path | None) -> str:
    """The text to analyse, from the argument, ``-`` (standard input) or ``--file``."""
    if file is not None and text is not None:
        raise fail("give the text or --file, not both")
    if file is not None:
        try:
            size = file.stat().st_size
        except OSError as exc:
            raise fail(f"cannot read {file}: {exc.strerror}") from None
        if size > MAX_INPUT_BYTES:
            raise fail(f"{file} is {size:,} bytes; check takes at most {MAX_INPUT_BYTES:,}. "
                       "Use 'safeside audit' for archives.")  # fmt: skip
        data = file.read_bytes()
        return decode(data, str(file))
    if text is None:
        raise fail("give the text to check, '-' to read standard input, or --file PATH")
    if text == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise fail(f"standard input is over {MAX_INPUT_BYTES:,} bytes")
        return decode(data, "standard input")
    return text


def decode(data: bytes, where: str) -> str:
    """Decode text input: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(f"{where} looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def highlighted(analysis: Analysis) -> Text:
    """The original text with entities underlined and concern evidence highlighted."""
    text = Text(analysis.text)
    for ent in analysis.entities:
        text.stylize(_ENTITY_STYLE, ent.start, ent.end)
    for concern in analysis.concerns:
        for ev in concern.evidence:
            if not ev.cue.startswith("identifies:"):
                text.stylize(_EVIDENCE_STYLE, ev.start, ev.end)
    return text


def render(analysis: Analysis, console: Console) -> None:
    """Print an analysis for a person: highlights, concerns, actions, safer rewrite."""
    sev = analysis.severity.label
    title = f"Severity: [{_SEVERITY_STYLE[sev]}]{sev.upper()}[/]  ·  mode: {analysis.mode}"
    console.print(Panel(highlighted(analysis), title=title, title_align="left"))
    if analysis.entities:
        found = ", ".join(f"{ENTITY_TITLES[e.label]} “{e.text}”" for e in analysis.entities)
        console.print(f"[cyan]Details found:[/] {found}", highlight=False)
    if not analysis.concerns:
        console.print("[green]No concerns found.[/] Details like names or dates are listed "
                      "above so you can decide for yourself.")  # fmt: skip
    for concern in analysis.concerns:
        style = _SEVERITY_STYLE[concern.severity.label]
        console.print(
            f"\n[{style}]● {CONCERN_TITLES[concern.label]}[/] "
            f"([{style}]{concern.severity.label}[/], confidence {concern.confidence:.0%})",
            highlight=False,
        )
        console.print(f"  {concern.explanation}", highlight=False)
        for ev in concern.evidence:
            if not ev.cue.startswith("identifies:"):
                console.print(f"  [dim]evidence:[/] “{ev.text}” — {ev.cue}", highlight=False)
        for example in concern.similar[:1]:
            console.print(
                f"  [dim]reads like:[/] “{example}” (an invented training example)",
                highlight=False,
            )
    if analysis.actions:
        console.print("\n[bold]What your guidance says to do[/]")
        for action in analysis.actions:
            cites = "; ".join(s.title for s in action.sources)
            console.print(f"  [bold]{action.urgency}:[/] {action.text}", highlight=False)
            console.print(f"    [dim]Source: {cites}[/]", highlight=False)
    if analysis.rewrite is not None:
        console.print("\n[bold]Safer version[/]")
        console.print(Panel(analysis.rewrite.text or "(nothing left to post)"), highlight=False)
        for tip in analysis.rewrite.advice:
            console.print(f"  [dim]•[/] {tip}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        text: Annotated[
            str | None, typer.Argument(help="Text to check, or '-' for standard input.")
        ] = None,
        mode: Annotated[
            str,
            typer.Option("--mode", "-m", help="own (your post) or review (third-party content)."),
        ] = "own",
        file: Annotated[
            Path | None, typer.Option("--file", "-f", help="Read the text from a file.")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the analysis as JSON.")
        ] = False,
        config: Annotated[
            Path | None, typer.Option("--config", help="Your organisation's configuration YAML.")
        ] = None,
        fail_on: Annotated[
            str | None,
            typer.Option(
                "--fail-on",
                help="Exit 1 if severity is at least this (low, medium, high, critical).",
            ),
        ] = None,
    ) -> None:
        """Check a post, comment or message and explain every flag."""
        if mode not in ("own", "review"):
            raise fail(f"--mode must be 'own' or 'review', not {mode!r}")
        threshold = None
        if fail_on is not None:
            try:
                threshold = Severity.parse(fail_on)
            except ValueError as exc:
                raise fail(str(exc)) from None
        body = read_text_input(text, file)
        analyzer = load_analyzer(config)
        analysis = analyzer.analyze(body, mode=mode)
        if as_json:
            sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            render(analysis, Console())
        if threshold is not None and analysis.severity >= threshold:
            raise typer.Exit(1)


def load_analyzer(config: Path | None) -> Analyzer:
    """The default analyzer, or one with the organisation's configuration applied."""
    from safeside import get_analyzer
    from safeside.errors import SafesideError
    from safeside.guidance.playbook import PlaybookError
    from safeside.pipeline.config import ConfigError

    try:
        return get_analyzer() if config is None else Analyzer.from_config(config)
    except SafesideError as exc:  # a bad setting, e.g. SAFESIDE_MODEL_THREADS
        raise fail(str(exc)) from None
    except (ConfigError, PlaybookError, ValueError, KeyError) as exc:
        raise fail(str(exc).strip("'\"")) from None
