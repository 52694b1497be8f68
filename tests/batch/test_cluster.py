"""Batch jobs on a real Dask ``LocalCluster`` (2 worker processes) on this machine.

A worker is killed in the middle of a job: the job still finishes, and its rows are
the same as a run in one process. The engine is built once per worker process.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def test_the_embedded_cluster_gives_the_same_rows_as_one_process(
    corpus: Path, tmp_path: Path
) -> None:
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    run_batch(options([corpus], alone))
    seen: list[tuple[int, str | None]] = []

    result = run_batch(
        options([corpus], shared, workers=2, dashboard_address=":0"),
        on_start=lambda n, dashboard: seen.append((n, dashboard)),
    )

    assert seen and seen[0][0] == 2
    assert seen[0][1] is not None and seen[0][1].startswith("http://")
    assert result.failed == [] and result.workers == 2
    assert rows(shared).equals(rows(alone))
    assert errors(shared) == errors(alone)
