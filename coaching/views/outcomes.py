"""The lender's decision on a Qredits application, and the business after it (issue 11,
points 5 and 6). For the coaches and coordinators of the resident's desk only: the objects come
through the access helpers (another desk, the project group, partners: 404). The rules are in
``coaching.outcomes``; a refusal shows next to its field and nothing is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching import outcomes
from coaching.access import application_for
from coaching.models import BusinessStart, LoanApplication
from coaching.outcome_forms import (
    AftercareContactForm,
    BusinessStartForm,
    CorrectDecisionForm,
    DecisionForm,
    KvkNumberForm,
    PayoutForm,
    StillTradingForm,
)
from intake.access import resident_for
from intake.models import Stage
from intake.services import IntakeError
from ondernemerspunt.http import add_refusal, require_GET_or_POST

REFUSALS = (outcomes.OutcomeRefused, IntakeError)
CORRECTED = {
    False: gettext_lazy("Nothing was changed."),
    "decision": gettext_lazy("The decision is corrected."),
    "stage": gettext_lazy("The decision is corrected; the stage follows."),
}


def _decision_url(application) -> str:
    return reverse("coaching:application_decision", kwargs={"pk": application.pk})


@login_required
@require_GET_or_POST
def application_decision(request, pk):
    """Record that the application went to Qredits and what Qredits decided; for an approved
    loan, the day it was paid out may follow later; a decision recorded by mistake is
    corrected. Each form posts its own ``action``; only that form is bound."""
    application = application_for(request, pk)
    action = request.POST.get("action", "decision") if request.method == "POST" else None
    forms = _decision_forms(application, request.POST, action)
    if action is not None and _save_decision(request, application, forms, action):
        return redirect(_decision_url(application))
    form, payout, correction = forms["decision"], forms["payout"], forms["correct"]
    is_open = form is not None
    resident = application.plan.resident
    context = {
        "application": application,
        "resident": resident,
        "form": form,
        "payout": payout,
        "correction": correction,
        "is_open": is_open,
    }
    return render(request, "coaching/outcomes/decision.html", context)


def _decision_forms(application, data, action) -> dict:
    """The page's forms by action, the posted one bound: recording the decision (while the
    application is open), the payout (approved, not yet paid out), the correction (decided,
    while nothing was built on the decision)."""
    initial = {"version": application.version, "submitted_on": application.submitted_on}

    def posted(name):
        return data if action == name else None

    forms = {"decision": None, "payout": None, "correct": None}
    if application.status in outcomes.OPEN_STATUSES:
        forms["decision"] = DecisionForm(
            posted("decision"), initial=initial, submitted=application.submitted_on is not None
        )
        return forms
    if application.status == LoanApplication.Status.APPROVED and not application.paid_out_on:
        forms["payout"] = PayoutForm(posted("payout"), initial=initial)
    if not outcomes.why_decision_stays(application):
        forms["correct"] = CorrectDecisionForm(
            posted("correct"),
            initial={**initial, **_decision_initial(application)},
            prefix="correct",
        )
    return forms


def _save_decision(request, application, forms, action) -> bool:
    """Save the posted form; True when done (or nothing to do: a form posted twice)."""
    form = forms.get(action)
    if form is None:
        if action == "decision":  # the decision form posted again (back button, two tabs)
            messages.error(
                request, _("The decision on this application has been recorded already.")
            )
        else:
            messages.error(request, _("This cannot be recorded (any more) on this page."))
        return True
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if action == "decision":
            outcomes.record_decision(application=application, by=request.user, **data)
            if application.submitted_on is None:
                messages.success(request, _("The application is withdrawn."))
            else:
                messages.success(request, _("The application is updated; the stage follows."))
        elif action == "payout":
            outcomes.record_payout(application=application, by=request.user, **data)
            messages.success(request, _("The payout is recorded."))
        else:
            done = outcomes.correct_decision(application=application, by=request.user, **data)
            messages.success(request, CORRECTED[done])
    except REFUSALS as error:
        add_refusal(form, error)
        if getattr(error, "stale", False):
            # The next try starts from the application as it is now.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = LoanApplication.objects.values_list(
                "version", flat=True
            ).get(pk=application.pk)
        return False
    return True


def _decision_initial(application) -> dict:
    return {
        "decision": application.status,
        "decided_on": application.decided_on,
        "amount_granted": application.amount_granted,
        "paid_out_on": application.paid_out_on,
    }


@login_required
@require_GET_or_POST
def business_start(request, pk):
    """Record the start of the business (once), the aftercare contacts as they are held, and
    at the contact a year after the start whether the business still trades."""
    resident = resident_for(request, pk)
    start = BusinessStart.objects.filter(resident=resident).first()
    posted_as = ""
    if request.method == "POST":
        # The page's main form (the start) is the default, also for an empty POST.
        posted_as = request.POST.get("action") or ("start" if start is None else "")
    today = timezone.localdate()

    def bound(form_class, action, **kwargs):
        return form_class(request.POST if posted_as == action else None, **kwargs)

    form = contact = trading = kvk = None
    if start is None:
        if outcomes.may_start_from(resident.stage):
            initial = {"started_on": today, "channel": "phone"}
            form = bound(BusinessStartForm, "start", initial=initial)
    else:
        start.resident = resident
        kvk = bound(KvkNumberForm, "kvk", initial={"kvk_number": start.kvk_number})
        contact = bound(AftercareContactForm, "contact", initial={"held_on": today})
        if outcomes.may_record_still_trading(start, today):
            now = start.still_trading_at_12_months
            initial = {} if now is None else {"still_trading": "yes" if now else "no"}
            trading = bound(StillTradingForm, "still_trading", initial=initial)
    active = {"start": form, "kvk": kvk, "contact": contact, "still_trading": trading}.get(
        posted_as
    )
    if request.method == "POST" and active is None:
        messages.error(request, _("This cannot be recorded (any more) on this page."))
    elif active is not None and active.is_valid():
        try:
            _save(request, posted_as, active.cleaned_data, resident, start)
            return redirect("coaching:business_start", pk=resident.pk)
        except REFUSALS as error:
            add_refusal(active, error)
    steps = outcomes.aftercare_steps(start) if start else {}
    context = {
        "resident": resident,
        "start": start,
        "form": form,
        "contact": contact,
        "trading": trading,
        "kvk": kvk,
        "steps": steps,
        "contact_row": _contact_row(contact, steps),
        "answer": outcomes.still_trading_answer(start) if start else None,
        "trading_from": outcomes.add_months(start.started_on, 12) if start else None,
        "application": resident_application(resident),
        "stage_label": Stage(resident.stage).label,
        "waiting_for_qredits": resident.stage == Stage.SUBMITTED,
        "today": today,
    }
    return render(request, "coaching/outcomes/business_start.html", context)


def _contact_row(contact, steps):
    """The refused aftercare contact, shown at its own row: the step's pk, the date as typed
    and the messages. None when no contact was refused, or the posted step is not on the page
    (then the messages show below the list)."""
    if contact is None or not contact.is_bound or not contact.errors:
        return None
    try:
        pk = int(contact.data.get("step", ""))
    except (TypeError, ValueError):
        return None
    if pk not in {step.pk for step in steps.values() if step and step.done_on is None}:
        return None
    return {
        "pk": pk,
        "held_on": contact.data.get("held_on", ""),
        "errors": [error for errors in contact.errors.values() for error in errors],
    }


def _save(request, action, data, resident, start):
    if action == "start":
        outcomes.record_business_start(
            resident=resident,
            by=request.user,
            started_on=data["started_on"],
            kvk_number=data["kvk_number"],
            channel=data["channel"],
            duration_minutes=data["duration_minutes"],
        )
        messages.success(
            request, _("The start is recorded; the aftercare contacts are planned as next steps.")
        )
    elif action == "kvk":
        number = data["kvk_number"]
        if not outcomes.correct_kvk_number(start=start, kvk_number=number, by=request.user):
            if start.kvk_number:
                messages.info(request, _("The KvK number was already this; nothing changed."))
            else:
                messages.info(request, _("There was no KvK number; nothing changed."))
        elif start.kvk_number:
            messages.success(request, _("The KvK number is corrected."))
        else:
            messages.success(request, _("The KvK number is removed."))
    elif action == "contact":
        step = {s.pk: s for s in outcomes.aftercare_steps(start).values() if s}.get(data["step"])
        if step is None or step.done_on is not None:
            raise outcomes.OutcomeRefused(_("This aftercare contact is no longer open."))
        outcomes.record_aftercare_contact(
            start=start, step=step, on=data["held_on"], by=request.user
        )
        messages.success(request, _("The aftercare contact is recorded."))
    else:
        outcomes.record_still_trading(
            start=start, still_trading=data["still_trading"], by=request.user
        )
        messages.success(request, _("Recorded whether the business still trades."))


def resident_application(resident):
    """The resident's latest application, for a link (one query)."""
    return (
        LoanApplication.objects.filter(plan__resident=resident)
        .order_by("-created_at", "-id")
        .only("pk", "status")
        .first()
    )
