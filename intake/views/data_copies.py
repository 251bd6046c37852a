"""A copy of one's data (AVG art. 15 and 20): the resident's own page ("Mijn gegevens") and
the coordinator's page for a resident who asked for one ("Kopie van gegevens").

JSON is served at once; the PDF is made in the background (``intake.data_copy``) and the page
refreshes itself until it is ready. Each page lists only the copies its own side asked for:
the resident's own, or those the desk made for her, so that nobody downloads a copy that
another person asked for without a line in the audit trail.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from intake.access import coordinated_resident_for, own_resident_for
from intake.data_copy import (
    KEPT_FOR,
    CopyPending,
    build_copy,
    is_late,
    kept_copies,
    record_copy_audit,
    request_copy,
)
from intake.models import DataCopy
from ondernemerspunt.http import require_GET_or_POST

# The latest copies a page lists; older ones are deleted after KEPT_FOR anyway.
LISTED = 10


@login_required
@require_GET_or_POST
def data_copy_page(request, pk):
    """The coordinator's page: make a copy of a resident's data, at her request."""
    resident = coordinated_resident_for(request, pk)
    copies = _staff_copies(resident)
    return _page(request, resident, copies, own=False)


@login_required
@require_GET_or_POST
def own_data_copy_page(request):
    """The resident's own page: everything the desk keeps about her, to download."""
    resident = own_resident_for(request)
    copies = kept_copies().filter(resident=resident, requested_by=request.user)
    return _page(request, resident, copies, own=True)


@login_required
@require_safe
def data_copy_json(request, pk):
    return _json(request, coordinated_resident_for(request, pk))


@login_required
@require_safe
def own_data_copy_json(request):
    return _json(request, own_resident_for(request))


@login_required
@require_safe
def data_copy_pdf(request, pk, copy):
    resident = coordinated_resident_for(request, pk)
    return _pdf(_staff_copies(resident), copy)


@login_required
@require_safe
def own_data_copy_pdf(request, copy):
    resident = own_resident_for(request)
    return _pdf(kept_copies().filter(resident=resident, requested_by=request.user), copy)


def _staff_copies(resident):
    """The copies the desk made for her (not those she made herself)."""
    copies = kept_copies().filter(resident=resident)
    if resident.user_id:
        copies = copies.exclude(requested_by_id=resident.user_id)
    return copies


def _page(request, resident, copies, *, own: bool):
    here = "intake:own_data_copy" if own else "intake:data_copy"
    args = () if own else (resident.pk,)
    if request.method == "POST":
        # The PDF is for her: in the language of her own pages when she asks for it, in the
        # desk's language (Dutch) when the desk makes it, whatever the coordinator's pages use.
        language = get_language() if own else settings.LANGUAGE_CODE
        try:
            request_copy(resident=resident, by=request.user, language=language)
        except CopyPending:
            messages.info(request, _("A copy is already being made. Wait until it is ready."))
        else:
            messages.success(request, _("The copy is being made. This takes a few seconds."))
        return redirect(here, *args)
    listed = list(copies.defer("pdf").order_by("-requested_at", "-id")[:LISTED])
    for data_copy in listed:
        data_copy.late = is_late(data_copy)
    context = {
        "resident": resident,
        "own": own,
        "copies": listed,
        "refresh": any(c.status == DataCopy.Status.PENDING and not c.late for c in listed),
        "kept_days": KEPT_FOR.days,
    }
    return render(request, "intake/data_copy.html", context)


def _json(request, resident):
    record_copy_audit(by=request.user, resident=resident, file_format="JSON")
    response = JsonResponse(
        build_copy(resident), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(resident, "json")}"'
    return response


def _pdf(copies, copy_pk):
    data_copy = get_object_or_404(
        copies.select_related("resident").filter(status=DataCopy.Status.READY), pk=copy_pk
    )
    response = HttpResponse(bytes(data_copy.pdf), content_type="application/pdf")
    name = _file_name(data_copy.resident, "pdf", day=data_copy.requested_at)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(resident, extension: str, day=None) -> str:
    """``gegevens-17-2009-05-04.json``: the file's number, not her name (a download
    folder or a mail attachment is no place for it)."""
    day = timezone.localdate(day) if day else timezone.localdate()
    return f"gegevens-{resident.pk}-{day:%Y-%m-%d}.{extension}"
