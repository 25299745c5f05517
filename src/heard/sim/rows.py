"""Rows ready for bulk writing: the column order of every generated table and the text forms of
times, dates and JSON, so SQLite and PostgreSQL receive exactly the same values."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

Row = tuple[Any, ...]

# Written in this order, parents before children, so foreign keys hold after every batch.
TABLES: dict[str, tuple[str, ...]] = {
    "locations": (
        "id",
        "force_id",
        "address_text",
        "address_normalised",
        "postcode",
        "uprn",
        "latitude",
        "longitude",
        "easting",
        "northing",
    ),
    "subjects": ("id", "force_id", "given_name", "family_name", "date_of_birth", "created_at"),
    "person_records": (
        "id",
        "force_id",
        "subject_id",
        "recorded_at",
        "name_raw",
        "given_name",
        "family_name",
        "date_of_birth",
        "age_years",
        "sex",
        "phone_raw",
        "phone_e164",
        "email",
        "address_raw",
        "location_id",
    ),
    "incidents": (
        "id",
        "force_id",
        "version",
        "reference",
        "opened_at",
        "closed_at",
        "category",
        "is_domestic_abuse",
        "crime_recorded",
        "location_id",
        "grade",
        "arrest_made",
        "outcome",
    ),
    "calls": (
        "id",
        "force_id",
        "source_ref",
        "channel",
        "received_at",
        "caller_number",
        "free_text",
        "incident_id",
    ),
    "involvements": ("id", "force_id", "incident_id", "person_record_id", "role"),
    "incident_relationships": (
        "id",
        "force_id",
        "incident_id",
        "victim_record_id",
        "suspect_record_id",
        "connection",
        "is_former",
        "detail",
    ),
    "risk_assessments": (
        "id",
        "force_id",
        "instrument",
        "grade",
        "yes_count",
        "assessed_at",
        "victim_record_id",
        "incident_id",
        "grade_lowered",
        "earlier_grade",
    ),
    "marac_referrals": (
        "id",
        "force_id",
        "victim_record_id",
        "incident_id",
        "referred_at",
        "criteria",
        "meeting_date",
        "outcome",
    ),
    "orders": (
        "id",
        "force_id",
        "version",
        "order_type",
        "status",
        "subject_record_id",
        "incident_id",
        "issued_by",
        "made_at",
        "served_at",
        "expires_at",
        "conditions",
    ),
    "order_protected_persons": ("id", "force_id", "order_id", "person_record_id"),
    "markers": (
        "id",
        "force_id",
        "subject_id",
        "location_id",
        "code",
        "source",
        "applied_at",
        "expires_at",
    ),
    "sim_households": ("id", "force_id", "kind", "location_id", "earlier_location_id", "moved_on"),
    "sim_persons": (
        "id",
        "force_id",
        "household_id",
        "origin",
        "sex",
        "given_name",
        "family_name",
        "birth_family_name",
        "name_changed_on",
        "date_of_birth",
        "phone",
        "earlier_phone",
        "phone_changed_on",
        "email",
    ),
    "sim_relationships": (
        "id",
        "force_id",
        "person_a_id",
        "person_b_id",
        "kind",
        "connection",
        "since",
        "until",
    ),
    "sim_dyads": (
        "id",
        "force_id",
        "victim_id",
        "suspect_id",
        "connection",
        "pattern",
        "started_at",
        "ended_at",
        "stopped_reporting",
        "reported_incidents",
        "abuse_episodes",
    ),
    "sim_record_truth": ("person_record_id", "sim_person_id", "noise"),
    "sim_incident_truth": ("incident_id", "dyad_id"),
}
# Columns holding ids the generator assigned, and the table each id belongs to. Ids are local to
# a chunk; the writer adds each table's offset so chunks can be generated in parallel.
REFERENCES: dict[str, dict[str, str]] = {
    "locations": {"id": "locations"},
    "subjects": {"id": "subjects"},
    "person_records": {
        "id": "person_records",
        "subject_id": "subjects",
        "location_id": "locations",
    },
    "incidents": {"id": "incidents", "location_id": "locations"},
    "calls": {"id": "calls", "incident_id": "incidents"},
    "involvements": {
        "id": "involvements",
        "incident_id": "incidents",
        "person_record_id": "person_records",
    },
    "incident_relationships": {
        "id": "incident_relationships",
        "incident_id": "incidents",
        "victim_record_id": "person_records",
        "suspect_record_id": "person_records",
    },
    "risk_assessments": {
        "id": "risk_assessments",
        "victim_record_id": "person_records",
        "incident_id": "incidents",
    },
    "marac_referrals": {
        "id": "marac_referrals",
        "victim_record_id": "person_records",
        "incident_id": "incidents",
    },
    "orders": {"id": "orders", "subject_record_id": "person_records", "incident_id": "incidents"},
    "order_protected_persons": {
        "id": "order_protected_persons",
        "order_id": "orders",
        "person_record_id": "person_records",
    },
    "markers": {"id": "markers", "subject_id": "subjects", "location_id": "locations"},
    "sim_households": {
        "id": "sim_households",
        "location_id": "locations",
        "earlier_location_id": "locations",
    },
    "sim_persons": {"id": "sim_persons", "household_id": "sim_households"},
    "sim_relationships": {
        "id": "sim_relationships",
        "person_a_id": "sim_persons",
        "person_b_id": "sim_persons",
    },
    "sim_dyads": {"id": "sim_dyads", "victim_id": "sim_persons", "suspect_id": "sim_persons"},
    "sim_record_truth": {"person_record_id": "person_records", "sim_person_id": "sim_persons"},
    "sim_incident_truth": {"incident_id": "incidents", "dyad_id": "sim_dyads"},
}
# Tables whose rows carry an id the generator assigns (the truth link tables are keyed by others).
ID_TABLES = tuple(t for t, cols in TABLES.items() if cols[0] == "id")
EPOCH_ORDINAL = 719_163


@cache
def _clock(suffix: str) -> list[str]:
    """One string per second of the day, built once per process: formatting times was the
    generator's top cost."""
    return [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(86_400)]


class Codec:
    """Text forms both databases parse identically; SQLite gets SQLAlchemy's own storage format."""

    def __init__(self, *, utc_suffix: str) -> None:
        self._days: dict[int, str] = {}
        self._clock = _clock(utc_suffix)

    def day(self, ordinal: int | None) -> str | None:
        if ordinal is None:
            return None
        text = self._days.get(ordinal)
        if text is None:
            text = self._days[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def ts(self, seconds: int | None) -> str | None:
        if seconds is None:
            return None
        days, rest = divmod(seconds, 86_400)
        ordinal = days + EPOCH_ORDINAL
        day = self._days.get(ordinal) or self.day(ordinal)
        return f"{day}{self._clock[rest]}"

    @staticmethod
    def json(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))


SQLITE_CODEC_SUFFIX = ".000000"
POSTGRES_CODEC_SUFFIX = "+00"


class Batch:
    """Rows of one chunk, grouped by table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {name: [] for name in TABLES}
        # How many ids of each table the chunk used (its local ids run 1..count).
        self.counts: dict[str, int] = {}

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def shifted_columns(table: str, offsets: dict[str, int]) -> dict[int, int]:
    """Column position -> offset to add, for the id columns of `table`."""
    columns = TABLES[table]
    return {columns.index(col): offsets.get(ref, 0) for col, ref in REFERENCES[table].items()}


def shift_rows(rows: list[Row], shifts: dict[int, int]) -> list[Row]:
    """The rows with local ids made global (for writers that cannot add offsets in SQL)."""
    items = [(at, by) for at, by in shifts.items() if by]
    if not items:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for at, by in items:
            if values[at] is not None:
                values[at] += by
        out.append(tuple(values))
    return out
