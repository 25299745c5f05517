"""The per-process linking index stays current, including records committed out of id order."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from heard.calls.index import LinkIndexes
from heard.people.models import PersonRecord, Sex


def add_record(db, force_id, record_id, family):
    with db.transaction() as session:
        session.add(
            PersonRecord(
                id=record_id,
                force_id=force_id,
                name_raw=family,
                recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
                given_name="Sam",
                family_name=family,
                sex=Sex.UNKNOWN,
            )
        )


def test_a_record_committed_after_a_higher_id_is_still_indexed(db, world):
    force_id = world.forces["WMP"]
    indexes = LinkIndexes()
    add_record(db, force_id, 100, "Early")
    with db.unit_of_work() as uow:
        index = indexes.for_force(uow.session, force_id=force_id)
    add_record(db, force_id, 105, "Later")  # 101-104 are still in flight elsewhere
    with db.unit_of_work() as uow:
        indexes.for_force(uow.session, force_id=force_id)
    assert "105" in index.linker and set(range(101, 105)) <= set(index.gaps)
    add_record(db, force_id, 103, "Slow")  # a transaction that took a bit longer to commit
    with db.unit_of_work() as uow:
        indexes.for_force(uow.session, force_id=force_id)
    assert "103" in index.linker and 103 not in index.gaps


def test_another_forces_records_never_enter_the_index(db, world):
    add_record(db, world.forces["NMP"], 200, "Elsewhere")
    with db.unit_of_work() as uow:
        index = LinkIndexes().for_force(uow.session, force_id=world.forces["WMP"])
    assert "200" not in index.linker


def test_warming_builds_every_forces_index_before_any_call(db, world):
    add_record(db, world.forces["WMP"], 300, "Warm")
    indexes = LinkIndexes()
    built = indexes.warm(db)
    assert set(built) >= {"WMP", "NMP"}
    with db.read_only() as session:
        index = indexes.for_force(session, force_id=world.forces["WMP"])
    assert "300" in index.linker


@pytest.fixture
def stored_before_start(db, world):
    add_record(db, world.forces["NMP"], 400, "Ready")
    return world.forces["NMP"]


def test_an_app_starting_up_has_its_indexes_built_before_it_serves(
    stored_before_start, app, client
):
    warmed = app.state.link_indexes._indexes[stored_before_start]
    assert "400" in warmed.linker


def test_a_long_read_leaves_other_writers_free(db, world):
    # On SQLite a read-only session must not take the write lock that every other use case does.
    with db.read_only() as session:
        session.execute(select(PersonRecord.id)).all()
        add_record(db, world.forces["WMP"], 500, "Writer")  # would wait 30 s on a held lock
        assert session.execute(select(PersonRecord.id)).all() is not None
