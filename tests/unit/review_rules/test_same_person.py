"""One person recorded under two ids: the rules count and follow the person, not the ids."""

from __future__ import annotations

from heard.review.rules import RuleSettings, evaluate
from tests.unit.review_rules.helpers import (
    assessment,
    attendance,
    call,
    found,
    history,
    incident,
    marac,
    person,
    referral,
    t,
)

SERIAL = "serial-perpetrator-not-flagged"
HIGH = "high-risk-no-marac"
DAY = 24


def two_victims(second_name: str, second_born: str | None, first_born: str | None = "1990-05-01"):
    return history(
        person("v1", name="Rhona Sinclair", date_of_birth=first_born),
        person("v2", name=second_name, date_of_birth=second_born),
        incident("i1", 0, victims=("v1",)),
        incident("i2", 10 * DAY, victims=("v2",)),
        as_of=99 * DAY,
    )


def test_one_victim_recorded_twice_with_a_typing_slip_is_not_two_victims():
    assert found(two_victims("Rhona Sinlair", "1990-05-01"), SERIAL) == []


def test_two_victims_with_different_dates_of_birth_are_two_people():
    assert len(found(two_victims("Rhona Sinclair", "1991-05-01"), SERIAL)) == 1


def test_a_shared_name_without_dates_of_birth_proves_nothing():
    assert len(found(two_victims("Rhona Sinclair", None, first_born=None), SERIAL)) == 1


def test_a_shared_date_of_birth_with_a_different_name_is_two_people():
    assert len(found(two_victims("Alice Green", "1990-05-01"), SERIAL)) == 1


def test_a_marac_referral_under_the_other_record_answers_high_risk():
    case = history(
        person("v1", name="Joanne Clarke", date_of_birth="1991-02-14"),
        person("v1b", name="Joanne Clarke", date_of_birth="1991-02-14"),
        assessment("r1", 0, victim="v1"),
        marac("m1", 2, victim="v1b"),
        as_of=99,
    )
    assert found(case, HIGH) == []


def test_a_force_can_take_every_id_as_a_different_person():
    case = two_victims("Rhona Sinlair", "1990-05-01")
    settings = RuleSettings.model_validate({"same-person": {"enabled": False}})
    assert [f.rule for f in evaluate(case, settings)] == [SERIAL]


def test_a_changed_surname_or_names_written_family_name_first_are_one_person():
    assert found(two_victims("Rhona Mistry", "1990-05-01"), SERIAL) == []
    assert found(two_victims("Sinclair Rhona", "1990-05-01"), SERIAL) == []


def test_twins_sharing_a_birthday_and_a_surname_stay_two_people():
    assert len(found(two_victims("Morag Sinclair", "1990-05-01"), SERIAL)) == 1


def test_another_name_recorded_for_the_person_is_compared_too():
    case = history(
        person("v1", name="Kate Laidler", date_of_birth="1992-08-04"),
        person(
            "v2", name="Katherine Smith", other_names=["Kate Laidler"], date_of_birth="1992-08-04"
        ),
        incident("i1", 0, victims=("v1",)),
        incident("i2", 10 * DAY, victims=("v2",)),
        as_of=99 * DAY,
    )
    assert found(case, SERIAL) == []


def test_a_childs_notice_must_name_that_child_even_when_a_sibling_shares_the_details():
    case = history(
        person("child1", name="Amy Cole", date_of_birth="2016-01-01"),
        person("child2", name="Amy Cole", date_of_birth="2016-01-01"),
        incident("i1", 0, child_ids=("child1", "child2")),
        attendance("a1", "i1", 0.5),
        referral("n1", "encompass", "child1", 20, incident_id="i1", delivered_at=t(1)),
        as_of=99,
    )
    [finding] = found(case, "encompass-not-sent")
    assert "child2" in finding.evidence


def test_a_finding_names_the_ids_as_recorded_not_the_one_standing_for_them():
    case = history(
        person("vb", name="Faris Al-Sayed", date_of_birth="1994-01-31"),
        person("va", name="Faris Al Sayed", date_of_birth="1994-01-31"),
        incident("i1", 0, victims=("vb",)),
        incident("i2", DAY, victims=("vb",)),
        incident("i3", 2 * DAY, victims=("va",)),
        *(call(f"c{n}", (n - 1) * DAY, incident=f"i{n}") for n in (1, 2, 3)),
    )
    [finding] = found(case, "repeat-da-no-positive-action")
    assert finding.about == ("vb", "va", "s1")
