import pytest

from safeside.evaluation.mappings import SCORED_LABELS, map_entity
from safeside.taxonomy import ENTITY_LABELS


@pytest.mark.parametrize(
    ("scheme", "label", "text", "expected"),
    [
        ("btc", "PER", "Kayden", "PERSON"),
        ("btc", "PER", "@colgo", "HANDLE"),
        ("btc", "ORG", "@GWS_Giants", "HANDLE"),
        ("btc", "LOC", "Leeds", "LOCATION"),
        ("btc", "ORG", "Cafcass", "ORG"),
        ("tweebank", "MISC", "Burning Desire", None),
        ("wnut17", "person", "Ann", "PERSON"),
        ("wnut17", "location", "Leeds", "LOCATION"),
        ("wnut17", "corporation", "Tesco", "ORG"),
        ("wnut17", "group", "Arsenal", "ORG"),
        ("wnut17", "product", "iPhone", None),
        ("wnut17", "creative-work", "Frozen", None),
        ("wnut16", "geo-loc", "Leeds", "LOCATION"),
        ("wnut16", "tvshow", "Corrie", None),
        ("presidio", "PERSON", "", "PERSON"),
        ("presidio", "PHONE_NUMBER", "", "PHONE"),
        ("presidio", "EMAIL_ADDRESS", "", "EMAIL"),
        ("presidio", "STREET_ADDRESS", "", "ADDRESS"),
        ("presidio", "AGE", "", "AGE"),
        ("presidio", "DATE_TIME", "", "DATE"),
        ("presidio", "ORGANIZATION", "", "ORG"),
        ("presidio", "GPE", "", "LOCATION"),
        ("presidio", "LOCATION", "", "LOCATION"),
        ("presidio", "ZIP_CODE", "", "LOCATION"),
        ("presidio", "CREDIT_CARD", "", None),
        ("presidio", "US_SSN", "", None),
        ("safeside", "CHILD_REF", "my son", "CHILD_REF"),
        ("safeside", "VEHICLE", "", None),
    ],
)
def test_source_labels_map_to_the_taxonomy(scheme, label, text, expected):
    assert map_entity(scheme, label, text) == expected


def test_an_unknown_scheme_is_an_error():
    with pytest.raises(ValueError, match="unknown label scheme 'ontonotes'"):
        map_entity("ontonotes", "PERSON")


def test_every_scored_label_is_a_taxonomy_label():
    for labels in SCORED_LABELS.values():
        assert set(labels) <= set(ENTITY_LABELS)
