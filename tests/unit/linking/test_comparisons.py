from heard.linking.comparisons import FIELDS, MISSING, compare
from heard.linking.prepared import prepare
from heard.linking.records import LinkRecord


def level(field: str, left: LinkRecord, right: LinkRecord) -> str:
    at = [spec.name for spec in FIELDS].index(field)
    found = compare(prepare(left), prepare(right))[at]
    return "missing" if found == MISSING else FIELDS[at].levels[found]


def person(**values: str) -> LinkRecord:
    return LinkRecord("x", **values)


def test_identical_names_agree_exactly():
    assert level("given_name", person(given_name="Amira"), person(given_name="AMIRA")) == "exact"


def test_a_nickname_agrees_as_a_variant():
    left, right = person(given_name="Bill"), person(given_name="William")
    assert level("given_name", left, right) == "variant"


def test_a_transliteration_agrees_as_a_variant():
    left, right = person(given_name="Mohammed"), person(given_name="Muhammad")
    assert level("given_name", left, right) == "variant"
    left, right = person(family_name="Hussain"), person(family_name="Hussein")
    assert level("family_name", left, right) == "variant"


def test_a_vowel_slip_agrees_as_a_variant_through_the_skeleton():
    left, right = person(given_name="Jonathan"), person(given_name="Jonathon")
    assert level("given_name", left, right) == "variant"


def test_a_typing_slip_agrees_by_jaro_winkler():
    left, right = person(given_name="Patrick"), person(given_name="Patrcik")
    assert level("given_name", left, right) == "jaro_winkler_92"


def test_names_written_the_other_way_round_agree_as_swapped():
    left = person(given_name="Wei", family_name="Zhang")
    right = person(given_name="Zhang", family_name="Wei")
    assert level("given_name", left, right) == "swapped"
    assert level("family_name", left, right) == "swapped"


def test_a_family_name_recorded_as_the_forename_agrees_as_crossed():
    left = person(given_name="Emily", family_name="Stronach")
    right = person(given_name="Stronach", family_name="Ethan")
    assert level("family_name", left, right) == "crossed"


def test_a_double_barrelled_name_shares_a_part_with_either_half():
    left, right = person(family_name="Oyelaran-Smith"), person(family_name="Smith")
    assert level("family_name", left, right) == "shared_part"


def test_an_initial_agrees_with_a_name_it_begins():
    left, right = person(given_name="J"), person(given_name="Jasper")
    assert level("given_name", left, right) == "initial"


def test_day_and_month_swapped_is_its_own_level():
    left, right = person(date_of_birth="1990-04-11"), person(date_of_birth="1990-11-04")
    assert level("date_of_birth", left, right) == "day_month_swapped"


def test_a_year_typo_differs_in_one_part():
    left, right = person(date_of_birth="1990-04-11"), person(date_of_birth="1909-04-11")
    assert level("date_of_birth", left, right) == "one_part_differs"


def test_an_age_agrees_with_a_date_of_birth_in_the_right_years():
    from datetime import date

    aged = LinkRecord("x", age=35, recorded_on=date(2026, 9, 1))
    assert level("date_of_birth", aged, person(date_of_birth="1990-04-11")) == "age_compatible"
    assert level("date_of_birth", aged, person(date_of_birth="1960-04-11")) == "different"


def test_a_phone_one_digit_out_agrees_at_one_edit():
    left, right = person(phone="07700 900123"), person(phone="07700 900124")
    assert level("phone", left, right) == "one_edit"


def test_neighbours_on_one_street_are_not_the_same_address():
    left = person(address="1 High Street", postcode="TS5 6QT")
    right = person(address="3 High Street", postcode="TS5 6QT")
    assert level("address", left, right) == "same_postcode"


def test_a_postcode_one_keystroke_out_still_allows_a_close_address():
    left = person(address="12 Judkins Street Airds", postcode="TS5 6QT")
    right = person(address="12 Judkins Stret Airds", postcode="TS5 6TQ")
    assert level("address", left, right) == "close"


def test_a_missing_field_on_either_side_takes_no_level():
    assert level("phone", person(phone="07700 900123"), person()) == "missing"
    assert level("sex", person(sex="f"), person(sex="unknown")) == "missing"
