"""The one suggested step for a risky post: delete it, edit it, restrict who sees it, or refer it."""

from __future__ import annotations

from safeside.engine.results import Analysis
from safeside.taxonomy import Severity

#: Concerns where the post itself is the harm, so it should come down.
_DELETE = frozenset({"confidentiality", "threat", "harassment"})
#: Own-mode concerns about the practitioner's own safety: fewer eyes fix most of it.
_RESTRICT = frozenset({"self_exposure"})

STEPS: dict[str, str] = {
    "delete": "Delete this post",
    "edit": "Edit this post",
    "restrict": "Restrict who can see this post",
    "refer": "Record it and tell your manager or safeguarding lead",
    "urgent": "Act now: follow your safeguarding procedure today",
}


def suggested_step(analysis: Analysis, audience: str | None = None) -> str:
    """The step id (a key of :data:`STEPS`) for one analysed post.

    Own mode: delete what breaches confidentiality or could harm someone, restrict the
    audience of posts that expose the writer's own safety details (unless already
    private), and edit the rest. Review mode: refer, or act now when critical.
    """
    labels = set(analysis.concern_labels)
    if analysis.mode == "review":
        return "urgent" if analysis.severity >= Severity.CRITICAL else "refer"
    if "self_harm" in labels and analysis.severity >= Severity.HIGH:
        return "urgent"
    if labels & _DELETE or analysis.severity >= Severity.HIGH:
        return "delete"
    if labels & _RESTRICT and audience not in ("direct", "followers", "connections", "chat"):
        return "restrict"
    return "edit"
