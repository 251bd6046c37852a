"""The frame's own pages: home, the audit trail, password reset, an expired form."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_safe

from ondernemerspunt.access import (
    coordinator_required,
    desk_ids_for,
    memberships_of,
)
from ondernemerspunt.accounts import lift_lockout, send_password_reset_mail
from ondernemerspunt.audit import lines_per_desk, trail_csv, trail_of, with_resident_names
from ondernemerspunt.forms import AuditFilterForm
from ondernemerspunt.home import home_sections, personal_home
from ondernemerspunt.models import AuditEntry, Role
from ondernemerspunt.pagination import paginate
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
