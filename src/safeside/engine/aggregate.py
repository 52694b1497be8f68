"""Turn detector signals and entities into concerns, each with a confidence, a severity,
evidence spans and an explanation a practitioner can check.

Most concerns combine their evidence by noisy-OR (several weak cues together can be
enough; a context cue alone never is). Three concerns are about *identification* rather
than wording, so they also need the right entities: confidentiality (work context plus
identifiers), proceedings disclosure (court context plus an identifiable child) and
self-exposure (your own family or home plus a place, school or routine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from safeside.engine.doc import Doc, Signal
from safeside.engine.results import Concern, Entity, Evidence
from safeside.taxonomy import CONCERN_TITLES, CONCERNS, Severity, concern_allowed
from safeside.text.layout import LAYOUT

THRESHOLD = 0.5

STRONG_IDS = frozenset(
    {"PERSON", "SCHOOL", "ADDRESS", "CASE_REF", "GOV_ID", "HANDLE", "PHONE", "LOCATION"}
)
QUASI_IDS = frozenset({"AGE", "CHILD_REF", "HEALTH", "DATE", "EMAIL"})
PERSON_POINTING = frozenset(
    {"PERSON", "CHILD_REF", "AGE", "HEALTH", "CASE_REF", "GOV_ID", "ADDRESS", "HANDLE", "PHONE"}
)
_OWN_FAMILY = re.compile(r"^(?:my|our|me)\b(?!.*\b(?:mine|case|client|young person|yp)\b)", re.I)
_REPORTED = re.compile(
    r"\b(?:told (?:me|us|her|him|my)|tells (?:me|us)|said (?:he|she|they)(?:'d| would| will|'ll)|"
    r"threatened|was threatening|he'd|she'd|apparently|(?:he|she) says (?:he|she)(?:'ll|'d))\b",
    re.I,
)


def noisy_or(weights: Iterable[float]) -> float:
    p = 1.0
    for w in weights:
        p *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - p


#: Weight of a statistical-model signal below its own threshold: it supports cue evidence.
MODEL_SUPPORT_WEIGHT = 0.3


def _by_kind(signals: list[Signal], kind: str) -> list[Signal]:
    if kind == "evidence":
        return [s for s in signals if s.kind in ("evidence", "model")]
    if kind == "context":
        return [_as_support(s) if s.kind == "model_support" else s
                for s in signals if s.kind in ("context", "model_support")]  # fmt: skip
    return [s for s in signals if s.kind == kind]


def _as_support(s: Signal) -> Signal:
    return Signal(s.concern, MODEL_SUPPORT_WEIGHT, s.severity, s.start, s.end, s.cue,
                  s.explanation, s.detector, "context")  # fmt: skip


def _model(signals: list[Signal]) -> list[Signal]:
    return [s for s in signals if s.kind in ("model", "model_support")]


def _best_per_cue(signals: list[Signal]) -> list[Signal]:
    """Count each cue once at full weight, repeats at half weight (repetition is weaker evidence)."""
    seen: dict[str, int] = {}
    out = []
    for s in sorted(signals, key=lambda s: -s.weight):
        n = seen.get(s.cue, 0)
        seen[s.cue] = n + 1
        if n == 0:
            out.append(s)
        elif n < 3:
            # A model's probability is one number shown at each of its strongest words:
            # the words stay as evidence spans but the probability counts once.
            weight = 0.0 if s.cue.endswith(".model") else s.weight * 0.5
            out.append(Signal(s.concern, weight, s.severity, s.start, s.end, s.cue,
                              s.explanation, s.detector, s.kind))  # fmt: skip
    return out


def _model_once(signals: list[Signal]) -> list[Signal]:
    """Supporting signals with a model's probability kept once, not once per word."""
    seen: set[str] = set()
    out = []
    for s in signals:
        if s.cue.endswith(".model"):
            if s.cue in seen:
                continue
            seen.add(s.cue)
        out.append(s)
    return out


def _max_severity(signals: list[Signal], floor: float = 0.3) -> Severity:
    strong = [s.severity for s in signals if s.weight >= floor]
    if strong:
        return max(strong)
    return min(max((s.severity for s in signals), default=Severity.LOW), Severity.MEDIUM)


def _make(label: str, score: float, severity: Severity, signals: list[Signal],
          entities: list[Entity], why: str, text: str) -> Concern:  # fmt: skip
    evidence = [Evidence(s.start, s.end, text[s.start : s.end], s.explanation)
                for s in sorted(signals, key=lambda s: s.start)]  # fmt: skip
    evidence += [Evidence(e.start, e.end, e.text, f"identifies: {e.label.lower()} ({e.explanation})")
                 for e in entities]  # fmt: skip
    evidence.sort(key=lambda ev: (ev.start, ev.end))
    detectors = sorted({s.detector for s in signals} | {e.detector for e in entities})
    return Concern(label, round(min(score, 0.99), 3), severity, _dedupe(evidence), why, detectors)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for ev in evidence:
        if out and ev.start == out[-1].start and ev.end == out[-1].end:
            continue
        out.append(ev)
    return out


def _explain(label: str, signals: list[Signal], extra: str = "") -> str:
    reasons = []
    for s in sorted(signals, key=lambda s: -s.weight):
        if s.explanation and s.explanation not in reasons:
            reasons.append(s.explanation)
    because = "; ".join(reasons[:4])
    sentence = f"{CONCERN_TITLES[label]}: {because}" if because else CONCERN_TITLES[label]
    return f"{sentence}. {extra}".strip() if extra else f"{sentence}."


# --- concern rules -----------------------------------------------------------------------------

Rule = Callable[[Doc, list[Signal]], Concern | None]


_RELATIONSHIP_CUES = {
    "contact_breach.real_parent", "contact_breach.not_allowed", "contact_breach.found_you",
    "contact_breach.knows_placement", "contact_breach.relative_contact",
    "contact_breach.not_allowed_broad", "contact_breach.secret_contact",
    "contact_breach.search_appeal", "contact_breach.relayed_contact",
    "contact_breach.followed_child", "contact_breach.child_reports_contact",
    "contact_breach.will_find_you", "contact_breach.defies_order",
    "contact_breach.visits_child_place",
}  # fmt: skip


def _generic(label: str) -> Rule:
    def rule(doc: Doc, signals: list[Signal]) -> Concern | None:
        evidence = _best_per_cue(_by_kind(signals, "evidence"))
        if not evidence:
            return None
        support = _model_once(_by_kind(signals, "context"))
        score = noisy_or(s.weight for s in evidence + support)
        if score < THRESHOLD:
            return None
        if doc.mode == "own" and label == "harassment" and score < 0.7:
            return None  # in your own posts, only clear abuse of a person counts here
        if (
            label == "grooming"
            and len({s.cue for s in evidence}) < 2
            and not (
                {s.cue for s in evidence}
                & {
                    "grooming.sexual",
                    "grooming.mature",
                    "grooming.sextortion",
                    "grooming.private_from_oversight",
                }
            )
        ):
            return None  # one grooming sign alone (a pet name, 'dm me') is too weak
        if label == "contact_breach" and not ({s.cue for s in signals} & (_RELATIONSHIP_CUES | {
            "contact_breach.child_addressed", "contact_breach.hide_from_carers"})):  # fmt: skip
            return None
        severity = _max_severity(evidence)
        escalators = {s.cue for s in _by_kind(signals, "escalate")}
        severity = _escalate(label, severity, evidence, escalators, doc.cue.text)
        if label == "threat" and _REPORTED.search(doc.text) and severity < Severity.CRITICAL:
            severity = min(severity, Severity.MEDIUM)
        return _make(label, score, severity, evidence, [], _explain(label, evidence), doc.text)

    return rule


#: a deadline in a demand: "by 9", "at 10", "by friday", "in an hour", "tick tock"
_DEADLINE = re.compile(
    r"\b(?:by|at|before|til|till|until) (?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)?|midnight|tonight|"
    r"tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|the morning|the weekend)\b|\bin (?:an|1|one|"
    r"\d{1,2}) (?:hour|hr|hours|hrs|mins|minutes)\b|\btick\W?tock\b|⏰|⏳|🕙",
    re.IGNORECASE,
)
_HEDGED = re.compile(
    r"\bnot (?:suicidal|gonna do anything|going to do anything|planning anything|doing anything)\b"
)


def _escalate(
    label: str, severity: Severity, evidence: list[Signal], escalators: set[str], text: str = ""
) -> Severity:
    cues = {s.cue for s in evidence}
    if label == "threat":
        strong = any(s.weight >= 0.75 for s in evidence)
        if len(escalators) >= 2 and (strong or len(cues) >= 2):
            return Severity.CRITICAL
    elif label == "self_harm":
        plan = {"self_harm.plan_means", "self_harm.overdose_taken"} & cues
        if "self_harm.plan_hint" in cues and len(cues) >= 2:
            # "tonight's the night", "goodbye everyone", "the bridge": a plan only beside
            # another warning sign ("tonight's the night! 60 years married" is not one)
            plan.add("self_harm.plan_hint")
        intent = {"self_harm.want_to_die", "self_harm.suicidal", "self_harm.burden"} & cues
        taken_or_timed = {
            "self_harm.overdose_taken",
            "self_harm.overdose_taken_terse",
            "self_harm.end_it_soon",  # "gna end it 2nite": intent with its time
            "self_harm.chosen_place",  # "found where the bridge is quietest": a plan
        }
        if taken_or_timed & cues or (
            plan
            and (escalators or (intent and len(plan) > 0 and "self_harm.imminent" in escalators))
        ):
            return Severity.CRITICAL
        if plan and intent:
            return max(severity, Severity.HIGH)
        if not plan and _HEDGED.search(text):
            return min(severity, Severity.MEDIUM)  # "not suicidal or anything, but..."
        if severity == Severity.CRITICAL:
            return Severity.HIGH
    elif label in ("grooming", "contact_breach"):
        meets = {"grooming.meet", "contact_breach.arrange_meeting"} & cues
        if meets and escalators:
            return Severity.CRITICAL
        if "grooming.sextortion" in cues and (escalators or _DEADLINE.search(text)):
            return Severity.CRITICAL  # sextortion with a deadline (taxonomy: critical)
    elif label == "exploitation" and escalators:
        return Severity.CRITICAL
    return severity


def _confidentiality(doc: Doc, signals: list[Signal]) -> Concern | None:
    context = [
        s
        for s in signals
        if s.cue
        in (
            "confidentiality.work_context",
            "confidentiality.identifying_story",
            "confidentiality.work_context_broad",
        )
    ]
    context += [_as_support(s) for s in _model(signals)][:1]
    own_school = any(s.cue == "self_exposure.own_child_school" for s in doc.signals)
    ids = [
        e for e in doc.entities
        if e.label in STRONG_IDS | QUASI_IDS and not _own_family(e)
        and not (own_school and e.label == "SCHOOL")
    ]  # fmt: skip
    if doc.mode == "own":
        ids = [e for e in ids if not _author_header(doc.text, e)]
    hard = [e for e in ids if e.label in ("CASE_REF", "GOV_ID")]
    if not context and not hard:
        return None
    if not any(e.label in PERSON_POINTING for e in ids):
        return None  # places and dates alone do not point at a person
    speaking = {id(e) for e in ids if _speaker(doc.text, e)}
    strong = [e for e in ids if e.label in STRONG_IDS and id(e) not in speaking]
    quasi = [e for e in ids if e.label in QUASI_IDS or id(e) in speaking]
    if not strong and len({e.text.lower() for e in quasi}) < 3 and not hard:
        return None
    points = 2 * len({e.text.lower() for e in strong}) + len({e.text.lower() for e in quasi})
    if not context:
        points = max(points, 2)
    if points < 2 and not (points == 1 and len(context) >= 2):
        return None
    if points >= 4:
        severity = Severity.HIGH
    elif points >= 2:
        severity = Severity.MEDIUM
    else:
        severity = Severity.LOW
    private = [s for s in signals if s.cue == "confidentiality.private_channel"]
    if private and severity > Severity.LOW:
        severity = Severity(severity - 1)
        if severity > Severity.LOW:
            severity = Severity.LOW
    score = noisy_or([0.35 * min(points, 6) / 2, *(s.weight for s in context)])
    why = _explain(
        "confidentiality",
        context,
        f"Together these details ({', '.join(sorted({e.label.lower() for e in ids}))}) could let "
        "someone work out who the person is, even without a full name.",
    )
    return _make("confidentiality", max(score, THRESHOLD), severity, context, ids, why, doc.text)


#: a name before a colon at the start of a line, after a chat export's stamp if any
_AFTER_LABEL = re.compile(r"[ \t]*:")
#: leading lines with no letters: a screenshot's status bar ("08:12 📶")
_NO_LETTERS = re.compile(r"(?:[^\w\n]*(?:\d[^\w\n]*)*\n)*\s*")
#: the rest of a profile header's name line: nothing, or a role after a separator
#: ("Lauren Obi · Student Social Worker", "laurenmoss.sw")
_HEADER_REST = re.compile(r"[ \t]*(?:[·|•–-][^\n]{0,60})?[ \t✓✔☑]*$")


def _speaker(text: str, entity: Entity) -> bool:
    """The name labels a speaker in a pasted chat ("Tom:", "[02/12, 22:00] Tom:"): one of
    the conversation's participants, whose name alone points at nobody the worker supports
    (it counts as a lesser detail; the messages' own details still count in full)."""
    if entity.label not in ("PERSON", "HANDLE"):
        return False
    line_start = text.rfind("\n", 0, entity.start) + 1
    stamp = LAYOUT.match(text, line_start)
    if stamp and stamp.end() <= entity.start:
        line_start = stamp.end()
    before = text[line_start : entity.start]
    return not before.strip(" \t>*-") and bool(_AFTER_LABEL.match(text, entity.end))


def _author_header(text: str, entity: Entity) -> bool:
    """In the worker's own post, a name or username alone on the first line (or before a
    "· role"): a profile header, the author's own name, not somebody they support. A
    screenshot's status line before it ("08:12 📶", no letters) is skipped."""
    if entity.label not in ("PERSON", "HANDLE"):
        return False
    status = _NO_LETTERS.match(text)
    first = status.end() if status else 0
    line_end = text.find("\n", first)
    if line_end < 0 or entity.end > line_end or text[first : entity.start].strip():
        return False
    return bool(_HEADER_REST.match(text[entity.end : line_end]))


def _own_family(entity: Entity) -> bool:
    return entity.label == "CHILD_REF" and bool(_OWN_FAMILY.match(entity.text))


_CHILD_WORD = re.compile(
    r"\b(?:kids?|child(?:ren)?|son|daughter|baby|babies|boy|girl|toddler|newborn|grand(?:son|daughter|kids?|children)|little (?:one|man|lad)|lo|my (?:eldest|youngest))\b"
)


#: what still identifies a child in a post that says it is anonymous
_NAMING = frozenset({"PERSON", "SCHOOL", "CASE_REF", "ADDRESS", "LOCATION", "HANDLE"})


def kept_anonymous(doc: Doc) -> bool:
    """The writer says the post is anonymous ("anonymous parent here", "not naming
    anyone", "rightly anonymised") and it names no person, school, place or case, nor
    gives a child's age *and* condition together ("no names but … my son is 7 and he's
    autistic" is a jigsaw): court talk that identifies no child is not a disclosure."""
    if not any(s.cue == "proceedings_disclosure.anonymous" for s in doc.signals):
        return False
    labels = {e.label for e in doc.entities}
    return not labels & _NAMING and not {"AGE", "HEALTH"} <= labels


def _proceedings(doc: Doc, signals: list[Signal]) -> Concern | None:
    cues = {s.cue for s in signals}
    proc = {"proceedings_disclosure.court_context", "proceedings_disclosure.documents",
            "proceedings_disclosure.hearing_detail", "proceedings_disclosure.removal_story",
            "proceedings_disclosure.own_case"} & cues  # fmt: skip
    if any(s.kind == "model" for s in signals):
        proc.add("proceedings_disclosure.model")
    if not proc:
        return None
    child = [
        e
        for e in doc.entities
        if e.label in ("PERSON", "CHILD_REF", "AGE", "SCHOOL", "CASE_REF", "HEALTH")
    ]
    documents = "proceedings_disclosure.documents" in cues
    photo = "proceedings_disclosure.child_photo" in cues
    identifying = [e for e in child if e.label != "CHILD_REF"]
    anonymous = "proceedings_disclosure.anonymous" in cues
    if kept_anonymous(doc):
        identifying = []
    own_child = any(e.label == "CHILD_REF" for e in child) and not anonymous
    if anonymous and not identifying and not photo:
        return None  # ages, "my kids" or an anonymised judgment, on a post kept anonymous
    if not identifying and not documents and not photo and not own_child:
        return None
    paperwork = documents or photo or any(e.label == "CASE_REF" for e in child)
    mentions_child = any(e.label in ("CHILD_REF", "AGE") for e in child) or _CHILD_WORD.search(
        doc.cue.text
    )
    if not paperwork and not mentions_child:
        return None  # s.12 and s.97 protect children: court talk with no child is not this
    evidence = _best_per_cue(
        [_as_support(s) if s.kind == "model_support" else s for s in signals
         if s.cue != "proceedings_disclosure.anonymous"]  # no evidence of a disclosure
    )  # fmt: skip
    score = noisy_or([s.weight for s in evidence] + [0.2 * min(len(child), 3)])
    if score < THRESHOLD:
        return None
    names = any(e.label == "PERSON" for e in child)
    detail = sum(1 for e in child if e.label in ("AGE", "SCHOOL", "CASE_REF", "HEALTH")) + photo + (
        "proceedings_disclosure.publish_call" in cues) + ("proceedings_disclosure.removal_story" in cues)  # fmt: skip
    if (names and detail >= 1) or detail >= 3:
        severity = Severity.HIGH
    elif names or documents or detail >= 1 or len(proc) >= 2:
        severity = Severity.MEDIUM
    else:
        severity = Severity.LOW
    why = _explain("proceedings_disclosure", evidence,
                   "Publishing information likely to identify a child in family proceedings can be "
                   "contempt of court (s.12 AJA 1960; s.97 Children Act 1989).")  # fmt: skip
    return _make("proceedings_disclosure", score, severity, evidence, child, why, doc.text)


def _self_exposure(doc: Doc, signals: list[Signal]) -> Concern | None:
    about_work = any(s.cue.startswith("confidentiality.work_context") for s in doc.signals)
    if about_work and not any(s.kind == "evidence" for s in signals):
        return None  # a post about someone you support: the model alone is not about you
    evidence = _best_per_cue(_by_kind(signals, "evidence"))
    evidence += [_as_support(s) for s in signals if s.kind == "model_support"][:1]
    cues = {s.cue for s in signals}
    places = [e for e in doc.entities if e.label in ("SCHOOL", "LOCATION", "ADDRESS")]
    weights = [s.weight for s in evidence]
    if "self_exposure.own_child_school" in cues and any(e.label == "SCHOOL" for e in places):
        weights.append(0.55)
    if places and {"self_exposure.home_location", "self_exposure.routine", "self_exposure.empty_house",
                   "self_exposure.live_location", "self_exposure.find_me_at"} & cues:  # fmt: skip
        weights.append(0.3)
    score = noisy_or(weights)
    if score < THRESHOLD:
        return None
    support = [s for s in signals if s.cue == "self_exposure.own_child_school"]
    severity = Severity.MEDIUM
    if len(places) >= 2 and len(evidence) >= 2:
        severity = Severity.HIGH
    elif not places and len(evidence) <= 1:
        severity = Severity.LOW if score < 0.6 else Severity.MEDIUM
    why = _explain("self_exposure", evidence + support,
                   "Details like these let someone find you or your family offline.")  # fmt: skip
    return _make("self_exposure", score, severity, evidence + support, places, why, doc.text)


RULES: dict[str, Rule] = {label: _generic(label) for label in CONCERNS}
RULES["confidentiality"] = _confidentiality
RULES["proceedings_disclosure"] = _proceedings
RULES["self_exposure"] = _self_exposure


def aggregate(doc: Doc) -> list[Concern]:
    """The concerns in ``doc``, in taxonomy order."""
    by_concern: dict[str, list[Signal]] = {}
    for s in doc.signals:
        by_concern.setdefault(s.concern, []).append(s)
    concerns = []
    for label in CONCERNS:
        if not concern_allowed(label, doc.mode):
            continue
        found = RULES[label](doc, by_concern.get(label, []))
        if found is not None:
            concerns.append(found)
    return _resolve_overlaps(concerns, by_concern)


_PARENT_ONLY_GROOMING = {
    "grooming.secrecy",
    "grooming.pet_names",
    "grooming.move_private",
    "grooming.meet",
}


def _resolve_overlaps(concerns: list[Concern], signals: dict[str, list[Signal]]) -> list[Concern]:
    """Resolve concerns that share words: peer bullying vs harassment, a birth parent's
    secret contact vs grooming, grooming vs contact breach."""
    labels = {c.label for c in concerns}
    contact = {s.cue for s in signals.get("contact_breach", [])}
    grooming = {s.cue for s in signals.get("grooming", []) if s.kind == "evidence"}
    relationship = contact & _RELATIONSHIP_CUES
    if {"grooming", "contact_breach"} <= labels:
        if "contact_breach.real_parent" in contact and grooming <= _PARENT_ONLY_GROOMING:
            concerns = [c for c in concerns if c.label != "grooming"]
        elif not relationship:
            concerns = [c for c in concerns if c.label != "contact_breach"]
    labels = {c.label for c in concerns}
    if {"bullying", "harassment"} <= labels:
        worker = any(s.cue == "harassment.worker_target" for s in signals.get("harassment", []))
        peer = any(s.cue == "bullying.school_peer" for s in signals.get("bullying", []))
        drop = "bullying" if worker and not peer else "harassment" if peer and not worker else None
        if drop:
            concerns = [c for c in concerns if c.label != drop]
    return concerns
