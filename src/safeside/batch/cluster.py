"""Where partitions run: an embedded Dask ``LocalCluster``, an existing Dask cluster, or
(``workers=0``) this process, one partition after another.

Embedded (the default): one worker process per core, one thread each, started and
stopped by the command. Existing cluster (``--scheduler tcp://HOST:PORT``): the same
tasks; the workers must have Safeside installed and see the inputs and the results
folder at the same paths (a shared filesystem). On loopback::

    .venv/bin/dask scheduler --host 127.0.0.1 --port 8786
    .venv/bin/dask worker tcp://127.0.0.1:8786 --nworkers 2 --nthreads 1

In every case at most a few partitions per worker are in flight, so the client never
holds more than that many partitions of posts.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from safeside.batch.engine import EngineFactory, EnginePlugin, load_engine
from safeside.batch.partition import Payload, run_partition
from safeside.batch.plan import JobSpec, PartitionSpec

Task = tuple[PartitionSpec, Payload | None]
Done = Callable[[PartitionSpec, Payload | None, dict[str, Any] | None, BaseException | None], None]


def _distributed() -> Any:
    """``dask.distributed`` (imported on first use; typed loosely)."""
    import distributed

    return distributed


def cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Runner(Protocol):
    workers: int
    dashboard: str | None

    def run(self, job: JobSpec, tasks: Iterable[Task], done: Done) -> None: ...


class InProcess:
    """Partitions one after another in this process (no Dask): the reference run."""

    workers = 1
    dashboard: str | None = None

    def __init__(self, engine: EngineFactory) -> None:
        load_engine(engine)

    def run(self, job: JobSpec, tasks: Iterable[Task], done: Done) -> None:
        for spec, payload in tasks:
            try:
                state = run_partition(job, spec, payload)
            except Exception as error:
                done(spec, payload, None, error)
            else:
                done(spec, payload, state, None)


@dataclass
class OnDask:
    """Partitions as Dask futures, a bounded number in flight."""

    client: Any
    workers: int
    dashboard: str | None = None
    per_worker: int = 3

    def run(self, job: JobSpec, tasks: Iterable[Task], done: Done) -> None:
        pending: dict[str, Task] = {}
        queue = _distributed().as_completed()
        limit = max(2, self.per_worker * max(self.workers, 1))

        def finish(future: Any) -> None:
            spec, payload = pending.pop(future.key)
            try:
                state = future.result()
            except Exception as error:
                done(spec, payload, None, error)
            else:
                done(spec, payload, state, None)
            future.release()

        for spec, payload in tasks:
            key = f"safeside-{spec.name}-{os.urandom(4).hex()}"
            pending[key] = (spec, payload)
            queue.add(self.client.submit(run_partition, job, spec, payload, key=key, retries=2))
            while queue.count() >= limit:
                finish(next(queue))
        for future in queue:
            finish(future)


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def dashboard_link(client: Any) -> str | None:
    services = client.scheduler_info().get("services", {})
    return str(client.dashboard_link) if "dashboard" in services else None


@contextmanager
def runner(
    engine: EngineFactory,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    dashboard_address: str | None = None,
) -> Iterator[Runner]:
    """A runner for a job: ``workers=0`` runs in this process, ``scheduler`` connects to a
    running Dask cluster, otherwise a ``LocalCluster`` is started for the job and stopped
    after it (``workers`` processes, one per core by default, one thread each)."""
    if workers == 0 and not scheduler:
        yield InProcess(engine)
        return
    dd = _distributed()
    cluster = None
    if scheduler:
        client = dd.Client(scheduler, timeout="30s")
    else:
        n = workers or cores()
        if dashboard_address is None:
            dashboard_address = ":8787" if _free(8787) else ":0"
        cluster = dd.LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=dashboard_address,
            silence_logs=logging.ERROR,
        )
        client = dd.Client(cluster)
    try:
        client.register_plugin(EnginePlugin(engine))
        count = len(client.scheduler_info().get("workers", {})) or 1
        yield OnDask(client=client, workers=count, dashboard=dashboard_link(client))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
