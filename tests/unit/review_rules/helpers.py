"""Building case histories by hand: times are hours after T0, people are added as they are named.

Every test states the records that matter and nothing else; a person named anywhere is added to
`people` automatically (with an adult's age unless the test gives one).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from heard.review.rules import CaseHistory, Finding, RuleSettings, evaluate

T0 = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)  # a Monday, midday, GMT
Rec = tuple[str, dict[str, Any]]
PERSON_FIELDS = ("caller_id", "person_id", "subject_id", "victim_id")
PERSON_LISTS = ("victim_ids", "suspect_ids", "child_ids", "protected_ids")


def t(hours: float = 0, *, minutes: float = 0, days: float = 0) -> str:
    moment = T0 + timedelta(hours=hours, minutes=minutes, days=days)
    return moment.isoformat().replace("+00:00", "Z")


def person(pid: str, **kw: Any) -> Rec:
    return "people", {"id": pid, **kw}


def incident(
    iid: str,
    hours: float,
    *,
    victims: tuple[str, ...] = ("v1",),
    suspects: tuple[str, ...] = ("s1",),
    da: bool = True,
    **kw: Any,
) -> Rec:
    doc = {"id": iid, "opened_at": t(hours), "victim_ids": list(victims)}
    doc.update({"suspect_ids": list(suspects), "domestic_abuse": da, **kw})
    return "incidents", doc


def call(cid: str, hours: float, *, incident: str | None = None, **kw: Any) -> Rec:
    return "calls", {"id": cid, "received_at": t(hours), "incident_id": incident, **kw}


def change(gid: str, call_id: str, hours: float, frm: str, to: str, **kw: Any) -> Rec:
    doc = {"id": gid, "call_id": call_id, "at": t(hours), "previous_grade": frm, "grade": to}
    return "grade_changes", {**doc, **kw}


def sign(sid: str, call_id: str, hours: float, code: str = "threat_to_kill", **kw: Any) -> Rec:
    doc = {"id": sid, "call_id": call_id, "raised_at": t(hours), "code": code}
    return "warning_signs", {**doc, **kw}


def ack(aid: str, sign_id: str, hours: float, action: str = "asked_about_it", **kw: Any) -> Rec:
    doc = {"id": aid, "warning_sign_id": sign_id, "at": t(hours), "action": action}
    return "acknowledgements", {**doc, **kw}


def assessment(rid: str, hours: float, level: str = "high", victim: str = "v1", **kw: Any) -> Rec:
    doc = {"id": rid, "victim_id": victim, "assessed_at": t(hours), "level": level}
    return "risk_assessments", {**doc, **kw}


def marac(mid: str, hours: float, victim: str = "v1", **kw: Any) -> Rec:
    return "marac_referrals", {"id": mid, "victim_id": victim, "referred_at": t(hours), **kw}


def referral(rid: str, kind: str, subject: str, due_hours: float, **kw: Any) -> Rec:
    doc = {"id": rid, "kind": kind, "subject_id": subject, "due_at": t(due_hours)}
    return "referrals", {"created_at": t(due_hours - 24), **doc, **kw}


def order(oid: str, hours: float, subject: str = "s1", protected: tuple[str, ...] = ("v1",)) -> Rec:
    doc = {"id": oid, "type": "dapo", "subject_id": subject, "protected_ids": list(protected)}
    return "orders", {**doc, "made_at": t(hours)}


def duty(did: str, order_id: str, due_hours: float, kind: str = "notification_initial", **kw: Any):
    return "order_duties", {
        "id": did,
        "order_id": order_id,
        "kind": kind,
        "due_at": t(due_hours),
        **kw,
    }


def breach(bid: str, order_id: str, hours: float, **kw: Any) -> Rec:
    return "breaches", {"id": bid, "order_id": order_id, "alert_at": t(hours), **kw}


def arrest(aid: str, hours: float, person_id: str = "s1", **kw: Any) -> Rec:
    return "arrests", {"id": aid, "person_id": person_id, "at": t(hours), **kw}


def attendance(aid: str, incident_id: str, arrived: float | None, **kw: Any) -> Rec:
    doc = {"id": aid, "incident_id": incident_id}
    if arrived is not None:
        doc["arrived_at"] = t(arrived)
    return "attendances", {**doc, **kw}


def marker(mid: str, person_id: str, hours: float, code: str = "serial_perpetrator") -> Rec:
    doc = {"id": mid, "person_id": person_id, "code": code, "applied_at": t(hours)}
    return "markers", doc


def document(*records: Rec, as_of: float | None = None, **top: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {**top}
    if as_of is not None:
        doc["as_of"] = t(as_of)
    for collection, record in records:
        doc.setdefault(collection, []).append(record)
    given = {p["id"] for p in doc.get("people", [])}
    named: list[str] = []
    for _, record in records:
        named += [record[f] for f in PERSON_FIELDS if record.get(f)]
        named += [p for f in PERSON_LISTS for p in record.get(f, [])]
    for pid in dict.fromkeys(named):
        if pid not in given:
            doc.setdefault("people", []).append(
                {"id": pid, "age_years": 8 if "child" in pid else 30}
            )
            given.add(pid)
    return doc


def history(*records: Rec, as_of: float | None = None, **top: Any) -> CaseHistory:
    return CaseHistory.model_validate(document(*records, as_of=as_of, **top))


def found(case: CaseHistory, rule: str, **thresholds: Any) -> list[Finding]:
    settings = RuleSettings.model_validate({rule: thresholds}) if thresholds else None
    return [f for f in evaluate(case, settings) if f.rule == rule]
