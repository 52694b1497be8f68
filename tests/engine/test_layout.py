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


def test_sms_backup_and_messenger_stamps_are_layout() -> None:
    found = labels(
        "2026-12-03 08:45 | Holmwick Academy: Kai was absent today\n"
        "2026-11-28 19:02:11 From 07700 900123: see u 2moro\n"
        "06/12/2026 16:02 Jess Wooding: ok new rule\n"
        "Jo-Anne Price (05/12/2026 11:00): does anyone know a solicitor\n"
        "Dec 5, 2026, 9:40 PM\nstill on for tonight"
    )
    dates = [t for label, t in found if label == "DATE"]
    assert dates == ["today", "2moro", "tonight"]
    assert ("PERSON", "Jess Wooding") in found and ("PERSON", "Jo-Anne Price") in found


def test_a_date_and_time_before_words_that_name_no_sender_is_still_a_date() -> None:
    assert ("DATE", "12/03/2027") in labels("12/03/2027 10:00 Hearing at Brackenford: be there")


def test_a_screenshots_counts_and_a_groups_member_count_are_layout() -> None:
    found = labels("so proud of this one\n❤️ 88    12 comments\n💬 14\nView all 64 comments")
    assert not [t for label, t in found if label == "AGE"]
    found = labels("Class 4 Parents (31)\n[03/12/2026, 19:10:05] Lou: who has the list")
    assert ("PERSON", "Lou") in found and ("AGE", "31") not in found


def test_a_count_inside_a_message_is_read_as_written() -> None:
    assert ("AGE", "14") in labels("600 shares and she is 14")
