"""Regenerate docs/detectors.md from the detector registry and the cue files.

Run: .venv/bin/python scripts/gen_detector_docs.py > docs/detectors.md
(tests/engine/test_docs.py fails when the committed page is out of date).
"""

from __future__ import annotations

import safeside.detectors  # noqa: F401  (registers the built-in detectors)
from safeside.detectors.concerns import builtin_cues
from safeside.detectors.patterns import PatternRecognizer
from safeside.engine.registry import registry
from safeside.taxonomy import CONCERN_TITLES, CONCERNS

HEADER = """# Detector catalogue

Every detector is a small component registered by name in
`safeside.engine.registry` (in the spirit of Presidio's recognizers). The default
pipeline (`src/safeside/config/default.yaml`) runs them in order over one document; an
organisation can disable any of them or add its own patterns and terms
([configuration](configuration.md)).

Entity detectors read the *clean* view of the text (invisible characters removed,
look-alike letters folded); concern cues read the *cue* view (also lower-cased, leetspeak
undone, stretched letters shortened). Offsets always map back to the original text.
Where spans overlap, checked identifiers (phone, e-mail, ID and case numbers, handles,
addresses, postcodes) win over phrase patterns, which win over the statistical tagger.

## Evasion

Both views undo common disguises before any detector runs (`src/safeside/text/`), and keep
every character mapped to its original offsets, so evidence is shown on the text as written:

- invisible characters (zero-width spaces and joiners, soft hyphens, bidi controls) are
  removed, and text reversed with a right-to-left override (U+202E) is put back into
  reading order;
- full-width, mathematical and enclosed letters fold by NFKC; look-alike letters of other
  scripts (Cyrillic "а", Greek "ο", small capitals "ᴋ") fold to Latin from the Unicode
  UTS #39 confusables table (`text/data/confusables.tsv`), inside words that are Latin or
  wholly look-alikes, so Greek or Russian words stay as written;
- in the cue view: a run of spaces between words kept as one, and a tab or no-break space
  read as a space ("i  will   kill"); emoji inside a known word ("ki🔪ll"); three or more
  spaced, dotted, dashed or underscored single letters ("k i l l y o u", "k.i.l.l")
  re-split into known words; leetspeak ("k!ll", "y0u", "$uicide", "h4ng") only inside tokens that mix letters
  with look-alike digits and symbols; letters stretched three or more times ("kiiiill",
  "sooo") shortened to the known word. Known words come from `text/data/words.txt`.

Times, prices, phone numbers, postcodes, case references and abbreviations ("10.30",
"07700 900123", "B4", "5pm", "SW1A", "U.K.", "e.g.") are left alone. The evasion and
false-alarm tables are in `tests/engine/test_evasion.py`.

## Entity detectors

| name | label | what it finds |
|---|---|---|"""

CONCERN_SECTION = """
## Concern detectors

| name | what it does |
|---|---|
| `concerns.cues` | phrase cues per concern from `src/safeside/detectors/cues/<concern>.yaml`, with context rules (negation, jokes and hyperbole, professional discussion, counter-speech, harmless objects) |
| `concerns.encoder` | the contextual model (engine v2, [model card](models/encoder.md)): a fine-tuned MiniLM sentence encoder (int8 ONNX) reads what the whole post means; it can raise a concern with no keyword, reports the lower band of a safety concern as *possible*, and vetoes a cue the post as a whole does not mean (`detectors/arbiter.py`); its evidence is the words whose removal changes its decision most. It reads the cue view (disguises undone, meaningful emoji as words), and its safety floor also reads single sentences, so a farewell inside a cheerful post is raised with that sentence as the evidence |
| `concerns.classifier` | the previous bag-of-words classifier ([model card](models/concerns.md)); not in the default pipeline since engine v2, kept for organisations that pinned it |

Cue kinds: **evidence** counts on its own; **context** supports but never raises a concern
alone (talk of court, work with a family); **escalate** raises severity when the concern is
already found (a time, place or weapon attached to a threat). How cues combine into a
concern, and the identification rules for confidentiality, proceedings disclosure and
self-exposure, are in `src/safeside/engine/aggregate.py` and
[architecture](architecture.md).

### Cues by concern"""

SPECIAL = {
    "names.model": (
        "PERSON, LOCATION, ORG, SCHOOL",
        "our small statistical tagger, trained on public social-media NER data and our "
        "writers' labelled texts; it reads each line on its own ([model card](models/ner.md))",
    ),
    "names.ages": (
        "AGE",
        "the same kind of tagger trained on our writers' texts for ages the phrase patterns "
        'miss ("ur 15", "U12s", "pregnant at 16"); a pattern\'s span wins where both '
        "fire ([model card](models/ner.md))",
    ),
    "people.speakers": (
        "PERSON",
        "in a pasted chat (two or more lines that start 'name:'), each speaker's label and "
        "the same name elsewhere in the chat, in any case ('kirsten: ...', 'ty kirsten'); "
        "pronouns, family roles and form fields ('me:', 'mum:', 'Subject:') are not "
        "speakers. Option `min_lines` (2)",
    ),
    "people.bare_possessive": (
        "PERSON",
        "a first name of the tagger's gazetteer written with a possessive 's' and no "
        "apostrophe ('Maisies new pic' → Maisie); not a surname in its own right "
        "('Roberts'), nor a frequent word that starts a sentence",
    ),
    "identifiers.url_mask": (
        "(internal)",
        "marks web links so words inside them are not read as names; never reported",
    ),
    "layout.chat_stamps": (
        "(internal)",
        "marks the date-and-time stamps of chat exports and screenshots ('[03/11/2026, "
        "21:14] Dan:', 'Yesterday 21:14', 'Seen 10:02') so no date is read inside them; "
        "never reported",
    ),
}


def render() -> str:
    lines = [HEADER]
    for name in registry.names():
        if name.startswith("concerns."):
            continue
        if name in SPECIAL:
            label, what = SPECIAL[name]
            lines.append(f"| `{name}` | {label} | {what} |")
            continue
        detector = registry.create(name, {})
        if not isinstance(detector, PatternRecognizer):
            raise SystemExit(f"{name}: not a pattern; describe it in SPECIAL")
        lines.append(f"| `{name}` | {detector.label} | {detector.explanation} |")
    lines.append(CONCERN_SECTION)
    cues = builtin_cues()
    for concern in CONCERNS:
        lines.append(f"\n**{concern}** — {CONCERN_TITLES[concern]}\n")
        for cue in cues:
            if cue.concern == concern:
                ctx = f" (cancelled by: {', '.join(cue.context)})" if cue.context else ""
                lines.append(
                    f"- `{cue.id}` ({cue.kind}, weight {cue.weight}, {cue.severity.label}): "
                    f"{cue.explain}{ctx}"
                )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
