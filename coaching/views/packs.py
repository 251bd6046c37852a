"""The Qredits pack's pages (issue 11): ask for a new version, follow it while the worker makes
it (the page refreshes itself), download it, and mark it sent to Qredits.

Every object comes through ``coaching.access`` (``application_for``, ``pack_for``): the staff of
the resident's desk, and nobody else (another desk's coach and the project group get 404). The
rules are ``coaching.packs``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from coaching import packs
from coaching.access import application_for, pack_for
from coaching.applications import ApplicationRefused
from coaching.models import ApplicationPack
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit

# Seconds between two loads of the status page while a version is being made.
REFRESH_SECONDS = 4


@login_required
@require_POST
def pack_new(request, pk):
    application = application_for(request, pk)
    try:
        pack = packs.request_pack(application, by=request.user)
    except packs.PackPending as pending:
        messages.info(request, pending.message)
        return redirect("coaching:pack_status", pk=pending.pack.pk)
    except ApplicationRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("coaching:application_detail", pk=application.pk)
    messages.success(
        request,
        _("Version %(number)s of the pack is being made. This takes a few seconds.")
        % {"number": pack.number},
    )
    return redirect("coaching:pack_status", pk=pack.pk)


@login_required
@require_safe
def pack_status(request, pk):
    pack = pack_for(request, pk)
    application = pack.application
    late = packs.is_late(pack)
    in_progress = pack.status in packs.IN_PROGRESS
    sendable = (
        pack.status == ApplicationPack.Status.READY
        and pack.sent_at is None
        and application.status in packs.OPEN_STATUSES
    )
    context = {
        # Why this version is not to be sent, said before the click (mark_sent refuses too).
        "not_current": packs.why_not_current(pack, application) if sendable else "",
        "pack": pack,
        "application": application,
        "resident": application.plan.resident,
        "late": late,
        "in_progress": in_progress,
        "refresh": REFRESH_SECONDS if in_progress and not late else None,
        "versions": list(
            packs.packs_of(application).select_related("requested_by").order_by("-number")
        ),
    }
    return render(request, "coaching/pack/status.html", context)


@login_required
@require_safe
def pack_pdf(request, pk):
    pack = pack_for(request, pk)
    if pack.status != ApplicationPack.Status.READY or not pack.pdf:
        raise Http404
    record_audit(
        by=request.user,
        resident=pack.application.plan.resident,
        action=AuditEntry.Action.EXPORTED,
        what=gettext_lazy("Qredits pack downloaded (version %(number)s)"),
        params={"number": pack.number},
    )
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(pack)}"'
    return response


def file_name(pack: ApplicationPack) -> str:
    """``qredits-aanvraag-41-v2.pdf``: the application's and the version's number, not her name
    (a download folder or a mail attachment is no place for it); two applications' packs get
    different names."""
    return f"qredits-aanvraag-{pack.application_id}-v{pack.number}.pdf"


@login_required
@require_POST
def pack_sent(request, pk):
    pack = pack_for(request, pk)
    already = pack.sent_at is not None
    try:
        stage_problem = packs.mark_sent(pack, by=request.user)
    except ApplicationRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("coaching:pack_status", pk=pack.pk)
    if already:
        messages.info(request, _("This version was already marked as sent."))
    else:
        messages.success(
            request,
            _("Version %(number)s is marked as sent to Qredits today. It is kept as it is.")
            % {"number": pack.number},
        )
    if stage_problem:
        messages.warning(request, stage_problem)
    return redirect("coaching:pack_status", pk=pack.pk)
