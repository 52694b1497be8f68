"""The layout mask: chat-export stamps and screenshot lines are not identifiers.

The stamps themselves are defined in :mod:`safeside.text.layout` (the cue view blanks
them too). The mask marks them (label ``_LAYOUT``, never reported) so that no date is
read inside them; the speaker's name after a stamp is still read.
"""

from __future__ import annotations

from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry
from safeside.text.layout import LAYOUT


class LayoutMask:
    """Marks the stamps of chat exports and screenshots (``_LAYOUT``, never reported)."""

    name = "layout.chat_stamps"

    def __call__(self, doc: Doc) -> None:
        for m in LAYOUT.finditer(doc.clean.text):
            doc.add_entity("_LAYOUT", doc.clean, m.start(), m.end(), 0.5, self.name, "chat stamp")


@registry.register("layout.chat_stamps")
def _layout_mask(options: object) -> Detector:
    return LayoutMask()
