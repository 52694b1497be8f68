"""The people a worker's own post names by its shape: the author in a profile header, and
the speakers of a pasted chat. Neither alone is somebody the worker supports."""

from __future__ import annotations

import safeside


def concerns(text: str, mode: str = "own") -> list[str]:
    return safeside.analyze(text, mode=mode).concern_labels


def test_students_chat_export_names_its_speakers_not_a_family() -> None:
    chat = (
        "02/12/2026, 22:00 - Tom Achebe: whos got the notes on section 20 vs section 31\n"
        "02/12/2026, 22:02 - Ayesha: <Media omitted>\n"
        "02/12/2026, 22:03 - Tom Achebe: ur a lifesaver. would literally have died in that exam"
    )
    assert "confidentiality" not in concerns(chat)


def test_a_speaker_still_counts_with_the_details_the_messages_give() -> None:
    chat = (
        "Kerry Dunn: I'm not letting you in, social services ruined my life\n"
        "me: I need to see Jayden, he's 6 and at Oakfield Primary on Mill Lane"
    )
    assert "confidentiality" in concerns(chat)


def test_the_author_in_a_profile_header_is_not_a_service_user() -> None:
    post = (
        "Lauren Obi · Student Social Worker\n"
        "Passed my first placement! Huge thanks to my practice educator and everyone at "
        "Skelbrook Family Hub 🙏\n👏 145    l6 comments"  # "16" as text recognition read it
    )
    assert "confidentiality" not in concerns(post)


def test_a_name_that_opens_a_story_about_a_child_still_counts() -> None:
    post = (
        "Kayden, 7, from the Marsh estate.\n"
        "Third placement move this year and his mum's rehab ends Friday. We failed him."
    )
    assert "confidentiality" in concerns(post)


def test_a_speaker_shaped_name_in_review_mode_is_not_changed() -> None:
    text = "Tom Achebe: my case number is BF25C00412 and the hearing is Friday\nme: ok"
    result = safeside.analyze(text, mode="review")
    assert any(e.text == "Tom Achebe" and e.label == "PERSON" for e in result.entities)
