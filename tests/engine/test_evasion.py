"""Evasion: disguised threats are still found, on the words as written, and ordinary text
keeps its meaning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import safeside
from safeside.text import TextView, clean_view, cue_view
from safeside.text.tables import confusables, word_ranks

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"

# (text, concern, the disguised word that the evidence must cover)
EVASIONS = [
    # missed by the tester's first round
    ("1 w1ll k!ll y0u", "threat", "w1ll k!ll"),
    ("i will kiiiiill you", "threat", "kiiiiill"),
    ("i will k i l l you", "threat", "k i l l"),
    ("i will k.i.l.l you", "threat", "k.i.l.l"),
    (f"{RLO}uoy llik lliw i{PDF}", "threat", "llik"),
    ("i will ki🔪ll you", "threat", "ki🔪ll"),
    # the other forms
    ("i will k-i-l-l you", "threat", "k-i-l-l"),
    ("i will k_i_l_l you", "threat", "k_i_l_l"),
    ("i w i l l k i l l y o u", "threat", "w i l l k i l l"),
    (f"see this {RLO}uoy llik lliw i", "threat", "llik"),
    ("i will k1ll you", "threat", "k1ll"),
    ("i will k!ll u", "threat", "k!ll"),
    ("i will k\u200bi\u200dll you", "threat", "k\u200bi\u200dll"),
    (f"i will k{LRI}il{PDI}l you", "threat", f"k{LRI}il{PDI}l"),
    ("i will kіll yоu", "threat", "kіll"),  # Cyrillic і and о
    ("i will ｋｉｌｌ you", "threat", "ｋｉｌｌ"),
    ("i will 𝐤𝐢𝐥𝐥 you", "threat", "𝐤𝐢𝐥𝐥"),
    ("i will ᴋɪʟʟ you", "threat", "ᴋɪʟʟ"),
    ("i will 🅺🅸🅻🅻 you", "threat", "🅺🅸🅻🅻"),
    ("i will k\u0336i\u0336l\u0336l\u0336 you", "threat", "k\u0336i\u0336l\u0336l\u0336"),
    ("I WILL KILL YOU", "threat", "KILL"),
    ("i'm gonna st@b you", "threat", "st@b"),
    ("i w1ll sh00t you", "threat", "sh00t"),
    ("i will hurrrrt you", "threat", "hurrrrt"),
    ("ur d3ad", "threat", "d3ad"),
    # "you are dead" alone is also slang for laughing: the model reads it either way (v2.12
    # vetoes the bare phrase), so the disguise is tested where the meaning is a threat
    ("you are deaaaad when i see you", "threat", "deaaaad"),
    ("i want to di3", "self_harm", "di3"),
    ("i want to dieeee", "self_harm", "dieeee"),
    ("feeling $uicidal tonight", "self_harm", "$uicidal"),
    ("im gonna h4ng myself", "self_harm", "h4ng"),
    ("i want to k i l l myself", "self_harm", "k i l l"),
    ("i want to kill mys3lf", "self_harm", "mys3lf"),
    # found by trying to break engine v2.18: runs of spaces and tabs between the words
    ("i  will   kill  you", "threat", "kill"),
    ("i will\tkill\tyou", "threat", "kill"),
    ("i want  to  die", "self_harm", "die"),
]


@pytest.mark.parametrize(("text", "concern", "word"), EVASIONS)
def test_disguised_threat_is_found_on_the_disguised_word(
    text: str, concern: str, word: str
) -> None:
    result = safeside.analyze(text, mode="review")
    found = next((c for c in result.concerns if c.label == concern), None)
    assert found is not None, [c.label for c in result.concerns]
    assert all(text[e.start : e.end] == e.text for e in found.evidence)
    start = text.index(word)
    end = start + len(word)
    assert any(e.start <= start and end <= e.end for e in found.evidence), found.evidence


# (ordinary text, how the cue view must read it: the same words)
ORDINARY = [
    ("I'll be there at 10.30", "i'll be there at 10.30"),
    ("07700 900123", "07700 900123"),
    ("call 07700 900 123 after 5pm", "call 07700 900 123 after 5pm"),
    ("Room 101", "room 101"),
    ("Year 9", "year 9"),
    ("B4 school", "b4 school"),
    ("Tesco's", "tesco's"),
    ("e.g. the forms", "e.g. the forms"),
    ("back in the U.K. now", "back in the u.k. now"),
    ("see you at 9 a.m.", "see you at 9 a.m."),
    ("I was sooo tired", "i was so tired"),
    ("Gooooal", "goal"),
    ("tooooo much, gooood", "too much, good"),
    ("love you ❤️ so much 😂 see you 👋 later", "love you ❤ so much 😂 see you 👋 later"),
    ("love❤️you omg😂lol", "love❤you omg😂lol"),
    ("R.I.P. grandad", "rip. grandad"),
    ("case ref ND22C00417, NHS123", "case ref nd22c00417, nhs123"),
    ("£4.50 for 2, 13yo, 7yrs old, 3rd, 10am", "£4.50 for 2, 13yo, 7yrs old, 3rd, 10am"),
    ("SW1A 1AA mp3 covid19 US$500", "sw1a 1aa mp3 covid19 us$500"),
    ("1 more time, page 1 will do", "1 more time, page 1 will do"),
    ("J. K. Rowling, Plan A, B or C, i c u", "j. k. rowling, plan a, b or c, i c u"),
    ("Привет, как дела?", "привет, как дела?"),
    ("Καλημέρα", "καλημέρα"),
]


@pytest.mark.parametrize(("text", "reads"), ORDINARY)
def test_ordinary_text_keeps_its_meaning(text: str, reads: str) -> None:
    assert cue_view(clean_view(text)).text == reads
    # and no concern is raised by the phrase cues, which read the cue view
    concerns = safeside.analyze(text, mode="review").concerns
    assert [c.label for c in concerns if "concerns.cues" in c.detectors] == []


def test_short_and_weak_leet_is_read_only_beside_clear_leet() -> None:
    assert cue_view(clean_view("i w1ll n0t b3 h3re after t0night")).text == (
        "i will not be here after tonight"
    )
    assert cue_view(clean_view("s3wer sl1de tonight")).text == "sewer slide tonight"
    assert cue_view(clean_view("vitamin b3 and the m3 at j4")).text == "vitamin b3 and the m3 at j4"


def test_leet_reads_i_or_l_by_the_word_list() -> None:
    assert cue_view(clean_view("k!ll ki11 |ove $lut every1")).text == "kill kill love slut everyone"


def test_reversed_text_maps_each_letter_back() -> None:
    text = f"ok {RLO}uoy llik{PDF} x"
    view = cue_view(clean_view(text))
    assert view.text == "ok kill you x"
    start = view.text.index("kill")
    s, e = view.to_original(start, start + 4)
    assert text[s:e] == "llik"


def test_stretched_letter_at_the_end_of_a_word_is_covered() -> None:
    text = "i want to dieeee"
    view = cue_view(clean_view(text))
    s, e = view.to_original(view.text.index("die"), len(view.text))
    assert text[s:e] == "dieeee"


def test_empty_view_maps_to_an_empty_span() -> None:
    view = clean_view("\u200b\u200d")
    assert view.text == ""
    assert view.to_original(0, 0) == (0, 0)


def test_tables_are_shipped() -> None:
    assert confusables()["а"] == "a" and confusables()["ᴋ"] == "k"
    ranks = word_ranks()
    assert ranks["the"] < ranks["kill"] < ranks["goal"]


_TRICKY = list(
    "kilyou1!|0345@$ .-_*\n\t😂🔪❤\ufe0f\u200b\u200d\u00ad\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069аоіΑΚｋ𝐤ᴋ🅺⒦\u0336é'İß"
)


def _check(view: TextView, text: str) -> None:
    n = len(view.text)
    if view.starts is None or view.ends is None:
        assert len(view.text) == len(text)
        return
    assert len(view.starts) == len(view.ends) == n
    for s, e in zip(view.starts, view.ends, strict=True):
        assert 0 <= s < e <= len(text)
    if not view.reordered:
        assert list(view.starts) == sorted(view.starts)
        assert list(view.ends) == sorted(view.ends)
    else:
        assert "\u202e" in text
    for a in range(n + 1):
        for b in range(a, n + 1):
            s, e = view.to_original(a, b)
            assert 0 <= s <= e <= len(text)
            for k in range(a, b):
                assert s <= view.starts[k] and view.ends[k] <= e


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(), max_size=40))
def test_view_offset_maps_are_monotone_and_in_bounds(text: str) -> None:
    clean = clean_view(text)
    _check(clean, text)
    _check(cue_view(clean), text)
