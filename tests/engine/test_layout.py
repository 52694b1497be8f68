"""Chat-export and screenshot stamps are layout: no date is reported inside them."""

from __future__ import annotations

import safeside


def labels(text: str) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in safeside.analyze(text, "review").entities]


def test_whatsapp_export_stamps_are_not_dates_but_the_speakers_are_still_read() -> None:
    found = labels(
        "[03/11/2026, 21:14:07] Dan Pryce: you coming to Callum's tomorrow\n"
        "03/11/2026, 21:17 - Kez: ye after tea"
    )
    assert ("PERSON", "Dan Pryce") in found and ("PERSON", "Kez") in found
    assert ("DATE", "tomorrow") in found
    assert not any(text.startswith("03/11") for label, text in found if label == "DATE")


def test_screenshot_lines_with_only_a_day_and_a_time_are_layout() -> None:
    found = labels("Yesterday 21:14\nhey u ok\nSeen 10:02\nTue, 12 Mar at 08:30\nfine ta")
    assert not [t for label, t in found if label == "DATE"]


def test_a_date_written_inside_a_message_is_still_a_date() -> None:
    found = labels(
        "[03/11/2026, 21:15] Mo: hearing is on 12/03/2027 at 10:00\n12/03/2026 is when she moved"
    )
    assert ("DATE", "12/03/2027") in found and ("DATE", "12/03/2026") in found


def test_the_cues_and_the_model_read_the_messages_without_stamps_or_placeholders() -> None:
    from safeside.engine.doc import Doc

    text = "[14/02/2026, 18:02:11] Mum: home for tea?\n<Media omitted>\nThis message was deleted"
    cue = Doc.make(text, "review").cue.text
    assert len(cue) == len(text)  # offsets still point at the same characters
    assert cue.split() == ["mum:", "home", "for", "tea?"]


def test_a_hearing_date_on_a_line_of_its_own_is_not_layout() -> None:
    found = labels("Final hearing\n12/03/2027 10:00\nFriday 10:00 at Northdale")
    assert ("DATE", "12/03/2027") in found
    assert ("DATE", "Friday") in found
