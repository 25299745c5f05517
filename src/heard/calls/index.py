"""One in-memory linking index per force, built from the database and kept current.

Each web process holds its own index. Before matching, the index reads any person records added
since it last looked (by this process or another), so several workers agree without a message bus.
Ids from a PostgreSQL sequence can commit out of order, so each refresh looks back a little.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.auth.models import Force
from heard.linking import Linker, LinkRecord, Model, Thresholds
from heard.people.models import Location, PersonRecord

REFRESH_LOOKBACK = 1_000
MODEL_SETTING = "linker_model"
# {"link": 0.95, "suggest": 0.30}: probability bands for linking automatically or asking a person.
THRESHOLDS_SETTING = "link_thresholds"


def link_record(row: PersonRecord, postcode: str | None) -> LinkRecord:
    return LinkRecord(
        record_id=str(row.id),
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth.isoformat() if row.date_of_birth else None,
        phone=row.phone_e164 or row.phone_raw,
        address=row.address_raw,
        postcode=postcode,
        sex=row.sex.value if row.sex else None,
        age=row.age_years,
        recorded_on=row.recorded_at.date() if row.recorded_at else None,
    )


def records_after(
    session: Session, *, force_id: int, after_id: int, batch: int = 20_000
) -> Iterator[LinkRecord]:
    query = (
        select(PersonRecord, Location.postcode)
        .outerjoin(Location, Location.id == PersonRecord.location_id)
        .where(PersonRecord.force_id == force_id, PersonRecord.id > after_id)
        .order_by(PersonRecord.id)
        .execution_options(yield_per=batch)
    )
    for row, postcode in session.execute(query):
        yield link_record(row, postcode)


@dataclass
class ForceIndex:
    linker: Linker
    watermark: int = 0
    build_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, session: Session, *, force_id: int) -> int:
        added = 0
        with self.lock:
            start = max(0, self.watermark - REFRESH_LOOKBACK)
            for record in records_after(session, force_id=force_id, after_id=start):
                self.watermark = max(self.watermark, int(record.record_id))
                if record.record_id not in self.linker:
                    self.linker.add(record)
                    added += 1
        return added


class LinkIndexes:
    """Per-force indexes for this process; built on first use (or at start-up by `warm`)."""

    def __init__(self) -> None:
        self._indexes: dict[int, ForceIndex] = {}
        self._lock = threading.Lock()

    def for_force(self, session: Session, *, force_id: int) -> ForceIndex:
        index = self._indexes.get(force_id)
        if index is None:
            with self._lock:
                index = self._indexes.get(force_id) or self._build(session, force_id)
                self._indexes[force_id] = index
        index.refresh(session, force_id=force_id)
        return index

    def _build(self, session: Session, force_id: int) -> ForceIndex:
        started = time.perf_counter()
        force = session.get_one(Force, force_id)
        stored = force.settings.get(MODEL_SETTING)
        model = Model.from_json(stored) if stored else Model.untrained()
        bands = force.settings.get(THRESHOLDS_SETTING)
        if bands:
            model.thresholds = Thresholds(
                link=float(bands["link"]), suggest=float(bands["suggest"])
            )
        index = ForceIndex(linker=Linker(model))
        index.refresh(session, force_id=force_id)
        index.build_seconds = time.perf_counter() - started
        return index

    def forget(self, force_id: int) -> None:
        """Drop a force's index so the next use rebuilds it (after merges, splits or training)."""
        with self._lock:
            self._indexes.pop(force_id, None)
