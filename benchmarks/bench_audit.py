"""Benchmark the footprint audit on a generated 100,000-post X/Twitter archive.

Generates ``twitter-archive.zip`` (``data/tweets.js``, the real archive shape) in a
temporary folder and times three phases, each in a fresh process so that its peak
memory (max RSS) is its own:

- ``import``: stream every post out of the zip (no analysis);
- ``report``: import + audit bookkeeping + writing the HTML/JSON/CSV report, with a
  stand-in analyzer that flags 1 post in 50 (what the audit costs without the engine);
- ``full``: the real ``safeside audit`` path with ``safeside.analyze_batch``;
  ``full-j2`` does the same with two worker processes (``safeside audit --jobs 2``).
  Peak RSS is the main process's; each worker adds about the engine's own size.

Targets (issue 4): the full audit under 3 minutes and under 1 GB on a 2-core machine.

    .venv/bin/python benchmarks/bench_audit.py [--posts 100000] [--phases import,report,full,full-j2]

Writes ``benchmarks/results/bench_audit.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "bench_audit.json"

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
]
FILL = {
    "place": ["Hillside estate", "Leeds", "the family centre", "LS6 2QT", "Roundhay park"],
    "book": ["Attachment in Practice", "The Body Keeps the Score"],
    "kid": ["the youngest", "Kayden", "the 6yo", "my son", "our lad"],
    "time": ["9am", "half two", "after school pickup"],
    "school": ["St Mary's Primary", "Park Lane Academy"],
    "handle": ["jess_b_2009", "trainer_sam"],
    "age": ["7", "14", "three"],
}


def generate_archive(folder: Path, count: int, seed: int = 4) -> Path:
    """A zip with ``data/tweets.js`` holding ``count`` tweets, written as a stream."""
    rng = random.Random(seed)
    start = datetime(2016, 1, 1, tzinfo=UTC)
    path = folder / "twitter-archive.zip"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("data/tweets.js", "w") as raw,
    ):
        raw.write(b"window.YTD.tweets.part0 = [ ")
        for i in range(count):
            text = rng.choice(TEMPLATES).format(**{k: rng.choice(v) for k, v in FILL.items()})
            when = start + timedelta(minutes=i * 47 + rng.randint(0, 40))
            record = {
                "tweet": {
                    "id_str": str(10**17 + i),
                    "full_text": text,
                    "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                    "favorite_count": str(rng.randint(0, 50)),
                    "retweet_count": "0",
                    "lang": "en",
                    "entities": {"hashtags": [], "urls": [], "user_mentions": []},
                }
            }
            raw.write((", " if i else "").encode() + json.dumps(record).encode())
        raw.write(b" ]")
    return path


def flag_one_in_fifty(texts: Sequence[str], mode: str) -> list[Any]:
    """A stand-in analyzer: no engine cost, and enough findings to exercise the report."""
    from safeside.engine.results import Analysis, Concern, Evidence
    from safeside.taxonomy import Severity

    results = []
    for i, text in enumerate(texts):
        concerns = []
        if i % 50 == 0:
            evidence = [Evidence(0, min(5, len(text)), text[:5], "stand-in")]
            concerns.append(Concern("self_exposure", 0.5, Severity.MEDIUM, evidence, "stand-in"))
        severity = Severity.MEDIUM if concerns else Severity.NONE
        results.append(Analysis(text, mode, [], concerns, severity, []))
    return results


def run_phase(phase: str, archive: Path, out: Path) -> dict[str, float]:
    """Run one phase in this process and measure it."""
    from safeside.footprint import run_audit, write_reports
    from safeside.footprint.audit import default_batch
    from safeside.ingest import open_import

    started = time.perf_counter()
    with open_import(archive) as source:
        if phase == "import":
            posts = sum(1 for _ in source)
        else:
            analyze = flag_one_in_fifty if phase == "report" else default_batch
            jobs = int(phase.split("-j")[1]) if "-j" in phase else 1
            result = run_audit(
                source, mode="own", analyze=analyze, jobs=jobs, import_report=source.report
            )
            write_reports(result, out)
            posts = result.posts_analysed
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "worker_peak_rss_mb": round(worker_mb),
        "posts": posts,
        "seconds": round(seconds, 2),
        "posts_per_s": round(posts / seconds),
        "peak_rss_mb": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--phases", default="import,report,full,full-j2")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # child process: one phase, JSON on stdout
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(run_phase(args.phase, args.archive, Path(out))))
        return

    results: dict[str, object] = {
        "posts": args.posts,
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        archive = generate_archive(Path(folder), args.posts)
        print(
            f"generated {archive.name}: {archive.stat().st_size / 1e6:.1f} MB zipped "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for phase in args.phases.split(","):
            child = subprocess.run(
                [sys.executable, __file__, "--phase", phase, "--archive", str(archive)],
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode:
                print(f"{phase}: failed\n{child.stderr.strip()[-2000:]}")
                results[phase] = {"error": child.stderr.strip().splitlines()[-1:]}
                continue
            measured = json.loads(child.stdout.strip().splitlines()[-1])
            results[phase] = measured
            workers = measured["worker_peak_rss_mb"]
            print(
                f"{phase:>7}: {measured['posts']} posts in {measured['seconds']} s "
                f"({measured['posts_per_s']} posts/s), peak RSS {measured['peak_rss_mb']} MB"
                + (f" (+ {workers} MB per worker)" if workers else "")
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
