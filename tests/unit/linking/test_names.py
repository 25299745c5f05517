from heard.linking import names


def test_names_are_folded_to_plain_lower_case_letters():
    assert names.normalise_name("  ZOË  O'Brien-Smith ") == "zoe obrien smith"


def test_titles_and_suffixes_are_dropped_but_never_the_whole_name():
    assert names.normalise_name("Mrs. Jane Doe Jnr") == "jane doe"
    assert names.normalise_name("Miss") == "miss"


def test_digits_and_punctuation_separate_words():
    assert names.normalise_name("anne-marie2 (smith)") == "anne marie smith"


def test_a_name_with_nothing_name_like_left_is_missing():
    assert names.normalise_name("  --- 123 ") is None
    assert names.normalise_name(None) is None


def test_letters_without_an_ascii_base_are_spelled_out():
    assert names.fold("Strauß Łukasz Ærø") == "strauss lukasz aero"


def test_bill_is_a_nickname_of_william_and_peggy_of_margaret():
    assert names.are_variants("bill", "william")
    assert names.are_variants("peggy", "margaret")


def test_mo_is_a_nickname_of_mohammed_and_so_of_its_spellings():
    assert names.are_variants("mo", "mohammed")
    assert names.are_variants("mo", "muhammad")


def test_unrelated_names_are_not_variants():
    assert not names.are_variants("william", "margaret")
    assert not names.are_variants("unlisted", "unlisted")


def test_transliterations_of_mohammed_share_one_skeleton():
    keys = {names.skeleton(n) for n in ("mohammed", "muhammad", "mohamed", "mohammad")}
    assert len(keys) == 1


def test_transliterations_of_yusuf_and_aisha_share_skeletons():
    assert names.skeleton("yusuf") == names.skeleton("yousef") == names.skeleton("youssef")
    assert names.skeleton("aisha") == names.skeleton("ayesha")


def test_different_names_have_different_skeletons():
    assert names.skeleton("mohammed") != names.skeleton("margaret")


def test_sound_alike_family_names_share_a_phonetic_code():
    assert names.phonetic("smith") == names.phonetic("smyth")


def test_names_in_other_scripts_are_their_own_phonetic_code():
    assert names.phonetic("محمد") == "محمد"
