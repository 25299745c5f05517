"""Scoring the linker by the ground truth: who is held out, and what counts as a right link."""

from __future__ import annotations

from datetime import UTC, datetime

from heard.sim.link_quality import Appearance, Outcome, band_scores, split_latest


def seen(record_id: str, person_id: int, day: int) -> Appearance:
    return Appearance(record_id, person_id, "english", "", datetime(2026, 1, day, tzinfo=UTC))


def test_each_persons_latest_appearance_by_time_is_held_out_and_the_rest_indexed():
    # Record ids do not follow time: "9" was typed in before "3" happened.
    split = split_latest([seen("9", 1, 2), seen("3", 1, 5), seen("4", 2, 1), seen("7", 1, 1)])
    assert [a.record_id for a in split.held_out] == ["3", "4"]
    assert split.indexed == {"9", "7"}
    assert split.indexed_count[1] == 2 and split.indexed_count[2] == 0
    assert split.people == 2


def test_a_sample_keeps_every_earlier_appearance_in_the_index():
    found = [seen(str(n), n // 2, 1 + n % 2) for n in range(40)]
    split = split_latest(found, sample=5)
    assert len(split.held_out) == 5
    assert len(split.indexed) == 20


def test_a_link_to_someone_else_or_for_a_first_timer_counts_as_wrong():
    split = split_latest(
        [seen("1", 1, 1), seen("2", 1, 2), seen("3", 2, 1), seen("4", 2, 2), seen("5", 3, 1)]
    )
    latest = {a.record_id: a for a in split.held_out}
    right = Outcome(latest["2"], best_person=1, best_probability=0.99, milliseconds=1.0)
    other_person = Outcome(latest["4"], best_person=1, best_probability=0.99, milliseconds=1.0)
    first_timer = Outcome(latest["5"], best_person=2, best_probability=0.97, milliseconds=1.0)

    figures = band_scores([right, other_person, first_timer], split, threshold=0.95)
    assert figures["links_made"] == 3 and figures["right_links"] == 1
    assert figures["precision"] == round(1 / 3, 4)
    assert figures["recall"] == 0.5

    stricter = band_scores([right, other_person, first_timer], split, threshold=0.98)
    assert stricter["links_made"] == 2 and stricter["precision"] == 0.5


def test_a_first_timer_left_unlinked_and_a_weak_best_candidate_make_no_link():
    split = split_latest([seen("1", 1, 1), seen("2", 1, 2), seen("5", 3, 1)])
    latest = {a.record_id: a for a in split.held_out}
    weak = Outcome(latest["2"], best_person=1, best_probability=0.5, milliseconds=1.0)
    alone = Outcome(latest["5"], best_person=None, best_probability=0.0, milliseconds=1.0)
    figures = band_scores([weak, alone], split, threshold=0.95)
    assert figures["links_made"] == 0 and figures["recall"] == 0.0
    assert band_scores([weak, alone], split, threshold=0.3)["f1"] == 1.0
