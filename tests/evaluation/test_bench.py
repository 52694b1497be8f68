"""The benchmark's pure helpers (the timed runs themselves are not unit-tested)."""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_engine.py"
spec = importlib.util.spec_from_file_location("bench_engine", PATH)
assert spec and spec.loader
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 50) == 51.0
    assert bench.percentile(values, 95) == 95.0
    assert bench.percentile([3.0], 95) == 3.0


def result():
    engine = {
        "batch": {"texts_per_s": 2000.0},
        "batch_unexplained": {"texts_per_s": 4000.0},
        "single": {"p50_ms": 1.0, "p95_ms": 2.0},
        "long_batch": {"texts_per_s": 30.0},
        "long_batch_unexplained": {"texts_per_s": 40.0},
        "lengths": {
            "200": {
                "own_ms_per_kchar": 9.0,
                "review_ms_per_kchar": 11.0,
                "own_unexplained_ms_per_kchar": 8.0,
                "review_unexplained_ms_per_kchar": 8.5,
            }
        },
    }
    presidio = {
        "presidio_analyzer": "2.2.366",
        "batch": {"texts_per_s": 50.0},
        "single": {"p50_ms": 18.0, "p95_ms": 25.0},
        "long_batch": {"texts_per_s": 10.0},
    }
    return {
        "run_at": "2026-11-22T03:00:00+00:00",
        "machine": {"cpus": 2, "python": "3.11.2"},
        "texts": 2200,
        "safeside": engine,
        "presidio": presidio,
        "ratio": {
            "throughput_x": 40.0,
            "unexplained_throughput_x": 80.0,
            "long_throughput_x": 3.0,
            "long_unexplained_throughput_x": 4.0,
            "p50_latency_x": 18.0,
            "p95_latency_x": 12.5,
        },
        "dev_entity_accuracy": {
            "labels": ["PERSON", "PHONE"],
            "safeside": {"micro_f1": 0.9, "relaxed_micro_f1": 0.95, "recall": 0.9},
            "presidio": {"micro_f1": 0.5, "relaxed_micro_f1": 0.6, "recall": 0.6},
        },
        "cold_start": {"process_s": 0.9, "import_and_first_analyze_s": 0.7},
        "size": {
            "venv_mib": 900.0,
            "runtime_dependencies_mib": 400.0,
            "runtime_dependencies": 59,
            "safeside_package_mib": 0.6,
        },
    }


def test_markdown_and_doc_update(tmp_path):
    doc = tmp_path / "evaluation.md"
    doc.write_text("a\n<!-- bench:start -->\nold\n<!-- bench:end -->\nb\n", "utf-8")
    bench.update_doc(doc, bench.markdown(result()))
    text = doc.read_text("utf-8")
    assert "| Safeside | 2,000.0 | 1.00 | 2.00 |" in text
    assert "**40.0×** throughput (80.0× without the explanations)" in text
    assert "Posts of 2,000 characters: Safeside 30.0 posts/s" in text
    assert "**3.0×** (4.0×)" in text
    assert "200 chars 9.0 / 11.0 (8.0 / 8.5)" in text
    assert "(PERSON, PHONE): safeside 0.900 exact, 0.950 relaxed; presidio 0.500" in text
    assert "\nold\n" not in text and text.endswith("<!-- bench:end -->\nb\n")


def test_doc_without_markers_is_an_error(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("nothing here", "utf-8")
    with pytest.raises(SystemExit, match="no <!-- bench:start -->"):
        bench.update_doc(doc, "x")


def test_long_posts_are_dev_texts_run_together_half_in_each_mode():
    pairs = [("short own text", "own"), ("another own", "own"), ("a review text", "review")]
    posts = bench.joined(pairs, 100, 6)
    assert [m for _, m in posts] == ["own"] * 3 + ["review"] * 3
    assert all(len(t) == 100 for t, _ in posts)
    assert posts[0][0].startswith("short own text another own short own text")
