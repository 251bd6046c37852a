"""The progress figures leaving the application: CSV, JSON and the quarterly PDF report.

Every export is written from ``tables.Figures`` — the figures as the viewer may see them —
so the project group's small-count suppression holds in exports exactly as on the page.
"""

import csv
import datetime
import io
import logging
import time

from django.db import transaction
from django.tasks import task
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ondernemerspunt.models import ProgressReport
from ondernemerspunt.pdf import render_pdf
from ondernemerspunt.progress.charts import dashboard_charts, progress_bar
from ondernemerspunt.progress.figures import FIGURE_LABELS, KEY_FIGURES, desk_progress
from ondernemerspunt.progress.periods import default_as_of, last_month_end, period_of
from ondernemerspunt.progress.tables import NOT_YET_RECORDED, machine_value, present
from ondernemerspunt.worker import on_given_up

logger = logging.getLogger(__name__)


def figures_json(figures) -> dict:
    """The machine-readable figures: the key figures, flat, plus what they were counted over."""
    progress = figures.progress
    return {
        "desk": progress.desk.slug,
        "year": progress.year,
        "as_of": progress.window.end.isoformat() if not progress.not_started else None,
        "suppressed_below": figures.threshold if figures.suppressed else None,
        **figures.machine_key_figures(),
        # Every figure is recorded since issue 11 (still trading after 12 months); the key
        # stays for the programs that read it.
        "not_yet_recorded": [],
    }


def figures_csv(figures) -> str:
    """All figures as CSV for a spreadsheet: ``section;figure;column;value``.

    Semicolons and a byte-order mark, because that is what Excel with Dutch settings opens
    correctly; a suppressed count is written ``<5``.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    progress = figures.progress
    writer.writerow(["section", "figure", "column", "value"])
    writer.writerow(["", "desk", "", progress.desk.slug])
    writer.writerow(["", "year", "", progress.year])
    as_of = "" if progress.not_started else progress.window.end.isoformat()  # as in the JSON
    writer.writerow(["", "as_of", "", as_of])
    writer.writerow(["", "period", "", progress.period.key])
    for name in KEY_FIGURES:
        value = machine_value(figures.key[name])
        if name == "target" and value is None:
            value = str(_("no target set"))  # not "not yet recorded": nothing is missing
        writer.writerow(["key_figures", name, str(FIGURE_LABELS[name]), _cell(value)])
    for table in figures.tables.values():
        if table.not_yet_recorded:
            writer.writerow([table.key, "", "", str(NOT_YET_RECORDED)])
            continue
        if table.withheld and table.withheld_reason == "quarters_only":
            # Not a count: for the project group, breakdowns by person come per ended quarter.
            writer.writerow([table.key, "", "", str(_("only per quarter that has ended"))])
            continue
        if table.withheld:
            # Only that the breakdown covers fewer residents than the threshold, as "<5".
            writer.writerow([table.key, str(_("total")), "", f"<{figures.threshold}"])
            continue
        for row in table.rows:
            for header, value in zip(table.headers, row.values, strict=True):
                writer.writerow([table.key, row.label, header, _cell(machine_value(value))])
    return out.getvalue()


def _cell(value):
    if value is None:
        return str(NOT_YET_RECORDED)
    if isinstance(value, float):
        # The pace, 4.2: Excel with Dutch settings reads "4.2" as text or a date, "4,2" as a
        # number. ``number_format`` follows the language of the download.
        return formats.number_format(value, 1)
    return value


# --- The quarterly report -----------------------------------------------------------------------


def quarter_as_of(
    year: int, quarter: int, today: datetime.date, *, suppressed: bool = False
) -> datetime.date:
    """The report counts up to the end of the quarter, or today while the quarter runs; the
    project group's (suppressed) report up to the last month end reached, never a single
    day's changes."""
    end = period_of(year, f"q{quarter}").end
    reached = default_as_of(year, today)
    if suppressed:
        reached = min(reached, last_month_end(today))
    return min(end, reached)


def request_progress_report(*, desk, year: int, quarter: int, by, suppressed: bool, language):
    """Record the request and hand the rendering to the task worker.

    The task row is written in the same transaction as the report (the database backend), so
    the worker never sees a report that was not committed.
    """
    with transaction.atomic():
        report = ProgressReport.objects.create(
            desk=desk,
            year=year,
            quarter=quarter,
            as_of=quarter_as_of(year, quarter, timezone.localdate(), suppressed=suppressed),
            suppressed=suppressed,
            language=language,
            requested_by=by,
        )
        render_progress_report.enqueue(report.pk)
    return report


@task()
def render_progress_report(report_id: int) -> str:
    """Render one report to PDF and store it; a failure is recorded on the report.

    Safe to run twice (the worker runs a job again when its worker died halfway): a report that
    is ready is left as it is, and only a report not yet ready is written.
    """
    report = ProgressReport.objects.select_related("desk").get(pk=report_id)
    if report.status == ProgressReport.Status.READY:
        return report.status
    not_ready = ProgressReport.objects.filter(pk=report_id).exclude(
        status=ProgressReport.Status.READY
    )
    started = time.perf_counter()
    try:
        with translation.override(report.language):
            pdf = render_report_pdf(report)
    except Exception:
        logger.exception("Progress report %s could not be rendered", report_id)
        not_ready.update(status=ProgressReport.Status.FAILED)
        raise
    not_ready.update(
        pdf=pdf,
        status=ProgressReport.Status.READY,
        rendered_at=timezone.now(),
        render_seconds=round(time.perf_counter() - started, 3),
    )
    return ProgressReport.Status.READY


@on_given_up(render_progress_report)
def report_given_up(report_id: int) -> None:
    """Its worker died on every attempt (WeasyPrint out of memory, say): the page says failed."""
    ProgressReport.objects.filter(pk=report_id, status=ProgressReport.Status.PENDING).update(
        status=ProgressReport.Status.FAILED
    )


def render_report_pdf(report) -> bytes:
    """The report's figures: year to date at the quarter's end, the quarter as the period."""
    progress = desk_progress(
        report.desk,
        report.year,
        as_of=report.as_of,
        period=period_of(report.year, f"q{report.quarter}"),
    )
    figures = present(progress, suppress=report.suppressed)
    context = {
        "report": report,
        "figures": figures,
        "charts": dashboard_charts(figures),
        "target_bar": progress_bar(
            "target",
            str(FIGURE_LABELS["participants"]),
            figures.participants_value,
            progress.target,
            figures.pace_to_date,
        ),
        "generated_on": timezone.localdate(),
    }
    return render_pdf("ondernemerspunt/progress_report_pdf.html", context)
