"""The figures as a file: CSV for a spreadsheet, Parquet for an analyst's tools."""

from __future__ import annotations

import csv
import io
from enum import StrEnum

import pyarrow as pa
import pyarrow.parquet as pq

from heard.metrics.measures import MEASURES_BY_ID, Figure

COLUMNS = ("force", "month", "measure", "group", "value", "unit", "label")


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"

    @property
    def media_type(self) -> str:
        return "text/csv" if self is ExportFormat.CSV else "application/vnd.apache.parquet"


def rows(force: str, figures: list[Figure]) -> list[dict[str, str | float | None]]:
    """One row per figure, long format: every measure in the same columns, easy to pivot."""
    return [
        {
            "force": force,
            "month": f.month,
            "measure": f.measure,
            "group": f.group,
            "value": f.value,
            "unit": MEASURES_BY_ID[f.measure].unit.value,
            "label": MEASURES_BY_ID[f.measure].label,
        }
        for f in figures
    ]


def to_csv(force: str, figures: list[Figure]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(force, figures))
    return out.getvalue().encode("utf-8")


SCHEMA = pa.schema(
    [
        ("force", pa.string()),
        ("month", pa.string()),
        ("measure", pa.string()),
        ("group", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("label", pa.string()),
    ]
)


def to_parquet(force: str, figures: list[Figure]) -> bytes:
    found = rows(force, figures)
    table = pa.Table.from_pylist(found, schema=SCHEMA)
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def render(form: ExportFormat, force: str, figures: list[Figure]) -> bytes:
    return to_csv(force, figures) if form is ExportFormat.CSV else to_parquet(force, figures)
