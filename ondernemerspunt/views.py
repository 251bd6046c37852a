from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from ondernemerspunt.access import (
    coordinator_required,
    desk_ids_for,
    memberships_of,
    resident_of,
)
from ondernemerspunt.forms import AuditFilterForm
from ondernemerspunt.models import AuditEntry, Role
from ondernemerspunt.selectors import home_sections


@login_required
def home(request):
    """One home page; its sections follow the user's roles (a person can hold several)."""
    resident = resident_of(request.user)
    if resident is not None:
        return render(request, "ondernemerspunt/home_resident.html", {"resident": resident})
    context = {"sections": home_sections(request.user, memberships_of(request.user))}
    return render(request, "ondernemerspunt/home.html", context)


@coordinator_required
def audit_trail(request):
    form = AuditFilterForm(request.GET or None)
    entries = form.filter_qs(
        AuditEntry.objects.filter(
            desk_id__in=desk_ids_for(request.user, (Role.COORDINATOR,))
        ).select_related("actor", "desk")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "ondernemerspunt/audit_trail.html", {"form": form, "page": page})


def csrf_failure(request, reason=""):
    """An expired form in the desk's own frame instead of Django's technical page."""
    return render(request, "403_csrf.html", status=403)
