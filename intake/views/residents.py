"""The coach screens: resident lists, registering with the intake, the resident's page, editing
the file, conversations, consent, stage changes and next steps."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from intake import selectors, services
from intake.access import next_step_for, resident_for
from intake.correction_forms import stage_correction_context
from intake.filters import ResidentFilterForm
from intake.forms import (
    ConsentForm,
    ConversationWithSteps,
    EditResidentForm,
    RegistrationForms,
    StageChangeForm,
    conflict_rows,
)
from intake.models import CONSENT_TEXT_VERSION, Resident
from ondernemerspunt import once
from ondernemerspunt.access import desk_ids_for, staff_desks, staff_required
from ondernemerspunt.http import posted, require_GET_or_POST
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.once import already_saved
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit, record_desk_audit

PAGE_SIZE = 25


@staff_required
@require_safe
def resident_list(request):
    return _resident_list(request, mine=False)


@staff_required
@require_safe
def my_residents(request):
    return _resident_list(request, mine=True)


def _resident_list(request, *, mine):
    form = ResidentFilterForm(request.GET, desk_ids=desk_ids_for(request.user), show_coach=not mine)
    residents = form.filter_qs(selectors.residents_for(request.user, mine=mine))
    page = paginate(request, residents, per_page=PAGE_SIZE)
    _audit_search(request, form, residents)
    context = {"form": form, "page": page, "mine": mine}
    return render(request, "intake/resident_list.html", context)


def _audit_search(request, form, residents):
    """A search for a name, phone or e-mail is a read of whoever it finds: one line per desk
    searched, with how many it found. Not what was asked: that may be a resident's name, and
    the trail, which nothing can change, must hold nothing that erasing a file would have to
    remove."""
    if not getattr(form, "cleaned_data", {}).get("q"):
        return
    found = dict(
        residents.order_by().values("desk_id").annotate(n=Count("pk")).values_list("desk_id", "n")
    )
    for desk_id in sorted(desk_ids_for(request.user)):
        record_desk_audit(
            by=request.user,
            desk_id=desk_id,
            action=AuditEntry.Action.VIEWED,
            what=gettext_lazy("Residents searched (%(count)s found)"),
            params={"count": found.get(desk_id, 0)},
        )


@staff_required
@require_GET_or_POST
def resident_new(request):
    """A new resident and their intake conversation in one form, stored in one transaction."""
    forms = RegistrationForms(posted(request), desks=staff_desks(request.user), user=request.user)
    duplicates, token = [], ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and forms.is_valid():
            data = forms.resident.cleaned_data
            duplicates = selectors.possible_duplicates(**data)
            if not duplicates or data["register_anyway"]:
                with once.once(token) as submission:
                    resident = services.register_resident(by=request.user, **forms.service_kwargs())
                    submission.saved(resident.get_absolute_url())
                messages.success(request, _("%(name)s is registered.") % {"name": resident})
                return redirect(resident)
    except services.IntakeError as error:
        forms.add_error(error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, "intake:resident_list")
    context = {
        "forms": forms,
        "duplicates": duplicates,
        "consent_version": CONSENT_TEXT_VERSION,
        "form_token": token,
    }
    return render(request, "intake/resident_new.html", context)


@login_required
@require_safe
def resident_detail(request, pk):
    resident = resident_for(request, pk, include_erased=True)
    record_audit(
        by=request.user,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Resident's page viewed"),
        resident=resident,
    )
    context = {
        "resident": resident,
        "consent_form": ConsentForm(),
        "consent_version": CONSENT_TEXT_VERSION,
        **selectors.resident_page(resident),
    }
    return render(request, "intake/resident_detail.html", context)


@login_required
@require_GET_or_POST
def resident_edit(request, pk):
    """Edit the file; a save based on an older version than the stored one is refused."""
    resident = resident_for(request, pk, queryset=_with_partner())
    # The form works on a copy: the heading keeps the saved name while the form shows the input.
    form = EditResidentForm(posted(request), instance=copy(resident), desks=[resident.desk])
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resident(
                resident=form.instance,
                version=form.cleaned_data["version"],
                fields=form.file_fields(),
                consent=form.cleaned_data.get("consent", False),
                by=request.user,
            )
        except services.StaleEdit as stale:
            form, conflicts = _after_conflict(request, form, stale)
            resident = stale.current
        except services.IntakeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The file is saved."))
            return redirect(resident)
    # Whatever the method (GET, HEAD, a POST shown again), the page shows the file: a read.
    record_audit(
        by=request.user,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Resident's file opened for editing"),
        resident=resident,
    )
    context = {
        "resident": resident,
        "form": form,
        "conflicts": conflicts,
        "consent_version": CONSENT_TEXT_VERSION,
    }
    return render(request, "intake/resident_edit.html", context)


def _with_partner():
    return Resident.objects.select_related("source_partner")


def _after_conflict(request, form, stale):
    """Show the coach's input again, now against the file as it is: saving once more is a
    deliberate choice to replace what the other person saved."""
    conflicts = conflict_rows(form, stale.current)
    data = request.POST.copy()
    data["version"] = stale.current.version
    again = EditResidentForm(data, instance=copy(stale.current), desks=[stale.current.desk])
    again.is_valid()
    again.add_error(None, stale.message)
    return again, conflicts


@login_required
@require_GET_or_POST
def conversation_new(request, pk):
    resident = resident_for(request, pk)
    forms = ConversationWithSteps(
        posted(request), desks=[resident.desk], user=request.user, resident=resident
    )
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and forms.is_valid():
            with once.once(token) as submission:
                services.log_conversation(
                    resident=resident, by=request.user, **forms.service_kwargs()
                )
                submission.saved(resident.get_absolute_url())
            messages.success(request, _("The conversation is saved."))
            return redirect(resident)
    except services.IntakeError as error:
        field = error.field if error.field in forms.conversation.fields else None
        forms.conversation.add_error(field, error.message)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, "intake:resident_list")
    context = {
        "form_token": token,
        "resident": resident,
        "forms": forms,
        "has_consent": resident.has_consent(),
        "consent_form": ConsentForm(),
        "consent_version": CONSENT_TEXT_VERSION,
    }
    return render(request, "intake/conversation_new.html", context)


@login_required
@require_POST
def consent_record(request, pk):
    resident = resident_for(request, pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["agreed"][0])
    else:
        try:
            services.record_consent(resident=resident, by=request.user)
        except services.IntakeError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Consent is recorded."))
    return redirect(_next_url(request, resident.get_absolute_url()))


@login_required
@require_GET_or_POST
def stage_change(request, pk):
    resident = resident_for(request, pk)
    form = StageChangeForm(posted(request), resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_stage(resident=resident, by=request.user, **form.cleaned_data)
        except services.StageChangeRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s is now in the stage '%(stage)s'.")
                % {"name": resident, "stage": resident.get_stage_display()},
            )
            return redirect(resident)
    record_audit(
        by=request.user,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Stage history viewed"),
        resident=resident,
    )
    history = selectors.stage_history(resident)
    context = {
        "resident": resident,
        "form": form,
        "history": history,
        **stage_correction_context(history),
    }
    return render(request, "intake/stage_change.html", context)


@login_required
@require_POST
def next_step_done(request, pk):
    step = next_step_for(request, pk)
    services.complete_next_step(step=step, by=request.user)
    messages.success(request, _("Next step marked as done."))
    return redirect(_next_url(request, step.resident.get_absolute_url()))


def _next_url(request, default):
    """Back where the button was (home page or resident page), never to another site."""
    target = request.POST.get("next", "")
    # Only a path of this site: ``redirect`` takes a bare word ("abc") for a URL name, and a
    # control character has no place in a Location header.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
