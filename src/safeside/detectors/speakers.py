"""People named by the shape of a chat: speakers' labels and their names elsewhere.

A pasted chat or group transcript puts each speaker's name before a colon at the start
of a line ("kirsten: perfect tysm"). Written in lower case, such a name is invisible to
the tagger; read from the transcript's shape it is plain. In our writers' labelled texts
1,733 of 1,941 line-initial labels in texts with two or more of them are people; the
rest are pronouns ("me:", "him:"), family roles ("mum:"), the roles of a helpline or
office chat ("Adviser:", "Patient:", "Office:") and form fields, listed below.

A name without its apostrophe ("Maisies new pic") is read as the name when the word
less its "s" is a first name in the tagger's gazetteer and the word is not itself a name
(a surname such as "Roberts"), and not a frequent word at the start of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, NoOptions, registry

if TYPE_CHECKING:
    from safeside.ner.features import Lexicon

#: the time stamp a chat export puts before each speaker: WhatsApp's "[03/12/2026,
#: 08:10:21] " (iPhone) and "01/12/2026, 19:00 - " (Android), "[04-Dec-26 07:15 PM] ",
#: "[16:02] " (a bracket with a time in it; "[screenshot] " is no time stamp)
_STAMP = (
    r"(?:\[[^\]\n]{0,20}\d{1,2}[:.]\d{2}[^\]\n]{0,12}\][ \t]*"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4},?[ \t]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \t]?[AaPp][Mm])?"
    r"[ \t]+[-–][ \t]+)?"
)
#: a line that starts with a short label and a colon ("kirsten: ...", "Coach Ian: ..."),
#: after an export's time stamp where there is one
_LABEL = re.compile(
    r"(?m)^[ \t>*-]*" + _STAMP
    + r"(?P<name>[A-Za-z_][A-Za-z0-9_'’.-]{0,29}(?: [A-Z][A-Za-z'’-]{0,19})?)[ \t]*:(?=[ \t]|$)"
)  # fmt: skip
#: a label shaped like a username: an underscore, letters and digits, an inner dot, or
#: capitals inside a word ("lil_benji", "k1ng_ash", "faded.jay", "GrimLeaper")
_USERNAME_SHAPE = re.compile(r"_|[A-Za-z]\d|\d[A-Za-z]|[A-Za-z]\.[A-Za-z]|[a-z][A-Z]")
#: capitals inside a surname, not a username ("McKenzie", "MacLeod", "DeShawn")
_NAME_CAPITALS = re.compile(r"^(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|O'|O’|D'|D’)[A-Z]")
#: a made-up lower-case nickname: a letter three times or a doubled x or z at the end
#: ("ghosttt", "jaxx", "mollzz")
_NICKNAME_LETTERS = re.compile(r"(.)\1\1|([xz])\2$")
#: how a speaker's label is named in the explanation
_WHAT = {"HANDLE": "username", "PERSON": "name"}
#: labels that are not people: pronouns, family and other roles, form fields and headings
_NOT_PEOPLE_WORDS = """
    me you u us we they them him her his hers it someone somebody everyone everybody
    anyone all anon anonymous unknown nobody other others also
    mum mam mom mommy mummy ma mother dad da daddy father nan nana nanna nanny gran granny
    grandma grandad grandpa grandmother grandfather auntie aunty aunt uncle cousin
    brother bro sister sis son daughter wife husband partner bf gf ex baby bestie bff
    carer parent parents worker sw manager tl pa teacher coach doctor dr nurse gp police
    officer judge solicitor barrister social council school nursery team group chat gc
    admin mod moderator bot ai chatbot assistant user customer seller buyer host caller
    agent operator staff reception receptionist landlord tenant neighbour driver client
    advisor adviser advisers counsellor counselor therapist mentor tutor lecturer trainer
    patient office support helpline volunteer librarian student pupil child kid yp hr
    colleague producer presenter rider passenger dispatcher controller clerk caseworker
    member guest visitor resident applicant listener viewer gym shop store pharmacy
    name names age dob date time day venue place location address postcode phone mobile
    tel email e-mail subject to from cc bcc re fw fwd sent attachment attachments
    note notes nb ps pps update edit edited edits caption screenshot screenshots voicemail
    transcript reply replies message messages comment comments post posts story status bio
    title tags tag reason reasons outcome action actions plan risk risks summary background
    concern concerns response answer question q a pros cons tip tips warning tw cw spoiler
    fact facts step part chapter verse chorus hook intro outro bridge lyrics quote source
    morning afternoon evening night today tonight tomorrow yesterday week weekend
    monday tuesday wednesday thursday friday saturday sunday breakfast lunch dinner tea
    ingredients method price cost total result results score link links
    trend fyi lol omg btw imo tldr tl;dr rt
"""
_NOT_PEOPLE = frozenset(_NOT_PEOPLE_WORDS.split())
#: the most distinct speakers whose names are looked for elsewhere in the text
MAX_NAMES = 60
_NOT_FIRST = frozenset({"my", "our", "your", "ur", "his", "her", "their", "the", "a", "an", "also"})
#: a capitalised word ending in "s" with no apostrophe ("Maisies", "Ollies")
_BARE_POSSESSIVE = re.compile(r"(?<![\w'’])([A-Z][a-z]{2,})s\b")
#: what ends a sentence before a word (searched in a short window: no rescan of the text)
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n])\s*$")
_LOOK_BACK = 80


def _label_kind(label: str, lexicon: Lexicon) -> str | None:
    """``"HANDLE"``, ``"PERSON"`` or ``None`` (a role, a pronoun, a heading).

    In our writers' labelled chats every label shaped like a username is a handle (216
    of 216 in the training texts, 117 of 117 in the development sets); a lower-case
    label that is no word or name we know is a handle when long or made up ("kayzoid",
    "ghosttt": 11 of 13 such labels in training), and a person otherwise ("kez", "nia")."""
    word = label.lower()
    if " " not in label and _USERNAME_SHAPE.search(label) and not _NAME_CAPITALS.match(label):
        if word in lexicon.brands or word.rstrip("s") in _NOT_PEOPLE:
            return None
        return "HANDLE"
    if not _is_person_label(label):
        return None
    if (
        label.islower()
        and word not in lexicon.classes
        and word not in lexicon.common
        and (len(word) >= 7 or _NICKNAME_LETTERS.search(word))
    ):
        return "HANDLE"
    return "PERSON"


def _is_person_label(label: str) -> bool:
    words = label.lower().replace("’", "'").split()
    if words[0] in _NOT_FIRST or words[-1] in _NOT_PEOPLE or words[0] in _NOT_PEOPLE:
        return False
    if "'s" in label or "tier" in words or any(ch.isdigit() for ch in label):
        return False
    return len(words) == 1 or all(w[:1].isupper() for w in label.split())


class ChatSpeakers:
    """Adds PERSON for the speakers of a pasted chat and for their names elsewhere in it."""

    name = "people.speakers"

    def __init__(self, min_lines: int = 2) -> None:
        from safeside.ner import load_tagger

        self.min_lines = min_lines
        self._lexicon: Lexicon = load_tagger().lexicon

    def __call__(self, doc: Doc) -> None:
        view = doc.clean
        text = view.text
        if ":" not in text or "\n" not in text:
            return
        labels = list(_LABEL.finditer(text))
        if len(labels) < self.min_lines:
            return
        heads: set[int] = set()
        names: dict[str, str] = {}
        for m in labels:
            label = m.group("name")
            kind = _label_kind(label, self._lexicon)
            if kind is None:
                continue
            heads.add(m.start("name"))
            doc.add_entity(
                kind,
                view,
                m.start("name"),
                m.end("name"),
                0.85,
                self.name,
                f"the {_WHAT[kind]} of someone speaking in a chat ('{label}:')",
            )
            if " " not in label and len(label) >= 2:
                names[label.lower()] = kind
        if not names or len(names) > MAX_NAMES:
            return  # no chat has hundreds of speakers: a hostile text gets no giant pattern
        mention = re.compile(
            r"(?<![\w@#'’.])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
            + r")(?=(?:'s|’s|s)?\b)(?!\.\w)",
            re.IGNORECASE,
        )  # fmt: skip
        for m in mention.finditer(text):
            if m.start() in heads:
                continue
            kind = names[m.group(1).lower()]
            doc.add_entity(
                kind,
                view,
                m.start(1),
                m.end(1),
                0.8,
                self.name,
                f"the {_WHAT[kind]} of someone speaking in this chat ('{m.group(1)}')",
            )


class BarePossessive:
    """Adds PERSON for a first name written with a possessive "s" and no apostrophe."""

    name = "people.bare_possessive"

    def __init__(self) -> None:
        from safeside.ner import load_tagger

        self._lexicon: Lexicon = load_tagger().lexicon

    def __call__(self, doc: Doc) -> None:
        view = doc.clean
        text = view.text
        classes, common = self._lexicon.classes, self._lexicon.common
        for m in _BARE_POSSESSIVE.finditer(text):
            stem, word = m.group(1).lower(), m.group(0).lower()
            if classes.get(stem) != "first" or word in classes:
                continue
            start = m.start()
            if word in common and _SENTENCE_START.search(text, max(0, start - _LOOK_BACK), start):
                continue  # "Roses are red": a word of its own at the start of a sentence
            doc.add_entity(
                "PERSON",
                view,
                m.start(1),
                m.end(1),
                0.75,
                self.name,
                f"a first name with a possessive 's' and no apostrophe ('{m.group(0)}')",
            )


@dataclass(frozen=True, slots=True)
class SpeakerOptions:
    """``min_lines``: the fewest line-initial labels that make a text a chat transcript."""

    min_lines: int = 2


@registry.register("people.speakers", options=SpeakerOptions)
def _speakers(options: SpeakerOptions) -> Detector:
    return ChatSpeakers(min_lines=int(options.min_lines))


@registry.register("people.bare_possessive")
def _bare_possessive(options: NoOptions) -> Detector:
    return BarePossessive()
