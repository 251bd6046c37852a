"""Corrections by the coaches and coordinators of the resident's desk: edit a conversation or a
next step, undo "done", another coach, correct a stage set by mistake (intake/corrections.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from intake import corrections, selectors
from intake.access import conversation_for, next_step_for, resident_for
from intake.correction_forms import (
    CoachChangeForm,
    ConversationEditForm,
    NextStepEditForm,
    StageCorrectionForm,
    stage_correction_context,
)
from intake.forms import StageChangeForm
from intake.services import IntakeError
from intake.views.residents import _next_url
from ondernemerspunt.http import bounded_version, posted, require_GET_or_POST
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit


def _not_erased(resident):
    if resident.erased_at is not None:
        raise Http404
    return resident


def _saved(request, correction):
    if correction is None:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("The change is saved. The earlier version is kept."))


def _opened(request, resident, what):
    record_audit(by=request.user, resident=resident, action=AuditEntry.Action.VIEWED, what=what)


def _edit(request, form, save):
    """Validate, save, or show the input again: with the reason, and after a stale save with
    what is stored now. Returns (saved, conflicts)."""
    if request.method != "POST" or not form.is_valid():
        return False, []
    try:
        correction = save(form)
    except corrections.StaleCorrection as stale:
        conflicts = form.conflicts(stale.current)
        form.show_current(stale.current, stale.message)
        return False, conflicts
    except IntakeError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False, []
    _saved(request, correction)
    return True, []


@login_required
@require_GET_or_POST
def conversation_edit(request, pk):
    conversation = conversation_for(request, pk)
    resident = _not_erased(conversation.resident)
    form = ConversationEditForm(posted(request), conversation=conversation)

    def save(form):
        return corrections.edit_conversation(
            conversation=conversation,
            by=request.user,
            version=form.cleaned_data["version"],
            fields=form.changes(),
        )

    saved, conflicts = _edit(request, form, save)
    if saved:
        return redirect(resident)
    _opened(request, resident, gettext_lazy("Conversation opened for editing"))
    context = {
        "resident": resident,
        "conversation": conversation,
        "form": form,
        "conflicts": conflicts,
    }
    return render(request, "intake/conversation_edit.html", context)


@login_required
@require_GET_or_POST
def next_step_edit(request, pk):
    step = next_step_for(request, pk)
    resident = _not_erased(step.resident)
    form = NextStepEditForm(posted(request), step=step)

    def save(form):
        return corrections.edit_next_step(
            step=step, by=request.user, version=form.cleaned_data["version"], fields=form.changes()
        )

    saved, conflicts = _edit(request, form, save)
    if saved:
        return redirect(resident)
    _opened(request, resident, gettext_lazy("Next step opened for editing"))
    context = {"resident": resident, "step": step, "form": form, "conflicts": conflicts}
    return render(request, "intake/next_step_edit.html", context)


@login_required
@require_POST
def next_step_reopen(request, pk):
    step = next_step_for(request, pk)
    _not_erased(step.resident)
    try:
        corrections.reopen_next_step(step=step, by=request.user)
    except IntakeError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _("The next step is open again."))
    return redirect(_next_url(request, step.resident.get_absolute_url()))


@login_required
@require_GET_or_POST
def coach_change(request, pk):
    resident = _not_erased(resident_for(request, pk))
    form = CoachChangeForm(posted(request), resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            correction = corrections.change_coach(
                resident=resident,
                by=request.user,
                coach=form.cleaned_data["coach"],
                version=bounded_version(form.cleaned_data["version"]),
            )
        except corrections.StaleCorrection as stale:
            resident = stale.current
            form.data = form.data.copy()
            form.data["version"] = str(resident.version)
            form.add_error("coach", stale.message)
        except IntakeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            _saved(request, correction)
            return redirect(resident)
    context = {"resident": resident, "form": form}
    return render(request, "intake/coach_change.html", context)


@login_required
@require_POST
def stage_correct(request, pk):
    """'Correct the stage' on the stage page; a refusal shows that page again with the input."""
    resident = _not_erased(resident_for(request, pk))
    history = selectors.stage_history(resident)
    mistake = corrections.correctable(history)
    form = StageCorrectionForm(request.POST, mistake=mistake)
    if form.is_valid():
        try:
            corrections.correct_stage(
                resident=resident,
                by=request.user,
                change_id=bounded_version(form.cleaned_data["change"]) or 0,
                to_stage=form.cleaned_data["to_stage"],
                note=form.cleaned_data["note"],
            )
        except IntakeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("The stage is corrected: %(name)s is now in the stage '%(stage)s'.")
                % {"name": resident, "stage": resident.get_stage_display()},
            )
            return redirect(resident)
    _opened(request, resident, gettext_lazy("Stage history viewed"))
    context = {
        "resident": resident,
        "form": StageChangeForm(resident=resident),
        "history": history,
        **stage_correction_context(history, form),
    }
    return render(request, "intake/stage_change.html", context)
