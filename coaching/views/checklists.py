"""The desk's review checklist, kept by its coordinator: edit (saved as a new version) and read
an earlier version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from coaching.checklist_forms import (
    DELETE,
    INCOMPLETE,
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
        return _fresh_editor(request, desk, checklist)
    items = ChecklistFormSet(request.POST, prefix="items")
    settings = ChecklistSettingsForm(request.POST)
    if not (items.is_valid() & settings.is_valid()):
        if items.incomplete or settings.incomplete:
            # The rows or the version they were edited from cannot be read: the page as saved.
            messages.error(request, INCOMPLETE)
            return _fresh_editor(request, desk, checklist)
        return _editor(request, desk, checklist, items, settings, problems=True)
    try:
        saved = _save(desk, checklist, items, settings, by=request.user)
    except ReviewError as error:
        messages.error(request, error.message)
        return _conflict(request, desk, items, settings)
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
    based_on = settings.cleaned_data["based_on"]
    saved = None
    if based_on != checklist.version or not same_points(drafts, checklist):
        saved = save_checklist(desk=desk, items=drafts, based_on=based_on, by=by).version
    cosign = settings.cleaned_data["review_cosign"]
    if settings.cosign_changed() and cosign != desk.review_cosign:
        desk.review_cosign = cosign
        desk.save(update_fields=["review_cosign"])
        record_desk_audit(
            by=by,
            desk_id=desk.pk,
            action=AuditEntry.Action.CHANGED,
            what=gettext_lazy("Four eyes on 'ready for Qredits' switched on")
            if desk.review_cosign
            else gettext_lazy("Four eyes on 'ready for Qredits' switched off"),
        )
    return saved


def _fresh_editor(request, desk, checklist):
    items = ChecklistFormSet(initial=items_initial(checklist), prefix="items")
    return _editor(request, desk, checklist, items, _settings_form(checklist, desk.review_cosign))


def _settings_form(checklist, cosign_saved, cosign=None):
    """The settings of a page built on this version and four-eyes setting; ``cosign`` is the
    box as the coordinator ticked it, when that differs from what is saved."""
    return ChecklistSettingsForm(
        initial={
            "based_on": checklist.version,
            "review_cosign": cosign_saved if cosign is None else cosign,
            "review_cosign_shown": cosign_saved,
        }
    )


def _conflict(request, desk, items, settings):
    """Someone saved the checklist since this page was opened. What was typed stays, beside what
    is saved now, so that saving again is a choice made knowing both: the points saved now that
    the edit leaves out are marked, and so are points of the edit that were removed since (they
    would come back as new points). The next save builds on the version saved now; four eyes
    stays as it is saved now unless it was switched on this page."""
    newest = current_checklist(desk)
    desk.refresh_from_db(fields=["review_cosign"])
    saved_items = list(newest.items.all())
    saved_keys = {item.key for item in saved_items}
    edit_keys = {draft.key for draft in items.drafts() if draft.key}
    for item in saved_items:
        item.left_out = item.key not in edit_keys
    for form in items.forms:
        data = form.cleaned_data
        form.gone = bool(data.get("key")) and not data.get(DELETE) and data["key"] not in saved_keys
    cosign = settings.cleaned_data["review_cosign"] if settings.cosign_changed() else None
    settings = _settings_form(newest, desk.review_cosign, cosign)
    return _editor(request, desk, newest, items, settings, saved_items=saved_items)


def _editor(request, desk, checklist, items, settings, problems=False, saved_items=None):
    context = {
        "desk": desk,
        "checklist": checklist,
        "items": items,
        "settings": settings,
        "problems": problems,
        # Only after a save refused because someone else saved first: what is saved now.
        "saved_items": saved_items,
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
