"""Progress (issue 5): the dashboard, its exports and the quarterly reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ondernemerspunt.access import (
    desk_for,
    desk_ids_for,
    memberships_of,
    role_required,
)
from ondernemerspunt.forms import ProgressFilterForm, ProgressReportForm
from ondernemerspunt.http import require_GET_or_POST
from ondernemerspunt.models import ProgressReport, Role
from ondernemerspunt.progress.charts import dashboard_charts
from ondernemerspunt.progress.figures import desk_progress, last_recorded_day
from ondernemerspunt.progress.periods import FIRST_YEAR, LAST_YEAR, current_years
from ondernemerspunt.progress.reports import figures_csv, figures_json, request_progress_report
from ondernemerspunt.progress.tables import PROGRESS_ROLES, must_suppress, present


def _progress_for(request, slug, year):
    """The desk (404 unless the user follows its progress), the filter form and the figures."""
    desk = desk_for(request, slug, roles=PROGRESS_ROLES)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    suppress = must_suppress(request.user, desk, memberships_of(request.user))
    today = timezone.localdate()
    form = ProgressFilterForm(
        request.GET or None,
        year=year,
        today=today,
        month_ends_only=suppress,
        last_recorded=last_recorded_day(desk),
    )
    progress = desk_progress(desk, year, as_of=form.as_of_date(), period=form.chosen_period())
    return desk, form, present(progress, suppress=suppress, today=today)


@role_required(*PROGRESS_ROLES)
@require_safe
def progress_index(request):
    """Straight to the dashboard of one's desk; a list when one follows several desks."""
    today = timezone.localdate()
    desks = sorted(
        {m.desk for m in memberships_of(request.user) if m.role in PROGRESS_ROLES},
        key=lambda desk: desk.name,
    )
    years = current_years(desks, today)
    if len(desks) == 1:
        return redirect("progress_dashboard", slug=desks[0].slug, year=years[desks[0].pk])
    rows = [(desk, years[desk.pk]) for desk in desks]
    return render(request, "ondernemerspunt/progress_index.html", {"rows": rows})


@login_required
@require_safe
def progress_desk(request, slug):
    """A desk's progress without a year: the year its dashboard opens on (see current_years)."""
    desk = desk_for(request, slug, roles=PROGRESS_ROLES)
    year = current_years([desk], timezone.localdate())[desk.pk]
    return redirect("progress_dashboard", slug=desk.slug, year=year)


@login_required
@require_safe
def progress_dashboard(request, slug, year):
    desk, form, figures = _progress_for(request, slug, year)
    context = {
        "desk": desk,
        "form": form,
        "figures": figures,
        "charts": dashboard_charts(figures),
        "query": request.GET.urlencode(),
        # The coordinator sets a missing target herself (desk management).
        "manages": desk.pk in desk_ids_for(request.user, (Role.COORDINATOR,)),
    }
    return render(request, "ondernemerspunt/progress.html", context)


@login_required
@require_safe
def progress_json(request, slug, year):
    """The key figures for the municipality's own reporting (suppressed for the project group)."""
    desk, form, figures = _progress_for(request, slug, year)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(figures_json(figures), json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def progress_csv(request, slug, year):
    desk, form, figures = _progress_for(request, slug, year)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(figures_csv(figures), content_type="text/csv; charset=utf-8")
    name = f"voortgang-{desk.slug}-{year}-{figures.progress.period.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET_or_POST
def progress_reports(request, slug, year):
    """The quarterly reports of a desk and year; POST asks for a new one."""
    desk = desk_for(request, slug, roles=PROGRESS_ROLES)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    suppress = must_suppress(request.user, desk, memberships_of(request.user))
    form = ProgressReportForm(
        request.POST or None,
        year=year,
        today=timezone.localdate(),
        may_show_small_counts=not suppress,
    )
    if request.method == "POST" and form.is_valid():
        request_progress_report(
            desk=desk,
            year=year,
            quarter=form.cleaned_data["quarter"],
            by=request.user,
            suppressed=suppress or form.suppressed(),
            language=get_language(),
        )
        messages.success(request, _("The report is being prepared. Refresh this page in a moment."))
        return redirect("progress_reports", slug=desk.slug, year=year)
    reports = ProgressReport.objects.filter(desk=desk, year=year).defer("pdf")
    if suppress:
        reports = reports.filter(suppressed=True)
    context = {"desk": desk, "year": year, "form": form, "reports": reports[:20]}
    return render(request, "ondernemerspunt/progress_reports.html", context)


@login_required
@require_safe
def progress_report_pdf(request, slug, pk):
    """A finished report; the project group only gets reports with small counts hidden."""
    desk = desk_for(request, slug, roles=PROGRESS_ROLES)
    reports = ProgressReport.objects.filter(desk=desk, status=ProgressReport.Status.READY)
    if must_suppress(request.user, desk, memberships_of(request.user)):
        reports = reports.filter(suppressed=True)
    report = get_object_or_404(reports, pk=pk)
    name = f"voortgang-{desk.slug}-{report.year}-k{report.quarter}.pdf"
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
