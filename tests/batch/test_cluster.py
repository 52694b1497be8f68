"""Batch jobs on a real Dask ``LocalCluster`` (2 worker processes) on this machine.

A worker is killed in the middle of a job: the job still finishes, and its rows are
the same as a run in one process. The engine is built once per worker process.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from distributed import Client, LocalCluster

from safeside.batch import EngineFactory, run_batch
from safeside.batch.run import Progress
from safeside.batch.standin import BUILDS_ENV

from .conftest import errors, options, rows, write_jsonl

pytestmark = pytest.mark.slow

#: The stand-in spends 20 ms a post, so a partition of 25 posts takes half a second.
SLOW = EngineFactory(target="safeside.batch.standin:make", config="delay=0.02")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A file each stand-in build appends its process id to (workers inherit the variable)."""
    log = tmp_path_factory.mktemp("builds") / "builds.txt"
    before = os.environ.get(BUILDS_ENV)
    os.environ[BUILDS_ENV] = str(log)
    yield log
    if before is None:
        os.environ.pop(BUILDS_ENV, None)
    else:
        os.environ[BUILDS_ENV] = before


@pytest.fixture(scope="module")
def cluster(builds: Path) -> Iterator[tuple[LocalCluster, Client]]:
    local = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    client = Client(local)
    yield local, client
    client.close()
    local.close()


def test_a_killed_worker_loses_nothing(
    cluster: tuple[LocalCluster, Client], builds: Path, tmp_path: Path
) -> None:
    local, client = cluster
    corpus = write_jsonl(tmp_path / "a.jsonl", 300)
    reference = tmp_path / "reference"
    run_batch(options([corpus], reference, partition_size=25, engine=SLOW))
    killed: list[dict[str, Any]] = []

    def kill_a_busy_worker(p: Progress) -> None:
        if killed or p.partitions_done < 2:
            return
        processing = client.processing()
        busy = next((address for address, keys in processing.items() if keys), None)
        if busy is None:  # between tasks: try again when the next partition finishes
            return
        pids = client.run(os.getpid)
        killed.append({"address": busy, "tasks": list(processing[busy])})
        os.kill(pids[busy], signal.SIGKILL)

    out = tmp_path / "out"
    result = run_batch(
        options([corpus], out, partition_size=25, engine=SLOW, scheduler=local.scheduler_address),
        on_progress=kill_a_busy_worker,
    )

    assert killed and killed[0]["tasks"], "no worker was killed in the middle of a partition"
    assert result.failed == [] and result.posts == 297
    assert len(list((out / "_state").iterdir())) == len(result.partitions) == 12
    assert rows(out).equals(rows(reference))
    assert errors(out) == errors(reference)
    # The engine is built once per worker process (two, and the one that replaced the
    # killed worker), never per task: far fewer builds than partitions.
    pids = builds.read_text(encoding="utf-8").split()
    workers = [pid for pid in pids if pid != str(os.getpid())]
    assert len(workers) == len(set(workers)) <= 3
    # one worker process per core: the model on each uses one thread
    threads = client.run(lambda: os.environ.get("SAFESIDE_MODEL_THREADS"))
    assert set(threads.values()) == {"1"}


def test_the_embedded_cluster_gives_the_same_rows_as_one_process(
    corpus: Path, tmp_path: Path
) -> None:
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    run_batch(options([corpus], alone))
    seen: list[tuple[int, str | None]] = []

    dashboards: list[int] = []

    def started(n: int, dashboard: str | None) -> None:
        seen.append((n, dashboard))
        if dashboard:
            dashboards.append(httpx.get(dashboard, timeout=30).status_code)

    result = run_batch(
        options([corpus], shared, workers=2, dashboard_address=":0"), on_start=started
    )

    assert seen and seen[0][0] == 2
    assert seen[0][1] is not None and seen[0][1].startswith("http://")
    assert dashboards and dashboards[0] == 200  # the printed address served its page
    assert result.failed == [] and result.workers == 2
    assert rows(shared).equals(rows(alone))
    assert errors(shared) == errors(alone)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hand_started_cluster(tmp_path: Path) -> Iterator[str]:
    """A scheduler and two one-thread workers started with the ``dask`` commands that
    docs/batch.md gives, on loopback; stopped afterwards."""
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    log = (tmp_path / "cluster.log").open("w")
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
            stdout=log,
            stderr=log,
        )
    ]
    procs.append(
        subprocess.Popen(
            [dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
            stdout=log,
            stderr=log,
        )
    )
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        log.close()


def test_a_hand_started_cluster_writes_byte_identical_parquet(
    hand_started_cluster: str, corpus: Path, tmp_path: Path
) -> None:
    embedded, by_hand = tmp_path / "embedded", tmp_path / "by-hand"
    run_batch(options([corpus], embedded, workers=2, dashboard_address=":0"))

    result = run_batch(options([corpus], by_hand, scheduler=hand_started_cluster))

    assert result.failed == [] and result.workers == 2
    files = sorted(p.name for p in (embedded / "posts").iterdir())
    assert files == sorted(p.name for p in (by_hand / "posts").iterdir()) and len(files) == 11
    for name in files:
        assert (embedded / "posts" / name).read_bytes() == (by_hand / "posts" / name).read_bytes()
    assert (embedded / "errors.jsonl").read_bytes() == (by_hand / "errors.jsonl").read_bytes()
