"""The context reads all of a call's subjects together; each subject's history must come out as
if it had been read alone."""

from datetime import UTC, datetime

from sqlalchemy import select

from heard.auth import service as auth
from heard.calls import context
from heard.incidents.models import Incident, Involvement, Role
from heard.people.models import PersonRecord
from heard.sim.generate import Params, generate

AT = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def pairs_of_parties(session, force_id, limit):
    """Victim and suspect subjects of domestic abuse incidents: people with the most history."""
    victim, suspect = Involvement.__table__.alias(), Involvement.__table__.alias()
    victim_record, suspect_record = PersonRecord.__table__.alias(), PersonRecord.__table__.alias()
    query = (
        select(victim_record.c.subject_id, suspect_record.c.subject_id)
        .select_from(Incident)
        .join(victim, (victim.c.incident_id == Incident.id) & (victim.c.role == Role.VICTIM))
        .join(suspect, (suspect.c.incident_id == Incident.id) & (suspect.c.role == Role.SUSPECT))
        .join(victim_record, victim_record.c.id == victim.c.person_record_id)
        .join(suspect_record, suspect_record.c.id == suspect.c.person_record_id)
        .where(Incident.force_id == force_id, Incident.is_domestic_abuse)
        .order_by(Incident.id)
        .limit(limit)
    )
    return [(a, b) for a, b in session.execute(query) if a and b and a != b]


def test_subjects_read_together_have_the_history_each_has_alone(db):
    with db.transaction() as session:
        force_id = auth.create_force(session, code="CTX", name="Context").id
    generate(db.engine, force_id=force_id, params=Params(people=600, seed=3), workers=1)
    with db.transaction() as session:
        pairs = pairs_of_parties(session, force_id, 40)
    assert len(pairs) >= 20
    for victim, suspect in pairs:
        with db.transaction() as session:
            together = context.subject_summaries(
                session, roles={victim: ["victim"], suspect: ["suspect"]}, at=AT
            )
        alone = []
        for subject, role in ((victim, "victim"), (suspect, "suspect")):
            with db.transaction() as session:
                alone.append(
                    context.subject_summary(
                        session, subject_id=subject, at=AT, roles_on_call=[role]
                    )
                )
        for read_together, read_alone in zip(together, alone, strict=True):
            differing = {k for k in read_alone if read_together[k] != read_alone[k]}
            assert not differing, {k: (read_together[k], read_alone[k]) for k in differing}


def test_a_generated_pair_has_history_to_compare(db):
    """The comparison above means something only if the pairs have history to get wrong."""
    with db.transaction() as session:
        force_id = auth.create_force(session, code="CTY", name="Context").id
    generate(db.engine, force_id=force_id, params=Params(people=600, seed=3), workers=1)
    with db.transaction() as session:
        summaries = [
            summary
            for victim, suspect in pairs_of_parties(session, force_id, 40)
            for summary in context.subject_summaries(
                session, roles={victim: [], suspect: []}, at=AT
            )
        ]
    assert sum(s["incidents_total"] > 1 for s in summaries) >= 10
    assert any(s["risk_grades"] for s in summaries)
    assert any(s["related_people"] for s in summaries)
    assert any(s["calls_12m"] for s in summaries)
