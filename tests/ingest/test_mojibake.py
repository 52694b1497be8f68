"""Mojibake repair (Meta's escapes exactly, anything else by ftfy) never changes good text."""

from __future__ import annotations

import pytest

from safeside.ingest.mojibake import fix_strings, fix_text


def meta(text: str) -> str:
    """What Meta's exports make of ``text``: each UTF-8 byte as its own character."""
    return text.encode("utf-8").decode("latin-1")


def cp1252(text: str) -> str:
    """UTF-8 read as Windows-1252 (undefined bytes as Latin-1, as our importer reads them)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


@pytest.mark.parametrize(
    "text", ["Radosław", "👍", "Zoë's 🎉 party", "Ölçü", "日本語", "¥", "£5", "Ñandú — ok"]
)
def test_metas_escapes_are_undone_exactly(text: str) -> None:
    assert fix_text(meta(text)) == text


def test_a_windows_1252_whatsapp_export_line_is_repaired() -> None:
    line = "31/12/2023, 21:05 - Sam: I’ll be there at 9 – bring the café receipts 👍"
    broken = cp1252(line)
    assert broken.startswith("31/12/2023, 21:05 - Sam: Iâ€™ll be there at 9 â€“")
    assert fix_text(broken) == line


@pytest.mark.parametrize("text", ["naïve café", "Zoë 👍", "Radosław said “hello”"])
def test_double_encoded_utf8_is_repaired(text: str) -> None:
    assert fix_text(meta(meta(text))) == text
    assert fix_text(cp1252(cp1252(text))) == text


@pytest.mark.parametrize(
    "text",
    [
        "naïve café",
        "Привет, как дела? Всё хорошо.",
        "Καλημέρα",
        "emoji 👍🏽 🇬🇧 👨‍👩‍👧",
        "“curly” ‘quotes’ – dashes — and … ellipsis",
        "ｆｕｌｌ ｗｉｄｔｈ and the ﬁ ligature",
        "£5 off, ½ price, 30°C, ©2024",
        "non\u00a0breaking space, &amp; an HTML entity",
        "Straße, Ærø, Øresund, Łódź, Ýmir",
        "plain ASCII",
    ],
)
def test_text_that_is_right_is_never_changed(text: str) -> None:
    assert fix_text(text) == text


def test_fix_strings_repairs_keys_and_values_of_a_record() -> None:
    record = {meta("título"): [meta("Radosław"), 3, {"x": meta("👍")}], "ok": "naïve"}
    assert fix_strings(record) == {"título": ["Radosław", 3, {"x": "👍"}], "ok": "naïve"}
