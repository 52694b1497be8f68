"""The layout of pasted chats and screenshots: stamps that say when a message was sent.

A chat export puts a date and time before every message ("[03/11/2026, 21:14:07] Dan:",
"03/11/2026, 21:17 - Kez:"); a screenshot read by text recognition keeps the app's own
lines ("Yesterday 21:14", "Seen 10:02"). They are the export's layout, not something the
writer said: a practitioner redacting a post needs the dates written *in* the messages,
not one per line of the log. The mask marks them (label ``_LAYOUT``, never reported) so
that no date is read inside them; the speaker's name after the stamp is still read.
"""

from __future__ import annotations

import re

from safeside.engine.doc import Doc
from safeside.engine.registry import Detector, registry

_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_DAY = (
    r"(?:Today|Yesterday|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*,?"
    r"(?: \d{1,2}(?: [A-Z][a-z]{2,8})?)?)"
)
#: a stamp at the start of a line: "[03/11/2026, 21:14:07]", "03/11/2026, 21:17 - ",
#: "[2026-03-12 21:14]", or a line that is only a date or day and a time
#: ("Yesterday 21:14", "Tue, 12 Mar at 21:14"), or a read receipt ("Seen 10:02")
LAYOUT = re.compile(
    rf"(?m)^[ \t]*(?:"
    rf"\[(?:{_DATE}),?[ T]{_TIME}\]"
    rf"|(?:{_DATE}),? {_TIME} [-–] (?=\S)"
    rf"|(?:(?:{_DATE}),?|{_DAY}(?: at)?) {_TIME}[ \t]*$"
    rf"|(?:Seen|Read|Delivered|Sent)(?: at)? {_TIME}[ \t]*$"
    rf")"
)


class LayoutMask:
    """Marks the stamps of chat exports and screenshots (``_LAYOUT``, never reported)."""

    name = "layout.chat_stamps"

    def __call__(self, doc: Doc) -> None:
        text = doc.clean.text
        if ":" not in text and "." not in text:
            return
        for m in LAYOUT.finditer(text):
            doc.add_entity("_LAYOUT", doc.clean, m.start(), m.end(), 0.5, self.name, "chat stamp")


@registry.register("layout.chat_stamps")
def _layout_mask(options: object) -> Detector:
    return LayoutMask()
