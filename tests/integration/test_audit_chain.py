import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from heard.audit import service as audit
from heard.audit.models import AuditEntry
from heard.audit.verify import verify_chain
from heard.auth import service as auth


def chain_of(db, n=5, code="AUD"):
    with db.transaction() as session:
        force_id = auth.create_force(session, code=code, name="Audit").id
    actor = audit.Actor(
        user_id=7,
        username="wmp.da_specialist",
        role="da_specialist",
        force_id=force_id,
        request_id="r1",
        client_addr="127.0.0.1",
    )
    for i in range(n):
        with db.transaction() as session:
            audit.record(
                session,
                actor=actor,
                action="person.read",
                record_type="person",
                record_id=i,
                reason="safeguarding check",
                details={"i": i},
            )
    return force_id


def report(db, force_id):
    with db.unit_of_work() as uow:
        return verify_chain(uow.session, force_id=force_id)


def as_table_owner(db, *statements):
    """What someone with direct database access could do: switch the guard off and tamper."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        for statement in statements:
            conn.execute(text(statement))


def test_an_untouched_chain_verifies(db):
    force_id = chain_of(db)
    result = report(db, force_id)
    assert result.ok and result.entries_checked == 5


def test_each_force_has_its_own_chain(db):
    a, b = chain_of(db, 3, "AAA"), chain_of(db, 2, "BBB")
    assert report(db, a).entries_checked == 3
    assert report(db, b).entries_checked == 2


def test_the_application_cannot_update_or_delete_audit_rows(db):
    chain_of(db)
    for statement in ("UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(statement))


def test_editing_a_row_is_detected_at_that_row(db):
    force_id = chain_of(db)
    as_table_owner(
        db,
        f"UPDATE audit_log SET reason = 'nothing to see' WHERE force_id = {force_id} AND seq = 3",
    )
    result = report(db, force_id)
    assert not result.ok and result.broken_at_seq == 3 and "altered" in (result.problem or "")


def test_deleting_a_row_in_the_middle_is_detected(db):
    force_id = chain_of(db)
    as_table_owner(db, f"DELETE FROM audit_log WHERE force_id = {force_id} AND seq = 2")
    result = report(db, force_id)
    assert not result.ok and result.broken_at_seq == 3 and "missing" in (result.problem or "")


def test_deleting_the_newest_rows_is_detected(db):
    force_id = chain_of(db)
    as_table_owner(db, f"DELETE FROM audit_log WHERE force_id = {force_id} AND seq >= 4")
    result = report(db, force_id)
    assert not result.ok and "removed from the end" in (result.problem or "")


def test_reordering_rows_is_detected(db):
    force_id = chain_of(db)
    as_table_owner(
        db,
        f"UPDATE audit_log SET seq = -1 WHERE force_id = {force_id} AND seq = 2",
        f"UPDATE audit_log SET seq = 2 WHERE force_id = {force_id} AND seq = 3",
        f"UPDATE audit_log SET seq = 3 WHERE force_id = {force_id} AND seq = -1",
    )
    result = report(db, force_id)
    assert not result.ok and result.broken_at_seq == 2


def test_recomputing_one_rows_hash_still_breaks_the_next_link(db):
    force_id = chain_of(db)
    with db.unit_of_work() as uow:
        from heard.audit.models import AuditEntry

        entry = uow.session.query(AuditEntry).filter_by(force_id=force_id, seq=2).one()
        entry.reason = "rewritten"
        forged = audit.entry_hash(audit.hashed_fields(entry))
        uow.session.expunge_all()
    as_table_owner(
        db,
        f"UPDATE audit_log SET reason = 'rewritten', hash = '{forged}' "
        f"WHERE force_id = {force_id} AND seq = 2",
    )
    result = report(db, force_id)
    assert not result.ok and result.broken_at_seq == 3


def test_the_postgresql_application_role_has_no_update_or_delete_on_the_audit_log(pg_db):
    from heard.db.roles import grant_app_role

    chain_of(pg_db)
    url = pg_db.engine.url.render_as_string(hide_password=False)
    grant_app_role(url, role="heard_app_test")
    with pg_db.engine.connect() as conn:
        conn.execute(text("SET ROLE heard_app_test"))
        conn.execute(text("SELECT count(*) FROM audit_log"))
        for statement in (
            "UPDATE audit_log SET reason = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), conn.begin_nested():
                conn.execute(text(statement))
        conn.rollback()


def actor_for(force_id, username="wmp.order_manager"):
    return audit.Actor(user_id=3, username=username, role="order_manager", force_id=force_id)


def drafts(n, tag):
    return [
        audit.Draft(
            action="breach.raise", record_type="breach", record_id=f"{tag}{i}", details={"i": i}
        )
        for i in range(n)
    ]


def entries_of(session, force_id):
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.force_id == force_id).order_by(AuditEntry.seq)
        )
    )


def test_a_batch_appended_between_single_entries_links_every_entry_in_order(db):
    force_id = chain_of(db, 2)
    with db.transaction() as session:
        audit.record_many(session, actor=actor_for(force_id), drafts=drafts(5, "b"))
        audit.record(session, actor=actor_for(force_id), action="breach.view")
    with db.transaction() as session:
        *_, b0, b1, b2, b3, b4, single = entries_of(session, force_id)
    batch = [b0, b1, b2, b3, b4]
    assert [e.seq for e in batch] == [3, 4, 5, 6, 7] and single.seq == 8
    assert [e.record_id for e in batch] == [f"b{i}" for i in range(5)]
    assert [e.prev_hash for e in batch[1:]] == [e.hash for e in batch[:-1]]
    assert single.prev_hash == batch[-1].hash
    result = report(db, force_id)
    assert result.ok and result.entries_checked == 8


def test_an_empty_batch_appends_nothing(db):
    force_id = chain_of(db, 1)
    with db.transaction() as session:
        audit.record_many(session, actor=actor_for(force_id), drafts=[])
    assert report(db, force_id).entries_checked == 1


def test_entries_are_readable_in_the_transaction_that_recorded_them(db):
    force_id = chain_of(db, 1)
    with db.transaction() as session:
        audit.record(session, actor=actor_for(force_id), action="person.read", record_id=1)
        assert [e.action for e in entries_of(session, force_id)][-1] == "person.read"
        counted = session.execute(
            text("SELECT count(*) FROM audit_log WHERE force_id = :f"), {"f": force_id}
        ).scalar_one()
        assert counted == 2
    assert report(db, force_id).entries_checked == 2


def test_a_savepoint_that_rolls_back_takes_only_its_own_entries(db):
    force_id = chain_of(db, 1)
    with db.transaction() as session:
        audit.record(session, actor=actor_for(force_id), action="before", record_id=1)
        with pytest.raises(RuntimeError), session.begin_nested():
            audit.record(session, actor=actor_for(force_id), action="inside", record_id=2)
            entries_of(session, force_id)  # a read writes both, inside the savepoint
            raise RuntimeError("the hook failed")
        audit.record(session, actor=actor_for(force_id), action="after", record_id=3)
    with db.transaction() as session:
        actions = [e.action for e in entries_of(session, force_id)]
    assert actions[1:] == ["before", "after"]
    result = report(db, force_id)
    assert result.ok, result.problem


def test_entries_of_a_released_savepoint_are_kept(db):
    force_id = chain_of(db, 1)
    with db.transaction() as session:
        with session.begin_nested():
            audit.record(session, actor=actor_for(force_id), action="inside", record_id=1)
        audit.record(session, actor=actor_for(force_id), action="after", record_id=2)
    with db.transaction() as session:
        actions = [e.action for e in entries_of(session, force_id)]
    assert actions[1:] == ["inside", "after"]
    assert report(db, force_id).ok


def test_a_rolled_back_transaction_writes_no_entries(db):
    force_id = chain_of(db, 1)
    with db.unit_of_work() as uow:
        audit.record(uow.session, actor=actor_for(force_id), action="never", record_id=1)
    assert report(db, force_id).entries_checked == 1


def test_batches_appended_at_once_from_two_connections_keep_one_unbroken_chain(db):
    force_id = chain_of(db, 1)
    failures = []

    def append(name):
        try:
            for round_ in range(6):
                with db.transaction() as session:
                    actor = actor_for(force_id, username=name)
                    audit.record_many(session, actor=actor, drafts=drafts(4, f"{name}{round_}-"))
                    audit.record(session, actor=actor, action="breach.view")
        except Exception as error:  # surfaced below, with the thread's name
            failures.append((name, error))

    threads = [threading.Thread(target=append, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = report(db, force_id)
    assert result.ok, result.problem
    assert result.entries_checked == 1 + 2 * 6 * 5
