from datetime import date

import pytest

from heard.risk.instruments import (
    Answer,
    Decision,
    HistoryFacts,
    confirmed_responses,
    decide,
    score,
    suggest,
)
from heard.risk.instruments.suggestions import EvidenceSource, pending
from tests.unit.risk.helpers import instrument

AS_OF = date(2025, 3, 15)
NO_HISTORY = HistoryFacts()


def by_item(suggestions):
    return {s.item_id: s for s in suggestions}


def test_cues_suggest_yes_for_the_items_they_map_to_with_the_cue_as_evidence():
    found = by_item(
        suggest(instrument("dash-acpo-27"), {"STRANGULATION", "FEAR"}, NO_HISTORY, AS_OF)
    )
    assert set(found) == {"2", "3", "18"}
    assert all(s.answer is Answer.YES and s.decision is Decision.PENDING for s in found.values())
    evidence = found["18"].evidence
    assert [(e.source, e.code) for e in evidence] == [(EvidenceSource.CUE, "STRANGULATION")]


def test_the_same_cue_maps_to_the_renumbered_safelives_item():
    found = by_item(suggest(instrument("dash-safelives-24"), {"STRANGULATION"}, NO_HISTORY, AS_OF))
    assert set(found) == {"15"}


def test_cues_without_an_item_suggest_nothing():
    scene_only = {"SUSPECT_PRESENT", "ONGOING_ASSAULT", "CANNOT_SPEAK", "CHILDREN_PRESENT"}
    assert suggest(instrument("dash-acpo-27"), scene_only, NO_HISTORY, AS_OF) == ()


def test_an_unknown_cue_code_is_refused():
    with pytest.raises(ValueError, match="STRANGLING"):
        suggest(instrument("dash-acpo-27"), {"STRANGLING"}, NO_HISTORY, AS_OF)


def test_no_is_never_suggested_even_when_no_cue_was_heard():
    suggestions = suggest(instrument("dash-acpo-27"), set(), HistoryFacts(), AS_OF)
    assert suggestions == ()


def test_history_suggests_breaches_and_criminal_record_with_their_evidence():
    history = HistoryFacts(
        order_breaches=(date(2024, 5, 1), date(2025, 1, 9)), criminal_record=True
    )
    found = by_item(suggest(instrument("dash-acpo-27"), set(), history, AS_OF))
    assert set(found) == {"26", "27"}
    assert "2025-01-09" in found["26"].evidence[0].detail
    assert found["26"].evidence[0].source is EvidenceSource.HISTORY


def test_a_breach_recorded_after_as_of_is_no_evidence():
    history = HistoryFacts(order_breaches=(date(2025, 3, 16),))
    assert suggest(instrument("dash-acpo-27"), set(), history, AS_OF) == ()


def test_a_cue_and_a_record_for_the_same_item_make_one_suggestion_with_both_as_evidence():
    history = HistoryFacts(order_breaches=(date(2025, 1, 9),))
    found = suggest(instrument("dash-acpo-27"), {"ORDER_BREACH"}, history, AS_OF)
    assert len(found) == 1
    assert [e.source for e in found[0].evidence] == [EvidenceSource.CUE, EvidenceSource.HISTORY]


def test_more_incidents_in_the_last_six_months_suggests_abuse_is_happening_more_often():
    history = HistoryFacts(da_incidents=(date(2024, 5, 1), date(2024, 11, 1), date(2025, 2, 1)))
    found = by_item(suggest(instrument("dash-acpo-27"), set(), history, AS_OF))
    assert set(found) == {"13"}
    assert "3 DA incidents" in found["13"].evidence[0].detail


def test_a_rate_that_is_not_rising_does_not_suggest_more_often():
    # Three in each half-year, counting this incident in the later one.
    history = HistoryFacts(
        da_incidents=(
            date(2024, 4, 1),
            date(2024, 6, 1),
            date(2024, 8, 1),
            date(2024, 11, 1),
            date(2025, 2, 1),
        )
    )
    assert suggest(instrument("dash-acpo-27"), set(), history, AS_OF) == ()


def test_stalking_history_suggests_previous_harassment_and_known_violence():
    history = HistoryFacts(harassment_record=True, violence_record=True)
    found = by_item(suggest(instrument("s-dash-11"), {"FEAR"}, history, AS_OF))
    assert set(found) == {"1", "2", "11"}


def test_uncaptured_honour_based_abuse_items_are_never_suggested():
    found = suggest(instrument("h-dash-10"), {"VICTIM_SUICIDAL", "HONOUR_BASED"}, NO_HISTORY, AS_OF)
    assert [s.item_id for s in found] == ["2"]


def test_the_assessor_confirms_or_rejects_each_suggestion_and_only_confirmed_ones_count():
    dash = instrument("dash-acpo-27")
    suggestions = suggest(dash, {"STRANGULATION", "WEAPON", "FEAR"}, NO_HISTORY, AS_OF)
    suggestions = decide(suggestions, "18", Decision.CONFIRMED)
    suggestions = decide(suggestions, "16", Decision.REJECTED)
    assert pending(suggestions) == ("2", "3")
    answers = confirmed_responses(suggestions)
    assert set(answers) == {"18"}
    assert "STRANGULATION" in answers["18"].text
    assert score(dash, answers, dash.scoring.bands).yes_count == 1


def test_deciding_leaves_the_earlier_suggestions_unchanged():
    original = suggest(instrument("dash-acpo-27"), {"WEAPON"}, NO_HISTORY, AS_OF)
    decided = decide(original, "16", Decision.CONFIRMED)
    assert original[0].decision is Decision.PENDING
    assert decided[0].decision is Decision.CONFIRMED


def test_a_decision_must_be_a_confirmation_or_rejection_of_an_existing_suggestion():
    suggestions = suggest(instrument("dash-acpo-27"), {"WEAPON"}, NO_HISTORY, AS_OF)
    with pytest.raises(ValueError, match="confirm or reject"):
        decide(suggestions, "16", Decision.PENDING)
    with pytest.raises(KeyError, match="17"):
        decide(suggestions, "17", Decision.CONFIRMED)
