"""Context rules that stop a cue from counting, read on the rule itself."""

from __future__ import annotations

from safeside.detectors.context import discussion


def test_a_safeguarding_review_quoting_warning_signs_is_professional_discussion() -> None:
    text = "the review into the death of child t found that warning signs were not escalated"
    assert discussion(text, 0, len(text)) is not None


def test_a_worried_parent_is_not_discussion() -> None:
    text = "my daughter keeps saying she won't be here much longer, i'm scared"
    assert discussion(text, 0, len(text)) is None


def test_a_skull_beside_a_wish_to_die_reads_as_hyperbole_but_not_beside_a_plan() -> None:
    import safeside

    def self_harm(text: str) -> bool:
        return "self_harm" in safeside.analyze(text, "review").concern_labels

    assert not self_harm(
        "the way I'd actually end my own life if my mum ever saw my search history 💀💀"
    )
    assert self_harm("im going to kill myself tonight i've got the tablets ready 💀")
    assert self_harm(
        "cant do this anymore. wrote letters for mum and my sister. tonight's the night 💀"
    )
    assert self_harm("i want to die 💀 not joking. i've been cutting again")
