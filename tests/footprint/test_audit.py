"""The audit counts every post, keeps the risky ones, and suggests one step for each."""

from __future__ import annotations

import pytest

from safeside.engine.results import Analysis
from safeside.footprint import run_audit, suggested_step
from safeside.footprint.timeline import month_range, timeline_svg
from safeside.ingest import Post
from safeside.taxonomy import Severity

from .conftest import batch, post


def test_audit_keeps_risky_posts_and_counts_the_rest(posts: list[Post]) -> None:
    progress: list[int] = []

    result = run_audit(posts, mode="own", analyze=batch, chunk_size=4, on_progress=progress.append)

    assert result.posts_analysed == 6
    assert progress == [4, 2]
    assert len(result.findings) == 4
    assert dict(result.by_concern) == {"confidentiality": 1, "self_exposure": 2, "harassment": 1}
    assert dict(result.by_severity) == {"high": 1, "medium": 2, "critical": 1}
    assert result.by_month == {"2024-01": [2, 1], "2024-03": [2, 2], "2024-04": [1, 1]}
    assert result.undated == 1
    ordered = [f.analysis.severity for f in result.sorted_findings()]
    assert ordered == sorted(ordered, reverse=True)


def test_suggested_steps_in_own_mode(posts: list[Post]) -> None:
    result = run_audit(posts, mode="own", analyze=batch)
    steps = {f.post.text: f.step for f in result.findings}

    assert steps["Kayden did so well at contact today"] == "delete"
    assert steps["Home from work, the estate is quiet"] == "restrict"
    assert steps["Home, estate quiet, friends only"] == "edit"  # already followers-only
    assert steps["I hate you <script>alert(1)</script>"] == "delete"


def test_review_mode_refers_and_escalates_critical() -> None:
    (low,) = batch(["the estate"], "review")
    (critical,) = batch(["I hate you"], "review")
    assert suggested_step(low) == "refer"
    assert suggested_step(critical) == "urgent"
    calm = Analysis("fine", "own", [], [], Severity.NONE, [])
    assert suggested_step(calm) == "edit"


def test_timeline_fills_gaps_and_draws_risky_bars() -> None:
    assert month_range(["2023-11", "2024-02"]) == ["2023-11", "2023-12", "2024-01", "2024-02"]

    svg = timeline_svg({"2023-12": [4, 1], "2024-02": [2, 0]})

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="all"') == 3  # December, an empty January, February
    assert "<title>2023-12: 4 posts, 1 risky</title>" in svg
    assert "No dated posts" in timeline_svg({})


def test_audit_of_nothing_is_empty() -> None:
    result = run_audit([post("nothing here")], analyze=batch)
    assert result.findings == [] and result.posts_analysed == 1


@pytest.mark.slow
def test_worker_processes_give_the_same_result_in_order(posts: list[Post]) -> None:
    many = posts * 20

    alone = run_audit(many, analyze=batch, chunk_size=7)
    shared = run_audit(many, analyze=batch, chunk_size=7, jobs=2)

    assert shared.posts_analysed == alone.posts_analysed == 120
    assert [f.post for f in shared.findings] == [f.post for f in alone.findings]
    assert shared.by_month == alone.by_month
