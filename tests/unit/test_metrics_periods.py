"""Months of the pilot statistics: parsing, ranges and the charts drawn from figures."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard import errors
from heard.metrics.charts import charts
from heard.metrics.measures import MEASURES, MEASURES_BY_ID, Figure
from heard.metrics.periods import LONGEST_RANGE_MONTHS, Month, MonthRange


def test_a_range_runs_from_the_first_day_of_the_first_month_to_the_start_of_the_month_after():
    months = MonthRange.parse("2025-11", "2026-02")
    assert months.start == datetime(2025, 11, 1, tzinfo=UTC)
    assert months.end == datetime(2026, 3, 1, tzinfo=UTC)
    assert [str(m) for m in months.months()] == ["2025-11", "2025-12", "2026-01", "2026-02"]


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(0, 500))
def test_going_back_then_forward_the_same_number_of_months_returns_to_the_start(y, m, back):
    month = Month(y, m)
    earlier = month.minus(back)
    for _ in range(back):
        earlier = earlier.next()
    assert earlier == month


@given(st.text(max_size=12))
def test_any_text_is_either_a_month_or_refused_with_a_reason(text):
    try:
        parsed = Month.parse(text)
    except errors.Invalid as refused:
        assert "YYYY-MM" in refused.detail
    else:
        assert str(parsed) == text.strip()


def test_a_range_longer_than_twenty_years_is_refused():
    with pytest.raises(errors.Invalid):
        MonthRange.parse("2000-01", str(Month(2000, 1).minus(-LONGEST_RANGE_MONTHS)))
    assert len(MonthRange.parse("2000-01", "2019-12").months()) == LONGEST_RANGE_MONTHS


def test_every_measure_has_plain_words_and_a_unique_id():
    assert len(MEASURES_BY_ID) == len(MEASURES)
    assert all(len(m.explanation) > 30 and m.label for m in MEASURES)


def test_charts_are_svg_without_script_and_their_ids_do_not_clash():
    figures = [
        Figure("2026-01", "da_calls", "", 12.0),
        Figure("2026-02", "da_calls", "", 9.0),
        Figure("2026-02", "findings", "high-risk-no-marac", 2.0),
    ]
    drawn = charts(["2026-01", "2026-02"], figures)
    assert [c.id for c in drawn] == ["calls", "times", "referrals", "findings"]
    ids: list[str] = []
    for chart in drawn:
        assert chart.svg.startswith("<svg") and "<script" not in chart.svg
        ids += re.findall(r'id="([^"]+)"', chart.svg)
    assert len(ids) == len(set(ids))
    assert "Domestic abuse calls: total 21" in drawn[0].description
    assert drawn[3].description == "high-risk-no-marac: 2"


def test_without_findings_there_is_no_findings_chart():
    assert "findings" not in [c.id for c in charts(["2026-01"], [])]
