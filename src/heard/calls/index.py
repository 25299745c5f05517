"""One in-memory linking index per force, built from the database and kept current.

Each web process holds its own index. Before matching, the index reads any person records added
since it last looked (by this process or another), so several workers agree without a message bus.
Ids from a PostgreSQL sequence can commit out of order: ids skipped over while moving the
watermark are remembered for a while and looked for again, so a late commit is still indexed.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from heard.auth.models import Force
from heard.db.base import id_list
from heard.db.uow import Database
from heard.linking import Linker, LinkRecord, Model, Thresholds
from heard.people.models import Location, PersonRecord

# How long a skipped id is looked for: far longer than any intake transaction lasts.
GAP_SECONDS = 120.0
MAX_GAPS = 10_000
MODEL_SETTING = "linker_model"
# {"link": 0.95, "suggest": 0.30}: probability bands for linking automatically or asking a person.
THRESHOLDS_SETTING = "link_thresholds"


LINK_COLUMNS = (
    PersonRecord.id,
    PersonRecord.given_name,
    PersonRecord.family_name,
    PersonRecord.date_of_birth,
    PersonRecord.phone_e164,
    PersonRecord.phone_raw,
    PersonRecord.address_raw,
    PersonRecord.sex,
    PersonRecord.age_years,
    PersonRecord.recorded_at,
)


def link_record(row: Any, postcode: str | None) -> LinkRecord:
    """From a PersonRecord, or a row of LINK_COLUMNS (cheaper when loading a whole force)."""
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


def _records_after(also_ids: bool) -> Select[*tuple[Any, ...]]:
    newer = PersonRecord.id > bindparam("after_id")
    also = PersonRecord.id.in_(id_list("also_ids"))
    return (
        select(*LINK_COLUMNS, Location.postcode)
        .outerjoin(Location, Location.id == PersonRecord.location_id)
        .where(
            PersonRecord.force_id == bindparam("force_id"), or_(newer, also) if also_ids else newer
        )
        .order_by(PersonRecord.id)
    )


# Run on every call to refresh the index: built once (with and without ids skipped over earlier).
_RECORDS_AFTER = {False: _records_after(False), True: _records_after(True)}


def records_after(
    session: Session,
    *,
    force_id: int,
    after_id: int,
    batch: int = 20_000,
    also_ids: Collection[int] = (),
) -> Iterator[LinkRecord]:
    rows = session.execute(
        _RECORDS_AFTER[bool(also_ids)],
        {"force_id": force_id, "after_id": after_id, "also_ids": list(also_ids)},
        execution_options={"yield_per": batch},
    )
    for row in rows:
        yield link_record(row, row.postcode)


def force_model(session: Session, *, force_id: int) -> Model:
    """The force's stored model (`heard link train-force`), or starting values, with the force's
    own link and suggest thresholds when it has set them."""
    force = session.get_one(Force, force_id)
    stored = force.settings.get(MODEL_SETTING)
    model = Model.from_json(stored) if stored else Model.untrained()
    bands = force.settings.get(THRESHOLDS_SETTING)
    if bands:
        model.thresholds = Thresholds(link=float(bands["link"]), suggest=float(bands["suggest"]))
    return model


# Below this a full collection is quick, and collecting first would slow every small start-up.
FREEZE_AT = 10_000


@dataclass
class ForceIndex:
    linker: Linker
    watermark: int = 0
    build_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # id -> when it was skipped over; it may still commit (or was rolled back and never will).
    gaps: dict[int, float] = field(default_factory=dict)

    def refresh(self, session: Session, *, force_id: int) -> int:
        """Index records added since the last look. The database is read before the index lock is
        taken, so a request holding the SQLite write lock never waits on a refresh that waits
        on that same write lock."""
        now = time.monotonic()
        with self.lock:
            self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
            watermark, gaps = self.watermark, list(self.gaps)
        found = list(records_after(session, force_id=force_id, after_id=watermark, also_ids=gaps))
        return self.file(found, now=now)

    def file(self, records: Iterable[LinkRecord], *, now: float | None = None) -> int:
        """Index committed records: read back by `refresh`, or just written by this process.
        Ids jumped over are remembered as gaps, so a refresh still finds a record another
        process committed below them."""
        added = 0
        now = time.monotonic() if now is None else now
        with self.lock:
            for record in records:
                number = int(record.record_id)
                self.gaps.pop(number, None)
                if number > self.watermark:
                    if len(self.gaps) < MAX_GAPS and self.watermark:
                        self.gaps.update(dict.fromkeys(range(self.watermark + 1, number), now))
                    self.watermark = number
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
        index = ForceIndex(linker=Linker(force_model(session, force_id=force_id)))
        index.refresh(session, force_id=force_id)
        # The index lives as long as the process: move it out of the collector's reach, or a
        # rare full collection walks millions of records in the middle of a 999 call (6 s at
        # a million people, docs/benchmarks.md).
        if len(index.linker) >= FREEZE_AT:
            gc.collect()
            gc.freeze()
        index.build_seconds = time.perf_counter() - started
        return index

    def warm(self, db: Database) -> dict[str, float]:
        """Build every force's index before the process serves calls, so the first 999 call
        never waits for a build. Reads without SQLite's write lock: other processes keep
        writing meanwhile, and records they add are picked up by the next refresh."""
        seconds: dict[str, float] = {}
        with db.read_only() as session:
            forces = session.execute(select(Force.id, Force.code)).all()
            for force_id, code in forces:
                seconds[code] = self.for_force(session, force_id=force_id).build_seconds
        return seconds

    def forget(self, force_id: int) -> None:
        """Drop a force's index so the next use rebuilds it (after merges, splits or training)."""
        with self._lock:
            self._indexes.pop(force_id, None)
