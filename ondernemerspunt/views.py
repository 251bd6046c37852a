from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ondernemerspunt.access import (
    coordinator_required,
    desk_for,
    desk_ids_for,
    memberships_of,
    role_required,
)
from ondernemerspunt.accounts import lift_lockout, send_password_reset_mail
from ondernemerspunt.audit import lines_per_desk, trail_csv, trail_of, with_resident_names
from ondernemerspunt.forms import AuditFilterForm, ProgressFilterForm, ProgressReportForm
from ondernemerspunt.home import home_sections, personal_home
from ondernemerspunt.http import require_GET_or_POST
from ondernemerspunt.models import AuditEntry, ProgressReport, Role
from ondernemerspunt.pagination import paginate
from ondernemerspunt.progress.charts import dashboard_charts
from ondernemerspunt.progress.figures import desk_progress, last_recorded_day
from ondernemerspunt.progress.periods import FIRST_YEAR, LAST_YEAR, current_years
from ondernemerspunt.progress.reports import figures_csv, figures_json, request_progress_report
from ondernemerspunt.progress.tables import PROGRESS_ROLES, must_suppress, present
from ondernemerspunt.services import record_desk_audit


@login_required
@require_safe
def home(request):
    """One home page; its sections follow the user's roles (a person can hold several)."""
    personal = personal_home(request)
    if personal is not None:
        return personal  # a resident's own page (registered by intake)
    context = {"sections": home_sections(request.user, memberships_of(request.user))}
    return render(request, "ondernemerspunt/home.html", context)


def _audit_trail_for(request):
    desk_ids = desk_ids_for(request.user, (Role.COORDINATOR,))
    form = AuditFilterForm(request.GET or None, desk_ids=desk_ids)
    return form, form.filter_qs(trail_of(desk_ids))


@coordinator_required
@require_safe
def audit_trail(request):
    form, entries = _audit_trail_for(request)
    page = paginate(request, entries, per_page=50)
    page.object_list = with_resident_names(page.object_list)  # one query for all the names
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "ondernemerspunt/audit_trail.html", context)


@coordinator_required
@require_safe
def audit_trail_csv(request):
    """The filtered trail for a data-protection officer; the export is itself a line."""
    form, entries = _audit_trail_for(request)
    if form.is_bound and not form.is_valid():
        # Never more lines than were asked for: a filter that cannot be used is an error here.
        return HttpResponseBadRequest(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    for desk_id, count in sorted(lines_per_desk(entries).items()):
        record_desk_audit(
            by=request.user,
            desk_id=desk_id,
            action=AuditEntry.Action.EXPORTED,
            what=gettext_lazy("Audit trail exported as CSV (%(count)s lines)"),
            params={"count": count},
        )
    response = HttpResponse(trail_csv(entries), content_type="text/csv; charset=utf-8")
    name = f"logboek-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csrf_failure(request, reason=""):
    """An expired form in the desk's own frame instead of Django's technical page."""
    return render(request, "403_csrf.html", status=403)


# --- Progress (issue 5): dashboard, exports and quarterly reports ------------------------------


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


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the reset mail for every address typed, known or not (``accounts.py`` says why)."""

    def form_valid(self, form):
        send_password_reset_mail.enqueue(
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
            language=get_language(),
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the link also lifts a lockout of the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lift_lockout(form.user)
        return response
