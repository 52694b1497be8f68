"""The guidance pages and scenarios that other parts of Learning link to, by id.

Plans, guidance pages and CPD prompts link by these ids, so renaming one is a
breaking change: the tests that import this list catch it.
"""

GUIDANCE_IDS = (
    "confidentiality-and-jigsaw-identification",
    "professional-standards-online",
    "children-in-proceedings",
    "viewing-service-users-social-media",
    "no-fake-profiles-or-friend-requests",
    "threats-and-abuse-towards-staff",
    "self-harm-and-suicide-risk",
    "grooming-and-exploitation",
    "your-digital-footprint-and-safety",
    "professional-boundaries-online",
    "contact-with-children-in-care-and-adopted-children",
    "video-calls-and-remote-contact",
    "recording-evidence-from-social-media",
    "cpd-and-learning-online",
)

#: In the order the scenarios are offered.
SCENARIO_IDS = (
    "friend-request-from-service-user",
    "parent-posts-about-proceedings",
    "threats-to-worker-online",
    "birth-parent-messages-adopted-child",
    "anonymous-account-dilemma",
    "venting-in-private-group",
    "searching-family-profiles-without-reason",
    "child-on-video-call-not-alone",
    "young-person-self-harm-post",
    "grooming-signs-in-messages",
    "colleague-shares-case-photo",
    "repeat-viewing-for-evidence",
    "personal-safety-footprint",
    "county-lines-exploitation-post",
)
