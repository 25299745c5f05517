"""A person record as the linker receives it, and the CSV form used by evaluation and batch jobs.

Every field is optional and kept exactly as given: a 999 call is never refused because a date or
phone number is malformed, so parsing happens later and a value that cannot be read simply does
not take part in the comparison.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CSV_COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "phone",
    "address",
    "postcode",
    "sex",
)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    record_id: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    sex: str | None = None
    # When only an age was given ("about 40"), with the day it was given.
    age: int | None = None
    recorded_on: date | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, str | None]) -> LinkRecord:
        """From a CSV row; blank cells are missing values and unknown columns are ignored."""

        def cell(name: str) -> str | None:
            value = row.get(name)
            return value.strip() or None if value is not None else None

        record_id = cell("record_id")
        if record_id is None:
            raise ValueError("every record needs a record_id")
        age_text = cell("age")
        recorded_text = cell("recorded_on")
        return cls(
            record_id=record_id,
            given_name=cell("given_name"),
            family_name=cell("family_name"),
            date_of_birth=cell("date_of_birth"),
            phone=cell("phone"),
            address=cell("address"),
            postcode=cell("postcode"),
            sex=cell("sex"),
            age=int(age_text) if age_text and age_text.isdigit() else None,
            recorded_on=_iso_date(recorded_text),
        )


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_records(path: Path) -> Iterator[LinkRecord]:
    """Records from a CSV with a header row naming at least `record_id`."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "record_id" not in reader.fieldnames:
            raise ValueError(f"{path} has no record_id column")
        for row in reader:
            yield LinkRecord.from_row(row)


def write_records(path: Path, records: Iterator[LinkRecord] | list[LinkRecord]) -> None:
    """Records in the evaluation contract's columns (age and recorded_on are not part of it)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for record in records:
            writer.writerow(
                "" if value is None else value
                for value in (getattr(record, column) for column in CSV_COLUMNS)
            )
