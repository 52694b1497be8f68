"""Wording the cue rules read, checked on the rule itself (the model may still overrule a
cue in context: that is the arbiter's job, tested in test_arbiter.py)."""

from __future__ import annotations

import pytest

from safeside.detectors.concerns import builtin_cues
from safeside.engine.results import Concern


def fires(cue_id: str, text: str) -> bool:
    cue = next(c for c in builtin_cues() if c.id == cue_id)
    return cue.regex.search(text.lower()) is not None


def reported(text: str, mode: str = "review") -> list[Concern]:
    """The concerns the whole engine reports for ``text`` (a third party's post unless
    ``mode`` is "own")."""
    import safeside

    return safeside.analyze(text, mode).concerns


def threat(text: str) -> tuple[str, str] | None:
    """The threat the whole engine reports for ``text`` (severity, certainty), if any."""
    found = [c for c in reported(text) if c.label == "threat"]
    return (found[0].severity.label, found[0].certainty) if found else None


@pytest.mark.parametrize(
    "text",
    [
        "he said not to tell mum, its our thing",
        "don't show your mum the card",
        "thank u for the lifts and for keeping our secret",
        "keep it from your foster carers ok",
        "never tell ur dad we talked",
    ],
)
def test_secrecy_from_parents_and_carers_is_a_grooming_sign(text: str) -> None:
    assert fires("grooming.secrecy", text)


@pytest.mark.parametrize(
    "text",
    ["don't tell me the ending!!", "we told mum about the party", "tell your mum I said hi"],
)
def test_ordinary_telling_is_not_secrecy(text: str) -> None:
    assert not fires("grooming.secrecy", text)


@pytest.mark.parametrize(
    "text",
    [
        "I've put everything in order for my sister",
        "not that it matters much longer",
        "sorted all my affairs in order today",
    ],
)
def test_settling_affairs_is_a_final_arrangement(text: str) -> None:
    assert fires("self_harm.final_arrangements", text)


@pytest.mark.parametrize(
    "text",
    [
        "i have a plan and a date. i just wanted someone to know",
        "don't try and talk me out of it",
        "dont talk me out of it this time",
    ],
)
def test_a_plan_with_a_date_is_a_self_harm_sign(text: str) -> None:
    assert fires("self_harm.made_a_plan", text)


@pytest.mark.parametrize(
    "text",
    [
        "we have a plan for the weekend",
        "booked the venue and set a date for the wedding",
        "don't try and talk me into it",
    ],
)
def test_ordinary_plans_are_not_a_self_harm_sign(text: str) -> None:
    assert not fires("self_harm.made_a_plan", text)


@pytest.mark.parametrize(
    "text",
    [
        "priya you can have my cat, she likes you best",
        "tell my little brother my xbox is his now",
        "this is my last review of anything",
        "just planning my big exit on saturday, don't worry about me",
    ],
)
def test_giving_things_away_and_last_words_are_final_arrangements(text: str) -> None:
    assert fires("self_harm.final_arrangements", text)


@pytest.mark.parametrize(
    "text",
    [
        "you can have my car for the weekend",
        "you can have my old phone while yours is fixed",
        "this is my last day at work before the holidays",
        "planning my exit from the company after ten years",
        "planning the exit route for the fire drill",
    ],
)
def test_lending_things_is_not_a_final_arrangement(text: str) -> None:
    assert not fires("self_harm.final_arrangements", text)


@pytest.mark.parametrize(
    ("cue", "text"),
    [
        ("self_harm.final_arrangements", "not sure why but i dont think ill be here to see spring"),
        (
            "self_harm.final_arrangements",
            "don't reckon I'll still be around by the time it's sorted",
        ),
        ("self_harm.plan_means", "been counting up my nan's painkillers to see if there's enough"),
        ("threat.arson_hint", "that office will be a pile of ashes by monday"),
        ("threat.arson_hint", "someone should burn the family centre down"),
        ("threat.not_peaceful", "see you at the depot, and we're not bringing banners"),
        ("threat.not_peaceful", "he'd better show his face on thursday"),
        ("threat.specific_when", "there'll be a surprise waiting saturday night"),
        ("threat.specific_when", "have it sorted by friday"),
        ("contact_breach.defies_order", "i'm seeing my son whatever the court says"),
        ("contact_breach.defies_order", "they can't stop me going to her school play"),
        ("contact_breach.visits_child_place", "i'll come and get my girl at home time"),
        ("grooming.secrecy", "your parents don't need to know, it's just coaching"),
        ("grooming.secrecy", "no need to bother your mum and dad with it"),
        ("grooming.secrecy", "tell your mum you're at a sleepover"),
        ("grooming.move_private", "drop me a message and we can chat"),
        ("threat.incitement", "lives at 4 elm road. do with that what you will"),
        ("threat.incitement", "here's his flat for anyone who fancies a word"),
        ("threat.incitement", "share this till she feels it"),
        ("threat.know_where_you_live", "we know your car"),
        ("threat.know_where_you_live", "i know which way you drive home"),
        ("threat.you_are_dead", "kian ur actually dead monday"),
        ("threat.you_are_dead", "ur proper dead tmrw"),
        ("threat.know_where_you_live", "we know what time she leaves"),
        ("threat.lesson_or_else", "pay it off by friday or u know"),
        ("self_harm.final_arrangements", "give my hoodie to ems, she always nicked it"),
        ("self_harm.final_arrangements", "ur the best friend anyone could have had"),
        ("self_harm.not_alive", "i keep thinking about just not waking up"),
        ("self_harm.not_alive", "reasons to stay: the dog. that's the list"),
        ("exploitation.county_lines_terms", "drivers & shotters wanted, 15+ ok"),
        ("grooming.secrecy", "paid shoots for 13-16s, parents not required"),
        (
            "bullying.mocking_content",
            "rate or hate: the new girl in 8B, keep it going til she leaves",
        ),
        (
            "unprofessional.contempt_for_families",
            "half the parents i work with should be sterilised",
        ),
        ("grooming.sextortion", "ur pics r going to everyone at ur school unless u send £50"),
        ("grooming.sextortion", "send £200 by 9 or the pics go to ur whole year"),
        ("grooming.sextortion", "pay up or i'll post ur nudes"),
    ],
)
def test_implicit_wording_of_serious_risk_fires(cue: str, text: str) -> None:
    assert fires(cue, text)


@pytest.mark.parametrize(
    ("cue", "text"),
    [
        ("self_harm.final_arrangements", "don't think I'll be here for the meeting, I'm on leave"),
        ("self_harm.plan_means", "counting my tablets into the dosette box for the week"),
        ("threat.arson_hint", "the barbecue went up in smoke, typical"),
        ("threat.not_peaceful", "we're not bringing placards, just cake and a petition"),
        ("contact_breach.defies_order", "whatever the council says, the bins are a disgrace"),
        ("contact_breach.visits_child_place", "i'll come and see you at the cafe"),
        ("grooming.secrecy", "mum doesn't need to know the surprise yet 🎂"),
        ("threat.know_where_you_live", "we know your car needs an mot"),
        ("threat.know_where_you_live", "do you know which way you're going home?"),
        ("threat.lesson_or_else", "bring a coat or you know what happens, you'll freeze"),
        ("threat.incitement", "share this till everyone has seen the fundraiser"),
        ("self_harm.final_arrangements", "give my love to your mum and tell her thanks"),
        ("self_harm.final_arrangements", "you're the best mum anyone could ask for"),
        ("self_harm.not_alive", "reasons to stay in for dinner tonight"),
        ("exploitation.county_lines_terms", "delivery drivers wanted, full licence needed"),
        ("grooming.secrecy", "no experience required, parking available"),
        ("grooming.sextortion", "your photos from the wedding are going to the printers tomorrow"),
    ],
)
def test_their_everyday_lookalikes_do_not(cue: str, text: str) -> None:
    assert not fires(cue, text)


def test_sextortion_with_a_deadline_is_critical_and_without_one_high() -> None:
    import safeside

    def grooming(text: str) -> str:
        found = {c.label: c.severity.label for c in safeside.analyze(text, "review").concerns}
        return found.get("grooming", "none")

    assert grooming("ur pics r going to everyone at ur school at 10 unless u send £50") == (
        "critical"
    )
    assert grooming("ur pics r going to everyone at ur school unless u send more") == "high"


def test_a_threat_with_a_time_and_a_place_behind_a_building_is_never_dropped() -> None:
    """ "ur dead … behind the sports hall at 3" is critical (taxonomy: a threat with a time
    or place); with a skull emoji the model reads it as banter, and it stays as "possible"
    rather than "No concerns found"."""
    assert fires("threat.specific_where", "see u behind the sports hall")
    assert threat("ur dead after school behind the sports hall at 3") == ("critical", "likely")
    assert threat("you're dead at 3pm behind the sports hall 💀") is not None
    assert threat("meet behind the sports hall at 3 for the match photo") is None


def test_a_laughing_emoji_does_not_clear_a_threat_with_a_time_and_a_place() -> None:
    """ "😂" reads a threat as a joke, except where it names both when and where: then the
    model reads it, and a veto leaves it as "possible" (never "No concerns found")."""
    assert threat("you're dead at 3pm behind the sports hall 😂😂") is not None
    assert threat("ur proper dead tmrw outside the chippy 😂😂") is not None
    assert threat("lol ur dead 😂") is None  # no time or place: a joke
    assert threat("omg ur so dead when mum sees the kitchen 😂😂") is None
    assert threat("i'm dead 😂 behind the sports hall at 3 for the photo") is None


def test_a_threat_for_when_someone_gets_off_the_bus_names_a_time_and_a_place() -> None:
    """ "when he gets off the 42 bus" says when and where: a threat with it is critical, and
    when the model reads the threat as banter it stays as "possible"."""
    assert fires("threat.specific_when", "when he gets off the 42 bus")
    assert fires("threat.specific_where", "when he gets off the 42 bus")
    assert threat("I'll batter you when you get off the train") == ("critical", "likely")
    assert threat("Gonna smash his face in when he gets off the 42 bus, proper smash it.")
    assert threat("gonna smash it at the match when we get off the bus lads") is None


@pytest.mark.parametrize(
    "text", ["i will kill you", "I'm going to kill you", "you're dead", "i w i l l k i l l y o u"]
)
def test_a_bare_threat_is_never_dropped(text: str) -> None:
    """A post that is only the threat gives the model no context to overrule the cue with:
    it is reported, as "possible" where the model reads it lightly (engine v2.17 read
    "i will kill you" alone at 25%)."""
    assert threat(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill you lol",  # the laugh clears the cue before the model reads it
        "if you touch my chips again im gonna kill u",  # context the model may read
        "ur dead to me 🙄",
        "you're dead to me if you miss it",
    ],
)
def test_banter_and_dead_to_me_are_not_bare_threats(text: str) -> None:
    assert threat(text) is None


@pytest.mark.parametrize("text", ["i want to kill myself", "im going to kill myself"])
def test_the_writers_own_harm_is_self_harm_not_a_threat(text: str) -> None:
    """ "kill myself" feeds no threat cue: with the bare-cue rule it had become a "possible
    threat" beside the self-harm (none of our training texts is a threat for these words)."""
    assert {c.label for c in reported(text)} == {"self_harm"}


@pytest.mark.parametrize(
    "text",
    [
        "i want to die of embarrassment",
        "gonna die of cringe",
        "i'm going to end it with him",
        "thinking of ending things between us",
    ],
)
def test_embarrassment_and_break_ups_are_not_wishes_to_die(text: str) -> None:
    """Found while probing the bare-cue rule: "die of embarrassment" became a "possible
    self-harm" once a vetoed cue on a short post was kept, and "end it with him" was read
    as self-harm before it (our training texts with these words: never self-harm)."""
    assert not fires("self_harm.want_to_die", text)


def test_a_wish_to_end_it_still_fires() -> None:
    assert fires("self_harm.want_to_die", "i want to end it all")
    assert fires("self_harm.want_to_die", "i want to end it")
    assert fires("self_harm.want_to_die", "i want to kill myself with pills")


def test_hurting_ones_own_body_is_not_a_threat_but_hurting_ones_kids_is() -> None:
    assert threat("i'll hurt my back lifting this") is None
    assert threat("I'll hurt my kids") is not None


@pytest.mark.parametrize(
    "text",
    [
        "just need u to hold some bits for me at urs",
        "hold stuff for the olders",
        "i'll give u £50 to hold something",
        "hold something for a week, 150 quid",
    ],
)
def test_holding_stuff_for_someone_is_drug_running_language(text: str) -> None:
    """Our writers use "hold stuff / some bits / summat" only for exploitation (19 of 19
    training texts); "hold something" only beside money."""
    assert fires("exploitation.county_lines_terms", text)


@pytest.mark.parametrize(
    "text", ["can you hold something while I grab my keys", "can you hold this for 2 mins"]
)
def test_holding_something_for_a_moment_is_not(text: str) -> None:
    assert not fires("exploitation.county_lines_terms", text)


@pytest.mark.parametrize(
    "text",
    [
        "add me on snap, this app is watched",
        "move this to telegram, your mum reads your insta",
        "lets go on the other app, my dad checks this one",
        "insta is too public, add me on snap",
    ],
)
def test_moving_a_chat_away_from_whoever_watches_it_is_a_grooming_sign(text: str) -> None:
    """Our writers: grooming in 15 of 16 training texts with this wording."""
    assert fires("grooming.private_from_oversight", text)


@pytest.mark.parametrize(
    "text",
    ["add me on snap, this app is watched", "move this to telegram, your mum reads your insta"],
)
def test_a_message_moving_a_child_away_from_oversight_is_reported(text: str) -> None:
    """Found by probing engine v2.17: both came back "No concerns found" (the model read
    the first as grooming at 77%, under its threshold, and the cue alone was too weak)."""
    assert "grooming" in {c.label for c in reported(text)}


@pytest.mark.parametrize(
    "text",
    [
        "add me on snap, insta's glitching",
        "msg me on insta if urgent, deleting snap for exams",
        "an account is asking kids to move to telegram. check your kids' follow requests",
    ],
)
def test_moving_apps_for_other_reasons_is_not(text: str) -> None:
    assert not fires("grooming.private_from_oversight", text)


def test_telling_someone_to_kill_themselves_is_never_dropped() -> None:
    """ "go kill yourself" on its own was vetoed (the model read it at 3%): like a bare
    threat, it stays as "possible" for a person to read. Self-talk is not caught by it."""
    found = {c.label: c.certainty for c in reported("go kill yourself")}
    assert found.get("harassment") == "possible"
    assert "harassment" not in {c.label for c in reported("no one would notice if i was gone")}


def test_sextortion_naming_who_will_see_the_images_is_critical_with_a_deadline() -> None:
    """ "or your mates see the video" names the audience, not the images: our writers'
    texts with it are all sextortion (6 of 6)."""
    assert fires("grooming.sextortion", "pay £200 by midnight or your mates see the video")
    assert fires("grooming.sextortion", "or every1 at Ravensby High gets the vid")
    found = {
        c.label: c.severity.label
        for c in reported("pay £200 by midnight or your mates see the video")
    }
    assert found.get("grooming") == "critical"
    assert not fires("grooming.sextortion", "tidy your room or your mum will see it")


@pytest.mark.parametrize(
    "text",
    [
        "Klarna, Clearpay, payday loan, the catalogue. I'm done. Found where the bridge is quietest.",
        "the train at 6:40 doesn't stop at our station. I know exactly where to stand",
    ],
)
def test_a_chosen_place_is_a_plan_and_never_comes_back_with_no_concern(text: str) -> None:
    """A farewell that names the place chosen ("where the bridge is quietest") is a plan
    (taxonomy: critical). Blind v22's one missed critical text (read, so v22 is
    development data now); the model read it as a post about debt (self-harm 16%)."""
    assert fires("self_harm.chosen_place", text)
    assert "self_harm" in {c.label for c in reported(text)}


@pytest.mark.parametrize(
    "text",
    [
        "i know exactly where to stand for the best view of the fireworks",
        "found where the car park is quietest for a nap lol",
        "we found where the river is deepest and went for a swim",
        "the platform is packed, i know exactly where to stand so the doors open in front of me",
    ],
)
def test_knowing_a_good_spot_is_not(text: str) -> None:
    assert not fires("self_harm.chosen_place", text)


@pytest.mark.parametrize(
    "text",
    [
        "Hiya Shanice, I can lend you £20 till payday, don't tell my manager 😘",
        "gave her my personal mobile after the review",
        "bought him trainers out of my own pocket, don't tell my manager 🙈",
    ],
)
def test_favours_kept_from_a_manager_are_a_boundary_issue(text: str) -> None:
    """Our writers: unprofessional in 12 of 13 workers' own posts with this wording."""
    assert fires("unprofessional.boundary_favour", text)


@pytest.mark.parametrize(
    "text", ["don't tell my mum I ate the last biscuit", "can you lend me a tenner till friday"]
)
def test_ordinary_favours_are_not(text: str) -> None:
    assert not fires("unprofessional.boundary_favour", text)


def test_declining_to_give_a_personal_number_is_not_reported() -> None:
    found = reported("Hi Tom, I can't give out my personal number I'm afraid", "own")
    assert "unprofessional" not in {c.label for c in found}


def test_calling_families_animals_is_derogatory() -> None:
    assert fires("unprofessional.derogatory_service_users", "animals, the lot of them")
    assert fires("unprofessional.derogatory_service_users", "some people play the system")
    assert not fires("unprofessional.derogatory_service_users", "the animals at the farm park")


def test_a_carer_who_does_not_have_to_know_is_secret_contact() -> None:
    """Our writers: "... doesn't have to / need to know" is contact breach or grooming in
    46 of 49 training texts; "Nanna" is spelled with two n's too."""
    assert fires("contact_breach.secret_contact", "your foster mum doesn't have to know 😉")
    assert fires("contact_breach.secret_contact", "don't tell them at the house x")
    assert fires("contact_breach.relative_contact", "hiya love it's nanna")
    assert not fires("contact_breach.secret_contact", "you don't have to know everything")


def test_being_unfit_for_duty_is_never_vetoed_by_a_model_that_never_read_it() -> None:
    """No training text has a worker hungover on duty, so the model read "Still hungover
    from Friday and on duty all day" at 3% and vetoed the cue (an open bug since v2.0)."""
    found = reported("Hungover AF and on duty today 🥴 pray for my families", "own")
    assert "unprofessional" in {c.label for c in found}
    assert not fires("unprofessional.unfit_for_work", "hanging baskets up at work today")
