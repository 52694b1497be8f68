"""Text handling: normalisation against evasion, with offsets mapped back to the original."""

from safeside.text.normalize import TextView, clean_view, cue_view

__all__ = ["TextView", "clean_view", "cue_view"]
