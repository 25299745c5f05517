"""Properties over random case histories: determinism, evidence, time, and monotony."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.review.rules import RULES, CaseHistory, RuleSettings, chronology, evaluate
from heard.review.rules.chronology import Focus
from heard.review.rules.index import CaseIndex, latest_time, records
from tests.unit.review_rules import helpers as h

VICTIMS = ("v1", "v2", "v3")
SUSPECTS = ("s1", "s2")
hours = st.floats(min_value=0, max_value=24 * 400, allow_nan=False).map(lambda x: round(x, 2))
grades = st.sampled_from(["emergency", "priority", "scheduled", "resolution"])
severities = st.sampled_from(["critical", "high", "medium", "low"])


@st.composite
def case_documents(draw: st.DrawFn) -> dict:
    records: list[h.Rec] = []
    n_incidents = draw(st.integers(0, 8))
    for n in range(n_incidents):
        start = draw(hours)
        closed = draw(st.none() | st.floats(0, 48).map(lambda d, s=start: h.t(s + d)))
        records.append(
            h.incident(
                f"i{n}",
                start,
                victims=(draw(st.sampled_from(VICTIMS)),),
                suspects=draw(st.sampled_from([(), ("s1",), ("s2",)])),
                da=draw(st.booleans()),
                violence=draw(st.booleans()),
                arrest_made=draw(st.booleans()),
                grade=draw(grades),
                closed_at=closed,
                child_ids=draw(st.sampled_from([(), ("child1",)])),
            )
        )
        disposition = draw(st.sampled_from([None, "attended", "call_back"]))
        records.append(h.call(f"c{n}", start, incident=f"i{n}", disposition=disposition))
        if draw(st.booleans()):
            records.append(h.sign(f"w{n}", f"c{n}", start + 0.01, severity=draw(severities)))
            if draw(st.booleans()):
                action = draw(st.sampled_from(["asked_about_it", "not_relevant"]))
                records.append(h.ack(f"k{n}", f"w{n}", start + draw(st.floats(0, 5)), action))
        if draw(st.booleans()):
            records.append(h.change(f"g{n}", f"c{n}", start + 0.1, draw(grades), draw(grades)))
        if draw(st.booleans()):
            arrived = draw(st.none() | st.floats(0, 5).map(lambda d, s=start: s + d))
            records.append(h.attendance(f"a{n}", f"i{n}", arrived))
    for n in range(draw(st.integers(0, 3))):
        victim = draw(st.sampled_from(VICTIMS))
        level = draw(st.sampled_from(["standard", "medium", "high"]))
        records.append(h.assessment(f"r{n}", draw(hours), level, victim))
    for n in range(draw(st.integers(0, 2))):
        records.append(h.marac(f"m{n}", draw(hours), draw(st.sampled_from(VICTIMS))))
    for n in range(draw(st.integers(0, 2))):
        records.append(h.referral(f"f{n}", "support", draw(st.sampled_from(VICTIMS)), draw(hours)))
    if draw(st.booleans()):
        records.append(h.order("o1", draw(hours)))
        records.append(h.duty("d1", "o1", draw(hours)))
        records.append(h.breach("b1", "o1", draw(hours)))
    if draw(st.booleans()):
        records.append(h.marker("k-serial", "s1", draw(hours)))
    doc = h.document(*records)
    extra = draw(st.none() | hours)
    if extra is not None:
        latest = latest_time(CaseHistory.model_validate(doc)) + timedelta(hours=extra)
        doc["as_of"] = latest.isoformat()
    return doc


def keys(findings) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, f.evidence) for f in findings}


def shuffled(doc: dict, seed: int) -> dict:
    rng = random.Random(seed)
    out = {}
    for key, value in doc.items():
        if isinstance(value, list):
            value = list(value)
            rng.shuffle(value)
        out[key] = value
    return out


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(case_documents(), st.integers(0, 10_000))
def test_the_order_of_records_in_the_file_never_changes_the_findings(doc, seed):
    first = evaluate(CaseHistory.model_validate(doc))
    again = evaluate(CaseHistory.model_validate(shuffled(doc, seed)))
    assert [f.contract_line() for f in first] == [f.contract_line() for f in again]


@PROPERTY
@given(case_documents())
def test_every_finding_names_records_in_the_case_and_happened_by_the_as_of_time(doc):
    case = CaseHistory.model_validate(doc)
    ids = {r.id for r in _all_records(case)}
    as_of = CaseIndex(case).as_of
    for finding in evaluate(case):
        assert finding.evidence and set(finding.evidence) <= ids
        assert set(finding.about) <= {p.id for p in case.people}
        assert finding.at <= as_of


@PROPERTY
@given(case_documents(), hours)
def test_a_later_as_of_time_never_takes_a_finding_away(doc, extra):
    case = CaseHistory.model_validate(doc)
    earlier = CaseIndex(case).as_of
    later = case.model_copy(update={"as_of": earlier + timedelta(hours=extra)})
    assert keys(evaluate(case)) <= keys(evaluate(later))


@PROPERTY
@given(case_documents(), st.sampled_from([r.id for r in RULES]))
def test_disabling_a_rule_removes_exactly_its_findings(doc, rule_id):
    case = CaseHistory.model_validate(doc)
    everything = evaluate(case)
    without = evaluate(case, RuleSettings.model_validate({rule_id: {"enabled": False}}))
    assert keys(without) == {k for k in keys(everything) if k[0] != rule_id}


@PROPERTY
@given(case_documents())
def test_an_arrest_on_every_incident_leaves_no_repeat_call_finding(doc):
    for incident in doc.get("incidents", []):
        incident["arrest_made"] = True
    case = CaseHistory.model_validate(doc)
    assert [f for f in evaluate(case) if f.rule == "repeat-da-no-positive-action"] == []


@PROPERTY
@given(case_documents(), st.sampled_from(VICTIMS))
def test_a_chronology_is_in_time_order_and_names_only_the_cases_records(doc, victim):
    case = CaseHistory.model_validate(doc)
    ids = {r.id for r in _all_records(case)}
    findings = evaluate(case)
    entries = chronology(case, Focus(victim=victim), findings=findings)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    prints = {f.fingerprint for f in findings}
    assert all(e.record_id in ids or e.record_id in prints for e in entries)


def _all_records(case: CaseHistory):
    return list(records(case))
