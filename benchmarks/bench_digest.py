"""Benchmark ``build_digest`` on a generated 2,000-post #SWChat-style chat archive.

Generates a fictional chat transcript (CSV: author, date, text) of several weekly
chats with questions, answers, replies, links and chatter, imports it, and times
``build_digest`` with the safety check (own-mode analysis of everything a digest
exports), in a fresh process so the engine's first load is counted.

Target (issue 5): under 10 seconds on a 2-core machine.

    .venv/bin/python benchmarks/bench_digest.py [--posts 2000] [--repeat 3]

Writes ``benchmarks/results/bench_digest.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "bench_digest.json"

QUESTIONS = [
    "What makes supervision feel reflective rather than case management?",
    "How do you look after your wellbeing when caseloads are high?",
    "How do you bring research and evidence into everyday practice?",
    "What helps newly qualified social workers settle into a team?",
    "How do you keep relationship-based practice going with remote visits?",
    "What does good multi-agency working look like to you?",
]
ANSWERS = [
    "Protected time in supervision matters more than any form or template.",
    "A supervisor who asks curious questions makes reflection feel safe.",
    "Peer support in the team keeps me going when the work is heavy.",
    "Honest conversations with managers about workload protect our wellbeing.",
    "Journal clubs make research feel practical and shared, not another task.",
    "Open access research summaries save time for busy practitioners.",
    "A good induction and a named buddy help new workers find their feet.",
    "Shadowing experienced colleagues built my confidence in the first year.",
    "Video calls work for check-ins but nothing replaces meeting in person.",
    "Clear information sharing agreements make multi-agency meetings calmer.",
    "Trust between agencies grows when we follow up on what we promised.",
    "Writing a short reflective log after supervision helps me remember the learning.",
]
CHATTER = [
    "Evening all, first time joining, hello from the north east!",
    "Great point, I agree with that completely.",
    "This is such a useful discussion tonight.",
    "Sorry I am late, catching up on the questions now.",
]
LINKS = [
    "https://example.org/research/reflective-supervision?utm_source=chat",
    "https://example.org/guides/wellbeing-toolkit",
    "https://example.org/practice/multi-agency-briefing",
    "https://example.org/asye/induction-checklist",
]


def generate(path: Path, posts: int, seed: int = 5) -> None:
    """A fictional chat transcript: weekly one-hour chats of about 250 posts each."""
    rng = random.Random(seed)
    people = [f"@sw_member{i:02d}" for i in range(60)]
    rows = []
    chat_start = datetime(2024, 1, 9, 20, 0, tzinfo=UTC)
    while len(rows) < posts:
        when = chat_start
        rows.append(("@swchat_host", when, "Welcome to #SWChat! Say hello and share your role."))
        for number, question in enumerate(rng.sample(QUESTIONS, 4), start=1):
            when += timedelta(minutes=2)
            rows.append(("@swchat_host", when, f"Q{number} {question} #SWChat"))
            for _ in range(60):
                when += timedelta(seconds=rng.randint(5, 20))
                roll = rng.random()
                if roll < 0.7:
                    text = f"A{number} {rng.choice(ANSWERS)}"
                    if rng.random() < 0.2:
                        text += f" {rng.choice(LINKS)}"
                elif roll < 0.9:
                    text = f"{rng.choice(people)} {rng.choice(ANSWERS)}"
                else:
                    text = rng.choice(CHATTER)
                rows.append((rng.choice(people), when, f"{text} #swchat"))
        chat_start += timedelta(days=7)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["author", "date", "text"])
        for author, when, text in rows[:posts]:
            writer.writerow([author, when.isoformat(), text])


def run(path: Path, repeat: int) -> dict[str, object]:
    start = time.perf_counter()
    from safeside.check import engine_check
    from safeside.ingest import read_posts
    from safeside.learning.digest import build_digest

    posts, _ = read_posts(path)
    imported = time.perf_counter() - start
    timings = []
    digest = None
    for _ in range(repeat):
        began = time.perf_counter()
        digest = build_digest(posts, hashtag="#SWChat")
        digest.safety_check(engine_check)
        timings.append(time.perf_counter() - began)
    assert digest is not None
    return {
        "posts": len(posts),
        "import_seconds": round(imported, 2),
        "digest_seconds_first": round(timings[0], 2),
        "digest_seconds_best": round(min(timings), 2),
        "threads": len(digest.threads),
        "topics": [c.label for c in digest.clusters],
        "summary_sentences": len(digest.summary),
        "safe_to_share": digest.is_safe_to_share(engine_check),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "swchat-transcript.csv"
        generate(path, args.posts)
        result = run(path, args.repeat)
    results = {
        "benchmark": "build_digest + safety check",
        "target_seconds": 10,
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        **result,
    }
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
