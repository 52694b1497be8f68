"""Seed a fictional council: two teams, one user per role, a few cases.

Every name here is invented. The demo password is printed by ``safeside serve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeside.access.models import Team, User
from safeside.access.passwords import hash_password
from safeside.audit_log.log import append_event
from safeside.cases.service import (
    Capture,
    JustificationForm,
    capture_evidence,
    create_case,
    record_justification,
)
from safeside.check import Check
from safeside.learning.capability import seed_capability_demo
from safeside.learning.cpd.demo import seed_cpd_demo

DEMO_PASSWORD = "demo-safeside-2026"


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    team: str


EAST = "Children's Services, East Locality"
WEST = "Children's Services, West Locality"

DEMO_USERS = (
    DemoUser("sam.patel@northshire.example", "Sam Patel", "practitioner", EAST),
    DemoUser("alex.morgan@northshire.example", "Alex Morgan", "practitioner", EAST),
    DemoUser("jo.reid@northshire.example", "Jo Reid", "manager", EAST),
    DemoUser("lee.adeyemi@northshire.example", "Lee Adeyemi", "legal", EAST),
    DemoUser("ash.kowalski@northshire.example", "Ash Kowalski", "admin", EAST),
    DemoUser("kim.lowe@northshire.example", "Kim Lowe", "practitioner", WEST),
    DemoUser("ro.hughes@northshire.example", "Ro Hughes", "manager", WEST),
)

DEMO_POST = (
    "Everyone needs to know what the social worker did to my family. "
    "I know where you live and where you park every morning."
)


def is_seeded(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def seed_demo(session: Session, check: Check) -> None:
    """Create the demo teams, users and cases (call once, on an empty database)."""
    teams: dict[str, Team] = {}
    for name in (EAST, WEST):
        team = Team(name=name)
        session.add(team)
        append_event(session, "created_team", record=team)
        teams[name] = team
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for demo in DEMO_USERS:
        user = User(
            email=demo.email,
            full_name=demo.full_name,
            role=demo.role,
            team_id=teams[demo.team].id,
            password_hash=password_hash,
        )
        session.add(user)
        append_event(session, "created_user", record=user, team_id=user.team_id)
        users[demo.full_name] = user

    sam, alex = users["Sam Patel"], users["Alex Morgan"]
    first = create_case(
        session, sam, "EA-2026-0142", "Family A (fictional): online abuse of worker"
    )
    create_case(session, alex, "EA-2026-0177", "Child B (fictional): contact concerns")
    create_case(session, users["Kim Lowe"], "WE-2026-0031", "Family C (fictional), West team")

    justification = record_justification(
        session,
        sam,
        first,
        JustificationForm(
            purpose="A parent's public post about me was shown to me by a colleague.",
            necessity="I need a record to decide with my manager whether it is a threat.",
            legal_basis="staff_safety",
            subject="Parent A (fictional)",
            how_seen="shown_to_me",
            viewed_before=False,
        ),
    )
    capture_evidence(
        session,
        sam,
        first,
        justification,
        Capture(
            kind="text",
            content=DEMO_POST.encode("utf-8"),
            text=DEMO_POST,
            text_source="pasted",
            platform="Facebook",
            author_handle="@parent_a_demo",
        ),
        check,
    )
    seed_cpd_demo(session, sam, check, date.today())
    # Five of the East team have done the self-assessment, so its report shows.
    east_five = ("Sam Patel", "Alex Morgan", "Jo Reid", "Lee Adeyemi", "Ash Kowalski")
    seed_capability_demo(session, [users[name] for name in east_five])
