"""Batch at scale: analyse whole corpora and organisation-wide exports on Dask.

>>> from safeside.batch import BatchOptions, run_batch     # doctest: +SKIP
>>> result = run_batch(BatchOptions(inputs=["exports/*.zip"], out=Path("results")))

Work is split into deterministic partitions (input × record range), each analysed on a
worker of an embedded ``LocalCluster`` (or an existing Dask cluster) and written as it
finishes: one Parquet file of rows, an errors file and a small counts file. A rerun
skips finished partitions. See ``docs/batch.md``.
"""

from safeside.batch.engine import EngineFactory, EnginePlugin, load_engine
from safeside.batch.run import BatchOptions, BatchResult, Progress, run_batch

__all__ = [
    "BatchOptions",
    "BatchResult",
    "EngineFactory",
    "EnginePlugin",
    "Progress",
    "load_engine",
    "run_batch",
]
