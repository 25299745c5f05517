"""Reads kept for the rest of a transaction answer as a fresh query would, after any change."""

from datetime import UTC, datetime

from sqlalchemy import insert

from heard.audit import service as audit
from heard.audit.service import system_actor
from heard.calls import context
from heard.calls.linking import rejected_subject_pairs
from heard.calls.models import LinkSuggestion, SuggestionStatus
from heard.incidents.models import Category, Grade, Incident, Involvement, Role
from heard.people.models import PersonRecord, Sex, Subject

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def person(session, force_id, given):
    subject = Subject(force_id=force_id, given_name=given, family_name="Okafor", created_at=AT)
    session.add(subject)
    session.flush()
    record = PersonRecord(
        force_id=force_id,
        subject_id=subject.id,
        recorded_at=AT,
        name_raw=f"{given} Okafor",
        given_name=given,
        family_name="Okafor",
        sex=Sex.UNKNOWN,
    )
    session.add(record)
    session.flush()
    return subject, record


def incident(session, force_id):
    found = Incident(
        force_id=force_id,
        reference="INC-TEST-1",
        opened_at=AT,
        closed_at=None,
        category=Category.DOMESTIC,
        is_domestic_abuse=True,
        crime_recorded=False,
        grade=Grade.PRIORITY,
        arrest_made=False,
    )
    session.add(found)
    session.flush()
    return found


def suggestion_between(session, force_id, record, candidate, status):
    """A link suggestion that `record` is the person of `candidate` (a (subject, record) pair)."""
    subject, candidate_record = candidate
    found = LinkSuggestion(
        force_id=force_id,
        record_id=record.id,
        candidate_id=candidate_record.id,
        candidate_subject_id=subject.id,
        probability=0.6,
        explanation=[],
        status=status,
        created_at=AT,
    )
    session.add(found)
    session.flush()
    return found


def test_a_pair_rejected_earlier_in_the_transaction_is_never_suggested(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        amara, amara_record = person(session, force_id, "Amara")
        ben, ben_record = person(session, force_id, "Ben")
        suggestion = suggestion_between(
            session, force_id, amara_record, (ben, ben_record), SuggestionStatus.PENDING
        )

        def rejected(subject, other):
            return rejected_subject_pairs(
                session, force_id=force_id, subject_id=subject.id, among={other.id}
            )

        assert rejected(amara, ben) == set()
        suggestion.status = SuggestionStatus.REJECTED  # not flushed yet
        assert rejected(amara, ben) == {ben.id}
        assert rejected(ben, amara) == {amara.id}


def test_only_rejections_between_the_subject_and_those_asked_about_are_found(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        amara, amara_record = person(session, force_id, "Amara")
        ben, ben_record = person(session, force_id, "Ben")
        chidi, chidi_record = person(session, force_id, "Chidi")
        rejected_pairs = (
            (amara_record, (ben, ben_record)),  # Amara is not Ben
            (ben_record, (chidi, chidi_record)),  # Ben is not Chidi: nothing to do with Amara
        )
        for record, candidate in rejected_pairs:
            suggestion_between(session, force_id, record, candidate, SuggestionStatus.REJECTED)

        def rejected(subject, *others):
            return rejected_subject_pairs(
                session, force_id=force_id, subject_id=subject.id, among={o.id for o in others}
            )

        assert rejected(amara, ben, chidi) == {ben.id}
        assert rejected(chidi, amara, ben) == {ben.id}
        assert rejected(amara, chidi) == set()
        assert rejected(amara) == set()
        assert rejected(ben, amara, chidi) == {amara.id, chidi.id}


def test_a_child_added_earlier_in_the_transaction_is_in_the_context(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        mother, mother_record = person(session, force_id, "Grace")
        child, child_record = person(session, force_id, "Tobi")
        found = incident(session, force_id)
        session.add(
            Involvement(
                force_id=force_id,
                incident_id=found.id,
                person_record_id=mother_record.id,
                role=Role.VICTIM,
            )
        )
        session.flush()
        ids = {found.id}
        assert context._others_in(session, ids, (Role.CHILD_PRESENT,), mother.id) == []
        session.add(
            Involvement(
                force_id=force_id,
                incident_id=found.id,
                person_record_id=child_record.id,
                role=Role.CHILD_PRESENT,
            )
        )  # not flushed yet
        children = context._others_in(session, ids, (Role.CHILD_PRESENT,), mother.id)
        assert [c["subject_id"] for c in children] == [child.id]
        summary = context.subject_summary(session, subject_id=mother.id, at=AT, roles_on_call=[])
        assert [c["name"] for c in summary["children"]] == ["Tobi Okafor"]


def test_a_bulk_write_to_a_subjects_records_is_seen_but_an_audit_entry_keeps_the_read(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        grace, grace_record = person(session, force_id, "Grace")
        found = incident(session, force_id)
        kept = context._facts(session, grace.id)
        audit.record(
            session,
            actor=system_actor(force_id, reason_source="test"),
            action="person.view",
            record_type="subject",
            record_id=grace.id,
        )
        assert context._facts(session, grace.id) is kept
        session.execute(
            insert(Involvement).values(
                force_id=force_id,
                incident_id=found.id,
                person_record_id=grace_record.id,
                role=Role.VICTIM,
            )
        )
        assert list(context._facts(session, grace.id).incidents) == [found.id]
