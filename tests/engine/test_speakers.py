"""People named by a chat's shape: speakers' labels, their names elsewhere, bare possessives."""

from __future__ import annotations

import pytest

import safeside


def people(text: str, mode: str = "review") -> list[str]:
    return [e.text for e in safeside.analyze(text, mode=mode).entities if e.label == "PERSON"]


def test_lower_case_speakers_and_their_mentions_are_people() -> None:
    chat = "kirsten: can u cover my shift\nrio: maybe, ask ayaan\nayaan: cant sorry kirsten"
    assert people(chat) == ["kirsten", "rio", "ayaan", "ayaan", "kirsten"]


@pytest.mark.parametrize(
    "chat",
    [
        "[03/12/2026, 08:10:21] june: awful\n[03/12/2026, 08:12:05] ray: ill ring her",
        "01/12/2026, 19:00 - june: new system is down\n01/12/2026, 19:01 - ray: again??",
        "[04-Dec-26 07:15 PM] june: poll time\n[04-Dec-26 07:16 PM] ray: done",
        "[16:02] june: who's bringing cake\n[16:03] ray: me",
    ],
)
def test_speakers_after_a_chat_exports_time_stamps_are_people(chat: str) -> None:
    """WhatsApp (iPhone and Android) and other exports put a time stamp before each
    speaker; "june" is a name there, not a month."""
    assert people(chat)[:2] == ["june", "ray"]


def test_a_bracketed_heading_is_no_time_stamp() -> None:
    assert people("[screenshot] me: u up?\n[screenshot] him: yeah") == []


def test_a_possessive_mention_keeps_the_s_outside_the_name() -> None:
    chat = "lola: rate maisies new pic\nmaisie: stop it"
    assert people(chat) == ["lola", "maisie", "maisie"]
    assert "maisies" not in [p.lower() for p in people(chat)]


@pytest.mark.parametrize(
    "text",
    [
        "me: u up?\nhim: yeah\nme: ok",
        "Name: see below\nAge: fourteen\nSchool: none this year",
        "Subject: complaint\nTo: the team manager\nRe: my son's case",
        "Q: what time is contact\nA: after school",
        "mum: where are you\ndad: on my way",
        "Update: found the charger\nEdit: it was in the car",
        "Parent: how do I top up dinner money\nOffice: Via the app, or cash",
        "Patient: can I get a sick note\nReceptionist: The GP will call you after 2",
        "YP: he keeps messaging me\nCounsellor: That sounds frightening",
        "User: my bill is wrong\nAdviser: I can look at that now",
    ],
)
def test_pronouns_roles_and_form_fields_are_not_speakers(text: str) -> None:
    found = [
        e for e in safeside.analyze(text, mode="review").entities if e.detector == "people.speakers"
    ]
    assert found == []


def test_one_labelled_line_is_not_a_chat() -> None:
    text = "reminder: bins go out tonight"
    assert all(e.detector != "people.speakers" for e in safeside.analyze(text).entities)


def test_speakers_explain_what_was_read() -> None:
    analysis = safeside.analyze("jas: hiya\ntee: hey jas", mode="review")
    reasons = [e.explanation for e in analysis.entities if e.text == "jas"]
    assert reasons == [
        "the name of someone speaking in a chat ('jas:')",
        "the name of someone speaking in this chat ('jas')",
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("a pigeon ate Maisies crust at lunch", "Maisie"),
        ("his big cousin is Jaydens mate", "Jayden"),
    ],
)
def test_a_first_name_with_a_bare_possessive_is_a_person(text: str, name: str) -> None:
    assert name in people(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mr Roberts came to the meeting",  # a surname in its own right
        "Roses are red, violets are blue",  # a word at the start of a sentence
    ],
)
def test_bare_possessive_leaves_surnames_and_sentence_starts(text: str) -> None:
    found = [e for e in safeside.analyze(text).entities if e.detector == "people.bare_possessive"]
    assert found == []


def test_a_transcript_of_hundreds_of_speakers_labels_them_but_looks_for_no_mentions() -> None:
    from safeside.detectors.speakers import MAX_NAMES

    names = [f"n{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}" for i in range(MAX_NAMES + 1)]
    text = "\n".join(f"{name}: hi {names[0]}" for name in names)
    found = [
        e for e in safeside.analyze(text, mode="review").entities if e.detector == "people.speakers"
    ]
    assert [e.text for e in found] == names  # each label, no mention: no giant pattern built


def test_a_role_label_is_not_found_again_as_a_name() -> None:
    chat = "Oakridge Academy office chat\nParent: is the trip still on?\nOffice: Yes, all indoors"
    assert people(chat) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Mr Okoro's retirement card", ["Mr Okoro"]),
        ("Mrs O'Neil's dog and Dr D'Souza", ["Mrs O'Neil", "Dr D'Souza"]),
        ("ask Mr Smith-Jones today", ["Mr Smith-Jones"]),
    ],
)
def test_a_titled_name_keeps_its_apostrophe_but_not_a_possessive(
    text: str, names: list[str]
) -> None:
    assert people(text) == names


def test_speakers_with_usernames_are_handles_and_so_are_their_mentions() -> None:
    text = "xX_Rook_Xx: lol ollie_b cried again\nkayzoid: already clipped\nollie_b: take it down"
    found = [(e.label, e.text) for e in safeside.analyze(text, mode="review").entities]
    assert found == [
        ("HANDLE", "xX_Rook_Xx"),
        ("HANDLE", "ollie_b"),
        ("HANDLE", "kayzoid"),
        ("HANDLE", "ollie_b"),
    ]


def test_a_short_lower_case_speaker_name_stays_a_person() -> None:
    text = "kez: u coming\nnia: yeah after tea\nkez: sound"
    found = {(e.label, e.text) for e in safeside.analyze(text, mode="review").entities}
    assert found == {("PERSON", "kez"), ("PERSON", "nia")}
