"""The readers on the real shared data sets, checked against their SOURCE.md counts.

Skipped where ``shared/`` is not present (a clean clone without the data).
"""

from collections import Counter

import pytest

from safeside.evaluation import suites


def load(name):
    try:
        return suites.SUITES[name].load()
    except suites.Skipped as exc:
        pytest.skip(str(exc))


def labels(data):
    return Counter(span.label for ex in data.examples for span in ex.entities)


def test_btc_test_split():
    data = load("btc")
    assert len(data.examples) == 2001
    # 2,650 PER mentions in SOURCE.md count "@" and the name as two
    assert labels(data) == {"HANDLE": 1393, "LOCATION": 558, "PERSON": 554, "ORG": 492}
    for ex in data.examples:
        for span in ex.entities:
            assert ex.text[span.start : span.end].strip() == ex.text[span.start : span.end]


def test_wnut17_test_split():
    data = load("wnut17")
    assert len(data.examples) == 1287
    # person 429, location 150, corporation 66 + group 165
    assert labels(data) == {"PERSON": 429, "LOCATION": 150, "ORG": 231}


def test_presidio_synth():
    data = load("presidio")
    assert len(data.examples) == 1500
    assert labels(data)["LOCATION"] == 411 + 37  # GPE + ZIP_CODE


def test_hatecheck_scored_cases():
    data = load("hatecheck")
    gold = Counter(c for ex in data.examples for c in ex.concerns or ())
    assert gold == {"threat": 133 + 140, "harassment": 65}
    assert sum(ex.concerns == [] for ex in data.examples) == 1038
