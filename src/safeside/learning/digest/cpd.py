"""One step from a digest to a draft CPD record (Social Work England's CPD questions).

The draft fills in what the digest knows (what, when, with whom, the key points) and
leaves clearly marked prompts, in square brackets, for what only the practitioner can
write: what they learnt and the difference it makes. Reflections align to Social Work
England professional standard 4 (continuing professional development).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from safeside.uktime import UK

if TYPE_CHECKING:
    from safeside.learning.digest.model import Digest

ACTIVITY_TYPE = "Online discussion (peer learning)"
#: Social Work England professional standards a reflection on a discussion speaks to
#: (4.3 keep practice up to date, 4.4 subject knowledge, 4.6 reflect on learning and its
#: impact, 4.7 record learning and reflection); the practitioner can edit them.
STANDARDS = ("4.3", "4.4", "4.6", "4.7")
#: PCF domains a discussion usually develops.
PCF_DOMAINS = ("Knowledge", "Critical reflection and analysis")
_MAX_PEERS = 8


def _day(digest: Digest) -> date:
    start = digest.start
    return start.astimezone(UK).date() if start else date.today()


def _where(digest: Digest) -> str:
    return f"the #{digest.hashtag} chat" if digest.hashtag else "an online discussion"


def cpd_draft(digest: Digest) -> dict[str, Any]:
    """The draft record: a dict the CPD pages and ``safeside digest --cpd-draft`` use."""
    day = _day(digest)
    peers = [p.handle for p in digest.participants if not p.handle.startswith("(")]
    topics = "; ".join(c.label for c in digest.clusters[:5] if c.terms)
    description = (
        f"Took part in {_where(digest)} on {day:%-d %B %Y}: {len(digest.posts)} posts from "
        f"{len(digest.participants)} participants"
        + (f", on {topics}" if topics else "")
        + ". [Why is this relevant to your practice?]"
    )
    points = "\n".join(f"- {sentence.text}" for sentence in digest.summary)
    learning = (
        f"Key points from the discussion:\n{points}\n\n" if points else ""
    ) + "[What did you learn? Write it in your own words.]"
    shown = ", ".join(peers[:_MAX_PEERS]) + (" and others" if len(peers) > _MAX_PEERS else "")
    return {
        "activity_type": ACTIVITY_TYPE,
        "title": digest.title,
        "activity_date": day.isoformat(),
        "description": description,
        "learning": learning,
        "impact": "[How will this change your practice, and what difference will it make "
        "to the people you work with?]",
        "peer_reflection_with": f"Participants in {_where(digest)}: {shown}"
        if shown
        else "[Who did you discuss this with?]",
        "standards": list(STANDARDS),
        "pcf_domains": list(PCF_DOMAINS),
        "source_kind": "digest",
        "source_ref": digest.ref,
    }
