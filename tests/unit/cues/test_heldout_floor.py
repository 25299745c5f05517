"""The held-out split must not regress below the figures published in docs/cue-detection.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from heard.signals.cues.evaluation import Report, evaluate, load_labelled

DATA = Path(__file__).resolve().parents[2] / "data" / "cues"
# Measured on the held-out split (docs/cue-detection.md) less a small margin, so a rule change
# that costs about one transcript's worth of errors fails here.
MACRO_F1_FLOOR = 0.966 - 0.02
MICRO_PRECISION_FLOOR = 0.935 - 0.02
MICRO_RECALL_FLOOR = 0.963 - 0.02
DA_ACCURACY_FLOOR = 0.956 - 0.03
RELATIONSHIP_ACCURACY_FLOOR = 0.882 - 0.03
# Cues whose held-out recall was 1.0: the highest-risk signs must all still be found.
MUST_KEEP_FULL_RECALL = ("STRANGULATION", "THREAT_TO_KILL", "WEAPON", "ONGOING_ASSAULT", "FEAR")


@pytest.fixture(scope="module")
def heldout() -> Report:
    return evaluate(load_labelled(DATA / "heldout.jsonl"))


def test_the_heldout_split_is_large_enough_and_covers_every_code(heldout: Report) -> None:
    assert heldout.items >= 50
    assert all(score.support >= 2 for score in heldout.per_cue.values())


def test_heldout_macro_f1_stays_at_the_published_floor(heldout: Report) -> None:
    assert heldout.macro_f1 >= MACRO_F1_FLOOR


def test_heldout_micro_precision_and_recall_stay_at_the_published_floor(heldout: Report) -> None:
    precision, recall = heldout.micro
    assert precision >= MICRO_PRECISION_FLOOR
    assert recall >= MICRO_RECALL_FLOOR


def test_heldout_domestic_abuse_accuracy_stays_at_the_published_floor(heldout: Report) -> None:
    assert heldout.da_accuracy >= DA_ACCURACY_FLOOR


def test_heldout_relationship_accuracy_stays_at_the_published_floor(heldout: Report) -> None:
    assert heldout.relationship_accuracy >= RELATIONSHIP_ACCURACY_FLOOR


@pytest.mark.parametrize("code", MUST_KEEP_FULL_RECALL)
def test_critical_cues_keep_full_heldout_recall(heldout: Report, code: str) -> None:
    assert heldout.per_cue[code].recall == 1.0


def test_the_dev_split_is_separate_from_the_heldout_split() -> None:
    dev = load_labelled(DATA / "dev.jsonl")
    held = load_labelled(DATA / "heldout.jsonl")
    assert len(dev) + len(held) >= 150
    assert not {row.id for row in dev} & {row.id for row in held}
    assert not {row.transcript for row in dev} & {row.transcript for row in held}
