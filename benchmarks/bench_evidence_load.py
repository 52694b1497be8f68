"""Load and integrity benchmark: a busy team viewing, downloading and capturing evidence.

Starts a real ``safeside serve`` (``--workers 2`` by default) on a fresh demo database,
SQLite or the machine's local PostgreSQL (a throw-away schema), and runs N clients on
loopback for a bounded time. Each client signs in, then loops: case page, evidence page,
original download, and every fourth turn records a justification and captures a text.

Afterwards it checks what a court would check:

- errors: every response must be the expected 200/303 (0 allowed);
- lost audit events: every evidence page and download the clients received must have
  its ``viewed_evidence`` / ``downloaded_original`` event, and every capture its
  ``captured_evidence`` event (0 allowed);
- the audit chain and every record verify (``verify_database``);
- PostgreSQL: ``pg_stat_activity`` is sampled every 0.5 s during the run and must never
  show a Safeside connection ``idle in transaction`` for more than a second;
- the server stops on SIGTERM within 10 s.

    .venv/bin/python benchmarks/bench_evidence_load.py                     # SQLite, 20 users, 60 s
    .venv/bin/python benchmarks/bench_evidence_load.py --database postgres # local PostgreSQL
    .venv/bin/python benchmarks/bench_evidence_load.py --users 5 --seconds 10

Exit status 1 when any check fails. Results: ``benchmarks/results/bench_evidence_load-<db>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
POSTGRES_URL = os.environ.get(
    "SAFESIDE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PRACTITIONER = "sam.patel@northshire.example"


class Tally:
    """What the clients saw, counted as they go (one event loop: no locks needed)."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.received: Counter[str] = Counter()


async def client_loop(
    base: str,
    password: str,
    case: int,
    item: int,
    start: asyncio.Event,
    seconds: float,
    tally: Tally,
    n: int,
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        token = CSRF.search((await client.get("/sign-in")).text).group(1)  # type: ignore[union-attr]
        signed = await client.post(
            "/sign-in", data={"email": PRACTITIONER, "password": password, "csrf_token": token}
        )
        if signed.status_code != 303:
            raise SystemExit(f"sign-in failed: {signed.status_code}")
        token = CSRF.search((await client.get("/")).text).group(1)  # type: ignore[union-attr]
        await start.wait()
        until = time.monotonic() + seconds
        turn = 0
        while time.monotonic() < until:
            steps = [
                ("case", "GET", f"/cases/{case}", None, 200),
                ("view", "GET", f"/cases/{case}/evidence/{item}", None, 200),
                ("download", "GET", f"/cases/{case}/evidence/{item}/original", None, 200),
            ]
            for kind, method, path, data, expected in steps:
                await _timed(client, tally, kind, method, path, data, expected)
            if turn % 4 == 0:
                # a new person each time (a random handle: names that share words are
                # "same person?" near matches and rightly wait for a manager)
                letters = "".join(random.choices(string.ascii_lowercase, k=14))
                await _capture(client, tally, token, case, f"@{letters}")
            turn += 1


async def _timed(
    client: httpx.AsyncClient,
    tally: Tally,
    kind: str,
    method: str,
    path: str,
    data: dict[str, str] | None,
    expected: int,
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, path, data=data)
    except httpx.HTTPError as error:
        tally.errors[f"{kind}: {type(error).__name__}"] += 1
        return None
    tally.latencies.append(time.perf_counter() - started)
    if response.status_code != expected:
        tally.errors[f"{kind}: HTTP {response.status_code}"] += 1
        return None
    tally.received[kind] += 1
    return response


async def _capture(
    client: httpx.AsyncClient, tally: Tally, token: str, case: int, subject: str
) -> None:
    answers = {
        "purpose_kind": "staff_safety",
        "purpose": "Load test: a message a parent showed me about the case.",
        "necessity": "Needed to record what was sent; nothing else was looked at.",
        "legal_basis": "children_act_s47",
        "subject": subject,
        "how_seen": "shown_to_me",
        "viewed_before": "no",
        "csrf_token": token,
    }
    response = await _timed(
        client, tally, "justify", "POST", f"/cases/{case}/concerns/new", answers, 303
    )
    if response is None:
        return
    capture_path = response.headers["location"]
    if not capture_path.endswith("/capture"):
        tally.errors["justify: waits for a manager"] += 1
        return
    data = {
        "kind": "text",
        "text": "I know where you park every morning.",
        "platform": "Facebook",
        "csrf_token": token,
    }
    await _timed(client, tally, "capture", "POST", capture_path, data, 303)


def watch_postgres(
    schema: str, stop: threading.Event, worst: list[float], culprits: Counter[str]
) -> None:
    """Sample pg_stat_activity: the longest 'idle in transaction' seen for our schema's app.

    ``culprits`` counts the last statement of every session seen idle in a transaction
    for over a second, so a failure names what the transaction was doing.
    """
    engine = create_engine(POSTGRES_URL)
    query = text(
        "SELECT extract(epoch FROM now() - state_change), query FROM pg_stat_activity "
        "WHERE state LIKE 'idle in transaction%' AND application_name = :app"
    )
    with engine.connect() as connection:
        while not stop.is_set():
            rows = connection.execute(query, {"app": schema}).all()
            worst.append(max((float(r[0]) for r in rows), default=0.0))
            for seconds, statement in rows:
                if float(seconds) > 1.0:
                    culprits[" ".join(str(statement).split())[:160]] += 1
            connection.commit()
            stop.wait(0.5)
    engine.dispose()


def audit_counts(url: str) -> tuple[dict[str, int], bool, list[str]]:
    from safeside.audit_log.models import AuditEvent
    from safeside.audit_log.verify import verify_database
    from safeside.db.session import Database

    database = Database(url)
    with database.session() as session:
        rows = session.execute(select(AuditEvent.action, func.count()).group_by(AuditEvent.action))
        counts = {action: int(n) for action, n in rows}
        report = verify_database(session)
    database.dispose()
    return counts, report.ok, [f"{p.table} {p.record_id}: {p.message}" for p in report.problems]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from safeside.demo.seed import DEMO_PASSWORD

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    schema = f"safeside_load_{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "SAFESIDE_DATA_DIR": data_dir, "SAFESIDE_SECURE_COOKIES": "0"}
        if args.database == "postgres":
            admin = create_engine(POSTGRES_URL)
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name={schema}"
        else:
            url = f"sqlite:///{data_dir}/safeside.db"
        env["SAFESIDE_DATABASE_URL"] = url
        command = [
            sys.executable,
            "-m",
            "safeside",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        stop = threading.Event()
        idle_worst: list[float] = []
        culprits: Counter[str] = Counter()
        watcher = None
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(900):
                try:
                    httpx.get(base + "/sign-in", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            before, _, _ = audit_counts(url)
            if args.database == "postgres":
                watcher = threading.Thread(
                    target=watch_postgres, args=(schema, stop, idle_worst, culprits)
                )
                watcher.start()
            tally = Tally()

            async def run() -> None:
                start = asyncio.Event()
                tasks = [
                    asyncio.create_task(
                        client_loop(base, DEMO_PASSWORD, 1, 1, start, args.seconds, tally, n)
                    )
                    for n in range(args.users)
                ]
                await asyncio.sleep(1.0)
                start.set()
                await asyncio.gather(*tasks)

            asyncio.run(run())
        finally:
            stop.set()
            if watcher:
                watcher.join()
            child.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            try:
                child.wait(timeout=10)
                stop_seconds = time.monotonic() - stopped
            except subprocess.TimeoutExpired:
                child.kill()
                stop_seconds = float("inf")
        after, chain_ok, problems = audit_counts(url)
        if args.database == "postgres":
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

    def logged(action: str) -> int:
        return after.get(action, 0) - before.get(action, 0)

    lost = {
        "viewed_evidence": tally.received["view"] - logged("viewed_evidence"),
        "downloaded_original": tally.received["download"] - logged("downloaded_original"),
        "captured_evidence": tally.received["capture"] - logged("captured_evidence"),
    }
    latencies = sorted(tally.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    worst_idle = max(idle_worst, default=0.0)
    checks = {
        "no errors": not tally.errors,
        "no lost audit events": all(v == 0 for v in lost.values()),
        "chain verifies": chain_ok,
        "no idle-in-transaction > 1 s": worst_idle <= 1.0,
        "stops on SIGTERM within 10 s": stop_seconds <= 10,
    }
    print(
        f"Evidence load, {args.database}, {args.users} clients, {args.seconds:.0f} s, "
        f"safeside serve --workers {args.workers}, {os.cpu_count()} CPUs"
    )
    print(
        f"  requests: {len(latencies)} ({dict(tally.received)})  errors: {sum(tally.errors.values())} {dict(tally.errors)}"
    )
    print(f"  latency ms: p50 {statistics.median(latencies) * 1000:.0f}  p95 {p95:.0f}")
    print(f"  audit events lost: {lost}   chain verifies: {chain_ok} {problems[:3]}")
    if args.database == "postgres":
        print(f"  longest idle-in-transaction seen: {worst_idle:.2f} s ({len(idle_worst)} samples)")
        for statement, n in culprits.most_common(5):
            print(f"    idle > 1 s after ({n}x): {statement}")
    print(f"  stopped on SIGTERM in {stop_seconds:.1f} s")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "database": args.database,
        "users": args.users,
        "seconds": args.seconds,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "requests": len(latencies),
        "received": dict(tally.received),
        "errors": dict(tally.errors),
        "lost_audit_events": lost,
        "chain_ok": chain_ok,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95, 1),
        "longest_idle_in_transaction_s": round(worst_idle, 2),
        "idle_in_transaction_after": dict(culprits.most_common(5)),
        "stop_seconds": round(stop_seconds, 2),
        "checks": checks,
    }
    out = Path(__file__).resolve().parent / "results" / f"bench_evidence_load-{args.database}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"wrote {out}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
