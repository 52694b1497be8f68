"""Command: ``safeside eval FILE`` scores the engine on a labelled file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import safeside
from safeside.evaluation.data import LabelledSet
from safeside.evaluation.readers import ReadError, read_labelled
from safeside.evaluation.report import print_report
from safeside.evaluation.scoring import evaluate
from safeside.taxonomy import MODES

#: Exit code for a file that is missing, unreadable or not in a known format.
EXIT_BAD_INPUT = 2
#: Exit code for an engine failure while scoring.
EXIT_ENGINE = 1


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _label_map(pairs: list[str]) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        source, sep, target = pair.partition("=")
        if not sep:
            raise _fail(f"--map expects SOURCE=CONCERN, got {pair!r}")
        mapping[source.strip()] = target.strip()
    return mapping or None


def eval_command(
    file: Annotated[Path, typer.Argument(help="Labelled file: JSONL, CoNLL/BIO or CSV.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="auto, jsonl, conll, csv or presidio.")
    ] = "auto",
    mode: Annotated[
        str, typer.Option(help="Mode for texts whose file gives none: own or review.")
    ] = "own",
    labels: Annotated[
        list[str] | None,
        typer.Option("--labels", "-l", help="Score only these labels (repeat or comma-separate)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    errors: Annotated[int, typer.Option(help="How many of the worst errors to show.")] = 10,
    text_column: Annotated[str, typer.Option(help="CSV: the text column.")] = "text",
    label_column: Annotated[str, typer.Option(help="CSV: the label column.")] = "label",
    label_map: Annotated[
        list[str] | None,
        typer.Option("--map", help="CSV: rename a raw label, e.g. --map 1=threat --map 0=none."),
    ] = None,
) -> None:
    """Score the engine on a labelled file: per-label precision, recall, F1 and the worst errors.

    Exit codes: 0 scored; 1 the engine failed; 2 bad input (missing, unreadable, unknown format).
    """
    if mode not in MODES:
        raise _fail(f"unknown mode {mode!r}: use own or review")
    if errors < 0:
        raise _fail("--errors must be 0 or more")
    try:
        data = read_labelled(file, fmt, text_column, label_column, _label_map(label_map or []))
        if labels:
            data = data.restrict([x.strip() for item in labels for x in item.split(",") if x])
    except (ReadError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if not data.examples:
        raise _fail(f"{file}: no labelled texts found")
    run(data, mode, as_json, errors)


def run(data: LabelledSet, mode: str, as_json: bool, errors: int) -> None:
    """Score ``data`` with the default engine and print the report."""
    try:
        report, _ = evaluate(data, safeside.analyze_batch, default_mode=mode)
    except Exception as exc:  # the engine is the boundary here: report, don't trace
        raise _fail(f"the engine failed: {type(exc).__name__}: {exc}", EXIT_ENGINE) from None
    if as_json:
        out = report.to_dict()
        out["errors"] = out["errors"][:errors]
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print_report(report, errors)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("eval")(eval_command)
