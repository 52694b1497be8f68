"""The in-house labelled data (training/data/*.jsonl) passes its validator."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "training" / "data"


def _load_validator():
    spec = importlib.util.spec_from_file_location("inhouse_validate", DATA_DIR / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validator = _load_validator()


@functools.cache
def _records(name: str) -> tuple[list[dict], list[str]]:
    return validator.validate_file(DATA_DIR / name)


@pytest.mark.parametrize("name", ["inhouse_train.jsonl", "inhouse_challenge.jsonl"])
def test_file_is_valid(name: str) -> None:
    records, errors = _records(name)
    assert not errors, "\n".join(errors[:20])
    assert records


def test_counts_meet_the_brief() -> None:
    train, _ = _records("inhouse_train.jsonl")
    challenge, _ = _records("inhouse_challenge.jsonl")
    assert len(train) >= 900
    assert len(challenge) >= 250
    assert sum(not r["concerns"] for r in train) >= 350
    for concern in validator.CONCERN_ORDER:
        assert sum(concern in r["concerns"] for r in train) >= 50, concern
        assert any(concern in r["concerns"] for r in challenge), concern


def test_ids_have_their_prefix_and_files_do_not_overlap() -> None:
    train, _ = _records("inhouse_train.jsonl")
    challenge, _ = _records("inhouse_challenge.jsonl")
    assert all(r["id"].startswith("t") for r in train)
    assert all(r["id"].startswith("c") for r in challenge)
    assert not {r["text"] for r in train} & {r["text"] for r in challenge}


def test_validator_catches_bad_records() -> None:
    good = {
        "id": "t0001",
        "mode": "own",
        "platform": "x",
        "author_role": "practitioner",
        "text": "Court for Ana today",
        "entities": [{"start": 10, "end": 13, "label": "PERSON", "text": "Ana"}],
        "concerns": ["confidentiality"],
        "severity": "medium",
        "rationale": "Names a service user.",
    }
    assert validator.check_record(good) == []
    assert validator.check_record({**good, "concerns": ["grooming"]})
    assert validator.check_record({**good, "severity": "none"})
    assert validator.check_record({**good, "author_role": "parent"})
    bad_span = [{"start": 9, "end": 13, "label": "PERSON", "text": "Ana"}]
    assert validator.check_record({**good, "entities": bad_span})
    overlap = [
        {"start": 10, "end": 13, "label": "PERSON", "text": "Ana"},
        {"start": 11, "end": 13, "label": "PERSON", "text": "na"},
    ]
    assert validator.check_record({**good, "entities": overlap})
    real_phone = {**good, "text": "Ring 07911 123456", "entities": []}
    real_phone["entities"] = [{"start": 5, "end": 17, "label": "PHONE", "text": "07911 123456"}]
    assert validator.check_record(real_phone)
    drama_phone = {**good, "text": "Ring 07700 900123", "entities": []}
    drama_phone["entities"] = [{"start": 5, "end": 17, "label": "PHONE", "text": "07700 900123"}]
    assert validator.check_record(drama_phone) == []


def test_jsonl_matches_its_sources() -> None:
    spec = importlib.util.spec_from_file_location("inhouse_build", DATA_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, folder in (
        ("inhouse_train.jsonl", "train"),
        ("inhouse_challenge.jsonl", "challenge"),
    ):
        built = build.load_dir(DATA_DIR / "src" / folder)
        records, _ = _records(name)
        as_key = lambda r: json.dumps({k: v for k, v in r.items() if k != "id"}, sort_keys=True)  # noqa: E731
        assert sorted(map(as_key, built)) == sorted(map(as_key, records)), (
            f"{name} is stale: run training/data/build.py"
        )
