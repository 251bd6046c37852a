"""Info evenings for the desk's coaches and coordinators: the list, planning and changing an
evening, publishing, cancelling and marking it held, its speakers, the list at the door (ticking
who came, adding walk-ins), and what becomes of those who came: a resident's file, or a partner's
contact person (coordinators).

Every object is loaded through ``intake.access``: another desk's evening answers 404. The rules
are in ``intake/evenings.py`` and ``intake/evening_staff.py``.
"""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from intake import evening_staff, evenings, selectors
from intake.access import evening_for, registration_for, resident_for, speaker_for
from intake.evening_forms import (
    CancelForm,
    ContactForm,
    EveningForm,
    LinkResidentForm,
    SpeakerForm,
    WalkInForm,
)
from intake.evening_mail import public_url
from intake.forms import RegistrationForms
from intake.models import CONSENT_TEXT_VERSION, InfoEvening, Registration
from intake.services import IntakeError
from ondernemerspunt import once
from ondernemerspunt.access import desk_ids_for, staff_desks, staff_required
from ondernemerspunt.http import add_refusal, posted, require_GET_or_POST, site_of
from ondernemerspunt.models import Role
from ondernemerspunt.once import already_saved

COORDINATOR = (Role.COORDINATOR,)
# Where a rule's refusal about a moment goes on the form, which asks for date and times apart.
FORM_FIELD = {
    "starts_at": "day",
    "ends_at": "end_time",
    "registration_deadline": "deadline_day",
}


def _refuse(form, error):
    error.field = FORM_FIELD.get(error.field, error.field)
    add_refusal(form, error)


def _detail(evening, anchor=""):
    return redirect(evening.get_absolute_url() + (f"#{anchor}" if anchor else ""))


# --- The list ---------------------------------------------------------------------------------
@staff_required
@require_safe
def evening_list(request):
    desks = staff_desks(request.user)
    chosen = next((desk for desk in desks if desk.slug == request.GET.get("desk")), None)
    shown = [chosen] if chosen else desks
    rows = list(
        evenings.with_counts(
            InfoEvening.objects.filter(desk__in=shown).select_related("desk")
        ).order_by("starts_at", "id")
    )
    now = timezone.now()
    coming = [evening for evening in rows if evening_staff.is_coming(evening, now)]
    context = {
        "desks": desks,
        "chosen": chosen,
        "coming": coming,
        "past": [evening for evening in reversed(rows) if evening not in coming],
        "public_pages": [
            (desk, request.build_absolute_uri(reverse("intake:public_evenings", args=[desk.slug])))
            for desk in shown
        ],
    }
    return render(request, "intake/evenings/list.html", context)


# --- Planning and changing --------------------------------------------------------------------
@staff_required
@require_GET_or_POST
def evening_new(request):
    form = EveningForm(posted(request), desks=staff_desks(request.user))
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                evening = evenings.save_evening(
                    desk=form.cleaned_data["desk"], by=request.user, values=form.values()
                )
                submission.saved(evening.get_absolute_url())
            messages.success(
                request,
                _("The evening is planned. Publish it when it may be on the public page."),
            )
            return _detail(evening)
    except evenings.EveningError as error:
        _refuse(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, "intake:evening_list")
    return render(request, "intake/evenings/form.html", {"form": form, "form_token": token})


@login_required
@require_GET_or_POST
def evening_edit(request, pk):
    evening = evening_for(request, pk)
    if evening.status in evening_staff.FINISHED:
        messages.error(request, _("A cancelled or held evening can no longer be changed."))
        return _detail(evening)
    form = EveningForm(posted(request), desks=[evening.desk], evening=evening)
    conflicts, stale = [], False
    if request.method == "POST" and form.is_valid():
        try:
            evening = evenings.save_evening(
                desk=evening.desk,
                by=request.user,
                values=form.values(),
                evening=evening,
                version=form.cleaned_data["version"],
            )
        except evenings.StaleEvening:
            form, conflicts = _after_conflict(evening, form)
            stale = True
        except evenings.EveningError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The evening is saved."))
            return _detail(evening)
    context = {"form": form, "evening": evening, "conflicts": conflicts, "stale": stale}
    return render(request, "intake/evenings/form.html", context)


def _after_conflict(evening, typed):
    """Someone else saved the evening in the meantime. The form now holds the evening as they
    saved it, with her changes of the fields they left alone; the fields she changed are
    listed with her change beside what is saved. Where both changed a field, what she saves
    next is a choice made knowingly, not her old value over theirs."""
    evening.refresh_from_db()
    data, conflicts = evening_staff.after_conflict(
        typed, EveningForm.data_of(evening), typed.as_loaded()
    )
    form = EveningForm(data, desks=[evening.desk], evening=copy(evening))
    form.is_valid()
    return form, conflicts


# --- One evening ------------------------------------------------------------------------------
@login_required
@require_safe
def evening_detail(request, pk):
    evening = evening_for(request, pk)
    registrations = list(evening.registrations.all())
    shown = [r for r in registrations if r.erased_at is None]
    now = timezone.now()
    coordinator = evening.desk_id in desk_ids_for(request.user, roles=COORDINATOR)
    for registration in shown:
        registration.can_become_resident = not evening_staff.why_not_resident(registration)
        registration.can_become_contact = coordinator and not evening_staff.why_not_contact(
            registration
        )
    status = InfoEvening.Status
    context = {
        "evening": evening,
        "speakers": list(evening.speakers.select_related("partner", "coach")),
        "registered": [r for r in shown if r.status == "registered" and not r.walk_in],
        "walk_ins": [r for r in shown if r.status == "registered" and r.walk_in],
        "waiting": [r for r in shown if r.status == "waiting"],
        "cancelled": [r for r in shown if r.status == "cancelled"],
        "erased": len(registrations) - len(shown),
        "came": sum(r.attended for r in registrations),
        "taken": sum(r.status == "registered" and not r.walk_in for r in registrations),
        "can_edit": evening.status not in evening_staff.FINISHED,
        "can_publish": evening.status == status.PLANNED and evening.starts_at > now,
        "can_cancel": evening.status in (status.PLANNED, status.PUBLISHED),
        "can_mark_held": evening.status == status.PUBLISHED and evening.starts_at <= now,
        "public_url": public_url(evening) if evening.status != status.PLANNED else "",
        "is_open": evenings.is_open(evening, now),
    }
    return render(request, "intake/evenings/detail.html", context)


def _change_status(request, pk, change, done: str):
    """Publish or mark held: the rule in ``change`` says no with a message, or it is done."""
    evening = evening_for(request, pk)
    try:
        change(evening=evening, by=request.user)
    except evenings.EveningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _detail(evening)


@login_required
@require_POST
def evening_publish(request, pk):
    done = _("The evening is published: it is on the public page now.")
    return _change_status(request, pk, evenings.publish, done)


@login_required
@require_GET_or_POST
def evening_cancel(request, pk):
    evening = evening_for(request, pk)
    if evening.status in evening_staff.FINISHED:
        messages.error(request, _("This evening was already cancelled or held."))
        return _detail(evening)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            told = evenings.cancel_evening(
                evening=evening, by=request.user, reason=form.cleaned_data["reason"]
            )
        except evenings.EveningError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The evening is cancelled. %(count)s person gets an e-mail about it.",
                    "The evening is cancelled. %(count)s people get an e-mail about it.",
                    told,
                )
                % {"count": told},
            )
        return _detail(evening)
    to_tell = (
        evening.registrations.filter(status__in=evenings.LIVE, erased_at__isnull=True)
        .exclude(email="")
        .count()
    )
    context = {"evening": evening, "form": form, "to_tell": to_tell}
    return render(request, "intake/evenings/cancel.html", context)


@login_required
@require_POST
def evening_held(request, pk):
    return _change_status(request, pk, evenings.mark_held, _("The evening is marked as held."))


# --- Speakers ---------------------------------------------------------------------------------
@login_required
@require_GET_or_POST
def speaker_add(request, pk):
    evening = evening_for(request, pk)
    form = SpeakerForm(posted(request), desk=evening.desk)
    if request.method == "POST" and form.is_valid():
        try:
            evening_staff.add_speaker(evening=evening, by=request.user, **form.cleaned_data)
        except evenings.EveningError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The speaker is added."))
            return _detail(evening, "speakers")
    return render(request, "intake/evenings/speaker_form.html", {"evening": evening, "form": form})


@login_required
@require_POST
def speaker_remove(request, pk):
    speaker = speaker_for(request, pk)
    evening_staff.remove_speaker(speaker=speaker, by=request.user)
    messages.success(request, _("The speaker is removed."))
    return _detail(speaker.evening, "speakers")


# --- At the door ------------------------------------------------------------------------------
def _door_url(evening, registration=None):
    url = reverse("intake:evening_door", args=[evening.pk])
    return f"{url}#r-{registration.pk}" if registration is not None else url


@login_required
@require_GET_or_POST
def evening_door(request, pk):
    """The list a coach holds at the door, on a phone: tick who came, add a walk-in."""
    evening = evening_for(request, pk)
    form = WalkInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            walk_in = evenings.add_walk_in(evening=evening, fields=form.cleaned_data)
        except evenings.EveningError as error:
            evening.refresh_from_db()
            if not evenings.door_is_open(evening):
                # The form is not on the page now, and the page says why (not twice).
                return redirect(_door_url(evening))
            add_refusal(form, error)
        else:
            messages.success(request, _("%(name)s is added as a walk-in.") % {"name": walk_in})
            # Back to the walk-in form, ready for the next one.
            url = reverse("intake:evening_door", args=[evening.pk])
            return redirect(f"{url}?added={walk_in.pk}#walk-in")
    rows = list(
        evening.registrations.filter(erased_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("created_at", "id")
    )
    present = sorted(
        (r for r in rows if r.status == Registration.Status.REGISTERED),
        key=lambda r: r.name.casefold(),
    )
    door_open = evenings.door_is_open(evening)
    added = _just_added(request, rows) if door_open and request.method != "POST" else None
    if added is not None:
        # Right after a walk-in: the cursor back in the name field for the next one, and the
        # field says who was just added (the message above may not be read out on a new page).
        form.fields["name"].widget.attrs.update(
            {"autofocus": True, "aria-describedby": "walk-in-added"}
        )
    context = {
        "evening": evening,
        "form": form,
        "present": present,
        "waiting": [r for r in rows if r.status == Registration.Status.WAITING],
        "came": sum(r.attended for r in rows),
        "cancelled": evening.status == InfoEvening.Status.CANCELLED,
        "planned": evening.status == InfoEvening.Status.PLANNED,
        "door_open": door_open,
        "added": added,
    }
    return render(request, "intake/evenings/door.html", context)


def _just_added(request, rows):
    """The walk-in named by ``?added=`` if she is on this list."""
    added = request.GET.get("added", "")
    return next((r for r in rows if r.walk_in and str(r.pk) == added), None)


@login_required
@require_POST
def registration_attended(request, pk):
    """Tick someone present (``attended=1``) or not (``attended=0``): a value, not a toggle, so
    that a tap sent twice does not undo itself."""
    registration = registration_for(request, pk)
    attended = request.POST.get("attended") == "1"
    background = request.headers.get("Accept", "").startswith("application/json")
    try:
        evenings.set_attended(registration=registration, attended=attended)
    except evenings.EveningError as error:
        if background:
            return JsonResponse({"error": str(error.message)}, status=409)
        if evenings.door_is_open(registration.evening):
            # A refusal about this row (she cancelled); when the door is not open, the page
            # says why above the list, and a message would say it twice.
            messages.error(request, error.message)
    else:
        # Don't redirect after a background request: door.js updates the row in place.
        if background:
            return JsonResponse({"attended": attended})
    return redirect(_door_url(registration.evening, registration))


# --- From attendee to resident ----------------------------------------------------------------
@login_required
@require_GET_or_POST
def registration_to_resident(request, pk):
    """A new resident's file from someone who came, as on "new resident" (with the same
    duplicate warning), or the registration linked to a file the desk already has."""
    registration = registration_for(request, pk)
    evening = registration.evening
    reason = evening_staff.why_not_resident(registration)
    if reason:
        messages.error(request, reason)
        return _detail(evening, f"r-{registration.pk}")
    if request.method == "POST" and "link" in request.POST:
        return _link(request, registration)
    forms = RegistrationForms(posted(request), desks=[evening.desk], user=request.user)
    # The source the page fills in needs no consent here: without it, it is left out quietly
    # (the registration's link to the file says she came through the evening).
    forms.resident.fields["consent"].help_text = evening_staff.WITHOUT_CONSENT
    forms.resident.what_needs_consent = evening_staff.what_needs_consent
    initial = evening_staff.resident_initial(registration)
    duplicates, token = [], ""
    try:
        token = once.token_of(request)
        if request.method != "POST":
            forms.resident.initial.update(initial)
            duplicates = selectors.possible_duplicates(**initial)
        elif forms.is_valid():
            data = forms.resident.cleaned_data
            duplicates = selectors.possible_duplicates(**data)
            if not duplicates or data["register_anyway"]:
                with once.once(token) as submission:
                    resident = evening_staff.resident_from_registration(
                        registration=registration, by=request.user, **forms.service_kwargs()
                    )
                    submission.saved(resident.get_absolute_url())
                messages.success(
                    request,
                    _("%(name)s is registered, and linked to the info evening.")
                    % {"name": resident},
                )
                return redirect(resident)
    except (IntakeError, evenings.EveningError) as error:
        forms.add_error(error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, "intake:resident_list")
    context = {
        "registration": registration,
        "evening": evening,
        "forms": forms,
        "duplicates": duplicates,
        "consent_version": CONSENT_TEXT_VERSION,
        "form_token": token,
    }
    return render(request, "intake/evenings/to_resident.html", context)


def _link(request, registration):
    form = LinkResidentForm({"resident": request.POST.get("link")})
    if not form.is_valid():
        messages.error(request, _("Choose one of the files shown."))
        return redirect(request.path)
    resident = resident_for(request, form.cleaned_data["resident"])
    try:
        evening_staff.link_to_resident(
            registration=registration, resident=resident, by=request.user
        )
    except evenings.EveningError as error:
        messages.error(request, error.message)
        return redirect(request.path)
    messages.success(
        request,
        _("The registration is linked to the file of %(name)s.") % {"name": resident},
    )
    return redirect(resident)


# --- From intermediary to partner contact -----------------------------------------------------
@login_required
@require_GET_or_POST
def registration_to_contact(request, pk):
    """Invite an intermediary who came as a contact person of one of the desk's partners
    (the desk's coordinators, as in desk management)."""
    registration = registration_for(request, pk, roles=COORDINATOR)
    evening = registration.evening
    reason = evening_staff.why_not_contact(registration)
    if reason:
        messages.error(request, reason)
        return _detail(evening, f"r-{registration.pk}")
    form = ContactForm(posted(request), desk=evening.desk, registration=registration)
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                membership = evening_staff.invite_contact(
                    registration=registration,
                    by=request.user,
                    site=site_of(request),
                    **form.cleaned_data,
                )
                submission.saved(evening.get_absolute_url())
            messages.success(
                request,
                _(
                    "%(name)s is invited as a contact person of %(partner)s. An e-mail with a "
                    "link to choose a password is on its way."
                )
                % {"name": membership.user.full_name, "partner": membership.partner},
            )
            return _detail(evening, f"r-{registration.pk}")
    except evenings.EveningError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, "intake:evening_list")
    context = {
        "registration": registration,
        "evening": evening,
        "form": form,
        "form_token": token,
    }
    return render(request, "intake/evenings/to_contact.html", context)
