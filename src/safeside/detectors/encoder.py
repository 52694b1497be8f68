"""The contextual concern model: a fine-tuned MiniLM sentence encoder (int8 ONNX) + heads.

It reads what a post *means* rather than which words it uses: the encoder turns the whole
text into one vector, two linear heads turn that vector (and the mode) into a probability
per concern and a severity distribution. Trained by ``training/encoder/train.py`` on
independent writers' batches (model card: ``docs/models/encoder.md``); runs on
onnxruntime, nothing is downloaded.

Explanations are computed on the shipped model itself:

- *occlusion*: each word is removed in turn and the drop in the concern's probability
  measured; the words whose removal changes the decision most become evidence spans;
- *nearest examples*: the one or two labelled training texts closest in meaning
  ("reads like: ...").

The detector only records what the model says (:class:`ModelView` on the document); the
Analyzer decides how it combines with the cues (:mod:`safeside.analysis.arbiter`).
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from safeside.detectors.classifier import STOPWORDS
from safeside.engine.doc import Doc, ModelView
from safeside.engine.registry import ConfigError, Detector, nearest, registry
from safeside.settings import model_threads
from safeside.taxonomy import CONCERNS, Severity, concern_allowed
from safeside.text.embedding import WordPieceTokenizer
from safeside.text.emoji_words import EMOJI_WORDS

Matrix = npt.NDArray[np.float32]
CLS, SEP, PAD = 101, 102, 0
SEVERITY_NAMES = ("none", "low", "medium", "high", "critical")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
#: Words never occluded (see ``EncoderModel.attribute``).
_FUNCTION = STOPWORDS - {"no", "not"}
#: Examples the neighbours' vote reads for an occluded text (the whole text's nearest).
NEAR_POOL = 512
#: Most words occluded per text (longer texts: the first ones, then every other word).
MAX_OCCLUDED = 24
#: Texts with more content words than this are occluded in runs of ``GROUP`` words first.
OCCLUDE_ONE_BY_ONE = 14
GROUP = 3
#: The cue veto's share of the flag threshold when meta.json names none.
VETO_SHARE = 0.37
#: The safety floor when meta.json names none (see detectors/arbiter.py).
CRITICAL_FLOOR = 0.8
#: A sentence as the safety floor reads it: up to an end mark or a line break.
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
#: Sentences the floor reads per text (the first ones), and the fewest words in one.
MAX_SENTENCES = 12
MIN_SENTENCE_WORDS = 4
#: Sentences are read (by the arbiter, when nothing else was raised) only when the whole
#: text's P(critical) reaches this: it keeps 82% of what the sentence floor finds out of
#: fold and passes 23% of the training texts of two or more sentences.
SENTENCE_GATE = 0.01
#: Most windows of word-pieces the model reads per text (about 100,000 characters).
MAX_WINDOWS = 256


@dataclass(frozen=True, slots=True)
class Thresholds:
    flag: float
    possible: float


def pack_texts(texts: list[str]) -> dict[str, npt.NDArray[Any]]:
    """The training texts as ``examples.npz`` stores them: one UTF-8 string and where each
    text ends in it (a NumPy string array is fixed-width UTF-32: 191 MB in memory and a
    third of a second to read for 20,000 texts)."""
    ends = np.cumsum([len(t) for t in texts], dtype=np.int64)
    return {
        "text_utf8": np.frombuffer("".join(texts).encode("utf-8"), dtype=np.uint8),
        "text_ends": ends,
    }


def unpack_texts(arrays: Any) -> list[str]:
    """The texts :func:`pack_texts` stored (or an older file's ``texts`` string array)."""
    if "text_utf8" not in arrays:
        return [str(t) for t in arrays["texts"]]
    joined = arrays["text_utf8"].tobytes().decode("utf-8")
    ends = arrays["text_ends"].tolist()
    return [joined[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]


class EncoderModel:
    """The shipped encoder, heads, thresholds and examples."""

    def __init__(self, folder: Any) -> None:
        import onnxruntime as ort

        meta = json.loads(folder.joinpath("meta.json").read_text("utf-8"))
        vocab = (
            resources.files("safeside.models")
            .joinpath("embeddings", "vocab.txt")
            .read_text("utf-8")
            .splitlines()
        )
        self.tokenizer = WordPieceTokenizer(vocab, EMOJI_WORDS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # texts run side by side instead (encode_ids)
        options.inter_op_num_threads = 1
        self.threads = model_threads()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        with folder.joinpath("encoder.onnx").open("rb") as fh:
            self.session = ort.InferenceSession(
                fh.read(), options, providers=["CPUExecutionProvider"]
            )
        with folder.joinpath("heads.npz").open("rb") as fh:
            heads = np.load(fh)
            self.concern_w = heads["concern_weight"].astype(np.float32)
            self.concern_b = heads["concern_bias"].astype(np.float32)
            self.severity_w = heads["severity_weight"].astype(np.float32)
            self.severity_b = heads["severity_bias"].astype(np.float32)
        with folder.joinpath("examples.npz").open("rb") as fh:
            ex = np.load(fh)
            self.example_vectors = ex["vectors"].astype(np.float32)
            self.example_texts = unpack_texts(ex)
            self.example_concerns = [str(c).split("|") for c in ex["concerns"]]
            self.example_modes = [str(m) for m in ex["modes"]]
        #: the examples of each (concern, mode), for "reads like: ..."
        rows: dict[tuple[str, str], list[int]] = {}
        for i, (cs, m) in enumerate(zip(self.example_concerns, self.example_modes, strict=True)):
            for c in cs:
                rows.setdefault((c, m), []).append(i)
        self._with = {key: np.array(found, np.intp) for key, found in rows.items()}
        self._rows_with: dict[tuple[str, str], Matrix] = {}
        #: which concerns each example carries (one row per example), for the neighbours' vote
        self.example_labels = np.array(
            [[c in cs for c in CONCERNS] for cs in self.example_concerns], dtype=np.float32
        )
        knn = meta.get("knn") or {}
        self.knn_k = int(knn.get("k", 0))
        self.knn_temperature = float(knn.get("temperature", 10.0))
        self.knn_weight = float(knn.get("weight", 0.0))
        self.concerns: tuple[str, ...] = tuple(meta["concerns"])
        assert set(self.concerns) == set(CONCERNS), "model and taxonomy disagree"
        self.max_tokens = int(meta["max_tokens"])
        self.thresholds = {
            c: Thresholds(float(t["flag"]), float(t["possible"]))
            for c, t in meta["thresholds"].items()
        }
        self.version = str(meta.get("sha256", {}).get("encoder.onnx", "")[:12])
        #: the arbiter vetoes a cue concern when the model is below this share of its flag
        #: threshold (chosen with the thresholds, out of fold: training/encoder/oof.py)
        self.veto_share = float(meta.get("veto_share", VETO_SHARE))
        #: "possible ..., please read" needs the severity head to give high or critical at
        #: least this much: the lower band is for serious risk (chosen out of fold too)
        self.possible_serious = float(meta.get("possible_serious", 0.0))
        #: the safety floor: P(critical) from which a text never comes back "no concerns"
        self.critical_floor = float(meta.get("critical_floor", CRITICAL_FLOOR))
        #: the same floor for one sentence read on its own (0: sentences are not read)
        self.sentence_floor = float(meta.get("sentence_floor", 0.0))
        #: a vetoed safety cue at this severity or above stays as "possible" when the
        #: severity head puts this much on high or critical (absent: the veto drops it)
        kept = meta.get("kept_cues")
        self.kept_cues: tuple[Severity, float] | None = (
            None if kept is None else (Severity.parse(kept["severity"]), float(kept["serious"]))
        )

    # -- encoding --------------------------------------------------------------------------

    def piece_ids(self, text: str) -> list[int]:
        return [p.id for p in self.tokenizer.tokenize(text)]

    def _windows(self, ids: list[int]) -> list[list[int]]:
        """Consecutive windows of word-pieces; at most :data:`MAX_WINDOWS` per text."""
        size = self.max_tokens - 2
        return [ids[i : i + size] for i in range(0, max(1, len(ids)), size)][:MAX_WINDOWS]

    def encode_ids(self, sequences: list[list[int]]) -> Matrix:
        """Sentence vectors for word-piece id lists (windows averaged).

        Each window runs on its own, unpadded, ``SAFESIDE_MODEL_THREADS`` side by side: the
        int8 encoder scales its activations over everything in one call, so a text's
        vector must not share a call with other texts (it would depend on them), and on
        this CPU single texts in parallel beat padded batches (docs/models/encoder.md).
        """
        owner: list[int] = []
        rows: list[list[int]] = []
        for n, ids in enumerate(sequences):
            for window in self._windows(ids):
                owner.append(n)
                rows.append([CLS, *window, SEP])
        out = np.zeros((len(sequences), 384), dtype=np.float32)
        counts = np.zeros(len(sequences), dtype=np.float32)
        if self.threads > 1:
            pooled = list(self._executor().map(self._encode_one, rows))
        else:
            pooled = [self._encode_one(row) for row in rows]
        for i, vector in enumerate(pooled):
            out[owner[i]] += vector
            counts[owner[i]] += 1
        out /= np.maximum(counts, 1)[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        result: Matrix = (out / np.maximum(norms, 1e-9)).astype(np.float32)
        return result

    def _encode_one(self, row: list[int]) -> Matrix:
        ids = np.array([row], dtype=np.int64)
        pooled: Matrix = self.session.run(
            None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        )[0][0]
        return pooled

    def _executor(self) -> ThreadPoolExecutor:
        """The threads that run texts side by side (made again in a forked process)."""
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="safeside-model")
            self._pool_pid = os.getpid()
        return self._pool

    def heads(
        self, vectors: Matrix, modes: list[str], among: npt.NDArray[np.intp] | None = None
    ) -> tuple[Matrix, Matrix]:
        """Concern probabilities and severity distributions; ``among``: the neighbours'
        vote looks only at these examples (see :meth:`attribute`)."""
        mode = np.array([[1.0, 0.0] if m == "own" else [0.0, 1.0] for m in modes], np.float32)
        x = np.hstack([vectors, mode])
        probs = 1.0 / (1.0 + np.exp(-(x @ self.concern_w.T + self.concern_b)))
        if self.knn_k and self.knn_weight:
            order = [self.concerns.index(c) for c in CONCERNS]
            vote = self.neighbours_vote(vectors, among)
            probs[:, order] = (1 - self.knn_weight) * probs[:, order] + self.knn_weight * vote
        logits = x @ self.severity_w.T + self.severity_b
        logits -= logits.max(axis=1, keepdims=True)
        sev = np.exp(logits)
        sev /= sev.sum(axis=1, keepdims=True)
        return probs.astype(np.float32), sev.astype(np.float32)

    def neighbours_vote(self, vectors: Matrix, among: npt.NDArray[np.intp] | None = None) -> Matrix:
        """Per concern, the similarity-weighted share of the ``k`` nearest labelled
        training texts (with and without concerns) that carry it."""
        examples, labels = self.example_vectors, self.example_labels
        if among is not None:
            examples, labels = examples[among], labels[among]
        sims = vectors @ examples.T
        k = min(self.knn_k, sims.shape[1])
        top = np.argpartition(sims, -k, axis=1)[:, -k:]  # no negated copy of sims
        near = np.take_along_axis(sims, top, axis=1)
        weights = np.exp(self.knn_temperature * (near - near.max(axis=1, keepdims=True)))
        weights /= weights.sum(axis=1, keepdims=True)
        vote: Matrix = np.einsum("nk,nkc->nc", weights, labels[top])
        return vote

    def view(self, texts: list[str], modes: list[str]) -> list[ModelView]:
        ids = [self.piece_ids(t) for t in texts]
        vectors = self.encode_ids(ids)
        probs, sev = self.heads(vectors, modes)
        return [
            ModelView(
                vectors[i],
                {c: float(probs[i, j]) for j, c in enumerate(self.concerns)},
                dict(zip(SEVERITY_NAMES, (float(x) for x in sev[i]), strict=True)),
                windows=len(self._windows(ids[i])),
            )
            for i in range(len(texts))
        ]

    def read_sentences(self, docs: list[Doc]) -> None:
        """For texts of two or more sentences, the sentence that read on its own puts most
        weight on critical severity (``ModelView.sentence``): a farewell inside a cheerful
        post is diluted in the whole text's vector, not in its own sentence's."""
        owner: list[tuple[Doc, int, int]] = []
        for doc in docs:
            if doc.model is None or doc.model.severity.get("critical", 0.0) < SENTENCE_GATE:
                continue
            spans = sentences(doc.cue.text)
            if len(spans) >= 2:
                owner.extend((doc, s, e) for s, e in spans)
        if not owner:
            return
        probs, sev = self._read_apart(owner)
        critical = SEVERITY_NAMES.index("critical")
        for i, (doc, s, e) in enumerate(owner):
            view = doc.model
            if view is None or (view.sentence is not None and view.sentence[2] >= sev[i, critical]):
                continue
            start, end = doc.cue.to_original(s, e)
            concern_probs = {
                c: float(probs[i, j]) if concern_allowed(c, doc.mode) else 0.0
                for j, c in enumerate(self.concerns)
            }
            view.sentence = (start, end, float(sev[i, critical]), concern_probs)

    def _read_apart(self, parts: list[tuple[Doc, int, int]]) -> tuple[Matrix, Matrix]:
        """Concern and severity probabilities of each span ``(doc, start, end)`` of a doc's
        cue text, read on its own in the doc's mode."""
        vectors = self.encode_ids([self.piece_ids(d.cue.text[s:e]) for d, s, e in parts])
        return self.heads(vectors, [d.mode for d, _, _ in parts])

    def strongest_sentences(self, doc: Doc, concerns: list[str]) -> None:
        """For each of ``concerns``, the sentence of ``doc`` that read on its own reads most
        like it (``ModelView.strongest``): the part of a long post a practitioner should
        read first. Texts of one sentence have none (the whole text is that sentence)."""
        view = doc.model
        if view is None or not concerns:
            return
        spans = sentences(doc.cue.text)
        if len(spans) < 2:
            return
        probs, _ = self._read_apart([(doc, s, e) for s, e in spans])
        for concern in concerns:
            j = self.concerns.index(concern)
            best = int(np.argmax(probs[:, j]))
            start, end = doc.cue.to_original(*spans[best])
            view.strongest[concern] = (start, end, float(probs[best, j]))

    # -- explanations ----------------------------------------------------------------------

    def attribute(self, doc: Doc, concerns: list[str]) -> None:
        """Occlusion: for each concern, the words whose removal lowers its probability most."""
        view = doc.model
        if view is None or not concerns:
            return
        text = doc.cue.text  # the model reads what a reader reads ("k1ll" as "kill")
        pieces = self.tokenizer.tokenize(text)
        if len(pieces) > 2 * self.max_tokens:
            return  # long texts: the cue evidence and nearest examples explain; no occlusion
        found = [m.span() for m in _WORD.finditer(text)]
        # function words are not occluded: they seldom move the reading alone and are no
        # evidence a practitioner can use ("the", "you", "was"); negations are kept
        words = [
            (s, e) for s, e in found if text[s:e].lower().replace("’", "'") not in _FUNCTION
        ] or found
        if not words:
            return
        if len(words) > MAX_OCCLUDED:
            words = words[: MAX_OCCLUDED // 2] + words[MAX_OCCLUDED // 2 :: 2][: MAX_OCCLUDED // 2]
        # a text with one word fewer has its neighbours among the whole text's nearest
        sims = self.example_vectors @ view.vector
        among = np.argpartition(-sims, min(len(sims), NEAR_POOL) - 1)[:NEAR_POOL]
        columns = [self.concerns.index(c) for c in concerns]

        def without(groups: list[list[tuple[int, int]]]) -> Matrix:
            """The probabilities with each group of words left out in turn."""
            variants = [
                [p.id for p in pieces if not any(s <= p.start and p.end <= e for s, e in group)]
                for group in groups
            ]
            probs, _ = self.heads(self.encode_ids(variants), [doc.mode] * len(variants), among)
            return probs

        if len(words) > OCCLUDE_ONE_BY_ONE:
            # longer texts: runs of GROUP words first, then word by word inside the two
            # runs whose removal lowers each concern most (24 words: 14 model runs, not 24)
            runs = [words[i : i + GROUP] for i in range(0, len(words), GROUP)]
            drops = np.array([[view.probs[c] for c in concerns]]) - without(runs)[:, columns]
            keep = sorted(
                {int(k) for j in range(len(concerns)) for k in np.argsort(-drops[:, j])[:2]}
            )
            words = [w for k in keep for w in runs[k]]
        probs = without([[w] for w in words])
        for concern, j in zip(concerns, columns, strict=True):
            base = view.probs[concern]
            ranked = [(s, e, base - float(probs[k, j])) for k, (s, e) in enumerate(words)]
            ranked.sort(key=lambda d: -d[2])
            view.words[concern] = [
                (*doc.cue.to_original(s, e), drop) for s, e, drop in ranked[:3] if drop >= 0.02
            ]

    def nearest(self, vector: Matrix, concern: str, mode: str, k: int = 1) -> list[str]:
        """The ``k`` labelled training texts with ``concern`` closest in meaning."""
        keep = self._with.get((concern, mode))
        if keep is None or not len(keep):
            return []
        rows = self._rows_with.get((concern, mode))
        if rows is None:  # copied once: indexing the examples on every call cost 2 ms
            rows = self._rows_with[(concern, mode)] = self.example_vectors[keep]
        sims = rows @ vector
        best = np.argpartition(-sims, k - 1)[:k] if len(sims) > k else np.arange(len(sims))
        best = best[np.argsort(-sims[best])]
        return [self.example_texts[int(keep[int(i)])] for i in best]


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` the safety floor reads (trimmed; at least
    :data:`MIN_SENTENCE_WORDS` words; the first :data:`MAX_SENTENCES`)."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if len(text[s:e].split()) >= MIN_SENTENCE_WORDS:
            out.append((s, e))
    return out[:MAX_SENTENCES]


@lru_cache(maxsize=1)
def load_encoder() -> EncoderModel | None:
    """The shipped model, or ``None`` when its files are missing from this checkout."""
    folder = resources.files("safeside.models").joinpath("encoder")
    if not folder.joinpath("encoder.onnx").is_file():
        return None
    return EncoderModel(folder)


@dataclass(frozen=True, slots=True)
class EncoderOptions:
    """An organisation's operating points, per concern (probabilities 0-1).

    ``flag``: report the concern from this probability (lower = more sensitive);
    ``possible``: for safety concerns, report "possible, please read" from this one.
    Concerns not named keep the shipped thresholds (``models/encoder/meta.json``).
    """

    flag: dict[str, float] | None = None
    possible: dict[str, float] | None = None


class ConcernEncoder:
    """Puts the model's view (probabilities, severity) on the document; batch-aware."""

    name = "concerns.encoder"

    def __init__(self, model: EncoderModel, options: EncoderOptions | None = None) -> None:
        self.model = model
        self.thresholds = dict(model.thresholds)
        self.veto_share = model.veto_share
        self.possible_serious = model.possible_serious
        self.critical_floor = model.critical_floor
        self.sentence_floor = model.sentence_floor
        self.kept_cues = model.kept_cues
        options = options or EncoderOptions()
        for kind in ("flag", "possible"):
            for concern, value in (getattr(options, kind) or {}).items():
                if concern not in self.thresholds:
                    raise ConfigError(
                        f"concerns.encoder: {kind}: unknown concern {concern!r}"
                        f"{nearest(concern, self.thresholds)}"
                    )
                if not 0.0 < float(value) < 1.0:
                    raise ConfigError(
                        f"concerns.encoder: {kind}: {concern} must be between 0 and 1"
                    )
                old = self.thresholds[concern]
                self.thresholds[concern] = (
                    Thresholds(float(value), min(old.possible, float(value)))
                    if kind == "flag"
                    else Thresholds(old.flag, min(old.flag, float(value)))
                )

    def prepare(self, docs: list[Doc]) -> None:
        """Encode many documents at once (texts side by side: ``EncoderModel.encode_ids``)."""
        todo = [d for d in docs if d.model is None]
        if todo:
            for doc, view in zip(
                todo,
                self.model.view([d.cue.text for d in todo], [d.mode for d in todo]),
                strict=True,
            ):
                doc.model = view
                _mask(doc)

    def __call__(self, doc: Doc) -> None:
        if doc.model is None:
            doc.model = self.model.view([doc.cue.text], [doc.mode])[0]
            _mask(doc)


def _mask(doc: Doc) -> None:
    """A concern the mode does not allow has probability 0 (taxonomy)."""
    assert doc.model is not None
    for concern in doc.model.probs:
        if not concern_allowed(concern, doc.mode):
            doc.model.probs[concern] = 0.0


class _Missing:
    """Stands in when the model files are not in this checkout (the cues still run)."""

    name = "concerns.encoder"
    model = None

    def prepare(self, docs: list[Doc]) -> None:
        return None

    def __call__(self, doc: Doc) -> None:
        return None


@registry.register("concerns.encoder", options=EncoderOptions)
def _encoder(options: EncoderOptions) -> Detector:
    model = load_encoder()
    return ConcernEncoder(model, options) if model is not None else _Missing()
