"""Fictional CPD records for the demo: last registration year's, so this year starts empty."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from safeside.access.models import User
from safeside.check import Check
from safeside.learning.cpd.service import CpdFields, create_record
from safeside.learning.standards import registration_year

DEMO_RECORDS = (
    CpdFields(
        activity_type="Online discussion (peer learning)",
        title="#SWChat on keeping boundaries with families online",
        activity_date=date(2000, 1, 1),  # replaced by a day in last registration year
        description="Took part in an evening hashtag chat with social workers from "
        "several councils about friend requests and messages from families.",
        learning="Declining a friend request politely, and saying why at the next visit, "
        "keeps trust better than ignoring it. Several people use a standard sentence "
        "agreed with their manager.",
        impact="I now explain at a first visit that I cannot connect on social media, and "
        "that the family can reach me on my work phone.",
        peer_reflection_with="Supervisor (monthly supervision)",
        peer_reflection="We agreed a form of words for declining requests and added it to "
        "the team's induction notes.",
        standards=["2.7", "5.6"],
        pcf_domains=["Professionalism", "Values and ethics"],
        source_kind="manual",
    ),
    CpdFields(
        activity_type="Reading a blog, article or research",
        title="Jigsaw identification: why anonymised posts still identify people",
        activity_date=date(2000, 1, 1),
        description="Read a practitioner blog and the regulator's guidance on referring "
        "to people we support online.",
        learning="Small details added together (a town, an age, a school event) can "
        "identify a family even without names.",
        impact="I no longer post about my working day at all, even in general terms.",
        standards=["2.7", "5.6"],
        pcf_domains=["Knowledge"],
        source_kind="post",
        source_url="https://www.socialworkengland.org.uk/standards/professional-standards-guidance/",
    ),
)


def seed_cpd_demo(session: Session, user: User, check: Check, today: date) -> None:
    """Give ``user`` the demo records, dated in the registration year before ``today``'s."""
    this_year_start, _ = registration_year(today)
    last_year_start, _ = registration_year(this_year_start - timedelta(days=1))
    for offset, fields in zip((40, 150), DEMO_RECORDS, strict=True):
        day = last_year_start + timedelta(days=offset)
        create_record(session, user, replace(fields, activity_date=day), check)
