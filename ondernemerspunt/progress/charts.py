"""Charts drawn on the server as SVG, for the dashboard and the PDF report alike.

Each chart is drawn from a ``tables.Table`` and shown above that same table, which is its
text alternative. Colours are SVG presentation attributes, not ``style``: the CSP allows no
inline styles, and WeasyPrint reads presentation attributes as well as a browser does.
A suppressed count (``Small``) is drawn as a dashed outline up to the threshold, labelled
"< 5": it shows that there is something without showing how much. A count hidden beside it
(``Hidden``) gets no bar at all, only its label "×".
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ondernemerspunt.progress.tables import NOT_YET_RECORDED, Hidden, Small, Table

BRAND = "#0a4b8c"
# 3.4:1 against white: graphical objects need at least 3:1 (WCAG 1.4.11).
SECOND = "#5b8fc7"
PACE = "#b02a37"
MUTED = "#6c757d"
TEXT = "#212529"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass
class Chart:
    key: str
    title: str
    svg: SafeString
    table: Table


def _number(value) -> float:
    """The length a value is drawn with: a suppressed count is drawn up to its threshold."""
    if isinstance(value, Small):
        return value.below - 1
    if isinstance(value, Hidden):
        return 0.0
    return float(value or 0)


def _label(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",").removesuffix(",0")
    return str(value)


def _svg(key: str, title: str, width: int, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart-svg" role="img" '
        f'aria-labelledby="chart-{key}-title" {FONT} font-size="13">'
        f'<title id="chart-{key}-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _bar(x, y, width, height, value, colour) -> str:
    if isinstance(value, Small):
        return (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 1):.1f}" height="{height:.1f}" '
            f'fill="none" stroke="{MUTED}" stroke-dasharray="4 3"/>'
        )
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}"/>'
    )


def bar_chart(table: Table, column: int = 0) -> Chart:
    """Horizontal bars, one per row of the table (funnel, reasons, situations, …)."""
    width, label_width, row_height = 640, 250, 26
    rows = table.rows
    height = max(len(rows), 1) * row_height + 8
    largest = max([_number(r.values[column]) for r in rows] + [1])
    scale = (width - label_width - 60) / largest
    body = []
    for i, row in enumerate(rows):
        y = 4 + i * row_height
        value = row.values[column]
        body.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_shorten(row.label, 34))}</text>"
        )
        if value is None or value == "":
            empty = str(NOT_YET_RECORDED) if value is None else "–"
            body.append(
                f'<text x="{label_width}" y="{y + 17}" fill="{MUTED}">{escape(empty)}</text>'
            )
            continue
        length = _number(value) * scale
        body.append(_bar(label_width, y + 3, length, row_height - 8, value, BRAND))
        body.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" fill="{TEXT}">'
            f"{escape(_label(value))}</text>"
        )
    return Chart(table.key, table.title, _svg(table.key, table.title, width, height, body), table)


def column_chart(
    table: Table, columns: list[int], pace_column: int | None = None, pace_label: str = ""
) -> Chart:
    """Columns per month, one or two series side by side; a dashed line for the pace needed
    (given per month in ``pace_column`` as a running total, drawn as the monthly step)."""
    # ``top`` leaves a band for the legend and the pace's label, clear of the bars' labels.
    width, height, left, bottom, top = 640, 250, 36, 26, 34
    plot_height = height - bottom - top
    slot = (width - left - 8) / max(len(table.rows), 1)
    pace = _monthly_pace(table, pace_column)
    values = [_number(row.values[c]) for row in table.rows for c in columns]
    largest = max([*values, pace or 0, 1])
    scale = plot_height / largest
    colours = [BRAND, SECOND]
    bar_width = (slot - 8) / len(columns)
    body = [
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 4}" y2="{top + plot_height}" '
        f'stroke="{MUTED}"/>'
    ]
    if pace:
        # Drawn first, so that the bars and their labels lie on top of it; its label goes in
        # the legend band, where no bar's label can run into it.
        y = top + plot_height - pace * scale
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="{PACE}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
            f'<line x1="{left}" y1="7" x2="{left + 24}" y2="7" stroke="{PACE}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
            f'<text x="{left + 30}" y="11" font-size="11" fill="{PACE}">'
            f"{escape(pace_label)}: {escape(_label(round(pace, 1)))}</text>"
        )
    for i, row in enumerate(table.rows):
        x0 = left + i * slot + 4
        for j, c in enumerate(columns):
            value = row.values[c]
            if value is None or value == "":
                continue
            bar_height = _number(value) * scale
            x = x0 + j * bar_width
            y = top + plot_height - bar_height
            body.append(_bar(x, y, bar_width - 2, bar_height, value, colours[j % 2]))
            if value:
                label = _label(value)
                middle = x + (bar_width - 2) / 2
                if pace:
                    # A white ground keeps the label readable where the pace line runs (one
                    # series only: beside a second bar the ground would cut into that bar).
                    body.append(
                        f'<rect x="{middle - 3.5 * len(label) - 3:.1f}" y="{y - 13:.1f}" '
                        f'width="{7 * len(label) + 6:.1f}" height="11" fill="#ffffff"/>'
                    )
                body.append(
                    f'<text x="{middle:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                    f'font-size="11" fill="{TEXT}">{escape(label)}</text>'
                )
        body.append(
            f'<text x="{x0 + (slot - 8) / 2:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(row.label)}</text>'
        )
    if len(columns) > 1:
        for j, c in enumerate(columns):
            x = width - 110 * (len(columns) - j)
            body.append(
                f'<rect x="{x}" y="2" width="10" height="10" fill="{colours[j % 2]}"/>'
                f'<text x="{x + 14}" y="11" font-size="11" fill="{TEXT}">'
                f"{escape(table.headers[c])}</text>"
            )
    return Chart(table.key, table.title, _svg(table.key, table.title, width, height, body), table)


def progress_bar(key: str, title: str, value, target: int | None, pace: int | None) -> SafeString:
    """The target as a bar, for the PDF (the page uses a ``<progress>`` element)."""
    width, height = 640, 46
    if not target:
        return _svg(key, title, width, 10, [])
    scale = (width - 2) / max(target, _number(value), 1)
    body = [
        f'<rect x="1" y="6" width="{target * scale:.1f}" height="22" fill="#e9ecef" '
        f'stroke="{MUTED}"/>',
        _bar(1, 6, _number(value) * scale, 22, value, BRAND),
    ]
    if pace is not None:
        x = 1 + pace * scale
        body.append(
            f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="32" stroke="{PACE}" stroke-width="2"/>'
        )
    return _svg(key, title, width, height, body)


def _monthly_pace(table: Table, pace_column: int | None) -> float | None:
    if pace_column is None or not table.rows or table.rows[0].values[pace_column] in (None, ""):
        return None
    return float(table.rows[0].values[pace_column])


def _shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def dashboard_charts(figures) -> list[Chart]:
    """The charts of the dashboard and the report, in reading order."""
    tables = figures.tables
    return [
        bar_chart(tables["funnel"]),
        column_chart(
            tables["participants_by_month"],
            [0],
            pace_column=len(tables["participants_by_month"].headers) - 1,
            pace_label=str(_("needed per month")),
        ),
        column_chart(tables["conversations_by_month"], [0, 1]),
        bar_chart(tables["dropouts"]),
        bar_chart(tables["situation"]),
        bar_chart(tables["source"]),
        bar_chart(tables["neighbourhood"]),
    ]
