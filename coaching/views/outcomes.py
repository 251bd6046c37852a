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


def _decision_url(application) -> str:
    return reverse("coaching:application_decision", kwargs={"pk": application.pk})


@login_required
@require_GET_or_POST
def application_decision(request, pk):
    """Record that the application went to Qredits and what Qredits decided; for an approved
    loan, the day it was paid out may follow later."""
    application = application_for(request, pk)
    is_open = application.status in outcomes.OPEN_STATUSES
    needs_payout = (
        application.status == LoanApplication.Status.APPROVED and application.paid_out_on is None
    )
    initial = {"version": application.version, "submitted_on": application.submitted_on}
    form = payout = None
    if is_open:
        form = DecisionForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            submitted=application.submitted_on is not None,
        )
    elif needs_payout:
        payout = PayoutForm(request.POST if request.method == "POST" else None, initial=initial)
    correction = None
    if not is_open:
        correction = CorrectDecisionForm(
            request.POST if request.POST.get("action") == "correct" else None,
            initial={**initial, **_decision_initial(application)},
            prefix="correct",
        )
    if request.method == "POST" and correction is not None and correction.is_bound:
        if correction.is_valid():
            try:
                outcomes.correct_decision(
                    application=application, by=request.user, **correction.cleaned_data
                )
            except REFUSALS as error:
                add_refusal(correction, error)
            else:
                messages.success(request, _("The decision is corrected; the stage follows."))
                return redirect(_decision_url(application))
    elif request.method == "POST":
        bound = form or payout
        if bound is None:
            messages.error(
                request, _("The decision on this application has been recorded already.")
            )
            return redirect(_decision_url(application))
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if form is not None:
                    outcomes.record_decision(
                        application=application,
                        version=data["version"],
                        by=request.user,
                        submitted_on=data["submitted_on"],
                        decision=data["decision"],
                        decided_on=data["decided_on"],
                        amount_granted=data["amount_granted"],
                        paid_out_on=data["paid_out_on"],
                    )
                    messages.success(request, _("The application is updated; the stage follows."))
                else:
                    outcomes.record_payout(
                        application=application,
                        version=data["version"],
                        by=request.user,
                        paid_out_on=data["paid_out_on"],
                    )
                    messages.success(request, _("The payout is recorded."))
                return redirect(_decision_url(application))
            except REFUSALS as error:
                add_refusal(bound, error)
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
            messages.info(request, _("The KvK number was already this; nothing changed."))
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
