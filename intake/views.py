"""The coach screens: resident lists, registering with the intake, the resident's page, editing
the file, conversations, consent, stage changes and next steps."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake import selectors, services
from intake.access import next_step_for, resident_for
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
from ondernemerspunt.access import desk_ids_for, memberships_of, staff_required
from ondernemerspunt.models import STAFF_ROLES, AuditEntry, Desk
from ondernemerspunt.pagination import paginate
from ondernemerspunt.services import record_audit

PAGE_SIZE = 25


def staff_desks(user):
    return Desk.objects.filter(
        pk__in=[m.desk_id for m in memberships_of(user) if m.role in STAFF_ROLES]
    ).order_by("name")


@staff_required
def resident_list(request):
    return _resident_list(request, mine=False)


@staff_required
def my_residents(request):
    return _resident_list(request, mine=True)


def _resident_list(request, *, mine):
    form = ResidentFilterForm(request.GET, desk_ids=desk_ids_for(request.user), show_coach=not mine)
    residents = form.filter_qs(selectors.residents_for(request.user, mine=mine))
    page = paginate(request, residents, per_page=PAGE_SIZE)
    context = {"form": form, "page": page, "mine": mine}
    return render(request, "intake/resident_list.html", context)


@staff_required
def resident_new(request):
    """A new resident and their intake conversation in one form, stored in one transaction."""
    forms = RegistrationForms(_posted(request), desks=staff_desks(request.user), user=request.user)
    duplicates = []
    if request.method == "POST" and forms.is_valid():
        data = forms.resident.cleaned_data
        duplicates = selectors.possible_duplicates(**data)
        if not duplicates or data["register_anyway"]:
            try:
                resident = services.register_resident(by=request.user, **forms.service_kwargs())
            except services.IntakeError as error:
                forms.add_error(error)
            else:
                messages.success(request, _("%(name)s is registered.") % {"name": resident})
                return redirect(resident)
    context = {"forms": forms, "duplicates": duplicates, "consent_version": CONSENT_TEXT_VERSION}
    return render(request, "intake/resident_new.html", context)


@login_required
def resident_detail(request, pk):
    resident = resident_for(request, pk)
    record_audit(
        by=request.user,
        action=AuditEntry.Action.VIEWED,
        what=_("Resident's page viewed"),
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
def resident_edit(request, pk):
    """Edit the file; a save based on an older version than the stored one is refused."""
    resident = resident_for(request, pk, queryset=_with_partner())
    # The form works on a copy: the heading keeps the saved name while the form shows the input.
    form = EditResidentForm(_posted(request), instance=copy(resident), desks=[resident.desk])
    conflicts = []
    if request.method == "GET":
        record_audit(
            by=request.user,
            action=AuditEntry.Action.VIEWED,
            what=_("Resident's file opened for editing"),
            resident=resident,
        )
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
def conversation_new(request, pk):
    resident = resident_for(request, pk)
    forms = ConversationWithSteps(
        _posted(request), desks=[resident.desk], user=request.user, resident=resident
    )
    if request.method == "POST" and forms.is_valid():
        try:
            services.log_conversation(resident=resident, by=request.user, **forms.service_kwargs())
        except services.IntakeError as error:
            field = error.field if error.field in forms.conversation.fields else None
            forms.conversation.add_error(field, error.message)
        else:
            messages.success(request, _("The conversation is saved."))
            return redirect(resident)
    context = {
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
def stage_change(request, pk):
    resident = resident_for(request, pk)
    form = StageChangeForm(_posted(request), resident=resident)
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
    context = {
        "resident": resident,
        "form": form,
        "history": selectors.stage_history(resident),
    }
    return render(request, "intake/stage_change.html", context)


@login_required
@require_POST
def next_step_done(request, pk):
    step = next_step_for(request, pk)
    services.complete_next_step(step=step, by=request.user)
    messages.success(request, _("Next step marked as done."))
    return redirect(_next_url(request, step.resident.get_absolute_url()))


def _posted(request):
    # Not ``request.POST or None``: an empty POST is a submitted empty form, and gets messages.
    return request.POST if request.method == "POST" else None


def _next_url(request, default):
    """Back where the button was (home page or resident page), never to another site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
