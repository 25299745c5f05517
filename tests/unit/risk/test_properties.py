"""Properties that must hold for every input, not just the hand-computed cases."""

import calendar
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from heard.risk.instruments import (
    Answer,
    Bands,
    Criterion,
    EscalationRule,
    Judgement,
    Level,
    MaracHistory,
    Response,
    RiskInputError,
    contract_line,
    default_catalogue,
    evaluate,
    marac_criteria,
    months_before,
    parse_request,
    score,
)
from heard.risk.instruments.policy import Policies

CATALOGUE = default_catalogue()
INSTRUMENTS = st.sampled_from([CATALOGUE.get(i) for i in CATALOGUE.ids])
LEVELS = st.sampled_from(list(Level))
DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def bands(draw, instrument):
    answerable = len(instrument.known_items)
    if answerable == 0 or draw(st.booleans()):
        return instrument.scoring.bands
    high = draw(st.integers(1, answerable))
    return Bands(medium=draw(st.integers(1, high)), high=high)


@st.composite
def assessments(draw):
    instrument = draw(INSTRUMENTS)
    known = [item.id for item in instrument.known_items]
    answered = draw(st.lists(st.sampled_from(known), unique=True)) if known else []
    answers = {i: Response(draw(st.sampled_from(list(Answer)))) for i in answered}
    judgement = draw(st.none() | st.builds(Judgement, LEVELS, st.none() | st.text(max_size=5)))
    return instrument, answers, draw(bands(instrument)), judgement


def rank(level):
    return -1 if level is None else level.rank


@given(assessments())
def test_judgement_never_lowers_the_level_and_the_final_level_is_the_higher_of_the_two(case):
    instrument, answers, instrument_bands, judgement = case
    result = score(instrument, answers, instrument_bands, judgement)
    assert rank(result.final_level) >= rank(result.computed_level)
    if judgement is None:
        assert result.final_level is result.computed_level
    else:
        assert rank(result.final_level) == max(rank(result.computed_level), judgement.level.rank)


@given(assessments())
def test_the_yes_count_counts_only_yes(case):
    instrument, answers, instrument_bands, judgement = case
    result = score(instrument, answers, instrument_bands, judgement)
    assert result.yes_count == sum(1 for r in answers.values() if r.answer is Answer.YES)


@given(assessments(), st.data())
def test_changing_an_answer_to_yes_never_lowers_the_computed_level(case, data):
    instrument, answers, instrument_bands, _ = case
    not_yes = [i for i, r in answers.items() if r.answer is not Answer.YES]
    if not not_yes:
        return
    flipped = dict(answers)
    flipped[data.draw(st.sampled_from(not_yes))] = Response(Answer.YES)
    before = score(instrument, answers, instrument_bands).computed_level
    after = score(instrument, flipped, instrument_bands).computed_level
    assert rank(after) >= rank(before)


@given(assessments(), st.data())
def test_not_known_declined_and_no_are_interchangeable_for_the_score(case, data):
    instrument, answers, instrument_bands, judgement = case
    others = [Answer.NO, Answer.NOT_KNOWN, Answer.DECLINED]
    swapped = {
        i: r if r.answer is Answer.YES else Response(data.draw(st.sampled_from(others)))
        for i, r in answers.items()
    }
    first = score(instrument, answers, instrument_bands, judgement)
    second = score(instrument, swapped, instrument_bands, judgement)
    assert (first.yes_count, first.final_level) == (second.yes_count, second.final_level)


@given(
    assessments(),
    st.lists(DAYS, max_size=8),
    st.none() | DAYS,
    DAYS,
    st.integers(1, 6),
    st.integers(1, 24),
)
def test_marac_criteria_are_consistent(case, incidents, referral, as_of, threshold, months):
    instrument, answers, instrument_bands, judgement = case
    result = score(instrument, answers, instrument_bands, judgement)
    decision = marac_criteria(
        result, MaracHistory(tuple(incidents), referral), as_of, EscalationRule(threshold, months)
    )
    assert decision.refer == bool(decision.criteria)
    assert (Criterion.VISIBLE_HIGH_RISK in decision.criteria) == (
        result.computed_level is Level.HIGH
    )
    assert not {Criterion.VISIBLE_HIGH_RISK, Criterion.PROFESSIONAL_JUDGEMENT} <= set(
        decision.criteria
    )
    assert list(decision.criteria) == sorted(decision.criteria, key=list(Criterion).index)
    assert 1 <= decision.incidents_in_window <= 1 + len(incidents)


@given(st.lists(DAYS, max_size=8), st.lists(DAYS, max_size=4), DAYS, st.integers(1, 24))
def test_incidents_after_as_of_never_change_the_decision(incidents, later, as_of, months):
    after = [d for d in later if d > as_of]
    result = score(CATALOGUE.get("dash-acpo-27"), {}, None)
    rule = EscalationRule(3, months)
    plain = marac_criteria(result, MaracHistory(tuple(incidents)), as_of, rule)
    more = marac_criteria(result, MaracHistory(tuple(incidents + after)), as_of, rule)
    assert plain == more


@given(st.lists(DAYS, max_size=8), DAYS, DAYS, st.integers(1, 24))
def test_another_earlier_incident_never_removes_potential_escalation(incidents, extra, as_of, m):
    result = score(CATALOGUE.get("dash-acpo-27"), {}, None)
    rule = EscalationRule(3, m)
    plain = marac_criteria(result, MaracHistory(tuple(incidents)), as_of, rule)
    more = marac_criteria(result, MaracHistory((*incidents, extra)), as_of, rule)
    assert set(plain.criteria) <= set(more.criteria)


@given(DAYS, st.integers(0, 600))
def test_months_before_moves_exactly_that_many_calendar_months(day, months):
    earlier = months_before(day, months)
    assert earlier <= day
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == min(day.day, calendar.monthrange(earlier.year, earlier.month)[1])


@given(DAYS, st.integers(1, 120))
def test_the_window_is_never_shorter_than_months_times_twenty_eight_days(day, months):
    assert day - months_before(day, months) >= timedelta(days=28 * months)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "instrument": st.sampled_from(["dash-acpo-27", "s-dash-11", "h-dash-10"]) | JSON,
        "answers": st.dictionaries(
            st.sampled_from([str(n) for n in range(0, 30)]),
            st.sampled_from(["yes", "no", "not_known", "declined"]) | JSON,
        )
        | JSON,
        "professional_judgement": st.sampled_from([None, "standard", "medium", "high"]) | JSON,
        "history": st.fixed_dictionaries(
            {},
            optional={
                "da_incidents": st.lists(DAYS.map(date.isoformat) | JSON, max_size=4),
                "last_marac_referral": st.none() | DAYS.map(date.isoformat) | JSON,
            },
        )
        | JSON,
        "as_of": st.sampled_from(["2025-03-15T10:00:00Z", "2024-02-29"]) | JSON,
        "force": st.sampled_from(["WMP", "nmp"]) | JSON,
    },
)


@given(FIELDS | JSON)
def test_any_json_document_either_scores_or_raises_an_error_that_names_a_field(document):
    try:
        line = contract_line(evaluate(parse_request(document), CATALOGUE, Policies()))
    except RiskInputError as exc:
        assert exc.field and exc.message
        return
    assert set(line) == {"instrument", "yes_count", "computed_level", "final_level", "marac"}
