"""Reviewing handed-in plans: the desk's queue, the review of one version (verdicts per
checklist item, comments per part, the outcome), co-signing; and the resident's reading of her
concluded reviews. The rules are ``coaching.reviews``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST, require_safe

from ondernemerspunt.http import require_GET_or_POST


# Placeholders until the pages are built (this session); each answers 501.
@login_required
@require_safe
def review_queue(request):
    return HttpResponse(status=501)


@login_required
@require_GET_or_POST
def review_start(request, pk, number):
    return HttpResponse(status=501)


@login_required
@require_GET_or_POST
def review_detail(request, pk, review):
    return HttpResponse(status=501)


@login_required
@require_POST
def review_cosign(request, pk, review):
    return HttpResponse(status=501)


@login_required
@require_POST
def review_reopen(request, pk, review):
    return HttpResponse(status=501)
