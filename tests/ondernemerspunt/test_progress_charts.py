"""The server-drawn charts: readable labels, enough contrast, honest about what is missing."""

import re

import pytest

from ondernemerspunt.progress.charts import BRAND, PACE, SECOND, dashboard_charts
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.tables import present
from tests.ondernemerspunt import progress_scenario
from tests.ondernemerspunt.progress_scenario import AS_OF


@pytest.fixture
def charts(db):
    desk = progress_scenario.build()
    figures = present(
        desk_progress(desk, 2009, as_of=AS_OF, period=period_of(2009, "year")), suppress=False
    )
    return {chart.key: chart for chart in dashboard_charts(figures)}


def contrast(colour: str) -> float:
    """WCAG contrast ratio of ``colour`` against white."""

    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_colour_that_carries_a_figure_has_3_to_1_against_white():
    for colour in (BRAND, SECOND, PACE):
        assert contrast(colour) >= 3, colour


def test_the_pace_label_sits_above_the_bars_not_across_their_labels(charts):
    svg = str(charts["participants_by_month"].svg)
    label = re.search(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>nodig per maand', svg)
    assert label is not None
    tallest_bar_top = min(float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg))
    assert float(label.group(1)) < tallest_bar_top


def test_still_trading_is_a_bar_with_its_number_not_a_missing_figure(charts):
    """Recorded since issue 11: the funnel chart no longer says "not yet recorded"."""
    svg = str(charts["funnel"].svg)
    assert "nog niet vastgelegd" not in svg
    assert "na 12 maanden nog actief" in svg
