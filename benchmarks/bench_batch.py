"""Benchmark ``safeside batch``: throughput on 1 and 2 Dask workers, memory, cost per post.

Generates synthetic JSON Lines corpora (10k, 100k, optionally 1M posts: social-work-ish
posts from templates, 2,000 authors, three platforms, two years) and runs each job on
a Dask ``LocalCluster`` of 1 and of 2 worker processes (one thread each), measuring:

- ``seconds``: the job's wall time (planning, analysis, writing partitions, merging and
  the summary), the cluster start apart (``cluster_start_s``);
- ``posts_per_s`` and ``core_ms_per_post`` (workers × wall time ÷ posts: the cost per
  post, to compare sizes and to extrapolate);
- ``cpu_ms_per_post``: the workers' CPU time (user + system, engine threads included)
  per post: what a post costs whatever else the machine is doing;
- ``worker_peak_rss_mb``: the largest peak RSS of any worker (``getrusage`` in each
  worker); ``client_peak_rss_mb``: the client process's.

Engines: ``real`` is the default Safeside engine as ``safeside batch`` runs it (no
word-level explanations); ``real-explain`` the same with ``--explain``; ``standin`` is the deterministic
stand-in (:mod:`safeside.batch.standin`, no model), which measures what the batch
machinery itself costs per post. Each run is a fresh process; results are merged into
``benchmarks/results/bench_batch.json`` after every run, so a long run keeps what it did.

    .venv/bin/python benchmarks/bench_batch.py                       # the default plan
    .venv/bin/python benchmarks/bench_batch.py --runs real:10000:1,real:10000:2
    .venv/bin/python benchmarks/bench_batch.py --runs standin:1000000:2   # the 1M size
    .venv/bin/python benchmarks/bench_batch.py --runs none --figure docs/batch-throughput.svg
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "bench_batch.json"
DEFAULT_RUNS = (
    "standin:10000:1,standin:10000:2,standin:100000:1,standin:100000:2,"
    "real:10000:1,real:10000:2,real:100000:1,real:100000:2,real-explain:10000:2"
)

TEMPLATES = [
    "Great team day at {place}, proud of everyone #socialwork",
    "Reading {book} on the train, recommend it to any new social worker",
    "Long shift, {kid} finally settled at the new placement near {place}",
    "Anyone know a good cafe near {place}? Meeting a colleague at {time}",
    "My {kid} starts at {school} next week, can't believe it",
    "Training on trauma-informed practice today. Brilliant trainer @{handle}",
    "So tired. Some families make this job impossible",
    "Parking at {place} is a nightmare again",
    "Happy birthday to my little one, {age} today!",
    "Court again tomorrow, fingers crossed for {kid}",
    "if you come near my kids again I will hurt you, I know where you live",
    "you are pathetic and everyone at {place} hates you",
    "ring me on 07700 900{digits} if you need anything",
    "don't tell your mum, meet me behind {school} after dark x",
]
FILL = {
    "place": ["Hillside estate", "Leeds", "the family centre", "LS6 2QT", "Roundhay park"],
    "book": ["Attachment in Practice", "The Body Keeps the Score"],
    "kid": ["the youngest", "Kayden", "the 6yo", "my son", "our lad"],
    "time": ["9am", "half two", "after school pickup"],
    "school": ["St Mary's Primary", "Park Lane Academy"],
    "handle": ["jess_b_2009", "trainer_sam"],
    "age": ["7", "14", "three"],
    "digits": ["123", "456", "789"],
}
PLATFORMS = ("twitter", "facebook", "instagram")


def generate(path: Path, count: int, seed: int = 7) -> Path:
    """A JSON Lines corpus of ``count`` posts, written as a stream."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    span = 2 * 365 * 24 * 60
    with path.open("w", encoding="utf-8") as stream:
        for i in range(count):
            text = rng.choice(TEMPLATES).format(**{k: rng.choice(v) for k, v in FILL.items()})
            record = {
                "id": f"{i:09d}",
                "author_id": f"u{rng.randrange(2000)}",
                "platform": rng.choice(PLATFORMS),
                "created_at": (start + timedelta(minutes=rng.randrange(span))).isoformat(),
                "text": text,
            }
            stream.write(json.dumps(record) + "\n")
    return path


def run_one(engine: str, corpus: Path, workers: int, out: Path) -> dict[str, Any]:
    """One job on a fresh LocalCluster of ``workers`` processes (in this process)."""
    import logging
    import resource

    from distributed import Client, LocalCluster

    from safeside.batch import BatchOptions, EngineFactory, run_batch

    factory = (
        EngineFactory(target="safeside.batch.standin:make")
        if engine == "standin"
        else EngineFactory(explain=engine == "real-explain")
    )
    started = time.perf_counter()
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    cluster_start = time.perf_counter() - started
    try:
        began = time.perf_counter()
        result = run_batch(
            BatchOptions(
                inputs=[str(corpus)],
                out=out,
                scheduler=cluster.scheduler_address,
                partition_size=1000,
                salt="bench",
                engine=factory,
            )
        )
        seconds = time.perf_counter() - began
        usage = client.run(lambda: tuple(resource.getrusage(resource.RUSAGE_SELF))[:4])
    finally:
        client.close()
        cluster.close()
    posts = result.posts
    return {
        "engine": engine,
        "posts": posts,
        "workers": workers,
        "partitions": len(result.partitions),
        "failed": len(result.failed),
        "cluster_start_s": round(cluster_start, 2),
        "seconds": round(seconds, 2),
        "posts_per_s": round(posts / seconds, 1),
        "core_ms_per_post": round(1000 * workers * seconds / posts, 3),
        # CPU time of the workers (engine threads included): steadier than wall time
        # on a shared machine, and what the extrapolation is based on
        "worker_cpu_s": round(sum(u[0] + u[1] for u in usage.values()), 1),
        "cpu_ms_per_post": round(1000 * sum(u[0] + u[1] for u in usage.values()) / posts, 3),
        "worker_peak_rss_mb": round(max(u[2] for u in usage.values()) / 1024),
        "client_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "output_mb": round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 2),
    }


def figure(results: dict[str, Any]) -> str:
    """An SVG bar chart of throughput (posts/s) per run, for docs/batch.md."""
    runs = sorted(
        results.get("runs", {}).items(),
        key=lambda kv: (kv[1]["engine"], kv[1]["posts"], kv[1]["workers"]),
    )
    width, row, left = 760, 26, 230
    peak = max((r["posts_per_s"] for _, r in runs), default=1) or 1
    height = row * len(runs) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'font-family="Arial, Helvetica, sans-serif" font-size="12" role="img" '
        'aria-label="safeside batch throughput per run">',
        f'<text x="{left}" y="16" fill="#505a5f">posts/s (log scale): engine, posts, workers; '
        "CPU ms per post on the right</text>",
    ]
    scale = math.log10(peak) + 1
    for i, (_name, r) in enumerate(runs):
        y = 26 + i * row
        bar = (width - left - 170) * (math.log10(max(r["posts_per_s"], 1)) + 1) / scale
        colour = "#1d70b8" if r["engine"] == "standin" else "#d4351c"
        cpu = r.get("cpu_ms_per_post")
        label = f"{r['posts_per_s']:,.0f}/s" + (f" · {cpu:g} ms" if cpu else "")
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">'
            f"{r['engine']} · {r['posts']:,} · {r['workers']}w</text>"
            f'<rect x="{left}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" fill="{colour}"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 16}">{label}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", default=DEFAULT_RUNS, help="engine:posts:workers,...")
    parser.add_argument("--folder", type=Path, help="where corpora are generated (kept)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="results JSON file")
    parser.add_argument("--figure", type=Path, help="write an SVG chart of the results here")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # child: engine corpus workers
    args = parser.parse_args()

    if args.one:  # child process: one run, JSON on the last line of stdout
        engine, corpus, workers = args.one
        with tempfile.TemporaryDirectory() as out:
            measured = run_one(engine, Path(corpus), int(workers), Path(out) / "results")
        print(json.dumps(measured))
        return

    target: Path = args.results
    results: dict[str, Any] = (
        json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    )
    if args.runs == "none" and args.figure:  # only redraw the chart
        args.figure.write_text(figure(results), encoding="utf-8")
        print(f"wrote {args.figure}")
        return
    results["machine"] = (
        f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"
    )
    results.setdefault("runs", {})
    folder = args.folder or Path(tempfile.mkdtemp(prefix="safeside-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for run in args.runs.split(","):
        engine, posts, workers = run.split(":")
        corpus = folder / f"corpus-{posts}.jsonl"
        if not corpus.exists():
            began = time.perf_counter()
            generate(corpus, int(posts))
            print(f"generated {corpus.name} in {time.perf_counter() - began:.1f} s", flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--one", engine, str(corpus), workers],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            print(f"{run}: failed\n{child.stderr.strip()[-2000:]}", flush=True)
            continue
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        measured["when"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["runs"][run] = measured
        print(
            f"{run}: {measured['posts']} posts in {measured['seconds']} s "
            f"({measured['posts_per_s']} posts/s, {measured['core_ms_per_post']} core-ms/post), "
            f"worker peak {measured['worker_peak_rss_mb']} MB",
            flush=True,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    if args.figure:
        args.figure.write_text(figure(results), encoding="utf-8")
        print(f"wrote {args.figure}")


if __name__ == "__main__":
    main()
