"""Load benchmark: Check a post under concurrent users (target p95 <= 150 ms, 20 users).

Starts a real ``safeside serve`` process (its default workers, real engine) on a fresh
SQLite demo database, signs in one session per simulated user, then each user posts
texts to Check a post back to back (no think time: the worst case for 20 users). The
load generator is an asyncio/httpx client in this separate process.

    .venv/bin/python benchmarks/bench_web.py                  # real engine, 20 users, 20 s
    .venv/bin/python benchmarks/bench_web.py --workers 1      # one server process
    .venv/bin/python benchmarks/bench_web.py --fake-engine    # web stack only (one process)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TEXTS = [
    "Lovely team lunch today, thanks all!",
    "Kayden (7) was so brave at contact at Hillside today, proud of him.",
    "I know where you live and I will be waiting for you after work.",
    "Don't tell your carers, I'm your real mum and I'll pick you up from St Mary's.",
    "Long day in court again. Some parents just never listen.",
]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ready: list[str] = []


def serve(port: int, fake: bool) -> None:
    """Child process: migrate, seed and serve on 127.0.0.1:port."""
    import uvicorn

    from safeside.check import Check, engine_check
    from safeside.db.session import Database
    from safeside.db.setup import prepare_database
    from safeside.settings import Settings
    from safeside.testing import example_check
    from safeside.web.app import create_app

    check: Check = example_check() if fake else engine_check
    settings = Settings.from_env()
    database = Database(settings.database_url)
    prepare_database(database, demo=True, check=check)
    if not fake:
        check("warm up the engine", "own")
    app = create_app(settings, database=database, check=check)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def user(
    base: str,
    email: str,
    password: str,
    start: asyncio.Event,
    seconds: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        token = CSRF.search((await client.get("/sign-in")).text).group(1)  # type: ignore[union-attr]
        signed = await client.post(
            "/sign-in", data={"email": email, "password": password, "csrf_token": token}
        )
        if signed.status_code != 303:
            raise SystemExit(f"sign-in failed for {email}: {signed.status_code}")
        token = CSRF.search((await client.get("/")).text).group(1)  # type: ignore[union-attr]
        ready.append(email)
        await start.wait()
        until = time.monotonic() + seconds
        i = 0
        while time.monotonic() < until:
            text = TEXTS[i % len(TEXTS)]
            mode = "own" if i % 2 else "review"
            started = time.perf_counter()
            response = await client.post(
                "/", data={"text": text, "mode": mode, "csrf_token": token}
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(response.status_code)
            i += 1


async def load(base: str, users: int, seconds: float) -> tuple[list[float], list[int]]:
    from safeside.demo.seed import DEMO_PASSWORD, DEMO_USERS

    latencies: list[float] = []
    errors: list[int] = []
    start = asyncio.Event()
    emails = [u.email for u in DEMO_USERS]
    tasks = [
        asyncio.create_task(
            user(base, emails[n % len(emails)], DEMO_PASSWORD, start, seconds, latencies, errors)
        )
        for n in range(users)
    ]
    while len(ready) < users:  # everyone signs in first; only the checks are timed
        await asyncio.sleep(0.05)
    start.set()
    await asyncio.gather(*tasks)
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=0, help="safeside serve --workers")
    parser.add_argument("--fake-engine", action="store_true", help="measure the web stack alone")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.fake_engine)
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "SAFESIDE_DATA_DIR": data_dir, "SAFESIDE_SECURE_COOKIES": "0"}
        env.pop("SAFESIDE_DATABASE_URL", None)
        if args.fake_engine:
            command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(port)]
            command.append("--fake-engine")
        else:
            command = [sys.executable, "-m", "safeside", "serve", "--port", str(port)]
            command += ["--workers", str(args.workers)]
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    httpx.get(base + "/sign-in", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            latencies, errors = asyncio.run(load(base, args.users, args.seconds))
        finally:
            child.terminate()
            child.wait(timeout=10)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    engine = "fake engine" if args.fake_engine else "real engine"
    server = (
        "in-process uvicorn"
        if args.fake_engine
        else f"safeside serve --workers {args.workers or min(os.cpu_count() or 1, 4)}"
    )
    print(
        f"Check a post, {args.users} concurrent users, {args.seconds:.0f} s, {engine}, "
        f"{server}, {os.cpu_count()} CPUs"
    )
    print(
        f"  requests: {len(latencies)}  errors: {len(errors)}  throughput: {len(latencies) / args.seconds:.1f}/s"
    )
    print(
        f"  latency ms: p50 {statistics.median(latencies) * 1000:.0f}  p95 {p95:.0f}  "
        f"max {latencies[-1] * 1000:.0f}   target p95 <= 150: {'MET' if p95 <= 150 else 'NOT MET'}"
    )
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "users": args.users,
        "seconds": args.seconds,
        "engine": engine,
        "server": server,
        "cpus": os.cpu_count(),
        "requests": len(latencies),
        "errors": len(errors),
        "throughput_per_s": round(len(latencies) / args.seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "target_p95_ms": 150,
    }
    name = "bench_web_fake_engine.json" if args.fake_engine else "bench_web.json"
    out = Path(__file__).resolve().parent / "results" / name
    out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
