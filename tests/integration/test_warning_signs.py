"""Transcripts, warning signs, the acknowledgement ledger and grading, through the API."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from heard.audit.models import AuditEntry
from heard.auth.models import Force
from heard.auth.permissions import Role
from heard.clock import utcnow
from heard.jobs.models import Job, JobStatus
from heard.jobs.worker import Worker
from heard.signals import history as history_module
from heard.signals.events import (
    CueDetected,
    GradeChangeDecided,
    GradeSet,
    WarningSignAcknowledged,
    WarningSignEscalated,
)
from heard.signals.ledger import ESCALATE_JOB
from heard.signals.models import Escalation, TranscriptSegment, WarningSign
from heard.signals.service import RECOMPUTE_JOB

WHEN = "2026-11-30T21:00:00Z"


def call_body(ref, **extra):
    body = {
        "source_ref": ref,
        "channel": "999",
        "received_at": WHEN,
        "caller_number": "07700 900555",
        "address": "12 Oxford Road",
        "postcode": "TS1 3AA",
        "people": [
            {"role": "victim", "given_name": "Grace", "family_name": "Obi", "sex": "female"},
            {"role": "suspect", "given_name": "Liam", "family_name": "Shaw", "sex": "male"},
        ],
        "relationship": {"connection": "married"},
    }
    body.update(extra)
    return body


def new_call(client, world, ref="CAD-1", force="WMP", **extra):
    response = world.token_client(client, force).post("/api/v1/calls", json=call_body(ref, **extra))
    assert response.status_code == 201, response.text
    return response.json()["call"]["id"]


def segment(sid, text, speaker="caller", start=0):
    return {
        "segment_id": sid,
        "speaker": speaker,
        "text": text,
        "start_ms": start,
        "end_ms": start + 1000,
    }


def post_segments(client, world, call_id, *segments, force="WMP"):
    body = segments[0] if len(segments) == 1 else list(segments)
    return world.token_client(client, force).post(f"/api/v1/calls/{call_id}/transcript", json=body)


def as_role(client, world, role, force="WMP"):
    return world.client_for(client, force, role)


def count(db, model, *where):
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def audit_actions(db, **where):
    with db.unit_of_work() as uow:
        query = select(AuditEntry.action)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return list(uow.session.scalars(query))


def set_force_settings(db, world, settings, force="WMP"):
    with db.transaction() as session:
        found = session.get_one(Force, world.forces[force])
        found.settings = {**found.settings, **settings}


def run_due_jobs(app, db):
    with db.transaction() as session:
        session.execute(update(Job).values(run_after=utcnow() - timedelta(seconds=1)))
    worker = Worker(db, app.state.jobs, lease_seconds=30)
    while worker.run_once():
        pass


# --- transcripts ---------------------------------------------------------------------------


def test_a_segment_is_stored_before_the_answer_and_a_retry_stores_nothing_more(client, world, db):
    call_id = new_call(client, world)
    first = post_segments(client, world, call_id, segment("s1", "he's got a knife"))
    assert first.status_code == 201, first.text
    assert first.json()["stored"] == 1 and first.json()["new_cues"] == ["WEAPON"]
    again = post_segments(client, world, call_id, segment("s1", "he's got a knife"))
    assert again.status_code == 200 and again.json()["duplicates"] == 1
    assert count(db, TranscriptSegment) == 1
    assert count(db, WarningSign, WarningSign.code == "WEAPON") == 1
    changed = post_segments(client, world, call_id, segment("s1", "something else"))
    assert changed.status_code == 409 and "different content" in changed.json()["detail"]


def test_the_transcript_and_its_cues_carry_the_words_behind_each_cue(client, world, db):
    call_id = new_call(client, world)
    seen = []
    db.bus.subscribe(CueDetected, seen.append)
    text = "my husband put his hands round my neck and i couldn't breathe"
    post_segments(
        client,
        world,
        call_id,
        segment("a", "Police, what's the emergency?", speaker="handler"),
        segment("b", text, start=2000),
    )
    view = as_role(client, world, Role.DA_SPECIALIST).get(f"/api/v1/calls/{call_id}/transcript")
    assert view.status_code == 200
    body = view.json()
    assert [s["segment_id"] for s in body["segments"]] == ["a", "b"]
    assert body["domestic_abuse"] is True and body["relationship"] == "married"
    cue = next(c for c in body["cues"] if c["code"] == "STRANGULATION")
    span = cue["evidence"][0]
    assert span["segment_id"] == "b" and text[span["start"] : span["end"]] == span["text"]
    assert cue["first_segment_id"] == "b"
    assert {e.code for e in seen if e.first} >= {"STRANGULATION"}
    assert "transcript.view" in audit_actions(db, record_id=str(call_id))


def test_a_restarted_process_rebuilds_the_call_state_from_stored_segments(client, world, app):
    call_id = new_call(client, world)
    post_segments(client, world, call_id, segment("q", "Is he still there?", speaker="handler"))
    app.state.cue_states.forget(call_id)  # a restart, or the next segment landing elsewhere
    answer = post_segments(client, world, call_id, segment("y", "yes", start=1500))
    assert "SUSPECT_PRESENT" in answer.json()["new_cues"], "the question came from storage"
    assert app.state.cue_states.rebuilds == 1
    more = post_segments(
        client, world, call_id, segment("z", "he's banging on the door", start=3000)
    )
    assert more.status_code == 201 and app.state.cue_states.rebuilds == 1


def test_bad_segments_are_refused_with_the_field_named(client, world):
    call_id = new_call(client, world)
    bad = {"segment_id": "x", "speaker": "robot", "text": "hi", "start_ms": 5, "end_ms": 1}
    response = post_segments(client, world, call_id, bad)
    assert response.status_code == 422
    assert post_segments(client, world, 10**9, segment("x", "hi")).status_code == 404
    too_many = [segment(f"s{i}", "hi") for i in range(201)]
    assert post_segments(client, world, call_id, *too_many).status_code == 422


def test_another_forces_call_takes_no_transcript(client, world):
    call_id = new_call(client, world, force="NMP")
    assert post_segments(client, world, call_id, segment("s", "hi")).status_code == 404


# --- warning signs from history and their dedupe ------------------------------------------


def test_recomputing_the_same_facts_raises_nothing_new_but_a_new_fact_does(client, world, db):
    call_id = new_call(client, world, ref="CAD-1")
    second = new_call(client, world, ref="CAD-2", received_at="2026-11-30T21:30:00Z")
    api = world.token_client(client, "WMP")
    before = count(db, WarningSign, WarningSign.call_id == second)
    assert before >= 1  # the second call tonight about the same people
    api.patch(f"/api/v1/calls/{second}", json={"free_text": "more detail"})
    assert count(db, WarningSign, WarningSign.call_id == second) == before
    child = {"role": "child_present", "given_name": "Ada", "family_name": "Obi", "age": "4"}
    patched = api.patch(f"/api/v1/calls/{second}", json={"people": [child]}).json()
    codes = {s["code"] for s in patched["extensions"]["signals"]["signs"]}
    assert "CHILDREN_LINKED" in codes
    assert count(db, WarningSign, WarningSign.call_id == second) == before + 1
    assert count(db, WarningSign, WarningSign.call_id == call_id) >= 0


def test_a_hook_that_fails_never_loses_the_call_and_its_work_is_retried(
    client, world, db, app, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in history")

    new_call(client, world, ref="CAD-1")
    monkeypatch.setattr(history_module.HistoryReader, "read", broken)
    response = world.token_client(client, "WMP").post(
        "/api/v1/calls", json=call_body("CAD-2", received_at="2026-11-30T21:20:00Z")
    )
    assert response.status_code == 201 and "signals" not in response.json()["extensions"]
    call_id = response.json()["call"]["id"]
    assert count(db, WarningSign, WarningSign.call_id == call_id) == 0
    assert count(db, Job, Job.kind == RECOMPUTE_JOB) == 1
    monkeypatch.undo()
    run_due_jobs(app, db)
    assert count(db, Job, Job.kind == RECOMPUTE_JOB, Job.status == JobStatus.SUCCEEDED) == 1
    assert count(db, WarningSign, WarningSign.call_id == call_id) >= 1


def test_a_silent_call_from_a_number_with_da_history_is_suggested_emergency(client, world):
    new_call(client, world, ref="CAD-1", received_at="2026-11-20T21:00:00Z")
    silent = world.token_client(client, "WMP").post(
        "/api/v1/calls",
        json={
            "source_ref": "SILENT-1",
            "channel": "silent_55",
            "received_at": WHEN,
            "caller_number": "07700 900555",
        },
    )
    assert silent.status_code == 201
    signals = silent.json()["extensions"]["signals"]
    assert "NUMBER_DA_HISTORY" in {s["code"] for s in signals["signs"]}
    assert signals["grade"]["suggested_grade"] == "emergency"
    assert [r["rule"] for r in signals["grade"]["reasons"]] == ["silent_da_number"]


# --- the acknowledgement ledger -------------------------------------------------------------


def first_sign(client, world, call_id):
    signs = as_role(client, world, Role.CALL_HANDLER).get(f"/api/v1/calls/{call_id}/warning-signs")
    return signs.json()["signs"][0]


def test_a_person_acknowledges_a_sign_once_saying_what_they_did(client, world, db):
    call_id = new_call(client, world)
    post_segments(client, world, call_id, segment("s", "he said he's going to kill me"))
    sign = first_sign(client, world, call_id)
    seen = []
    db.bus.subscribe(WarningSignAcknowledged, seen.append)
    handler = as_role(client, world, Role.CALL_HANDLER)
    url = f"/api/v1/warning-signs/{sign['id']}/acknowledge"
    no_reason = handler.post(url, json={"action": "not_relevant"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["detail"]
    done = handler.post(url, json={"action": "not_relevant", "reason": "said about a video game"})
    assert done.status_code == 200
    ack = done.json()["acknowledgement"]
    assert ack["action"] == "not_relevant" and ack["role"] == "call_handler"
    assert ack["seconds_to_acknowledge"] >= 0
    again = as_role(client, world, Role.DA_SPECIALIST).post(url, json={"action": "asked_about_it"})
    assert again.status_code == 409 and "already acknowledged" in again.json()["detail"]
    assert [e.sign_id for e in seen] == [sign["id"]]
    assert "warning_sign.acknowledge" in audit_actions(db, record_id=str(sign["id"]))
    other = world.client_for(client, "NMP", Role.CALL_HANDLER).post(
        url, json={"action": "asked_about_it"}
    )
    assert other.status_code == 404
    token = world.token_client(client, "WMP").post(url, json={"action": "asked_about_it"})
    assert token.status_code == 403


def test_an_unacknowledged_sign_escalates_to_the_supervisor_after_the_forces_time(
    client, world, db, app
):
    set_force_settings(db, world, {"warning_signs": {"acknowledge_within_seconds": 30}})
    call_id = new_call(client, world)
    post_segments(client, world, call_id, segment("s", "he's got a knife"))
    post_segments(client, world, call_id, segment("t", "my nose is bleeding", start=2000))
    with db.unit_of_work() as uow:
        jobs = uow.session.scalars(select(Job).where(Job.kind == ESCALATE_JOB)).all()
        due = [(j.run_after - j.created_at).total_seconds() for j in jobs]
    assert len(due) == 2 and all(29 <= d <= 31 for d in due)
    weapon, injury = (
        next(s for s in first_signs(client, world, call_id) if s["code"] == code)
        for code in ("WEAPON", "INJURY")
    )
    as_role(client, world, Role.CALL_HANDLER).post(
        f"/api/v1/warning-signs/{injury['id']}/acknowledge", json={"action": "passed_to_officers"}
    )
    seen = []
    db.bus.subscribe(WarningSignEscalated, seen.append)
    run_due_jobs(app, db)
    assert [e.sign_id for e in seen] == [weapon["id"]]
    assert count(db, Escalation) == 1
    supervisor = as_role(client, world, Role.SUPERVISOR)
    escalated = supervisor.get("/api/v1/warning-signs?escalated=true").json()
    assert [o["sign"]["id"] for o in escalated] == [weapon["id"]]
    assert escalated[0]["sign"]["escalation"]["to_role"] == "supervisor"
    assert "warning_sign.escalate" in audit_actions(db, record_id=str(weapon["id"]))
    assert supervisor.get("/api/v1/warning-signs?escalated=true", headers={}).status_code == 200
    theirs = world.client_for(client, "NMP", Role.SUPERVISOR).get("/api/v1/warning-signs").json()
    assert theirs == []


def first_signs(client, world, call_id):
    return (
        as_role(client, world, Role.CALL_HANDLER)
        .get(f"/api/v1/calls/{call_id}/warning-signs")
        .json()["signs"]
    )


def test_statistics_give_time_to_acknowledge_and_share_acknowledged_by_sign(client, world):
    call_id = new_call(client, world)
    post_segments(client, world, call_id, segment("s", "he's got a knife and my nose is bleeding"))
    signs = {s["code"]: s for s in first_signs(client, world, call_id)}
    handler = as_role(client, world, Role.CALL_HANDLER)
    handler.post(
        f"/api/v1/warning-signs/{signs['WEAPON']['id']}/acknowledge",
        json={"action": "passed_to_officers"},
    )
    stats = as_role(client, world, Role.SUPERVISOR).get("/api/v1/warning-signs/statistics")
    assert stats.status_code == 200
    by_code = {row["code"]: row for row in stats.json()["by_sign"]}
    assert by_code["WEAPON"]["share_acknowledged"] == 1.0
    assert by_code["WEAPON"]["actions"] == {"passed_to_officers": 1}
    assert by_code["INJURY"]["share_acknowledged"] == 0.0
    assert by_code["WEAPON"]["seconds_to_acknowledge"]["median"] is not None
    overall = stats.json()["overall"]
    assert overall["raised"] == len(signs) and overall["acknowledged"] == 1
    backwards = handler.get(
        "/api/v1/warning-signs/statistics?since=2026-12-01T00:00:00Z&until=2026-11-01T00:00:00Z"
    )
    assert backwards.status_code == 422


# --- grading ----------------------------------------------------------------------------------


def da_call_with_threat(client, world):
    call_id = new_call(client, world)
    post_segments(client, world, call_id, segment("s", "my husband said he will kill me"))
    return call_id


def test_grading_below_the_suggestion_needs_a_reason_and_a_second_person(client, world, db):
    call_id = da_call_with_threat(client, world)
    handler = as_role(client, world, Role.CALL_HANDLER)
    grade = handler.get(f"/api/v1/calls/{call_id}/grade").json()
    assert grade["suggested_grade"] == "emergency"
    assert grade["reasons"][0]["rule"] == "da_critical_cue"
    url = f"/api/v1/calls/{call_id}/grade"
    refused = handler.post(url, json={"grade": "priority"})
    assert refused.status_code == 422 and "written reason" in refused.json()["detail"]
    seen = []
    db.bus.subscribe(GradeSet, seen.append)
    db.bus.subscribe(GradeChangeDecided, seen.append)
    lowered = handler.post(url, json={"grade": "priority", "reason": "he has left in a taxi"})
    assert lowered.status_code == 200
    body = lowered.json()
    assert body["grade"] == "priority" and body["below_suggestion"] is True
    assert body["lowered_pending_sign_off"] is True
    change_id = body["pending_sign_off"][0]["id"]
    mine = handler.post(f"/api/v1/grade-changes/{change_id}/sign-off", json={})
    assert mine.status_code == 403  # a handler cannot sign off at all
    supervisor = as_role(client, world, Role.SUPERVISOR)
    assert [c["id"] for c in supervisor.get("/api/v1/grade-changes").json()] == [change_id]
    signed = supervisor.post(f"/api/v1/grade-changes/{change_id}/sign-off", json={"note": "ok"})
    assert signed.status_code == 200 and signed.json()["status"] == "signed_off"
    after = handler.get(url).json()
    assert after["lowered_pending_sign_off"] is False and after["grade"] == "priority"
    twice = supervisor.post(f"/api/v1/grade-changes/{change_id}/sign-off", json={})
    assert twice.status_code == 409
    assert {"grade.set", "grade.sign_off"} <= set(
        audit_actions(db, record_id=str(call_id)) + audit_actions(db, record_id=str(change_id))
    )
    assert [type(e).__name__ for e in seen] == ["GradeSet", "GradeChangeDecided"]


def test_the_person_who_lowered_a_grade_cannot_sign_it_off_and_a_rejection_restores_it(
    client, world, db
):
    call_id = da_call_with_threat(client, world)
    supervisor = as_role(client, world, Role.SUPERVISOR)
    url = f"/api/v1/calls/{call_id}/grade"
    supervisor.post(url, json={"grade": "emergency"})
    lowered = supervisor.post(
        url, json={"grade": "scheduled", "reason": "caller now at a friend's"}
    )
    change_id = lowered.json()["pending_sign_off"][0]["id"]
    own = supervisor.post(f"/api/v1/grade-changes/{change_id}/sign-off", json={})
    assert own.status_code == 409 and "second person" in own.json()["detail"]
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    rejected = specialist.post(
        f"/api/v1/grade-changes/{change_id}/reject", json={"reason": "threat to kill; attend"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    after = supervisor.get(url).json()
    assert after["grade"] == "emergency" and after["lowered_pending_sign_off"] is False
    assert [c["kind"] for c in after["history"]] == ["suggested", "set", "set", "reverted"]
    assert "grade.reject" in audit_actions(db, record_id=str(change_id))


def test_a_repeat_da_call_within_24_hours_is_never_resolved_without_deployment(client, world):
    new_call(client, world, ref="CAD-1", received_at="2026-11-30T09:00:00Z")
    call_id = new_call(client, world, ref="CAD-2")
    handler = as_role(client, world, Role.CALL_HANDLER)
    grade = handler.get(f"/api/v1/calls/{call_id}/grade").json()
    assert grade["suggested_grade"] == "priority" and grade["refused_grades"] == ["resolution"]
    refused = handler.post(
        f"/api/v1/calls/{call_id}/grade",
        json={"grade": "resolution", "reason": "caller asked for advice only"},
    )
    assert refused.status_code == 409 and "not allowed on this call" in refused.json()["detail"]


def test_a_call_back_on_a_da_call_with_signs_waits_for_a_specialist_or_supervisor(
    client, world, db
):
    call_id = da_call_with_threat(client, world)
    closed = world.token_client(client, "WMP").post(
        f"/api/v1/calls/{call_id}/close", json={"disposition": "call_back"}
    )
    assert closed.status_code == 200
    specialist = as_role(client, world, Role.DA_SPECIALIST)
    pending = specialist.get("/api/v1/grade-changes").json()
    assert [(c["kind"], c["call_id"]) for c in pending] == [("call_back", call_id)]
    signed = specialist.post(f"/api/v1/grade-changes/{pending[0]['id']}/sign-off", json={})
    assert signed.status_code == 200
    assert "grade.call_back" in audit_actions(db, record_id=str(call_id))


def test_a_supervisor_closing_with_a_call_back_signs_it_off_themselves(client, world):
    call_id = da_call_with_threat(client, world)
    supervisor = as_role(client, world, Role.SUPERVISOR)
    supervisor.post(f"/api/v1/calls/{call_id}/close", json={"disposition": "call_back"})
    history = supervisor.get(f"/api/v1/calls/{call_id}/grade").json()["history"]
    call_back = next(c for c in history if c["kind"] == "call_back")
    assert call_back["status"] == "signed_off" and call_back["decided_by_name"] == "wmp.supervisor"


def test_system_tokens_cannot_set_grades_or_acknowledge(client, world):
    call_id = da_call_with_threat(client, world)
    token = world.token_client(client, "WMP")
    assert (
        token.post(f"/api/v1/calls/{call_id}/grade", json={"grade": "emergency"}).status_code == 403
    )


@pytest.mark.parametrize("grade", ["emergency", "priority", "scheduled", "resolution"])
def test_with_no_suggestion_any_first_grade_needs_no_sign_off(client, world, grade):
    call_id = new_call(
        client,
        world,
        people=[{"role": "caller", "given_name": "Ann", "family_name": "Lee"}],
        relationship=None,
        caller_number=None,
        address=None,
        postcode=None,
    )
    handler = as_role(client, world, Role.CALL_HANDLER)
    body = handler.post(f"/api/v1/calls/{call_id}/grade", json={"grade": grade}).json()
    assert body["suggested_grade"] is None and body["pending_sign_off"] == []


def test_risk_assessments_read_the_cues_stored_from_the_transcript(client, world, db):
    from heard.incidents.models import Call
    from heard.signals.for_risk import cue_codes_for

    call_id = new_call(client, world, free_text="caller says her husband hit her")
    post_segments(client, world, call_id, segment("s", "he put his hands round my neck"))
    with db.unit_of_work() as uow:
        incident_id = uow.session.get_one(Call, call_id).incident_id
        codes = cue_codes_for(uow.session, incident_id=incident_id, call_id=call_id)
    assert "STRANGULATION" in codes
