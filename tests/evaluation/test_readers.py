import json

import pytest

from safeside.evaluation.data import Span
from safeside.evaluation.readers import (
    ReadError,
    detect_format,
    read_conll,
    read_csv,
    read_jsonl,
    read_labelled,
    read_presidio,
)


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(content, encoding=encoding)
    return path


def spans_text(example):
    return [(s.label, example.text[s.start : s.end]) for s in example.entities]


# JSONL ---------------------------------------------------------------------


def test_jsonl_reads_our_schema(tmp_path):
    row = {
        "id": "d1",
        "mode": "review",
        "text": "Kian is 7",
        "entities": [{"start": 0, "end": 4, "label": "PERSON", "text": "Kian"}],
        "concerns": ["threat"],
        "severity": "high",
    }
    data = read_jsonl(write(tmp_path, "s.jsonl", json.dumps(row) + "\n\n"))
    [ex] = data.examples
    assert (ex.id, ex.mode, ex.concerns, ex.severity) == ("d1", "review", ["threat"], "high")
    assert ex.entities == [Span("PERSON", 0, 4)]


def test_jsonl_fields_left_out_are_not_annotated(tmp_path):
    [ex] = read_jsonl(write(tmp_path, "s.jsonl", '{"text": "hi"}\n')).examples
    assert ex.entities is None and ex.concerns is None and ex.severity is None
    assert ex.id == "1"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"s\.jsonl:2: Expecting value"),
        ('{"text": "a", "concerns": ["rude"]}', "unknown concern 'rude'"),
        ('{"text": "a", "entities": [{"start": 0, "end": 5, "label": "PERSON"}]}', "outside"),
        ('{"text": "a", "entities": [{"start": 0, "end": 1, "label": "CAR"}]}', "'CAR'"),
        ('{"text": "a", "mode": "public"}', "unknown mode"),
        ('{"mode": "own"}', "'text'"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path, "s.jsonl", '{"text": "fine"}\n' + line + "\n")
    with pytest.raises(ReadError, match=message):
        read_jsonl(path)


# CoNLL ---------------------------------------------------------------------

BTC = "@\tB-PER\ncolgo\tB-PER\nhi\tO\nfrom\tO\nNew\tB-LOC\nYork\tI-LOC\n\nAnn\tB-PER\n@\tO\nbbc\tB-ORG\n"


def test_conll_rebuilds_text_with_single_spaces_and_joins_at_mentions(tmp_path):
    data = read_conll(write(tmp_path, "btc.test", BTC), "btc")
    first, second = data.examples
    assert first.text == "@colgo hi from New York"
    assert spans_text(first) == [("HANDLE", "@colgo"), ("LOCATION", "New York")]
    assert second.text == "Ann @bbc"
    assert spans_text(second) == [("PERSON", "Ann"), ("HANDLE", "@bbc")]
    assert data.entity_labels == ("PERSON", "LOCATION", "ORG", "HANDLE")
    assert data.concern_labels == ()


def test_conll_docstart_whitespace_lines_and_four_columns(tmp_path):
    content = "-DOCSTART- -X- -X- O\n\n@USER1\t-\t-\tO\nmet\t-\t-\tO\nBo\t-\t-\tB-PER\n \nin\t-\t-\tO\nRome\t-\t-\tB-LOC\n\t\n"
    data = read_conll(write(tmp_path, "test.bio", content))
    assert [ex.text for ex in data.examples] == ["@USER1 met Bo", "in Rome"]
    assert spans_text(data.examples[0]) == [("PERSON", "Bo")]
    # HANDLE is only scored where the gold has handles
    assert set(data.entity_labels) == {"PERSON", "LOCATION", "ORG"}


def test_conll_space_separated_and_iob1_tags(tmp_path):
    data = read_conll(write(tmp_path, "x.conll", "Mary I-PER\nJane I-PER\nand O\nBob I-PER\n"))
    assert spans_text(data.examples[0]) == [("PERSON", "Mary Jane"), ("PERSON", "Bob")]


def test_conll_wnut_labels_are_mapped_and_others_dropped(tmp_path):
    content = "Ann\tB-person\nlikes\tO\nFrozen\tB-creative-work\nat\tO\nTesco\tB-corporation\n"
    data = read_conll(write(tmp_path, "w.conll", content))
    assert spans_text(data.examples[0]) == [("PERSON", "Ann"), ("ORG", "Tesco")]
    assert data.entity_labels == ("PERSON", "LOCATION", "ORG")


def test_conll_with_taxonomy_tags_scores_the_labels_present(tmp_path):
    content = "my\tB-CHILD_REF\nson\tI-CHILD_REF\nat\tO\nOakfield\tB-SCHOOL\n"
    data = read_conll(write(tmp_path, "ours.conll", content))
    assert spans_text(data.examples[0]) == [("CHILD_REF", "my son"), ("SCHOOL", "Oakfield")]
    assert data.entity_labels == ("CHILD_REF", "SCHOOL")


@pytest.mark.parametrize(
    ("content", "message"),
    [("just words here\n", "expected 'token<TAB>tag'"), ("a\tB-FOO\n", "match no known scheme")],
)
def test_conll_errors(tmp_path, content, message):
    with pytest.raises(ReadError, match=message):
        read_conll(write(tmp_path, "bad.conll", content))


# CSV -----------------------------------------------------------------------


def test_csv_reads_concern_labels(tmp_path):
    content = 'text,label\n"I will kill you",threat\nlovely day,\nboth,threat;harassment\n'
    data = read_csv(write(tmp_path, "c.csv", content))
    assert [ex.concerns for ex in data.examples] == [["threat"], [], ["threat", "harassment"]]
    assert data.examples[0].id == "c.csv:2"
    assert data.entity_labels == ()


def test_csv_columns_and_label_map_are_configurable(tmp_path):
    content = "tweet,class,mode\nyou idiot,1,review\nhello,0,own\n"
    data = read_csv(
        write(tmp_path, "c.csv", content), "tweet", "class", {"1": "harassment", "0": "none"}
    )
    assert [(ex.text, ex.mode, ex.concerns) for ex in data.examples] == [
        ("you idiot", "review", ["harassment"]),
        ("hello", "own", []),
    ]


def test_csv_errors(tmp_path):
    path = write(tmp_path, "c.csv", "body,label\nx,threat\n")
    with pytest.raises(ReadError, match="no column 'text' \\(columns: body, label\\)"):
        read_csv(path)
    path = write(tmp_path, "d.csv", "text,label\nx,offensive\n")
    with pytest.raises(ReadError, match=r"d\.csv:2: unknown concern 'offensive'"):
        read_csv(path)


# Presidio and auto-detection -------------------------------------------------


def test_presidio_spans_are_mapped(tmp_path):
    rows = [
        {
            "full_text": "Call Ann on 555-0100, card 4111",
            "spans": [
                {"entity_type": "CREDIT_CARD", "start_position": 27, "end_position": 31},
                {"entity_type": "PHONE_NUMBER", "start_position": 12, "end_position": 20},
                {"entity_type": "PERSON", "start_position": 5, "end_position": 8},
            ],
        }
    ]
    data = read_presidio(write(tmp_path, "synth.json", json.dumps(rows)))
    assert spans_text(data.examples[0]) == [("PERSON", "Ann"), ("PHONE", "555-0100")]
    assert "ADDRESS" in data.entity_labels


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.jsonl", "", "jsonl"),
        ("a.csv", "", "csv"),
        ("a.bio", "", "conll"),
        ("a.txt", '{"text": "x"}\n', "jsonl"),
        ("a.json", "[]", "presidio"),
        ("emerging.test.annotated", "Ann\tB-person\n", "conll"),
    ],
)
def test_format_is_detected_from_suffix_then_content(tmp_path, name, content, expected):
    assert detect_format(write(tmp_path, name, content)) == expected


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p / "missing.jsonl", "no such file"),
        (lambda p: p, "is a directory"),
        (lambda p: write(p, "latin.jsonl", "caf\xe9", encoding="latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files_give_one_clear_error(tmp_path, setup, message):
    with pytest.raises(ReadError, match=message):
        read_labelled(setup(tmp_path))


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(ReadError, match="unknown format 'xml'"):
        read_labelled(write(tmp_path, "a.jsonl", ""), "xml")


def test_csv_keeps_newlines_inside_quoted_texts(tmp_path):
    data = read_csv(write(tmp_path, "c.csv", 'text,label\n"line one\nline two",threat\n'))
    assert data.examples[0].text == "line one\nline two"


def test_csv_oversized_field_is_a_read_error(tmp_path):
    path = write(tmp_path, "big.csv", 'text,label\n"' + "a" * 200_000 + '",\n')
    with pytest.raises(ReadError, match=r"big\.csv:\d+: field larger than field limit"):
        read_csv(path)
