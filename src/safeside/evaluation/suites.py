"""One command per evaluation: ``python -m safeside.evaluation.suites NAME [--markdown]``.

Each suite loads a labelled set, scores :func:`safeside.analyze_batch` on it, prints
a table and writes ``benchmarks/results/eval-NAME.json``. Data sets are read from
``<repo>/../shared`` or ``$SAFESIDE_SHARED_DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

import safeside
from safeside.engine.results import Analysis
from safeside.evaluation.data import BatchAnalyzer, LabelledSet
from safeside.evaluation.external import read_hatecheck, read_toxic_spans
from safeside.evaluation.readers import ReadError, read_conll, read_jsonl, read_presidio
from safeside.evaluation.report import (
    HEADLINE_HEADER,
    headline_row,
    markdown_rows,
    markdown_table,
    rich_report,
)
from safeside.evaluation.scoring import Report, evaluate, score

REPO = Path(__file__).resolve().parents[3]
RESULTS = REPO / "benchmarks" / "results"
#: ``--update-doc`` replaces what lies between these markers.
DOC_START, DOC_END = "<!-- results:start -->", "<!-- results:end -->"


def shared_dir() -> Path:
    """The shared data folder: ``$SAFESIDE_SHARED_DIR`` or ``<repo>/../shared``."""
    return Path(os.environ.get("SAFESIDE_SHARED_DIR") or REPO.parent / "shared")


def external(*parts: str) -> Path:
    return shared_dir().joinpath("data", "external", *parts)


class Skipped(Exception):
    """A suite's data is not there; the message says what is missing."""


@dataclass(slots=True)
class Suite:
    """A named evaluation: how to load its data and which mode to run it in."""

    name: str
    title: str
    load: Callable[[], LabelledSet]
    mode: str = "review"


@dataclass(slots=True)
class SuiteResult:
    suite: Suite
    report: Report
    extras: dict[str, Any] = field(default_factory=dict)
    extra_markdown: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite.name,
            "title": self.suite.title,
            "mode": self.suite.mode,
            "safeside_version": safeside.__version__,
            "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **self.report.to_dict(),
            **self.extras,
        }


def _need(path: Path) -> Path:
    if not path.exists():
        raise Skipped(f"{path} not found")
    return path


def _challenge() -> LabelledSet:
    data = read_jsonl(_need(REPO / "training" / "data" / "inhouse_challenge.jsonl"))
    data.name = "challenge"
    return data


#: the blind sets today: never trained or tuned on, their errors unread (docs/evaluation.md)
BLIND_SETS = (
    "blind_v13",
    "blind_v15",
    "blind_v16",
    "blind_v17",
    "blind_v18",
    "blind_v19",
    "blind_v20",
    "blind_v21",
    "blind_v23",
)


def _blind() -> LabelledSet:
    sets = [read_jsonl(_need(REPO / "training" / "data" / f"{n}.jsonl")) for n in BLIND_SETS]
    first = sets[0]
    return LabelledSet(
        "blind",
        [ex for data in sets for ex in data.examples],
        first.entity_labels,
        first.concern_labels,
    )


def _named(name: str, data: LabelledSet) -> LabelledSet:
    data.name = name
    return data


SUITES: dict[str, Suite] = {
    s.name: s
    for s in (
        Suite(
            "dev",
            "Development set (shared/data/dev/scenarios.jsonl), each text in its own mode",
            lambda: _named("dev", read_jsonl(_need(shared_dir() / "data/dev/scenarios.jsonl"))),
        ),
        Suite(
            "blind",
            "Blind sets v13, v15-v21 and v23 (training/data/blind_v13.jsonl, blind_v15.jsonl "
            "... blind_v21.jsonl, blind_v23.jsonl): written by nine fresh writers who never "
            "saw the training data; never trained or tuned on, their errors unread",
            _blind,
        ),
        Suite("challenge", "In-house challenge set (development data now)", _challenge),
        Suite(
            "btc",
            "Broad Twitter Corpus, test split (section F)",
            lambda: _named("btc", read_conll(_need(external("btc", "btc.test")), "btc")),
        ),
        Suite(
            "wnut17",
            "WNUT-17 emerging entities, test split",
            lambda: _named(
                "wnut17",
                read_conll(_need(external("wnut17", "emerging.test.annotated")), "wnut17"),
            ),
        ),
        Suite(
            "tweebank",
            "Tweebank-NER v1.0, test split",
            lambda: _named("tweebank", read_conll(_need(external("tweebank_ner", "test.bio")))),
        ),
        Suite(
            "wnut16",
            "WNUT-16 Twitter NER, test split",
            lambda: _named("wnut16", read_conll(_need(external("wnut16", "test.conll")), "wnut16")),
        ),
        Suite(
            "presidio",
            "Presidio-research synthetic PII set (synth_dataset_v2)",
            lambda: _named(
                "presidio",
                read_presidio(_need(external("presidio_synth", "synth_dataset_v2.json"))),
            ),
        ),
        Suite(
            "hatecheck",
            "HateCheck: threats, individual abuse, non-hateful contrasts",
            lambda: read_hatecheck(_need(external("hatecheck", "test_suite_cases.csv"))),
        ),
        Suite(
            "toxic-spans",
            "Toxic Spans (SemEval-2021 test split) with typed raw rater spans",
            lambda: read_toxic_spans(_need(external("toxic_spans"))),
        ),
    )
}


def _flag_rates(data: LabelledSet, analyses: Sequence[Analysis]) -> dict[str, dict[str, Any]]:
    """Per HateCheck functionality: texts, share flagged with any concern, threat, harassment."""
    texts: Counter[str] = Counter()
    flagged: dict[str, Counter[str]] = {}
    for ex, analysis in zip(data.examples, analyses, strict=True):
        texts[ex.group] += 1
        counts = flagged.setdefault(ex.group, Counter())
        labels = set(analysis.concern_labels)
        counts["any"] += bool(labels)
        for label in ("threat", "harassment"):
            counts[label] += label in labels
    return {
        group: {
            "texts": n,
            **{k: round(flagged[group][k] / n, 4) for k in ("any", "threat", "harassment")},
        }
        for group, n in sorted(texts.items())
    }


def _by_mode(data: LabelledSet, analyses: Sequence[Analysis]) -> list[Report]:
    """The same scores on each mode's texts alone."""
    reports = []
    for mode in sorted({ex.mode or "" for ex in data.examples}):
        keep = [i for i, ex in enumerate(data.examples) if (ex.mode or "") == mode]
        subset = LabelledSet(
            f"{data.name} ({mode or 'no mode'})",
            [data.examples[i] for i in keep],
            data.entity_labels,
            data.concern_labels,
        )
        reports.append(score(subset, [analyses[i] for i in keep]))
    return reports


def run_suite(suite: Suite, analyze_batch: BatchAnalyzer) -> SuiteResult:
    """Load, score and (for HateCheck) break down one suite."""
    data = suite.load()
    if not data.examples:
        raise Skipped(f"{data.name} has no labelled texts yet")
    report, analyses = evaluate(data, analyze_batch, default_mode=suite.mode)
    result = SuiteResult(suite, report)
    if suite.name in ("dev", "challenge", "blind"):
        parts = _by_mode(data, analyses)
        result.extras["by_mode"] = {
            r.name: {k: v for k, v in r.to_dict().items() if k not in ("errors", "seconds")}
            for r in parts
        }
        result.extra_markdown = "By mode:\n\n" + markdown_rows(
            [headline_row(r) for r in parts], HEADLINE_HEADER
        )
    if suite.name == "hatecheck":
        rates = _flag_rates(data, analyses)
        result.extras["functionalities"] = rates
        rows = [
            (g, str(r["texts"]), f"{r['any']:.3f}", f"{r['threat']:.3f}", f"{r['harassment']:.3f}")
            for g, r in rates.items()
        ]
        result.extra_markdown = "Share of texts flagged, per HateCheck functionality:\n\n" + (
            markdown_rows(rows, ("functionality", "texts", "any concern", "threat", "harassment"))
        )
    return result


def write_result(result: SuiteResult, directory: Path = RESULTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"eval-{result.suite.name}.json"
    path.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run one suite (or ``all``); print tables or Markdown; write JSON results."""
    parser = argparse.ArgumentParser(prog="scripts/evaluate", description=__doc__)
    parser.add_argument("name", choices=[*SUITES, "all"])
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--errors", type=int, default=10, help="worst errors to show")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where JSON results go")
    parser.add_argument(
        "--update-doc",
        type=Path,
        metavar="FILE",
        help=f"replace the Markdown between {DOC_START} and {DOC_END} in FILE",
    )
    args = parser.parse_args(argv)
    if args.update_doc and args.name != "all":
        parser.error("--update-doc rewrites every table: use it with 'all'")
    console = Console()
    names = list(SUITES) if args.name == "all" else [args.name]
    status = 0
    headlines, sections = [], []
    for name in names:
        suite = SUITES[name]
        try:
            result = run_suite(suite, safeside.analyze_batch)
        except Skipped as exc:
            console.print(f"[yellow]skipped {name}: {exc}[/yellow]", highlight=False)
            continue
        except ReadError as exc:
            console.print(f"[red]error in {name}: {exc}[/red]", highlight=False)
            status = 1
            continue
        path = write_result(result, args.out)
        headlines.append(headline_row(result.report))
        sections.append(markdown_section(result))
        if args.markdown:
            sys.stdout.write(sections[-1])
        else:
            console.print(rich_report(result.report, args.errors))
            console.print(f"wrote {path}\n", highlight=False)
    summary = "### Summary\n\n" + markdown_rows(headlines, HEADLINE_HEADER) + "\n"
    if args.markdown and len(headlines) > 1:
        sys.stdout.write(summary)
    if args.update_doc:
        update_doc(args.update_doc, summary + "".join(sections))
        console.print(f"updated {args.update_doc}", highlight=False)
    return status


def markdown_section(result: SuiteResult) -> str:
    suite = result.suite
    return (
        f"### {suite.title}\n\n`scripts/evaluate {suite.name}` "
        f"(each text in its own mode, {suite.mode} where the file gives none)\n\n"
        + markdown_table(result.report)
        + (f"\n{result.extra_markdown}" if result.extra_markdown else "")
        + "\n"
    )


def update_doc(path: Path, markdown: str) -> None:
    """Replace the generated block of ``path`` (between the result markers)."""
    text = path.read_text("utf-8")
    head, start, rest = text.partition(DOC_START)
    _, end, tail = rest.partition(DOC_END)
    if not start or not end:
        raise SystemExit(f"error: {path} has no {DOC_START} ... {DOC_END} block")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    path.write_text(
        f"{head}{DOC_START}\n\n_Generated {stamp}, safeside {safeside.__version__}._\n\n"
        f"{markdown}{DOC_END}{tail}",
        "utf-8",
    )


if __name__ == "__main__":
    raise SystemExit(main())
