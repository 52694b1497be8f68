"""Every main page: one h1, a title that starts with it, unique ids, labelled inputs, no inline script."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest

from .support import TestClient

PAGES = [
    ("practitioner", "/"),
    ("practitioner", "/cases"),
    ("practitioner", "/cases/new"),
    ("practitioner", "/cases/1"),
    ("practitioner", "/cases/1/concerns/new"),
    ("practitioner", "/cases/1/justifications/1"),
    ("practitioner", "/cases/1/justifications/1/capture"),
    ("practitioner", "/cases/1/evidence/1"),
    ("practitioner", "/cases/1/export"),
    ("manager", "/actions"),
    ("manager", "/audit"),
    ("manager", "/audit?case=EA-2026-0142&event=captured_evidence"),
    ("manager", "/authorisations"),
    ("manager", "/"),
    ("practitioner", "/learning"),
    ("practitioner", "/learning/cpd"),
    ("practitioner", "/learning/cpd/new"),
    ("practitioner", "/learning/cpd/1"),
    ("practitioner", "/learning/cpd/1/edit"),
    ("practitioner", "/learning/cpd/1/delete"),
    ("practitioner", "/learning/cpd/from-post"),
    ("practitioner", "/learning/cpd/export"),
    ("practitioner", "/learning/digests"),
    ("practitioner", "/learning/scenarios"),
    ("practitioner", "/learning/scenarios/friend-request-from-service-user"),
    ("practitioner", "/learning/scenarios/friend-request-from-service-user/steps/1"),
    ("practitioner", "/learning/guidance"),
    ("practitioner", "/learning/guidance?q=friend+request"),
    ("practitioner", "/learning/guidance/children-in-proceedings"),
    ("practitioner", "/learning/self-assessment"),
    ("practitioner", "/learning/self-assessment/sections/1"),
    ("practitioner", "/learning/self-assessment/plan"),
    ("manager", "/learning/capability"),
    ("admin", "/learning/capability"),
    (None, "/sign-in"),
    ("practitioner", "/account/password"),
    ("manager", "/users"),
    ("manager", "/users/4"),
    ("admin", "/users"),
    ("admin", "/users/1"),
    ("practitioner", "/cases/999"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_page_follows_the_design_system_basics(
    who: str | None, path: str, signed_in: Callable[[str], TestClient], client: TestClient
) -> None:
    html = (signed_in(who) if who else client).get(path).text

    h1s = re.findall(r"<h1[^>]*>(.*?)</h1>", html, flags=re.S)
    assert len(h1s) == 1, f"{path} has {len(h1s)} h1s"
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert title and title.group(1).strip().startswith(re.sub(r"<[^>]+>", "", h1s[0]).strip())

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1], f"duplicate ids on {path}"

    for field in re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html):
        if f'id="{field}"' in html and re.search(
            rf'<input[^>]*type="hidden"[^>]*id="{field}"', html
        ):
            continue
        assert f'for="{field}"' in html, f"field {field} on {path} has no label"

    assert all(' action="' in form for form in re.findall(r"<form[^>]*>", html))
    inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s]
    assert not inline, f"inline script on {path}"
    assert 'lang="en-GB"' in html
