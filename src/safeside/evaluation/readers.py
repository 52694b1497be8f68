"""Readers for labelled files: our JSONL schema, CoNLL/BIO NER files, CSV classification files.

Every reader returns a :class:`LabelledSet` and raises :class:`ReadError` (an
:class:`~safeside.errors.InputError`, so also a ``ValueError``) naming the file and line on bad input.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from safeside.errors import InputError
from safeside.evaluation.data import Example, LabelledSet, Span
from safeside.evaluation.mappings import MAPPINGS, SCORED_LABELS, map_entity
from safeside.taxonomy import CONCERNS, ENTITY_LABELS, MODES, Severity

FORMATS = ("auto", "jsonl", "conll", "csv", "presidio")
_NO_CONCERN = {"", "none", "[]"}


class ReadError(InputError):
    """A labelled file could not be read; the message names the file and line."""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise ReadError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read ({exc.strerror})") from None


# --------------------------------------------------------------------- JSONL


def read_jsonl(path: Path) -> LabelledSet:
    """Read our JSONL schema (``shared/data/dev/README.md``): one labelled text per line."""
    examples = []
    for number, line in enumerate(_read_text(path).splitlines(), 1):
        if line.strip():
            try:
                examples.append(_jsonl_example(json.loads(line), number))
            except (json.JSONDecodeError, TypeError, KeyError, ValueError) as exc:
                raise ReadError(f"{path}:{number}: {exc}") from None
    return LabelledSet(path.name, examples)


def _jsonl_example(row: Mapping[str, object], number: int) -> Example:
    text = row["text"]
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    mode = row.get("mode")
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    entities = None
    if "entities" in row:
        entities = [_jsonl_span(e, len(text)) for e in _list(row["entities"], "entities")]
    concerns = None
    if "concerns" in row:
        concerns = [str(c) for c in _list(row["concerns"], "concerns")]
        for concern in concerns:
            if concern not in CONCERNS:
                raise ValueError(f"unknown concern {concern!r}")
    severity = row.get("severity")
    if severity is not None:
        severity = Severity.parse(str(severity)).label
    return Example(
        id=str(row.get("id", number)),
        text=text,
        mode=None if mode is None else str(mode),
        entities=entities,
        concerns=concerns,
        severity=severity,
    )


def _list(value: object, name: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{name!r} must be a list")
    return value


def _jsonl_span(value: object, length: int) -> Span:
    if not isinstance(value, dict):
        raise ValueError("each entity must be an object with start, end and label")
    start, end, label = int(value["start"]), int(value["end"]), str(value["label"])
    if label not in ENTITY_LABELS:
        raise ValueError(f"unknown entity label {label!r}")
    if not 0 <= start < end <= length:
        raise ValueError(f"entity offsets {start}-{end} outside the text")
    return Span(label, start, end)


# --------------------------------------------------------------------- CoNLL


def read_conll(path: Path, scheme: str = "auto") -> LabelledSet:
    """Read a CoNLL/BIO file: ``token<TAB or space>...tag`` lines, blank-line separated.

    The text is rebuilt with one space between tokens, except that a lone "@"
    token is joined to the next one ("@ colgo" -> "@colgo"), as it was written.
    ``-DOCSTART-`` lines and lines holding only whitespace separate sentences.
    Tags are mapped with ``scheme`` (see :mod:`safeside.evaluation.mappings`);
    ``auto`` picks it from the tag types found.
    """
    sentences: list[list[tuple[str, str]]] = [[]]
    for number, raw in enumerate(_read_text(path).splitlines(), 1):
        if not raw.strip() or raw.startswith("-DOCSTART-"):
            if sentences[-1]:
                sentences.append([])
            continue
        fields = raw.split("\t") if "\t" in raw else raw.split()
        if len(fields) < 2 or not _TAG.match(fields[-1].strip()):
            raise ReadError(f"{path}:{number}: expected 'token<TAB>tag', got {raw!r}")
        sentences[-1].append((fields[0], fields[-1].strip()))
    sentences = [s for s in sentences if s]
    types = {tag[2:] for sentence in sentences for _, tag in sentence if tag != "O"}
    if scheme == "auto":
        scheme = _guess_scheme(types, path)
    examples = [
        _conll_example(f"{path.name}:{n}", sentence, scheme)
        for n, sentence in enumerate(sentences, 1)
    ]
    gold = {span.label for ex in examples for span in ex.entities or ()}
    scored = SCORED_LABELS.get(scheme, tuple(x for x in ENTITY_LABELS if x in gold))
    if "HANDLE" in scored and not _annotates_mentions(examples):
        scored = tuple(x for x in scored if x != "HANDLE")
    return LabelledSet(path.name, examples, entity_labels=scored, concern_labels=())


def _annotates_mentions(examples: list[Example]) -> bool:
    """Whether a set labels @-mentions systematically (BTC does; Tweebank and WNUT tag
    nearly all of them ``O``, so predicted handles there are not errors)."""
    mentions = sum(len(_MENTION.findall(ex.text)) for ex in examples)
    handles = sum(1 for ex in examples for span in ex.entities or () if span.label == "HANDLE")
    return handles > 0 and handles >= 0.5 * mentions


_MENTION = re.compile(r"(?<![\w@])@\w+")


_TAG = re.compile(r"^(O|[BIES]-\S+)$")


def _guess_scheme(types: set[str], path: Path) -> str:
    if types <= set(ENTITY_LABELS):
        return "safeside"
    for scheme in ("conll2003", "wnut17", "wnut16"):
        if types <= set(MAPPINGS[scheme]):
            return scheme
    raise ReadError(
        f"{path}: tag types {', '.join(sorted(types))} match no known scheme "
        "(taxonomy labels, CoNLL-2003, WNUT-16, WNUT-17)"
    )


def _conll_example(ex_id: str, tokens: list[tuple[str, str]], scheme: str) -> Example:
    tags = [tag for _, tag in tokens]
    # BTC splits "@colgo" into "@" and "colgo", tagged B-PER B-PER (or O B-PER):
    # the mention is one entity, "@" included.
    for i in range(len(tokens) - 1):
        if tokens[i][0] == "@" and tags[i + 1].startswith("B-") and tags[i][:1] in "BO":
            tags[i], tags[i + 1] = tags[i + 1], "I-" + tags[i + 1][2:]
    starts, parts, offset = [], [], 0
    for i, (token, _) in enumerate(tokens):
        if i and tokens[i - 1][0] != "@":
            parts.append(" ")
            offset += 1
        starts.append(offset)
        parts.append(token)
        offset += len(token)
    text = "".join(parts)
    spans = []
    for label, first, last in _bio_chunks(tags):
        start, end = starts[first], starts[last] + len(tokens[last][0])
        mapped = map_entity(scheme, label, text[start:end])
        if mapped is not None:
            spans.append(Span(mapped, start, end))
    return Example(id=ex_id, text=text, entities=spans)


def _bio_chunks(tags: list[str]) -> Iterable[tuple[str, int, int]]:
    """(type, first token, last token) for each entity in BIO/IOB1/BIOES tags."""
    current: tuple[str, int] | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, kind = tag[:1], tag[2:]
        if current and (prefix in "OBS" or kind != current[0]):
            yield current[0], current[1], i - 1
            current = None
        if prefix != "O" and current is None:
            current = (kind, i)
        if prefix in "ES" and current is not None:
            yield current[0], current[1], i
            current = None


# ----------------------------------------------------------------------- CSV


#: Longest text cell accepted in a labelled CSV (Python's csv default).
CSV_FIELD_LIMIT = 131_072


def read_csv(
    path: Path,
    text_column: str = "text",
    label_column: str = "label",
    label_map: Mapping[str, str] | None = None,
) -> LabelledSet:
    """Read a CSV classification file: a text column and a label column.

    A label cell holds zero or more concerns separated by ``;`` or ``|``; empty or
    ``none`` means no concern. ``label_map`` first renames raw values (e.g.
    ``{"1": "threat", "0": "none"}``). An optional ``mode`` column sets each row's mode.
    """
    content = _read_text(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    examples = []
    try:
        columns = reader.fieldnames or []
        for column in (text_column, label_column):
            if column not in columns:
                raise ReadError(
                    f"{path}: no column {column!r} (columns: {', '.join(columns) or 'none'})"
                )
        for number, row in enumerate(reader, 2):
            mode = (row.get("mode") or "").strip() or None
            if mode is not None and mode not in MODES:
                raise ValueError(f"unknown mode {mode!r}")
            concerns = _csv_concerns(row[label_column] or "", label_map)
            text = row[text_column] or ""
            if len(text) > CSV_FIELD_LIMIT:
                # csv's own limit is process-wide and other readers raise it.
                raise ValueError(f"field larger than field limit ({CSV_FIELD_LIMIT})")
            examples.append(Example(f"{path.name}:{number}", text, mode, concerns=concerns))
    except ReadError:
        raise
    except (ValueError, csv.Error) as exc:
        raise ReadError(f"{path}:{reader.line_num}: {exc}") from None
    return LabelledSet(path.name, examples, entity_labels=())


def _csv_concerns(cell: str, label_map: Mapping[str, str] | None) -> list[str]:
    concerns = []
    for raw in re.split(r"[;|]", cell):
        value = raw.strip()
        if label_map is not None:
            value = label_map.get(value, value)
        value = value.lower()
        if value in _NO_CONCERN:
            continue
        if value not in CONCERNS:
            raise ValueError(f"unknown concern {raw.strip()!r} (map it with a label map)")
        if value not in concerns:
            concerns.append(value)
    return concerns


# ------------------------------------------------------------------ Presidio


def read_presidio(path: Path) -> LabelledSet:
    """Read Presidio-research's synthetic set (a JSON list of ``full_text`` + ``spans``)."""
    try:
        rows = json.loads(_read_text(path))
        examples = []
        for n, row in enumerate(rows):
            spans = []
            for span in row["spans"]:
                label = map_entity("presidio", span["entity_type"])
                if label is not None:
                    spans.append(Span(label, span["start_position"], span["end_position"]))
            spans.sort(key=lambda s: (s.start, s.end))
            examples.append(Example(id=f"{path.name}:{n}", text=row["full_text"], entities=spans))
    except (json.JSONDecodeError, TypeError, KeyError) as exc:
        raise ReadError(f"{path}: not a Presidio synthetic data set ({exc})") from None
    return LabelledSet(
        path.name, examples, entity_labels=SCORED_LABELS["presidio"], concern_labels=()
    )


# -------------------------------------------------------------------- auto


def detect_format(path: Path) -> str:
    """Guess a file's format from its suffix, then from its first line."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    if suffix in {".conll", ".bio", ".iob"}:
        return "conll"
    head = _read_text(path).lstrip()[:1]
    if head == "{":
        return "jsonl"
    if head == "[":
        return "presidio"
    return "conll"


def read_labelled(
    path: Path,
    fmt: str = "auto",
    text_column: str = "text",
    label_column: str = "label",
    label_map: Mapping[str, str] | None = None,
) -> LabelledSet:
    """Read any supported labelled file (``fmt`` is one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ReadError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "jsonl":
        return read_jsonl(path)
    if fmt == "conll":
        return read_conll(path)
    if fmt == "presidio":
        return read_presidio(path)
    return read_csv(path, text_column, label_column, label_map)
