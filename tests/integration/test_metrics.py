"""The pilot statistics over constructed records, on both databases, against hand-worked figures."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from heard import errors
from heard.audit.models import AuditEntry
from heard.metrics import export, service
from heard.metrics.export import ExportFormat
from heard.metrics.measures import Figure
from heard.metrics.periods import MonthRange
from tests.support import metrics_setup

MARCH, APRIL = "2026-03", "2026-04"
# Worked by hand from tests/support/metrics_setup.py.
EXPECTED = {
    # Three DA calls in March (c3 only by its words; the call on the 28th is not DA); two in
    # April (c5 and a second call about the same incident).
    (MARCH, "da_calls", "", 3.0),
    (MARCH, "da_calls_reviewed", "", 2.0),
    (MARCH, "da_calls_reviewed_percent", "", 66.7),
    (MARCH, "review_minutes_median", "", 60.0),  # 30 and 90 minutes
    (APRIL, "da_calls", "", 2.0),
    (APRIL, "da_calls_reviewed", "", 0.0),
    (APRIL, "da_calls_reviewed_percent", "", 0.0),
    (MARCH, "warning_signs_raised", "", 3.0),
    (MARCH, "warning_signs_acknowledged", "", 2.0),
    (MARCH, "warning_signs_not_relevant", "", 1.0),
    (MARCH, "acknowledge_seconds_median", "", 30.0),  # 20 and 40 seconds
    (APRIL, "warning_signs_raised", "", 1.0),
    (APRIL, "warning_signs_acknowledged", "", 1.0),
    (APRIL, "warning_signs_not_relevant", "", 0.0),
    (APRIL, "acknowledge_seconds_median", "", 100.0),
    # Emergency to priority (signed off), priority to scheduled (pending); not the raise, the
    # call-back or the first grade set.
    (MARCH, "grades_lowered", "", 2.0),
    (MARCH, "grades_lowered_signed_off", "", 1.0),
    # The withdrawn referral counts nowhere.
    (MARCH, "referrals_made", "support", 2.0),
    (MARCH, "referrals_on_time", "support", 1.0),
    (MARCH, "referrals_made", "marac", 1.0),
    (MARCH, "referrals_on_time", "marac", 0.0),
    (MARCH, "encompass_notices", "", 1.0),
    (MARCH, "encompass_on_time", "", 1.0),
    (APRIL, "encompass_notices", "", 1.0),
    (APRIL, "encompass_on_time", "", 0.0),
    (MARCH, "marac_referrals", "", 2.0),
    (MARCH, "marac_referrals", "repeat", 2.0),
    (MARCH, "marac_referrals", "visible_high_risk", 1.0),
    (APRIL, "marac_referrals", "", 1.0),
    # The order made at 23:30 UTC on 31 March is March's, though London was already in April.
    (MARCH, "orders_made", "dapo", 2.0),
    (APRIL, "orders_made", "dapn", 1.0),
    (MARCH, "breaches", "arrested", 1.0),
    (MARCH, "breaches", "no_further_action", 1.0),
    (MARCH, "breaches", "open", 1.0),
    (MARCH, "breach_attend_minutes_median", "", 30.0),  # 15 and 45 minutes
    (MARCH, "breach_outcome_hours_median", "", 1.3),  # 40 minutes and 2 hours
    # c1 (274 days after Amira's call in June 2025) and c2 (18 days after c1); Chloe's April
    # call came 400 days after her last, and the second call that night is the same incident.
    (MARCH, "repeat_da_calls_12m", "", 2.0),
    (MARCH, "findings", "high-risk-no-marac", 2.0),
    (APRIL, "findings", "breach-no-response", 1.0),
}


def figures(db, world, first=MARCH, last=APRIL, force="WMP"):
    with db.transaction() as session:
        return service.pilot_statistics(
            session, force_id=world.forces[force], months=MonthRange.parse(first, last)
        )


def test_every_measure_of_a_constructed_pilot_comes_out_as_worked_by_hand(db, world):
    metrics_setup.pilot(db, world)
    found = figures(db, world)
    assert {(f.month, f.measure, f.group, f.value) for f in found} == EXPECTED
    assert len(found) == len(EXPECTED), "each figure appears once"


def test_figures_come_in_month_then_measure_order(db, world):
    metrics_setup.pilot(db, world)
    found = figures(db, world)
    months = [f.month for f in found]
    assert months == sorted(months)
    assert found[0] == Figure(MARCH, "da_calls", "", 3.0)


def test_a_range_of_one_month_leaves_the_other_out_but_still_reads_the_year_before(db, world):
    metrics_setup.pilot(db, world)
    found = figures(db, world, APRIL, APRIL)
    assert {f.month for f in found} == {APRIL}
    march_only = figures(db, world, MARCH, MARCH)
    assert Figure(MARCH, "repeat_da_calls_12m", "", 2.0) in march_only


def test_another_forces_records_never_reach_a_forces_figures(db, world):
    metrics_setup.pilot(db, world)
    nmp = figures(db, world, force="NMP")
    assert {(f.measure, f.value) for f in nmp} == {
        ("da_calls", 1.0),
        ("da_calls_reviewed", 0.0),
        ("da_calls_reviewed_percent", 0.0),
    }


@pytest.mark.parametrize(
    ("first", "last"), [("2026-13", "2026-12"), ("March", "2026-04"), ("2026-05", "2026-04")]
)
def test_a_month_that_is_not_yyyy_mm_or_a_backwards_range_is_refused_with_a_reason(first, last):
    with pytest.raises(errors.Invalid) as refused:
        MonthRange.parse(first, last)
    assert "YYYY-MM" in refused.value.detail or "forwards" in refused.value.detail


def test_csv_and_parquet_hold_the_same_rows(db, world):
    metrics_setup.pilot(db, world)
    found = figures(db, world)
    text = export.render(ExportFormat.CSV, "WMP", found).decode()
    lines = text.splitlines()
    assert lines[0] == "force,month,measure,group,value,unit,label"
    assert "WMP,2026-03,review_minutes_median,,60.0,minutes,Time to specialist review (median)" in (
        lines
    )
    table = pq.read_table(io.BytesIO(export.render(ExportFormat.PARQUET, "WMP", found)))
    assert table.num_rows == len(lines) - 1 == len(EXPECTED)
    assert table.column("value").to_pylist() == [f.value for f in found]


def audit_exports(db, world):
    with db.transaction() as session:
        query = select(AuditEntry).where(
            AuditEntry.action == "statistics.export", AuditEntry.force_id == world.forces["WMP"]
        )
        return list(session.scalars(query.order_by(AuditEntry.id)))


def test_the_api_gives_the_figures_and_each_download_is_audited_with_its_reason(client, world, db):
    from heard.auth.permissions import Role

    metrics_setup.pilot(db, world)
    analyst = world.client_for(client, "WMP", Role.REVIEWER)
    body = analyst.get("/api/v1/statistics", params={"from": MARCH, "to": APRIL}).json()
    assert body["force"] == "WMP" and len(body["figures"]) == len(EXPECTED)
    assert {m["id"] for m in body["measures"]} >= {"da_calls", "findings"}
    assert audit_exports(db, world) == [], "reading aggregates is not an export"
    csv = analyst.get(
        "/api/v1/statistics.csv", params={"from": MARCH, "to": APRIL, "reason": "pilot board"}
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "heard-statistics-WMP-2026-03-2026-04.csv" in csv.headers["content-disposition"]
    parquet = analyst.get("/api/v1/statistics.parquet", params={"from": MARCH, "to": MARCH})
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows > 0
    first, second = audit_exports(db, world)
    assert (first.reason, first.details["format"], first.details["figures"]) == (
        "pilot board",
        "csv",
        len(EXPECTED),
    )
    assert (second.reason, second.details["format"], second.details["to"]) == (
        None,
        "parquet",
        MARCH,
    )


def test_a_bad_month_on_the_api_is_a_422_with_the_reason(client, world):
    from heard.auth.permissions import Role

    analyst = world.client_for(client, "WMP", Role.SUPERVISOR)
    response = analyst.get("/api/v1/statistics.csv", params={"from": "2026-3", "to": "2026-04"})
    assert response.status_code == 422
    assert "YYYY-MM" in response.json()["detail"]


def test_heard_metrics_export_writes_the_file_and_audits_the_export(
    db, world, database_url, monkeypatch, tmp_path
):
    from typer.testing import CliRunner

    from heard.cli import app as cli_app

    metrics_setup.pilot(db, world)
    monkeypatch.setenv("HEARD_DATABASE_URL", database_url)
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    out = tmp_path / "wmp.parquet"
    args = ["metrics", "export", "--force", "wmp", "--from", MARCH, "--to", APRIL]
    result = CliRunner().invoke(cli_app, [*args, "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(EXPECTED)} figures for WMP" in result.stdout
    assert pq.read_table(out).num_rows == len(EXPECTED)
    [entry] = audit_exports(db, world)
    assert (entry.role, entry.reason, entry.details["format"]) == (
        "metrics-export",
        "written to wmp.parquet",
        "parquet",
    )


def test_heard_metrics_export_refuses_a_bad_month_or_force_with_exit_2(
    db, world, database_url, monkeypatch, tmp_path
):
    from typer.testing import CliRunner

    from heard.cli import app as cli_app

    monkeypatch.setenv("HEARD_DATABASE_URL", database_url)
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    out = tmp_path / "x.csv"
    bad_month = ["metrics", "export", "--force", "WMP", "--from", "2026-3", "--to", "2026-04"]
    result = CliRunner().invoke(cli_app, [*bad_month, "--out", str(out)])
    assert result.exit_code == 2 and "YYYY-MM" in result.stderr
    bad_force = ["metrics", "export", "--force", "NOSUCH", "--from", MARCH, "--to", APRIL]
    result = CliRunner().invoke(cli_app, [*bad_force, "--out", str(out)])
    assert result.exit_code == 2 and "no force" in result.stderr
    assert not out.exists()
