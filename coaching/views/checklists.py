"""The desk's review checklist, kept by its coordinator: edit (saved as a new version) and read
an earlier version."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from ondernemerspunt.http import require_GET_or_POST


# Placeholders until the pages are built (this session); each answers 501.
@login_required
@require_GET_or_POST
def checklist_edit(request, desk):
    return HttpResponse(status=501)


@login_required
@require_safe
def checklist_version(request, desk, version):
    return HttpResponse(status=501)
