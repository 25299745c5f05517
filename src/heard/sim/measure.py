"""Measures a generated force against its calibration targets (for tests, docs and benchmarks).

Victims are counted by their true identity from the ground truth, since the point is to check the
generator's dynamics, not the force's linking.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

YEAR_SECONDS = 365 * 86_400


@dataclass(frozen=True)
class Measured:
    people: int
    incidents: int
    da_incidents: int
    da_share: float
    da_per_1000_people_year: float
    da_crime_share: float
    arrests_per_100_da_crimes: float
    charges_per_100_da_crimes: float
    victims_with_repeat_in_12_months: float
    incidents_with_a_repeat_suspect: float
    marac_per_da_incident: float
    marac_repeat_share: float
    male_victim_share: float
    male_marac_share: float
    high_risk_share: float
    reported_episode_share: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _scalar(conn: Connection, sql: str, **params: Any) -> int:
    return int(conn.execute(text(sql), params).scalar_one() or 0)


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _epoch(value: datetime) -> int:
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())


def _victim_times(conn: Connection, force_id: int, table_sql: str) -> dict[int, list[int]]:
    rows = conn.execute(text(table_sql), {"force": force_id})
    by_person: dict[int, list[int]] = defaultdict(list)
    for person_id, at in rows:
        at_value = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        by_person[int(person_id)].append(_epoch(at_value))
    return by_person


DA_VICTIMS = """
    SELECT t.sim_person_id, i.opened_at FROM incidents i
    JOIN involvements v ON v.incident_id = i.id AND v.role = 'victim'
    JOIN sim_record_truth t ON t.person_record_id = v.person_record_id
    WHERE i.force_id = :force AND i.is_domestic_abuse
"""
DA_SUSPECTS = DA_VICTIMS.replace("'victim'", "'suspect'")
MARAC_VICTIMS = """
    SELECT t.sim_person_id, m.referred_at FROM marac_referrals m
    JOIN sim_record_truth t ON t.person_record_id = m.victim_record_id
    WHERE m.force_id = :force
"""


def repeat_share(times_by_person: dict[int, list[int]], *, before: int) -> float:
    """Share of people whose first event was before `before` and who had another within a year."""
    eligible = repeated = 0
    for times in times_by_person.values():
        times.sort()
        if times[0] >= before:
            continue  # a repeat could not yet have happened: don't count them either way
        eligible += 1
        if any(b - a <= YEAR_SECONDS for a, b in itertools.pairwise(times)):
            repeated += 1
    return _ratio(repeated, eligible)


def marac_repeats(times_by_person: dict[int, list[int]]) -> tuple[int, int]:
    total = repeats = 0
    for times in times_by_person.values():
        times.sort()
        total += len(times)
        repeats += sum(1 for a, b in itertools.pairwise(times) if b - a <= YEAR_SECONDS)
    return repeats, total


def _later_events(times_by_person: dict[int, list[int]]) -> tuple[int, int]:
    """(events after the person's first, all events): how many reports involve a known person."""
    total = sum(len(times) for times in times_by_person.values())
    return total - len(times_by_person), total


def measure(conn: Connection, *, force_id: int, years: float, as_of: datetime) -> Measured:
    f = {"force": force_id}
    people = _scalar(conn, "SELECT count(*) FROM sim_persons WHERE force_id = :force", **f)
    incidents = _scalar(conn, "SELECT count(*) FROM incidents WHERE force_id = :force", **f)
    da_where = "FROM incidents WHERE force_id = :force AND is_domestic_abuse"
    da = _scalar(conn, f"SELECT count(*) {da_where}", **f)
    crimes = _scalar(conn, f"SELECT count(*) {da_where} AND crime_recorded", **f)
    arrests = _scalar(conn, f"SELECT count(*) {da_where} AND crime_recorded AND arrest_made", **f)
    charged = _scalar(conn, f"SELECT count(*) {da_where} AND outcome = 'charged'", **f)
    victims = _victim_times(conn, force_id, DA_VICTIMS)
    maracs = _victim_times(conn, force_id, MARAC_VICTIMS)
    suspects = _victim_times(conn, force_id, DA_SUSPECTS)
    marac_repeat, marac_total = marac_repeats(maracs)
    male = _male_shares(conn, force_id)
    high = _scalar(
        conn,
        "SELECT count(*) FROM risk_assessments WHERE force_id = :force "
        "AND grade = 'high' AND instrument <> 's-dash-11'",
        **f,
    )
    assessed = _scalar(
        conn,
        "SELECT count(*) FROM risk_assessments WHERE force_id = :force "
        "AND instrument <> 's-dash-11'",
        **f,
    )
    reported = _scalar(
        conn, "SELECT sum(reported_incidents) FROM sim_dyads WHERE force_id = :force", **f
    )
    episodes = _scalar(
        conn, "SELECT sum(abuse_episodes) FROM sim_dyads WHERE force_id = :force", **f
    )
    return Measured(
        people=people,
        incidents=incidents,
        da_incidents=da,
        da_share=_ratio(da, incidents),
        da_per_1000_people_year=round(1000 * da / people / years, 2) if people else 0.0,
        da_crime_share=_ratio(crimes, da),
        arrests_per_100_da_crimes=round(100 * _ratio(arrests, crimes), 2),
        charges_per_100_da_crimes=round(100 * _ratio(charged, crimes), 2),
        victims_with_repeat_in_12_months=repeat_share(victims, before=_epoch(as_of) - YEAR_SECONDS),
        incidents_with_a_repeat_suspect=_ratio(*_later_events(suspects)),
        marac_per_da_incident=_ratio(marac_total, da),
        marac_repeat_share=_ratio(marac_repeat, marac_total),
        male_victim_share=male[0],
        male_marac_share=male[1],
        high_risk_share=_ratio(high, assessed),
        reported_episode_share=_ratio(reported, episodes),
    )


def _male_shares(conn: Connection, force_id: int) -> tuple[float, float]:
    sql = """
        SELECT p.sex, count(DISTINCT p.id) FROM sim_dyads d JOIN sim_persons p ON p.id = d.victim_id
        WHERE d.force_id = :force AND d.reported_incidents > 0 GROUP BY p.sex
    """
    victims: dict[str, int] = {
        str(sex): int(n) for sex, n in conn.execute(text(sql), {"force": force_id})
    }
    marac_sql = """
        SELECT p.sex, count(*) FROM marac_referrals m
        JOIN sim_record_truth t ON t.person_record_id = m.victim_record_id
        JOIN sim_persons p ON p.id = t.sim_person_id
        WHERE m.force_id = :force GROUP BY p.sex
    """
    marac: dict[str, int] = {
        str(sex): int(n) for sex, n in conn.execute(text(marac_sql), {"force": force_id})
    }
    return (
        _ratio(victims.get("male", 0), sum(victims.values())),
        _ratio(marac.get("male", 0), sum(marac.values())),
    )
