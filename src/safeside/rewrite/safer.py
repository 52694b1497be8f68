"""Build a safer version of a practitioner's post.

Identifying details are generalised ("Kayden (7)" → "a child", "Fernbank Primary" →
"a local school") or removed (phone numbers, references); each edit is listed with the
reason, so the practitioner can see and undo it. Concerns that a rewrite cannot fix
(venting, threats, distress) get advice instead.
"""

from __future__ import annotations

import re

from safeside.engine.results import Analysis, Change, Entity, Rewrite

#: What each label becomes when generalised. ``""`` removes the span.
GENERALISE = {
    "PERSON": "someone",
    "CHILD_REF": "a child",
    "AGE": "",
    "DATE": "recently",
    "SCHOOL": "a local school",
    "LOCATION": "a local place",
    "ADDRESS": "an address",
    "PHONE": "[number removed]",
    "EMAIL": "[e-mail removed]",
    "HANDLE": "[account removed]",
    "CASE_REF": "[reference removed]",
    "GOV_ID": "[ID number removed]",
    "ORG": "",
    "HEALTH": "a health need",
}
_OWN_FAMILY = re.compile(r"^(?:my|our)\b", re.I)
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.I)

ADVICE = {
    "confidentiality": "Even with names removed, a case story can be recognised by the family or their "
    "community. Ask yourself whether you need to post it at all.",
    "unprofessional": "A rewrite cannot make venting safe to post. Take concerns about colleagues, "
    "families or your employer to supervision instead.",
    "self_exposure": "Check your privacy settings and who can see your friends list and photos.",
    "threat": "If you have been threatened, tell your manager rather than posting about it publicly.",
    "harassment": "Do not respond publicly to abuse; record it and tell your manager.",
    "self_harm": "It sounds like things are really hard. Please talk to someone you trust today; "
    "you can call Samaritans free on 116 123, any time.",
}


def _replacement(entity: Entity, concerns: set[str]) -> str | None:
    """What to put in place of ``entity``, or ``None`` to leave it."""
    if entity.label == "CHILD_REF" and _OWN_FAMILY.match(entity.text):
        return None  # your own family: the rewrite keeps it, the advice covers it
    if entity.label == "ORG" and "confidentiality" not in concerns:
        return None
    if entity.label == "DATE" and concerns <= {"self_exposure"}:
        return "" if re.search(r"\d", entity.text) else None
    if (
        entity.label == "PERSON"
        and "self_exposure" in concerns
        and "confidentiality" not in concerns
    ):
        return None
    return GENERALISE.get(entity.label)


def safer_rewrite(analysis: Analysis) -> Rewrite:
    """A safer version of ``analysis.text`` and the edits that made it."""
    text = analysis.text
    concerns = {c.label for c in analysis.concerns}
    changes: list[Change] = []
    out: list[str] = []
    pos = 0
    if concerns & {"confidentiality", "self_exposure"}:
        for ent in sorted(analysis.entities, key=lambda e: e.start):
            rep = _replacement(ent, concerns)
            if rep is None or ent.start < pos:
                continue
            start, end = ent.start, ent.end
            if rep == "" and start > 0 and text[start - 1] == "(" and text[end : end + 1] == ")":
                start, end = start - 1, end + 1
            if rep == "":
                while start > pos and text[start - 1] == " ":
                    start -= 1
            article = _ARTICLE_BEFORE.search(text, pos, start)
            if rep and rep.split(" ", 1)[0].lower() in ("a", "an", "the", "someone") and article:
                start = article.start()
            if rep and _sentence_start(text, start):
                rep = rep[0].upper() + rep[1:]
            out.append(text[pos:start])
            out.append(rep)
            changes.append(Change(ent.start, ent.end, ent.text, rep,
                                  f"{'removed' if not rep else 'generalised'} {ent.label.lower()}"))  # fmt: skip
            pos = end
    out.append(text[pos:])
    rewritten = re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()
    advice = [ADVICE[c] for c in sorted(concerns) if c in ADVICE]
    return Rewrite(rewritten, changes, advice)


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?\n"
