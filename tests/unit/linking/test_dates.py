from datetime import date

from heard.linking import dates
from heard.linking.dates import Dob


def test_iso_compact_and_day_first_dates_are_read_alike():
    expected = Dob(1985, 3, 7)
    assert dates.parse_dob("1985-03-07") == expected
    assert dates.parse_dob("19850307") == expected
    assert dates.parse_dob("07/03/1985") == expected


def test_a_date_with_day_and_month_swapped_past_twelve_is_kept_as_evidence():
    assert dates.parse_dob("1985-24-03") == Dob(1985, 24, 3)


def test_text_that_is_not_a_date_is_missing():
    for text in ("", "unknown", "1985", "32/13/1985", "0000-00-00"):
        assert dates.parse_dob(text) is None


def test_day_and_month_swapped_is_recognised_both_ways():
    assert dates.day_month_swapped(Dob(1985, 3, 7), Dob(1985, 7, 3))
    assert dates.day_month_swapped(Dob(1985, 7, 3), Dob(1985, 3, 7))


def test_a_date_with_equal_day_and_month_is_not_a_swap_of_itself():
    assert not dates.day_month_swapped(Dob(1985, 5, 5), Dob(1985, 5, 5))


def test_a_year_typo_changes_one_part_only():
    assert dates.one_part_differs(Dob(1985, 3, 7), Dob(1958, 3, 7))
    assert not dates.one_part_differs(Dob(1985, 3, 7), Dob(1958, 4, 7))


def test_an_age_given_in_spring_points_to_the_year_before_its_subtraction():
    assert dates.birth_year_from_age(40, date(2026, 3, 1)) == 1985
    assert dates.birth_year_from_age(40, date(2026, 9, 1)) == 1986


def test_an_impossible_age_gives_no_birth_year():
    assert dates.birth_year_from_age(-1, date(2026, 3, 1)) is None
    assert dates.birth_year_from_age(None, date(2026, 3, 1)) is None
