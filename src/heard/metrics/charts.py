"""Charts of the pilot statistics, drawn on the server as SVG: no script, nothing fetched.

Matplotlib's object API (never pyplot, which keeps global state and is not thread-safe). Text is
drawn as paths, so the SVG needs no fonts; each chart prefixes its ids, so several can share a page.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass

from matplotlib.figure import Figure as Canvas

from heard.metrics.measures import MEASURES_BY_ID, Figure

COLOURS = ("#1d4f91", "#d4351c", "#00703c", "#6f3c97", "#b58840", "#505a5f")


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str  # what the chart shows, for people who cannot see it
    svg: str


def _series(figures: list[Figure], measure: str, group: str = "") -> dict[str, float]:
    return {
        f.month: f.value
        for f in figures
        if f.measure == measure and f.group == group and f.value is not None
    }


# Every id an SVG defines or refers to: id="x", href="#x", url(#x).
ID_USE = re.compile(r'(id="|href="#|url\(#)([^")]+)')


def _svg(canvas: Canvas, chart_id: str) -> str:
    out = io.StringIO()
    canvas.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = out.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: it sits inside HTML
    # Matplotlib numbers ids from 1 in every file (figure_1, glyph names): several charts on one
    # page would share them and draw each other's clip paths, so each chart prefixes its own.
    return ID_USE.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", text)


def _lines(chart_id: str, months: list[str], series: dict[str, dict[str, float]]) -> str:
    canvas = Canvas(figsize=(7.5, 2.8), dpi=96)
    axes = canvas.subplots()
    positions = range(len(months))
    for (name, values), colour in zip(series.items(), COLOURS, strict=False):
        axes.plot(
            list(positions),
            [values.get(m, 0.0) for m in months],
            label=name,
            color=colour,
            marker="o" if len(months) <= 24 else None,
            linewidth=1.6,
        )
    step = max(1, len(months) // 12)
    axes.set_xticks(list(positions)[::step], months[::step], rotation=45, ha="right")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", frameon=False, fontsize=8)
    return _svg(canvas, chart_id)


def _bars(chart_id: str, totals: dict[str, float]) -> str:
    canvas = Canvas(figsize=(7.5, max(1.6, 0.35 * len(totals) + 0.8)), dpi=96)
    axes = canvas.subplots()
    names = sorted(totals, key=lambda k: totals[k])
    axes.barh(names, [totals[n] for n in names], color=COLOURS[0])
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=8)
    return _svg(canvas, chart_id)


def _describe(series: dict[str, dict[str, float]]) -> str:
    parts = [f"{name}: total {sum(v.values()):g}" for name, v in series.items()]
    return "; ".join(parts) or "no figures"


def _line_chart(
    chart_id: str, title: str, months: list[str], figures: list[Figure], measures: list[str]
) -> Chart:
    series = {MEASURES_BY_ID[m].label: _series(figures, m) for m in measures}
    return Chart(chart_id, title, _describe(series), _lines(chart_id, months, series))


def charts(months: list[str], figures: list[Figure]) -> list[Chart]:
    """The page's charts; the table under them holds every figure for those who need numbers."""
    found = [
        _line_chart(
            "calls",
            "Domestic abuse calls, specialist reviews and repeat calls",
            months,
            figures,
            ["da_calls", "da_calls_reviewed", "repeat_da_calls_12m"],
        ),
        _line_chart(
            "times",
            "How long it took (medians)",
            months,
            figures,
            ["review_minutes_median", "breach_attend_minutes_median"],
        ),
        _line_chart(
            "referrals",
            "MARAC referrals, and Operation Encompass notices made and on time",
            months,
            figures,
            ["marac_referrals", "encompass_notices", "encompass_on_time"],
        ),
    ]
    by_rule: dict[str, float] = defaultdict(float)
    for f in figures:
        if f.measure == "findings" and f.value:
            by_rule[f.group] += f.value
    if by_rule:
        description = "; ".join(f"{rule}: {n:g}" for rule, n in sorted(by_rule.items()))
        found.append(
            Chart(
                "findings",
                "Missed-opportunity findings by rule over the period",
                description,
                _bars("findings", by_rule),
            )
        )
    return found
