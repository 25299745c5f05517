"""The case-history format: what it accepts, and the plain-words errors for what it refuses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from heard.review.rules import CaseHistory, evaluate
from heard.review.rules.index import CaseIndex
from heard.review.rules.reading import CaseInputError, parse_case
from tests.unit.review_rules.helpers import (
    T0,
    ack,
    call,
    document,
    incident,
    order,
    person,
    referral,
    sign,
)


def test_an_empty_history_is_valid_and_has_no_findings():
    assert evaluate(CaseHistory()) == []


def test_times_without_a_zone_are_refused():
    doc = document(incident("i1", 0))
    doc["incidents"][0]["opened_at"] = "2025-03-03T12:00:00"
    with pytest.raises(CaseInputError, match="time zone"):
        parse_case(doc)


def test_times_in_another_zone_are_held_in_utc():
    doc = document(incident("i1", 0))
    doc["incidents"][0]["opened_at"] = "2025-07-01T13:00:00+01:00"
    case = CaseHistory.model_validate(doc)
    assert case.incidents[0].opened_at.isoformat() == "2025-07-01T12:00:00+00:00"


def test_unknown_keys_are_refused_rather_than_ignored():
    doc = document(incident("i1", 0))
    doc["incidents"][0]["arest_made"] = True
    with pytest.raises(CaseInputError, match="arest_made"):
        parse_case(doc)


def test_an_id_used_twice_is_refused_even_across_collections():
    doc = document(incident("x1", 0), call("x1", 0))
    with pytest.raises(CaseInputError, match="'x1' is also used in"):
        parse_case(doc)


def test_a_reference_to_a_missing_record_names_the_field():
    doc = document(call("c1", 0, incident="i9"))
    with pytest.raises(CaseInputError, match=r"calls\[c1\]\.incident_id: 'i9' is not one of"):
        parse_case(doc)


def test_a_person_named_but_not_listed_is_refused():
    doc = document(incident("i1", 0))
    doc["people"] = [p for p in doc["people"] if p["id"] != "s1"]
    with pytest.raises(CaseInputError, match="'s1' is not one of the people"):
        parse_case(doc)


def test_a_sign_acknowledged_twice_is_refused():
    doc = document(call("c1", 0), sign("w1", "c1", 0), ack("k1", "w1", 1), ack("k2", "w1", 2))
    with pytest.raises(CaseInputError, match="already acknowledged"):
        parse_case(doc)


def test_something_that_happened_after_as_of_is_refused():
    with pytest.raises(CaseInputError, match="after as_of"):
        parse_case(document(incident("i1", 10), as_of=5))


def test_a_deadline_after_as_of_is_expected():
    case = parse_case(document(referral("f1", "support", "v1", 48), as_of=30))
    assert CaseIndex(case).as_of == T0.replace(hour=18, day=4)


def test_without_as_of_the_latest_event_is_used_not_a_far_deadline():
    doc = document(order("o1", 5), incident("i1", 7))
    doc["orders"][0]["expires_at"] = "2030-01-01T00:00:00Z"
    assert CaseIndex(parse_case(doc)).as_of == T0.replace(hour=19)


def test_a_case_that_is_not_an_object_is_refused():
    with pytest.raises(CaseInputError, match="JSON object"):
        parse_case([])


def test_another_format_version_is_refused():
    with pytest.raises(ValidationError):
        CaseHistory.model_validate({"format": "heard-case/2"})


def test_people_may_carry_no_name_at_all():
    case = CaseHistory.model_validate(document(person("v1"), incident("i1", 0)))
    assert case.people[0].name is None
