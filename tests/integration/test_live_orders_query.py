"""The live-orders read behind the ACTIVE_ORDER and POSSIBLE_BREACH signs, on both databases: an
order is found through the person it restrains and through each person it protects."""

from datetime import timedelta

import pytest

from heard.signals.history_queries import LIVE_ORDERS_OF_RECORDS
from tests.support.signals_history import NIGHT, build_history


@pytest.fixture
def history(db, world):
    return build_history(db, world.forces["WMP"])


def live_orders(db, record_ids, at=NIGHT):
    params = {"at": at, "record_ids": record_ids, "protected_ids": record_ids}
    with db.unit_of_work() as uow:
        return [order.id for order in uow.session.scalars(LIVE_ORDERS_OF_RECORDS, params)]


def test_an_order_is_found_through_the_person_it_restrains(db, history):
    assert live_orders(db, [history.suspect_record]) == [history.order_id]


def test_an_order_is_found_through_the_person_it_protects(db, history):
    assert live_orders(db, [history.victim_record]) == [history.order_id]


def test_an_order_is_found_once_when_both_of_its_people_are_asked_about(db, history):
    both = [history.victim_record, history.suspect_record]
    assert live_orders(db, both) == [history.order_id]


def test_no_order_is_found_for_someone_it_does_not_name(db, history):
    assert live_orders(db, [history.suspect_record + 10_000]) == []


def test_an_order_that_has_expired_is_not_live(db, history):
    long_after = NIGHT + timedelta(days=365)
    assert live_orders(db, [history.victim_record], at=long_after) == []
