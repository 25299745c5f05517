"""Generation of a whole synthetic force, chunk by chunk.

Each chunk of people has its own random streams seeded from (seed, chunk number), so the output
depends only on the seed and the parameters, never on the database, the machine or the clock, and
only one chunk is ever held in memory.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Engine, text

from heard.db.engine import refresh_planner_statistics
from heard.sim import geo
from heard.sim.calibration import RATES, Rates
from heard.sim.dyads import DyadPlanner
from heard.sim.history import HistoryPlanner
from heard.sim.ids import Ids
from heard.sim.materialise import Materialiser
from heard.sim.population import PopulationBuilder
from heard.sim.rows import ID_TABLES, Batch, Codec
from heard.sim.writers import last_ids, open_writer

DEFAULT_AS_OF = date(2026, 11, 30)
CHUNK_PEOPLE = 5_000
PEOPLE_PER_STREET = 45


@dataclass(frozen=True)
class Params:
    people: int
    seed: int
    years: int = 10
    as_of: date = DEFAULT_AS_OF
    rates: Rates = RATES
    area: geo.ForceArea = geo.CLEVELAND
    chunk_people: int = CHUNK_PEOPLE

    def window(self) -> tuple[int, int]:
        """History runs from `years` before the reference date up to its midnight (UTC)."""
        end = datetime(self.as_of.year, self.as_of.month, self.as_of.day, tzinfo=UTC)
        try:
            start = end.replace(year=end.year - self.years)
        except ValueError:  # 29 February
            start = end.replace(year=end.year - self.years, day=28)
        return int(start.timestamp()), int(end.timestamp())

    def chunks(self) -> list[int]:
        full, rest = divmod(self.people, self.chunk_people)
        return [self.chunk_people] * full + ([rest] if rest else [])


@dataclass
class Summary:
    people: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        for table, rows in batch.rows.items():
            self.rows[table] = self.rows.get(table, 0) + len(rows)


def build_chunk(params: Params, index: int, n_people: int, *, force_id: int, suffix: str) -> Batch:
    """Everything about one chunk of people, as rows with chunk-local ids.

    The same inputs always give the same rows, so chunks can be built in any process.
    """
    ids = Ids()
    codec = Codec(utc_suffix=suffix)
    window = params.window()
    day_window = (window[0] // 86_400 + 719_163, window[1] // 86_400 + 719_163)
    streets = -(-params.chunk_people // PEOPLE_PER_STREET)
    builder = PopulationBuilder(
        random.Random(f"{params.seed}:{index}:people"), ids, params.area, params.seed, day_window
    )
    pop = builder.build(n_people, street_base=index * streets, n_streets=streets)
    planner = HistoryPlanner(
        random.Random(f"{params.seed}:{index}:history"), pop, params.rates, window
    )
    planner.plan_other()
    dyads = DyadPlanner(planner, ids)
    dyads.plan()
    batch = Batch()
    rng = random.Random(f"{params.seed}:{index}:records")
    writer = Materialiser(rng, batch, codec, force_id, ids, params.rates, window, index)
    writer.write_population(pop, dyads.ties, dyads.dyads)
    for plan in sorted(planner.plans, key=lambda p: p.at):
        writer.write_plan(plan)
    batch.counts = {table: ids.last(table) for table in ID_TABLES}
    return batch


def _batches(
    params: Params, *, force_id: int, suffix: str, workers: int
) -> Iterator[tuple[int, Batch]]:
    """Chunks in order; with workers > 1 they are built in other processes, a few ahead."""
    chunks = params.chunks()
    if workers <= 1:
        for index, n_people in enumerate(chunks):
            yield n_people, build_chunk(params, index, n_people, force_id=force_id, suffix=suffix)
        return
    context = multiprocessing.get_context("spawn")  # no inherited database connections
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[tuple[int, Future[Batch]]] = deque()
        for index, n_people in enumerate(chunks):
            # A bounded window keeps memory flat when writing is slower than building.
            if len(pending) >= 2 * workers:
                people, future = pending.popleft()
                yield people, future.result()
            job = pool.submit(
                build_chunk, params, index, n_people, force_id=force_id, suffix=suffix
            )
            pending.append((n_people, job))
        while pending:
            people, future = pending.popleft()
            yield people, future.result()


def generate(
    engine: Engine,
    *,
    force_id: int,
    params: Params,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> Summary:
    """Writes the synthetic force into the database behind `engine`, one chunk per transaction."""
    started = time.perf_counter()
    if force_has_records(engine, force_id):
        raise ForceNotEmpty("this force already has records; generate into a new force")
    summary = Summary(people=params.people)
    offsets = last_ids(engine)
    writer = open_writer(engine)
    try:
        for n_people, batch in _batches(
            params, force_id=force_id, suffix=writer.codec_suffix, workers=workers
        ):
            writer.write(batch, offsets)
            for table, used in batch.counts.items():
                offsets[table] = offsets.get(table, 0) + used
            summary.add(batch)
            if on_progress is not None:
                on_progress(n_people)
    finally:
        writer.close()
    refresh_planner_statistics(engine, after_bulk_load=True)
    summary.seconds = time.perf_counter() - started
    return summary


class ForceNotEmpty(RuntimeError):
    """Generated references are unique per generation, so a force is generated once."""


def force_has_records(engine: Engine, force_id: int) -> bool:
    query = text("SELECT 1 FROM person_records WHERE force_id = :force LIMIT 1")
    with engine.connect() as conn:
        return conn.execute(query, {"force": force_id}).first() is not None
