"""Context rules that stop a cue from counting, read on the rule itself."""

from __future__ import annotations

from safeside.detectors.context import discussion


def test_a_safeguarding_review_quoting_warning_signs_is_professional_discussion() -> None:
    text = "the review into the death of child t found that warning signs were not escalated"
    assert discussion(text, 0, len(text)) is not None


def test_a_worried_parent_is_not_discussion() -> None:
    text = "my daughter keeps saying she won't be here much longer, i'm scared"
    assert discussion(text, 0, len(text)) is None
