from heard.sim import names
from heard.sim.name_pools import POOLS


def test_every_origin_has_female_male_and_family_names():
    for pool in POOLS:
        assert pool.female and pool.male and pool.family, pool.origin


def test_the_mix_of_origins_covers_the_uk_groups_the_issue_names():
    origins = {pool.origin for pool in POOLS}
    assert {"english", "welsh", "scottish", "irish", "south_asian", "arabic"} <= origins
    assert {"eastern_european", "somali", "west_african", "chinese", "caribbean"} <= origins


def test_any_spelling_of_mohammed_has_the_others_as_variants():
    for spelling in ("Mohammed", "Muhammad", "Mohamed"):
        others = set(names.transliterations(spelling))
        assert spelling not in others
        assert {"Mohammed", "Muhammad", "Mohamed"} - {spelling} <= others


def test_transliteration_is_symmetric():
    for group in names.TRANSLITERATIONS:
        for name in group:
            for other in group:
                if other != name:
                    assert other in names.transliterations(name)


def test_a_nickname_leads_back_to_its_formal_name():
    for formal, shorts in names.NICKNAMES.items():
        for short in shorts:
            assert formal in names.formal_names_for(short)


def test_sam_can_stand_for_samuel_or_samantha():
    assert {"Samuel", "Samantha"} <= set(names.formal_names_for("Sam"))


def test_polish_surnames_agree_with_the_bearers_sex():
    polish = names.pool_for("eastern_european")
    assert names.family_name_for(polish, "Kowalski", "female") == "Kowalska"
    assert names.family_name_for(polish, "Kowalski", "male") == "Kowalski"
    assert names.family_name_for(names.pool_for("english"), "Kowalski", "female") == "Kowalski"


def test_prefixed_surnames_get_the_spellings_officers_use():
    assert {"OBrien", "O Brien"} <= set(names.surname_spellings("O'Brien"))
    assert "MacGregor" in names.surname_spellings("McGregor")
    assert "Al Sayed" in names.surname_spellings("Al-Sayed")
    assert "Kowalski" in names.surname_spellings("Kowalska")
    assert names.surname_spellings("Smith") == ()
