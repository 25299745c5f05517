"""Negation, hypotheticals, other people's stories and speech-recognition text."""

from __future__ import annotations

from tests.unit.cues.helpers import codes, detect


def test_negation_covers_the_clause_it_is_in() -> None:
    assert "WEAPON" not in codes("he didn't have a knife")
    assert "WEAPON" not in codes("he's got no knife")


def test_negation_does_not_reach_across_a_new_clause() -> None:
    found = codes("he didn't hit me, he strangled me")
    assert "STRANGULATION" in found


def test_negation_stops_at_a_new_subject_in_unpunctuated_speech() -> None:
    assert "SUSPECT_PRESENT" in codes("my husband hit me i don't know where he is he's outside")


def test_a_negation_raised_over_think_still_negates() -> None:
    assert "WEAPON" not in codes("my partner shouted but i don't think he's got a knife")


def test_an_answer_no_is_not_a_negation_of_what_follows() -> None:
    assert "SUSPECT_PRESENT" in codes("my husband hit me", "no he's in the kitchen")


def test_never_been_so_scared_is_fear_not_its_absence() -> None:
    assert "FEAR" in codes("my boyfriend hit me and I've never been so scared in my life")


def test_the_condition_of_an_if_clause_asserts_nothing() -> None:
    assert codes("if he comes back with a knife what do i do") == set()


def test_the_consequent_of_a_conditional_threat_is_a_threat() -> None:
    assert "THREAT_TO_KILL" in codes("he said if i leave him he'll kill me")


def test_a_modal_makes_a_weapon_only_possible() -> None:
    assert "WEAPON" not in codes("my husband hit me, he might have a knife")


def test_a_friends_story_is_not_this_call() -> None:
    result = detect("my friend's husband strangled her last year, she's safe now")
    assert result.codes() == []
    assert not result.domestic_abuse


def test_a_film_plot_is_not_this_call() -> None:
    assert codes("we watched a film where a man stalked his ex") == set()


def test_a_friends_story_does_not_hide_the_callers_own_danger() -> None:
    found = codes("my friend's husband strangled her. but my boyfriend has a gun and he's here")
    assert {"WEAPON", "SUSPECT_PRESENT"} <= found
    assert "STRANGULATION" not in found


def test_speech_recognition_text_without_apostrophes_or_punctuation() -> None:
    found = codes("my boyfriends got a nife hes waving it around i cant talk hes listening")
    assert {"WEAPON", "SUSPECT_PRESENT", "CANNOT_SPEAK"} <= found


def test_misheard_strangulation_words_are_recovered() -> None:
    assert "STRANGULATION" in codes("he chocked me")
    assert "STRANGULATION" in codes("my ex strangeled me last night")


def test_british_slang_for_drunk_is_substance() -> None:
    assert "SUBSTANCE" in codes("my husband's come home steaming and he's punched me")


def test_an_unrecoverable_mishearing_is_a_known_miss() -> None:
    # "knife" heard as "nice": nothing in the words says weapon, so nothing is claimed.
    assert "WEAPON" not in codes("my husband's got a nice he's waving it at me")


def test_male_victim_of_a_female_partner_is_domestic_abuse() -> None:
    result = detect("my girlfriend threw a glass at my head and I'm bleeding")
    assert result.domestic_abuse
    assert result.relationship is not None
    assert result.relationship.value == "intimate_relationship"
    assert {"WEAPON", "INJURY"} <= set(result.codes())


def test_an_elderly_parent_abused_by_an_adult_son_is_relatives() -> None:
    result = detect("I'm 81 and my son pushed me over, he's 50, he's in the kitchen")
    assert result.domestic_abuse
    assert result.relationship is not None
    assert result.relationship.value == "relatives"
    assert "CHILDREN_PRESENT" not in result.codes()


def test_an_assault_by_a_stranger_is_not_domestic_abuse() -> None:
    result = detect("a man I don't know punched me at the bus stop and my nose is bleeding")
    assert not result.domestic_abuse
    assert "INJURY" in result.codes()
