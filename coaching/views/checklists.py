"""The desk's review checklist, kept by its coordinator: edit (saved as a new version) and read
an earlier version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from coaching.checklist_forms import (
    ChecklistFormSet,
    ChecklistSettingsForm,
    items_initial,
    same_points,
)
from coaching.models import Checklist
from coaching.reviews import ReviewError, current_checklist, save_checklist
from ondernemerspunt.access import desk_for
from ondernemerspunt.http import require_GET_or_POST
from ondernemerspunt.models import AuditEntry, Role
from ondernemerspunt.services import record_desk_audit

COORDINATOR = (Role.COORDINATOR,)


@login_required
@require_GET_or_POST
def checklist_edit(request, desk):
    desk = desk_for(request, desk, roles=COORDINATOR)
    checklist = current_checklist(desk)
    if request.method != "POST":
        items = ChecklistFormSet(initial=items_initial(checklist), prefix="items")
        settings = ChecklistSettingsForm(
            initial={"based_on": checklist.version, "review_cosign": desk.review_cosign}
        )
        return _editor(request, desk, checklist, items, settings)
    items = ChecklistFormSet(request.POST, prefix="items")
    settings = ChecklistSettingsForm(request.POST)
    if not (items.is_valid() & settings.is_valid()):
        return _editor(request, desk, checklist, items, settings, problems=True)
    try:
        saved = _save(desk, checklist, items, settings.cleaned_data, by=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
        # What was typed stays; the next save builds on the version shown now.
        data = request.POST.copy()
        data["based_on"] = str(checklist.version)
        items = ChecklistFormSet(data, prefix="items")
        return _editor(request, desk, checklist, items, ChecklistSettingsForm(data))
    if saved is None:
        messages.success(request, _("Saved. The points of the checklist did not change."))
    else:
        messages.success(
            request, _("Saved as version %(version)s of the checklist.") % {"version": saved}
        )
    return redirect("coaching:checklist_edit", desk=desk.slug)


@transaction.atomic
def _save(desk, checklist, items, settings, *, by) -> int | None:
    """The new checklist version (None when the points stayed as they were) and four eyes,
    together or not at all."""
    drafts = items.drafts()
    saved = None
    if settings["based_on"] != checklist.version or not same_points(drafts, checklist):
        saved = save_checklist(
            desk=desk, items=drafts, based_on=settings["based_on"], by=by
        ).version
    if settings["review_cosign"] != desk.review_cosign:
        desk.review_cosign = settings["review_cosign"]
        desk.save(update_fields=["review_cosign"])
        record_desk_audit(
            by=by,
            desk_id=desk.pk,
            action=AuditEntry.Action.CHANGED,
            what=_("Four eyes on 'ready for Qredits' switched on")
            if desk.review_cosign
            else _("Four eyes on 'ready for Qredits' switched off"),
        )
    return saved


def _editor(request, desk, checklist, items, settings, problems=False):
    context = {
        "desk": desk,
        "checklist": checklist,
        "items": items,
        "settings": settings,
        "problems": problems,
        "earlier": desk.checklists.filter(version__lt=checklist.version)
        .select_related("created_by")
        .order_by("-version"),
    }
    return render(request, "coaching/checklist_edit.html", context)


@login_required
@require_safe
def checklist_version(request, desk, version):
    desk = desk_for(request, desk, roles=COORDINATOR)
    checklist = get_object_or_404(
        Checklist.objects.select_related("created_by").prefetch_related("items"),
        desk=desk,
        version=version,
    )
    context = {"desk": desk, "checklist": checklist, "current": current_checklist(desk)}
    return render(request, "coaching/checklist_version.html", context)
