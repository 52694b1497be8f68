"""Loaders for public test sets whose labels need joining or remapping (HateCheck, Toxic Spans).

The choices made here are documented in ``docs/evaluation.md``.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from safeside.evaluation.data import Example, LabelledSet
from safeside.evaluation.readers import ReadError

#: HateCheck functionalities scored as gold concerns in review mode.
HATECHECK_POSITIVE: Final[dict[str, str]] = {
    "threat_dir_h": "threat",
    "threat_norm_h": "threat",
    # abuse of an individual, not about a protected group: non-hateful for
    # HateCheck, harassment for Safeside
    "target_indiv_nh": "harassment",
}

#: Non-hateful contrast functionalities: any concern here is a false alarm.
HATECHECK_CONTRAST: Final = (
    "negate_neg_nh",
    "counter_quote_nh",
    "counter_ref_nh",
    "profanity_nh",
    "ident_pos_nh",
    "ident_neutral_nh",
    "slur_reclaimed_nh",
    "slur_homonym_nh",
    "target_obj_nh",
)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror})") from None


def read_hatecheck(path: Path) -> LabelledSet:
    """HateCheck cases: threats and individual abuse as gold, contrast sets as benign.

    Other functionalities (hate against protected groups, which the taxonomy has no
    concern for in review mode) are kept unscored, with their functionality in
    ``Example.group`` so a suite can still report how often they are flagged.
    """
    examples = []
    for row in _rows(path):
        func = row["functionality"]
        concerns: list[str] | None = None
        if func in HATECHECK_POSITIVE:
            concerns = [HATECHECK_POSITIVE[func]]
        elif func in HATECHECK_CONTRAST:
            concerns = []
        examples.append(
            Example(
                id=f"hatecheck:{row['case_id']}",
                text=row["test_case"].strip(),
                mode="review",
                concerns=concerns,
                group=func,
            )
        )
    return LabelledSet(
        "hatecheck", examples, entity_labels=(), concern_labels=("threat", "harassment")
    )


#: Raw Toxic Spans type -> (Safeside concern, raters needed on a character).
TOXIC_SPAN_TYPES: Final[dict[str, tuple[str, int]]] = {
    "Threat": ("threat", 1),
    "Insult": ("harassment", 2),
}


def read_toxic_spans(root: Path) -> LabelledSet:
    """SemEval-2021 Toxic Spans test texts, labelled from the typed raw rater spans.

    Each test text is joined to ``raw_annotations/comments.csv`` by exact text, then
    to its raters (``annotations.csv``) and their typed spans (``spans.csv``). A
    character is gold evidence for a concern when enough distinct raters put it in
    a span of the mapped type (:data:`TOXIC_SPAN_TYPES`); a text carries the
    concern when it has any such character.
    """
    raw = root / "raw_annotations"
    ids_by_text: dict[str, list[str]] = defaultdict(list)
    for row in _rows(raw / "comments.csv"):
        ids_by_text[row["comment_text"]].append(row["comment_id"])
    raters: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(raw / "annotations.csv"):
        raters[row["comment_id"]].append((row["annotation"], row["worker"]))
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in _rows(raw / "spans.csv"):
        if row["type"] in TOXIC_SPAN_TYPES and row["start"] and row["end"]:
            spans[row["annotation"]].append((row["type"], int(row["start"]), int(row["end"])))
    examples = []
    for n, row in enumerate(_rows(root / "semeval2021" / "tsd_test.csv")):
        text = row["text"]
        marked: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        for comment_id in ids_by_text.get(text, []):
            for annotation, worker in raters[comment_id]:
                for kind, start, end in spans[annotation]:
                    for i in range(start, min(end, len(text))):
                        marked[kind][i].add(worker)
        evidence = {}
        for kind, (concern, needed) in TOXIC_SPAN_TYPES.items():
            chars = sorted(i for i, who in marked[kind].items() if len(who) >= needed)
            if chars:
                evidence[concern] = _runs(chars)
        examples.append(
            Example(
                id=f"tsd_test:{n}",
                text=text,
                mode="review",
                concerns=[c for c in ("threat", "harassment") if c in evidence],
                evidence=evidence,
            )
        )
    return LabelledSet(
        "toxic-spans", examples, entity_labels=(), concern_labels=("threat", "harassment")
    )


def _runs(chars: list[int]) -> list[tuple[int, int]]:
    """Sorted character offsets as (start, end) runs."""
    runs: list[tuple[int, int]] = []
    for i in chars:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs
