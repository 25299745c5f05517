"""Linking quality per name origin on a small generated force, judged by the generator's truth.

The floors sit well below what a 2,000-person force measures (overall F1 0.97-0.98, every
group with 20+ true links at 0.95 or more, a gap of 0.03-0.05 over seeds 1-3; see
docs/benchmarks.md for 200,000 people), so they catch a linker or an evaluation that broke,
not the noise of a small force. SQLite only: the generator writes identical data to either
database (tests/integration/test_sim_generate.py), and the evaluation reads it into memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from heard.auth import service
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.linking.training import TrainingSettings
from heard.sim.generate import Params, generate
from heard.sim.link_quality import evaluate, report
from heard.sim.name_pools import POOLS
from tests.support import databases

# Fewer sampled pairs than production's 200,000 keep the test fast; 30,000 measured the same
# F1 to the third decimal on this force.
QUICK = TrainingSettings(u_pairs=30_000, em_pairs=30_000)


@pytest.fixture(scope="module")
def figures(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    url = databases.sqlite_copy(sqlite_template, tmp_path_factory.mktemp("link_groups"))
    engine = make_engine(url)
    with Database(engine, InProcessBus()).transaction() as session:
        force_id = service.create_force(session, code="SIM", name="Synthetic").id
    generate(engine, force_id=force_id, params=Params(people=2_000, seed=1), workers=1)
    with Session(engine) as session:
        found = report(evaluate(session, force_id=force_id, settings=QUICK))
    engine.dispose()
    return found


def test_every_name_origin_is_scored_and_links_well_with_a_small_gap(figures):
    groups = figures["per_origin"]
    assert set(groups) == {pool.origin for pool in POOLS}
    overall = figures["overall"]
    assert overall["link"]["f1"] >= 0.93, overall
    assert overall["link"]["precision"] >= 0.97, overall
    assert figures["m_source"] == "em"
    for name, group in groups.items():
        if group["true_links"] >= 20:
            assert group["link"]["f1"] >= 0.88, (name, group)
            assert group["suggest"]["f1"] >= 0.85, (name, group)
    assert figures["gap_link"]["f1_gap"] <= 0.10, figures["gap_link"]


def test_each_person_is_matched_once_against_only_their_earlier_appearances(figures):
    overall = figures["overall"]
    assert overall["matched"] == figures["people"]
    # Most people appear more than once; some only once, and those must get no link.
    assert 0.5 * figures["people"] < overall["true_links"] < figures["people"]
    assert figures["indexed"] >= overall["true_links"]
    assert sum(group["matched"] for group in figures["per_origin"].values()) == figures["people"]
    assert 0 < overall["p50_ms"] <= overall["p99_ms"]
