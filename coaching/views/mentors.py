"""Mentors (issue 10, point 5) and the benefits route (point 6): the desk's pool of mentors for
its coaches and coordinator, a match from the resident's page with its meetings and the
evaluation that ends it, and the consultation with UWV or the municipality. The rules are in
``coaching.mentors``; every object is loaded through an access helper (another desk's: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coaching import mentors
from coaching.access import match_for, mentor_for
from coaching.mentor_forms import (
    BenefitsConsultationForm,
    EndMatchForm,
    MatchForm,
    MeetingForm,
    MentorFilterForm,
    MentorForm,
)
from intake.access import resident_for
from ondernemerspunt import once
from ondernemerspunt.access import desk_ids_for, staff_desks, staff_required
from ondernemerspunt.http import add_refusal, posted, require_GET_or_POST
from ondernemerspunt.once import already_saved
from ondernemerspunt.pagination import paginate

PAGE_SIZE = 25


# --- The pool -------------------------------------------------------------------------------
@staff_required
@require_GET_or_POST
def mentor_list(request):
    """The pool of the user's desk(s), searchable, with a form below it to add a mentor."""
    desks = staff_desks(request.user)
    filters = MentorFilterForm(request.GET or None)
    form = MentorForm(posted(request), desks=desks)
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                mentor = mentors.save_mentor(
                    desk=form.desk(), values=form.values(), by=request.user
                )
                submission.saved(request.path)
            messages.success(request, _("%(name)s is added to the pool.") % {"name": mentor.name})
            return redirect("coaching:mentor_list")
    except mentors.MentorError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, request.path)
    pool = filters.filter_qs(mentors.mentors_of(desk_ids_for(request.user)))
    context = {
        "filters": filters,
        "page": paginate(request, pool, per_page=PAGE_SIZE),
        "form": form,
        "form_token": token,
        "many_desks": len(desks) > 1,
    }
    return render(request, "coaching/mentors/list.html", context)


@login_required
@require_GET_or_POST
def mentor_edit(request, pk):
    mentor = mentor_for(request, pk)
    form = MentorForm(posted(request), instance=mentor, desks=[mentor.desk])
    if request.method == "POST" and form.is_valid():
        try:
            mentors.save_mentor(
                desk=mentor.desk, values=form.values(), by=request.user, mentor=mentor
            )
        except mentors.MentorError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": mentor.name})
            return redirect("coaching:mentor_list")
    matches = mentor.matches.select_related("resident").filter(resident__erased_at__isnull=True)
    context = {"mentor": mentor, "form": form, "matches": list(matches[:50])}
    return render(request, "coaching/mentors/edit.html", context)


# --- Matches ----------------------------------------------------------------------------------
@login_required
@require_GET_or_POST
def mentor_match_new(request, pk):
    resident = resident_for(request, pk)
    available = mentors.available_mentors(resident)
    form = MatchForm(posted(request), mentors=available)
    consent = resident.has_consent()
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and not consent:
            messages.error(
                request,
                _("Record the resident's consent for the desk first; without it nothing is added."),
            )
        elif request.method == "POST" and form.is_valid():
            with once.once(token) as submission:
                match = mentors.start_match(
                    resident=resident,
                    mentor=form.cleaned_data["mentor"],
                    by=request.user,
                    goal=form.cleaned_data["goal"],
                    started_on=form.cleaned_data["started_on"],
                )
                submission.saved(match_url(match))
            messages.success(
                request,
                _("%(resident)s is matched with %(mentor)s.")
                % {"resident": resident.full_name, "mentor": match.mentor.name},
            )
            return redirect(match_url(match))
    except mentors.MentorError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, resident.get_absolute_url())
    context = {
        "resident": resident,
        "form": form,
        "form_token": token,
        "consent": consent,
        "mentors": list(available),
    }
    return render(request, "coaching/mentors/match_new.html", context)


def match_url(match) -> str:
    return reverse("coaching:mentor_match_detail", kwargs={"pk": match.pk})


# What a refused form on the match page may hold that the coach would not want to type again.
UNSAVED_FIELDS = ("meeting-notes", "end-resident_evaluation", "end-mentor_evaluation")


@login_required
@require_GET_or_POST
def mentor_match_detail(request, pk):
    """The match: its meetings (add one) and, while it runs, the form that ends it."""
    match = match_for(request, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    meeting_form = MeetingForm(request.POST if action == "meeting" else None, prefix="meeting")
    end_form = EndMatchForm(request.POST if action == "end" else None, prefix="end")
    token = ""
    try:
        token = once.token_of(request)
        if action == "meeting" and meeting_form.is_valid():
            with once.once(token) as submission:
                mentors.add_meeting(
                    match=match,
                    held_on=meeting_form.cleaned_data["held_on"],
                    notes=meeting_form.cleaned_data["notes"],
                    by=request.user,
                )
                submission.saved(request.path)
            messages.success(request, _("The meeting is recorded."))
            return redirect(request.path)
    except mentors.MentorError as error:
        add_refusal(meeting_form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, request.path)
    if action == "end" and end_form.is_valid():
        data = end_form.cleaned_data
        try:
            mentors.end_match(
                match=match,
                ended_on=data["ended_on"],
                resident_evaluation=data["resident_evaluation"],
                mentor_evaluation=data["mentor_evaluation"],
                rating=data["rating"],
                by=request.user,
            )
        except mentors.MentorError as error:
            add_refusal(end_form, error)
        else:
            messages.success(request, _("The match has ended; the evaluation is saved."))
            return redirect(request.path)
    unsaved = ""
    if match.ended_on is not None and (meeting_form.errors or end_form.errors):
        # Ended in another tab meanwhile: the forms are gone from the page, so the refusal and
        # what was typed are shown above it instead of being lost.
        for error in (*meeting_form.non_field_errors(), *end_form.non_field_errors()):
            messages.error(request, error)
        typed = (request.POST.get(name, "").strip() for name in UNSAVED_FIELDS)
        unsaved = "\n\n".join(text for text in typed if text)
    context = {
        "match": match,
        "resident": match.resident,
        "unsaved": unsaved,
        "meetings": list(match.meetings.select_related("recorded_by")),
        "meeting_form": meeting_form,
        "end_form": end_form,
        "form_token": token,
        "consent": match.resident.has_consent(),
    }
    return render(request, "coaching/mentors/match_detail.html", context)


# --- The benefits route -----------------------------------------------------------------------
@login_required
@require_GET_or_POST
def benefits_consultation_new(request, pk):
    resident = resident_for(request, pk)
    form = BenefitsConsultationForm(posted(request), resident=resident)
    consent = resident.has_consent()
    token = ""
    try:
        token = once.token_of(request)
        if request.method == "POST" and not consent:
            messages.error(
                request,
                _("Record the resident's consent for the desk first; without it nothing is added."),
            )
        elif request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with once.once(token) as submission:
                mentors.record_benefits_consultation(
                    resident=resident,
                    held_on=data["held_on"],
                    with_whom=data["with_whom"],
                    outcome=data["outcome"],
                    partner=data["partner"],
                    note=data["note"],
                    by=request.user,
                )
                submission.saved(resident.get_absolute_url())
            messages.success(request, _("The consultation is recorded."))
            return redirect(resident)
    except mentors.MentorError as error:
        add_refusal(form, error)
    except once.AlreadySaved as saved:
        return already_saved(request, saved, resident.get_absolute_url())
    context = {
        "resident": resident,
        "form": form,
        "form_token": token,
        "consent": consent,
        "consults": mentors.consults_for(resident),
    }
    return render(request, "coaching/mentors/benefits_new.html", context)
