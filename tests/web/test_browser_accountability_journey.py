"""Issue #13, "Done when": the accountability journey, walked in a real browser.

1. Sam Patel (practitioner) asks to view content about "A, Parent", the demo's
   "Parent A (fictional)" written another way, and says it was not viewed before: the
   normalised-identity check still sends it to a manager, and Sam sees it waiting.
2. Jo Reid (manager, another browser) sees the count on her home page and the request in
   her Authorisations list, and authorises it. Then she asks for a repeat viewing herself
   and cannot authorise that one (four eyes).
3. Sam captures a screenshot under the authorised justification and sees the flag boxes on
   it, each a link to its explanation in the flag list.
4. Sam exports the case's evidence bundle and downloads it.
5. The standalone verifier, with Python's standard library only, no database and an empty
   working folder, passes the bundle, and fails a copy with one byte changed in an
   original, in manifest.json, or in manifest.sig; then the same with one bit flipped in
   the zip file itself, and with the signature's base64 written differently.
"""

from __future__ import annotations

import re
import string
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from safeside.evidence.bundle import verifier_source

from .browser import sign_in_by_keyboard
from .test_browser_journey import screenshot_png

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CASE = "EA-2026-0142"
#: The demo's "Parent A (fictional)" with the words turned round and no note in brackets.
SUBJECT = "A, Parent"
EARLIER_SUBJECT = "Parent A (fictional)"
STATUS_PAGE = re.compile(r".*/cases/1/justifications/(\d+)")
EVIDENCE_PAGE = re.compile(r".*/cases/1/evidence/(\d+)")


# -- What a person does in the browser ------------------------------------------------------


def signed_in_page(browser, live_url: str, who: str):  # type: ignore[no-untyped-def]
    """A fresh browser context (its own cookies), signed in as the demo user ``who``."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_in_by_keyboard(page, live_url, who)
    return page


def ask_to_view(page, live_url: str, subject: str) -> str:  # type: ignore[no-untyped-def]
    """Record a concern on the demo case (step 1, the justification) and press Continue.

    Returns the address the person lands on."""
    page.goto(f"{live_url}/cases/1")
    page.click("a:has-text('Record a concern')")
    page.check("input[name=purpose_kind][value=staff_safety]")
    page.fill("#purpose", "The parent has posted again about me and where I live.")
    page.fill("#necessity", "I must see the new post to judge the risk to me; one post only.")
    page.check("input[name=legal_basis][value=staff_safety]")
    page.fill("#subject", subject)
    page.check("input[name=how_seen][value=shown_to_me]")
    page.check("input[name=viewed_before][value=no]")  # the person does not say it is a repeat
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    return str(page.url)


def csrf_token(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator("input[name=csrf_token]").first.input_value())


def post_decision(page, decision_url: str) -> int:  # type: ignore[no-untyped-def]
    """Send the decision form straight from the page (as a hand-made form would)."""
    return int(
        page.evaluate(
            """async ([url, token]) => {
                 const body = new URLSearchParams(
                   {csrf_token: token, decision: "authorise", note: "RIPA ref 2026/9, my own"});
                 return (await fetch(url, {method: "POST", body, redirect: "manual"})).status;
               }""",
            [decision_url, csrf_token(page)],
        )
    )


# -- The bundle and the standalone verifier ------------------------------------------------


def flip_one_byte(data: bytes, start: int) -> bytes:
    """``data`` with one byte changed: the first letter or digit from ``start`` on has its
    lowest bit flipped, to another letter or digit, so JSON still parses and base64 still
    decodes; only checking the content itself can catch it."""
    for at in range(start, len(data)):
        flipped = data[at] ^ 1
        if chr(data[at]).isalnum() and chr(flipped).isalnum():
            return data[:at] + bytes([flipped]) + data[at + 1 :]
    raise AssertionError("no byte to flip")


BASE64 = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"


def same_signature_written_differently(signature_file: bytes) -> bytes:
    """``manifest.sig`` with one byte changed that does not change the signature it decodes
    to: an Ed25519 signature is 64 bytes, so its last base64 character (before "==") carries
    four unused bits; this sets the lowest of them."""
    at = signature_file.index(b'=="') - 1
    changed = BASE64[BASE64.index(chr(signature_file[at])) ^ 1]
    return signature_file[:at] + changed.encode() + signature_file[at + 1 :]


def rezipped_with(bundle: Path, member: str, change: Callable[[bytes], bytes], out: Path) -> Path:
    """A copy of the zip with ``member``'s content changed and the zip written properly
    again (new CRC), as someone editing a file in the bundle would do."""
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as copy:
        assert member in source.namelist(), source.namelist()
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                changed = change(data)
                assert changed != data and len(changed) == len(data)
                data = changed
            copy.writestr(info, data)
    return out


def flipped_in_zip(bundle: Path, member: str, out: Path) -> Path:
    """A copy of the zip file with one bit flipped in the middle of ``member``'s stored
    (compressed) bytes, the zip itself left as it is: damage in transit, or a crude edit."""
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as opened:
        info = opened.getinfo(member)
    header = info.header_offset
    name_length, extra_length = struct.unpack("<HH", raw[header + 26 : header + 30])
    raw[header + 30 + name_length + extra_length + info.compress_size // 2] ^= 1
    out.write_bytes(bytes(raw))
    return out


def run_verifier(verifier: Path, bundle: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    """The standalone verifier, as a recipient runs it: its own Python process with the
    standard library only (-I: no environment, -S: no site-packages, so no Safeside, no
    cryptography), no database, no settings, in an empty working folder."""
    return subprocess.run(
        [sys.executable, "-I", "-S", str(verifier), str(bundle)],
        cwd=workdir,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- The journey -------------------------------------------------------------------------


def test_repeat_viewing_is_authorised_captured_exported_and_verified_without_a_database(
    live_url: str,
    browser,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    # 1. Sam asks to view content about "A, Parent": the same person the team viewed before.
    sam = signed_in_page(browser, live_url, "practitioner")
    landed = ask_to_view(sam, live_url, SUBJECT)
    assert STATUS_PAGE.fullmatch(landed), f"{SUBJECT!r} went straight on to {landed}"
    status_url = landed
    assert sam.inner_text("#status") == "Waiting for authorisation"
    sam_reads = sam.inner_text("main")
    assert "Waiting for authorisation from your manager" in sam_reads
    assert "Your team has viewed this person's content before" in sam_reads
    assert "Jo Reid can see this request in their list of authorisation requests" in sam_reads
    # Sam cannot capture yet: the capture form sends Sam back to the waiting page.
    sam.goto(status_url + "/capture")
    assert sam.url == status_url
    assert sam.inner_text("#status") == "Waiting for authorisation"

    # 2. Jo signs in: her home page counts the request, her Authorisations page lists it.
    jo = signed_in_page(browser, live_url, "manager")
    assert jo.inner_text("#authorisations-waiting") == (
        "1 repeat viewing request is waiting for your decision."
    )
    jo.click("a:has-text('See authorisation requests')")
    jo.wait_for_url(f"{live_url}/authorisations")
    assert jo.inner_text("#waiting-count") == "1 request waiting for your decision."
    request_row = jo.locator("tbody tr", has_text=SUBJECT)
    assert request_row.count() == 1
    assert CASE in request_row.inner_text() and "Sam Patel" in request_row.inner_text()
    request_row.locator("a:has-text('Decide')").click()
    jo.wait_for_url(status_url + "/decision")
    # Jo sees the earlier viewing of the same person, then authorises.
    earlier = jo.locator("table", has_text="Earlier viewings your team recorded")
    assert EARLIER_SUBJECT in earlier.inner_text() and "Same person" in earlier.inner_text()
    jo.check("input[name=decision][value=authorise]")
    jo.fill("#note", "Authorised for one post: RIPA not engaged, a single check of a threat.")
    jo.click("button:has-text('Record decision')")
    jo.wait_for_url(status_url)
    assert "Repeat viewing authorised." in jo.inner_text("main")
    assert "Authorised by Jo Reid" in jo.inner_text("main")

    # Four eyes: Jo asks for a repeat viewing herself, and cannot authorise it.
    own = ask_to_view(jo, live_url, "@parent_a_demo")
    assert STATUS_PAGE.fullmatch(own), own
    assert "Waiting for authorisation from another manager" in jo.inner_text("main")
    assert jo.locator("a:has-text('Decide on this request')").count() == 0
    jo.goto(f"{live_url}/authorisations")
    assert jo.inner_text("#waiting-count") == "0 requests waiting for your decision."
    assert "Your request: another manager must decide" in jo.inner_text("main")
    refused = jo.goto(own + "/decision")
    assert refused is not None and refused.status == 403
    assert "You asked for this viewing, so you cannot authorise it" in jo.inner_text("main")
    assert post_decision(jo, own + "/decision") == 403
    jo.goto(own)
    assert jo.inner_text("#status") == "Waiting for authorisation"

    # 3. Sam reloads the page: ready to capture. Sam uploads the screenshot.
    sam.reload()
    assert sam.inner_text("#status") == "Ready to capture"
    assert "Authorised by Jo Reid" in sam.inner_text("main")
    sam.click("a:has-text('Capture the content')")
    sam.wait_for_url(status_url + "/capture")
    sam.check("input[name=kind][value=screenshot]")
    shot = tmp_path / "post.png"
    shot.write_bytes(screenshot_png())
    sam.set_input_files("#upload", str(shot))  # the words are left for Safeside to read
    sam.select_option("#platform", "Facebook")
    sam.fill("#author_handle", "@parent_a_demo")
    sam.click("button:has-text('Save and analyse')")
    sam.wait_for_selector("text=Evidence recorded.")
    evidence = EVIDENCE_PAGE.fullmatch(sam.url)
    assert evidence, sam.url
    item_id = int(evidence.group(1))
    # The flag boxes on the image: each links to a flag explained in the list below it.
    boxes = sam.locator("#screenshot svg a[href^='#flag']")
    assert boxes.count() >= 1, "no flag box on the screenshot"
    for number in range(boxes.count()):
        target = boxes.nth(number).get_attribute("href")
        explained = sam.locator(f"ol {target}")
        assert explained.count() == 1, f"box {target} points at nothing in the flag list"
        assert explained.is_visible()
    assert "Threat of violence or harm" in sam.inner_text("#flags + ol")
    first_target = boxes.first.get_attribute("href")
    boxes.first.click()  # a person selects the box and reads why it was flagged
    sam.wait_for_url(f"**{first_target}")
    assert sam.locator(f"{first_target}").is_visible()

    # 4. Sam exports the case's evidence bundle and downloads it.
    sam.click("a:has-text('Back to case')")
    sam.click("a:has-text('Export evidence bundle')")
    with sam.expect_download() as download_info:
        sam.click("button:has-text('Download bundle')")
    bundle = tmp_path / "bundle.zip"
    download_info.value.save_as(str(bundle))
    original = f"originals/{item_id:05d}-post.png"
    with zipfile.ZipFile(bundle) as opened:
        assert original in opened.namelist(), opened.namelist()
        assert opened.read(original) == shot.read_bytes(), "the original must be unchanged"
        shipped_verifier = opened.read("verify_bundle.py")
        manifest = opened.read("manifest.json")
        signature = opened.read("manifest.sig")

    # 5. The standalone verifier, a trusted copy (the one in the bundle is the same).
    assert shipped_verifier == verifier_source()
    verifier = tmp_path / "trusted" / "verify_bundle.py"
    verifier.parent.mkdir()
    verifier.write_bytes(verifier_source())
    empty = tmp_path / "empty"
    empty.mkdir()
    passed = run_verifier(verifier, bundle, empty)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.splitlines()[-1].startswith("OK: the signed manifest matches")

    # One byte changed in the screenshot's original, in the manifest (inside the SHA-256 it
    # records for that original) and in the signature (inside its value): each fails.
    recorded_hash = f'"{original}": "'.encode()
    changes = [
        (original, len(shot.read_bytes()) // 2, f"{original}: was altered (SHA-256 differs"),
        (
            "manifest.json",
            manifest.index(recorded_hash) + len(recorded_hash) + 10,
            "manifest.json: does not match its signature",
        ),
        (
            "manifest.sig",
            signature.index(b'"value":"') + 30,
            "manifest.json: does not match its signature",
        ),
    ]
    for member, start, problem in changes:
        copy = rezipped_with(
            bundle,
            member,
            lambda data, start=start: flip_one_byte(data, start),
            tmp_path / f"changed-{Path(member).name}.zip",
        )
        failed = run_verifier(verifier, copy, empty)
        said = failed.stdout + failed.stderr
        assert failed.returncode == 1, f"one byte changed in {member}, yet: {said}"
        assert "Traceback" not in said, said
        assert f"ALTERED OR MISSING {problem}" in said, f"one byte changed in {member}: {said}"
        assert "do not rely on this bundle" in said
    assert list(empty.iterdir()) == [], "the verifier must leave no file (no database) behind"

    # The same three files with one byte changed in other ways; each must fail with the
    # verifier's own verdict ("... do not rely on this bundle"), never a crash or an OK.
    # (Each case that does not is a product defect, listed by the assertion below.)
    other_ways = [
        (
            f"one bit flipped in the zip's stored bytes of {member}",
            flipped_in_zip(bundle, member, tmp_path / f"flipped-{Path(member).name}.zip"),
        )
        for member in (original, "manifest.json", "manifest.sig")
    ]
    other_ways.append(
        (
            "one byte of manifest.sig changed in the signature's unused base64 bits",
            rezipped_with(
                bundle,
                "manifest.sig",
                same_signature_written_differently,
                tmp_path / "respelt-manifest.sig.zip",
            ),
        )
    )
    defects = []
    for change, copy in other_ways:
        result = run_verifier(verifier, copy, empty)
        said = (result.stdout + result.stderr).strip()
        if result.returncode == 0:
            defects.append(f"{change}: the verifier passes it: {said.splitlines()[-1]!r}")
        elif "Traceback" in said or "do not rely on this bundle" not in said:
            defects.append(
                f"{change}: the verifier crashes (exit {result.returncode}) instead of "
                f"reporting it: {said.splitlines()[-1]!r}"
            )
    assert defects == [], "PRODUCT DEFECTS in the standalone verifier:\n" + "\n".join(defects)
