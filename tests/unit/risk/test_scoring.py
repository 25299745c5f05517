import pytest

from heard.risk.instruments import (
    Bands,
    Judgement,
    Level,
    RationaleRequired,
    RiskInputError,
    default_catalogue,
    ensure_submittable,
    parse_policies,
    score,
)
from tests.unit.risk.helpers import instrument, items, responses

DASH = ("dash-acpo-27", "dash-safelives-24")


def dash_score(instrument_id, answers, judgement=None):
    found = instrument(instrument_id)
    return score(found, answers, found.scoring.bands, judgement)


@pytest.mark.parametrize("instrument_id", DASH)
@pytest.mark.parametrize(
    ("yes_count", "level"),
    [
        (0, Level.STANDARD),
        (1, Level.STANDARD),
        (9, Level.STANDARD),
        (10, Level.MEDIUM),
        (13, Level.MEDIUM),
        (14, Level.HIGH),
    ],
)
def test_dash_bands_at_their_edges(instrument_id, yes_count, level):
    total = len(instrument(instrument_id).items)
    result = dash_score(
        instrument_id, responses(yes=items(1, yes_count), no=items(yes_count + 1, total))
    )
    assert result.yes_count == yes_count
    assert result.computed_level is level
    assert result.final_level is level


@pytest.mark.parametrize("instrument_id", DASH)
def test_every_item_answered_yes_is_high(instrument_id):
    total = len(instrument(instrument_id).items)
    result = dash_score(instrument_id, responses(yes=items(1, total)))
    assert (result.yes_count, result.computed_level) == (total, Level.HIGH)


@pytest.mark.parametrize("instrument_id", DASH)
def test_not_known_and_declined_are_not_counted_as_yes(instrument_id):
    answers = responses(
        yes=items(1, 13), not_known=items(14, 16), declined=items(17, 19), no=items(20, 24)
    )
    result = dash_score(instrument_id, answers)
    assert result.yes_count == 13
    assert result.computed_level is Level.MEDIUM


def test_nine_yes_with_everything_else_declined_stays_standard():
    result = dash_score("dash-acpo-27", responses(yes=items(1, 9), declined=items(10, 27)))
    assert (result.yes_count, result.computed_level) == (9, Level.STANDARD)


def test_unanswered_items_are_listed_and_not_counted():
    result = dash_score("dash-safelives-24", responses(yes=["1", "18"], no=["2"]))
    assert result.yes_count == 2
    assert result.unanswered == tuple(str(n) for n in range(3, 25) if n != 18)


def test_judgement_raises_a_medium_count_to_high():
    result = dash_score(
        "dash-acpo-27", responses(yes=items(1, 10)), Judgement(Level.HIGH, "strangled last week")
    )
    assert (result.computed_level, result.final_level) == (Level.MEDIUM, Level.HIGH)
    assert not result.judgement_below_count


def test_judgement_raises_a_standard_count_to_medium():
    result = dash_score("dash-acpo-27", responses(yes=["18"]), Judgement(Level.MEDIUM, "reason"))
    assert (result.computed_level, result.final_level) == (Level.STANDARD, Level.MEDIUM)


@pytest.mark.parametrize("lower", [Level.STANDARD, Level.MEDIUM])
def test_judgement_never_lowers_a_high_count(lower):
    result = dash_score("dash-acpo-27", responses(yes=items(1, 14)), Judgement(lower, "reason"))
    assert result.final_level is Level.HIGH
    assert result.judgement_below_count


def test_judgement_never_lowers_a_medium_count():
    result = dash_score(
        "dash-safelives-24", responses(yes=items(1, 12)), Judgement(Level.STANDARD, "reason")
    )
    assert result.final_level is Level.MEDIUM
    assert result.judgement_below_count


def test_a_judgement_without_a_rationale_cannot_be_submitted():
    for rationale in (None, "", "   "):
        result = dash_score("dash-acpo-27", responses(yes=["1"]), Judgement(Level.HIGH, rationale))
        assert result.needs_rationale
        with pytest.raises(RationaleRequired, match="rationale"):
            ensure_submittable(result)


def test_a_judgement_with_a_rationale_and_no_judgement_at_all_can_be_submitted():
    judged = dash_score("dash-acpo-27", responses(yes=["1"]), Judgement(Level.HIGH, "threats"))
    assert ensure_submittable(judged) is judged
    plain = dash_score("dash-acpo-27", responses(yes=["1"]))
    assert ensure_submittable(plain) is plain


def test_stalking_questions_count_yes_but_compute_no_level_by_default():
    found = instrument("s-dash-11")
    result = score(found, responses(yes=items(1, 11)), found.scoring.bands)
    assert result.yes_count == 11
    assert result.computed_level is None and result.final_level is None


def test_stalking_level_comes_from_judgement_when_no_bands_apply():
    found = instrument("s-dash-11")
    answers = responses(yes=items(1, 6), not_known=items(7, 8), no=items(9, 11))
    result = score(found, answers, None, Judgement(Level.HIGH, "visits daily, threats"))
    assert result.yes_count == 6
    assert (result.computed_level, result.final_level) == (None, Level.HIGH)


def test_stalking_questions_follow_a_force_band_when_one_is_configured():
    found = instrument("s-dash-11")
    bands = Bands(medium=4, high=6)
    assert score(found, responses(yes=items(1, 3)), bands).computed_level is Level.STANDARD
    assert score(found, responses(yes=items(1, 4)), bands).computed_level is Level.MEDIUM
    assert score(found, responses(yes=items(1, 6)), bands).computed_level is Level.HIGH


def test_honour_based_abuse_questions_count_the_three_known_items():
    found = instrument("h-dash-10")
    result = score(found, responses(yes=["1", "3"], declined=["2"]), found.scoring.bands)
    assert result.yes_count == 2
    assert result.computed_level is None
    assert result.unanswered == ()


@pytest.mark.parametrize("unknown_item", [str(n) for n in range(4, 11)])
def test_an_uncaptured_honour_based_abuse_item_cannot_be_answered(unknown_item):
    found = instrument("h-dash-10")
    with pytest.raises(RiskInputError, match="not known yet") as raised:
        score(found, responses(no=[unknown_item]), None)
    assert raised.value.field == f"answers.{unknown_item}"


@pytest.mark.parametrize(
    ("bad_id", "field"),
    [("0", "answers.0"), ("28", "answers.28"), ("01", "answers.01"), ("", 'answers.""')],
)
def test_an_item_id_the_instrument_does_not_have_is_refused_and_named(bad_id, field):
    with pytest.raises(RiskInputError, match="has no item") as raised:
        dash_score("dash-acpo-27", responses(yes=[bad_id]))
    assert raised.value.field == field


def test_single_indicators_answered_yes_are_offered_as_prompts_for_judgement():
    result = dash_score("dash-acpo-27", responses(yes=["1", "16", "18"], no=["17"]))
    assert result.judgement_prompts == ("16", "18")
    assert result.final_level is Level.STANDARD


def test_a_force_can_lower_the_high_band_for_its_own_assessments():
    policies = parse_policies(
        "forces:\n  tst:\n    bands:\n      dash-acpo-27: {medium: 8, high: 12}\n",
        default_catalogue(),
    )
    found = instrument("dash-acpo-27")
    twelve = responses(yes=items(1, 12))
    assert score(found, twelve, policies.for_force("TST").bands_for(found)).computed_level is (
        Level.HIGH
    )
    assert score(found, twelve, policies.for_force("WMP").bands_for(found)).computed_level is (
        Level.MEDIUM
    )
