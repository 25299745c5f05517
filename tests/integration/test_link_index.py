"""The per-process linking index stays current, including records committed out of id order."""

from datetime import UTC, datetime

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
