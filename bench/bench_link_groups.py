"""Linking quality per name-origin group on a generated force, judged by the generator's truth.

Every appearance of each true person but the latest is indexed as intake indexes a force's
person records; weights are trained without labels on those records (or the force's stored model
is used, after `heard link train-force`); each latest appearance is then matched alone, as a new
call's person would be. Prints one JSON document: precision, recall and F1 at the link and the
suggest thresholds, overall and per origin, with counts, p50/p99 ms and the F1 gap between
groups. The logic is `heard.sim.link_quality`, shared with its test. Point it at a scratch
database: on SQLite the reading session holds the write lock until the run ends.

    HEARD_ENVIRONMENT=demo HEARD_DATABASE_URL=sqlite:////tmp/f.db .venv/bin/heard db upgrade
    HEARD_ENVIRONMENT=demo HEARD_DATABASE_URL=sqlite:////tmp/f.db \\
        .venv/bin/heard sim generate --people 200000 --seed 1
    .venv/bin/python bench/bench_link_groups.py --database sqlite:////tmp/f.db --force NMP
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

from sqlalchemy.orm import Session

from heard.auth import service
from heard.db.engine import make_engine
from heard.sim.link_quality import evaluate, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="URL of the generated database")
    parser.add_argument("--force", default="NMP", help="Force code the generator wrote")
    parser.add_argument(
        "--sample", type=int, default=None, help="Match only this many latest appearances"
    )
    parser.add_argument(
        "--stored-model",
        action="store_true",
        help="Use the force's stored model (heard link train-force) instead of training",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    started = time.perf_counter()
    engine = make_engine(args.database)
    with Session(engine) as session:
        force_id = service.force_by_code(session, code=args.force).id
        evaluation = evaluate(
            session, force_id=force_id, sample=args.sample, stored_model=args.stored_model
        )
    engine.dispose()
    result = {
        "force": args.force.upper(),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "total_s": round(time.perf_counter() - started, 1),
        **report(evaluation),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
