"""After the application (issue 11): the lender's decision, the business that starts, and the
aftercare contacts in the year after the start.

Every write is one transaction: a rule that says no raises ``OutcomeRefused`` (shown next to
its field), and a stage move that intake refuses (``StageChangeRefused``) undoes everything
that was written before it, so nothing is ever half saved.

The stages follow the application through ``intake.services.change_stage``:

- submitted (recording a decision implies the application was submitted) → *submitted to
  Qredits*, unless she is there already;
- approved → *financing granted*; declined → *financing declined*; withdrawn → back *in the
  trajectory*, where the plan is reworked. After a decision the application is closed; a new
  one starts from a newer version that a review found ready (``start_application``).

A decision recorded by mistake is put right with ``correct_decision``: another decision moves
the stage through intake's stage correction (a new change that names the mistaken one; the
history is not rewritten), and only while nothing followed the decision. The day of submission
stays once recorded: the stage history counts from it.

The business start moves her to *business started* and plans the three aftercare contacts
(3, 6 and 12 months after the start) as next steps of the coach. Intake's next steps belong to
a conversation: the start is recorded as a short follow-up conversation on the day the
business started, "Business started", which carries them (it is the contact in which the desk
hears of the start, and it counts as a follow-up conversation held).

*Aftercare*: she moves from *business started* to *aftercare* at the first aftercare contact
recorded as held on the business page (normally the one at 3 months), or at the answer to
"still trading after 12 months" when no contact was recorded before it. Not at the start
itself: the start is a step of its own on the dashboard and in the medians, and intake's
retention rule treats *aftercare* as "the trajectory has ended", which it has once the
follow-up has begun.
"""

import datetime
import re
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import BusinessStart, LoanApplication
from intake.corrections import correct_stage, correctable
from intake.models import STAGE_MOVES, Conversation, NextStep, Resident, Stage
from intake.services import IntakeError, change_stage, complete_next_step, log_conversation
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import audit_text, record_audit

Status = LoanApplication.Status
DECISIONS = (Status.APPROVED, Status.DECLINED, Status.WITHDRAWN)
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED)
STAGE_OF_DECISION = {
    Status.APPROVED: Stage.FINANCED,
    Status.DECLINED: Stage.DECLINED,
    Status.WITHDRAWN: Stage.IN_TRAJECTORY,
}
# The aftercare contacts, in months after the start.
AFTERCARE_MONTHS = (3, 6, 12)
AFTERCARE_STEPS = {
    3: gettext_lazy("Aftercare contact 3 months after the start"),
    6: gettext_lazy("Aftercare contact 6 months after the start"),
    12: gettext_lazy("Aftercare contact 12 months after the start: still trading?"),
}
# A KvK number is eight digits. python-stdnum (2.2) has no module for the Dutch KvK number and
# the number carries no check digit, so only its form can be checked: exactly eight digits once
# the spaces and dots people type in it are removed.
KVK_SEPARATORS = re.compile(r"[\s.]")
KVK_NUMBER = re.compile(r"[0-9]{8}")


class OutcomeRefused(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier); the month's last day where it is shorter
    (31 August + 3 months = 30 November; 29 February + 12 months = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover - February has 28 days at least


def clean_kvk_number(value: str) -> str:
    """The KvK number as eight digits ("" for none); ``OutcomeRefused`` when it is not one."""
    number = KVK_SEPARATORS.sub("", value or "")
    if number and not KVK_NUMBER.fullmatch(number):
        raise OutcomeRefused(
            _("A KvK number is 8 digits, for example 12345678."), field="kvk_number"
        )
    return number


def _day(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def _not_in_future(day, field, today):
    if day is not None and day > today:
        raise OutcomeRefused(_("The date cannot be in the future."), field=field)


def _move(resident, to_stage, on, by):
    """The stage moves with the record, unless she is there already; a move intake refuses
    comes back as its own message (``StageChangeRefused``), and the transaction is undone."""
    if resident.stage != to_stage:
        change_stage(resident=resident, to_stage=to_stage, on=on, by=by)


# --- The lender's decision -------------------------------------------------------------------


def _stale():
    refused = OutcomeRefused(
        _(
            "This application was changed after you opened the page (by someone else, or in "
            "another tab). Nothing has been saved: check the application as it is now and try "
            "again."
        )
    )
    refused.stale = True  # the view puts the current version in the form for the next try
    return refused


def _locked(application: LoanApplication, version: int) -> LoanApplication:
    locked = LoanApplication.objects.select_for_update().get(pk=application.pk)
    if locked.version != version:
        raise _stale()
    return locked


def _saved(application, locked, fields: dict) -> None:
    LoanApplication.objects.filter(pk=locked.pk).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    for name, value in fields.items():
        setattr(application, name, value)
    application.version = locked.version + 1


@transaction.atomic
def record_decision(
    *,
    application: LoanApplication,
    version: int,
    by,
    submitted_on: datetime.date | None,
    decision: str = "",
    decided_on: datetime.date | None = None,
    amount_granted: Decimal | None = None,
    paid_out_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> LoanApplication:
    """That the application went to Qredits (``decision`` empty), or the lender's decision on
    it; the resident's stage follows. Only an open application (being assembled or submitted)
    takes a decision: after it, the application is closed."""
    today = today or timezone.localdate()
    locked = _locked(application, version)
    if locked.status not in OPEN_STATUSES:
        raise OutcomeRefused(
            _(
                "The decision on this application has been recorded already. For a new "
                "decision, start a new application from the reworked plan."
            )
        )
    if decision and decision not in DECISIONS:
        raise OutcomeRefused(_("Choose the lender's decision."), field="decision")
    if decision == Status.WITHDRAWN and locked.status == Status.DRAFT and not submitted_on:
        return _withdraw_draft(
            application, locked, decided_on, by, today, amount_granted, paid_out_on
        )
    _check_submitted_on(locked, submitted_on)
    submitted_on = submitted_on or locked.submitted_on
    if submitted_on is None:
        raise OutcomeRefused(_("Fill in when the application was submitted."), "submitted_on")
    _not_in_future(submitted_on, "submitted_on", today)
    fields = {"submitted_on": submitted_on, "status": Status.SUBMITTED}
    if decision:
        fields.update(_decision_fields(decision, submitted_on, decided_on, amount_granted, today))
        fields["paid_out_on"] = _paid_out_on(decision, decided_on, paid_out_on, today)
    elif decided_on or amount_granted is not None or paid_out_on:
        raise OutcomeRefused(
            _("Choose the lender's decision, or leave its date and amounts empty."), "decision"
        )

    resident = application.plan.resident
    _move(resident, Stage.SUBMITTED, submitted_on, by)
    if decision:
        change_stage(resident=resident, to_stage=STAGE_OF_DECISION[decision], on=decided_on, by=by)
    _saved(application, locked, fields)
    if decision:
        what = gettext_lazy("Qredits application: decision recorded (%(decision)s)")
        params = {"decision": Status(decision).label}
    else:
        what = gettext_lazy("Qredits application: submitted on %(day)s")
        params = {"day": _day(submitted_on)}
    record_audit(
        by=by, resident=resident, action=AuditEntry.Action.CHANGED, what=what, params=params
    )
    return application


def _check_submitted_on(locked, submitted_on) -> None:
    """Submitted after the application was started; and once recorded, the day stays: the
    stage history (and the dashboard's cycle times) count from it."""
    if submitted_on is None:
        return
    if locked.submitted_on is not None and submitted_on != locked.submitted_on:
        raise OutcomeRefused(
            _(
                "The application was recorded as submitted on %(day)s. That day stays: the "
                "stage history counts from it."
            )
            % {"day": _day(locked.submitted_on)},
            field="submitted_on",
        )
    started = timezone.localdate(locked.created_at)
    if submitted_on < started:
        raise OutcomeRefused(
            _("The application cannot be submitted before it was started (%(day)s).")
            % {"day": _day(started)},
            field="submitted_on",
        )


def _check_withdrawn_on(locked, decided_on, today, amount_granted=None, paid_out_on=None) -> None:
    """A draft's withdrawal: dated, not in the future, not before the application began; no
    amount granted and no payout (nothing is silently dropped)."""
    if amount_granted is not None:
        raise OutcomeRefused(
            _("Only an approved application has an amount granted: leave it empty."),
            field="amount_granted",
        )
    if paid_out_on is not None:
        raise OutcomeRefused(
            _("Only an approved loan is paid out: leave the date empty."), field="paid_out_on"
        )
    if decided_on is None:
        raise OutcomeRefused(_("Fill in when the application was withdrawn."), "decided_on")
    _not_in_future(decided_on, "decided_on", today)
    started = timezone.localdate(locked.created_at)
    if decided_on < started:
        raise OutcomeRefused(
            _("The application cannot be withdrawn before it was started (%(day)s).")
            % {"day": _day(started)},
            field="decided_on",
        )


def _withdraw_draft(
    application, locked, decided_on, by, today, amount_granted=None, paid_out_on=None
) -> LoanApplication:
    """Withdrawn before it went to Qredits: closed, with no submission to invent and no stage
    to move (she never left the trajectory for it)."""
    _check_withdrawn_on(locked, decided_on, today, amount_granted, paid_out_on)
    _saved(application, locked, {"status": Status.WITHDRAWN, "decided_on": decided_on})
    record_audit(
        by=by,
        resident=application.plan.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Qredits application withdrawn before it was submitted"),
    )
    return application


def _decision_fields(decision, submitted_on, decided_on, amount_granted, today) -> dict:
    if decided_on is None:
        raise OutcomeRefused(_("Fill in when the lender decided."), field="decided_on")
    _not_in_future(decided_on, "decided_on", today)
    if decided_on < submitted_on:
        raise OutcomeRefused(
            _("The decision cannot be before the submission (%(day)s).")
            % {"day": _day(submitted_on)},
            field="decided_on",
        )
    if decision == Status.APPROVED:
        # Qredits may grant less than was asked (or, rarely, more): any amount above zero.
        if amount_granted is None:
            raise OutcomeRefused(_("Fill in the amount granted."), field="amount_granted")
        if amount_granted <= 0:
            raise OutcomeRefused(
                _("The amount granted must be more than € 0."), field="amount_granted"
            )
    elif amount_granted is not None:
        raise OutcomeRefused(
            _("Only an approved application has an amount granted: leave it empty."),
            field="amount_granted",
        )
    return {"status": decision, "decided_on": decided_on, "amount_granted": amount_granted}


def _paid_out_on(decision, decided_on, paid_out_on, today):
    if paid_out_on is None:
        return None
    if decision != Status.APPROVED:
        raise OutcomeRefused(
            _("Only an approved loan is paid out: leave the date empty."), field="paid_out_on"
        )
    _not_in_future(paid_out_on, "paid_out_on", today)
    if paid_out_on < decided_on:
        raise OutcomeRefused(
            _("The loan cannot be paid out before the decision (%(day)s).")
            % {"day": _day(decided_on)},
            field="paid_out_on",
        )
    return paid_out_on


@transaction.atomic
def record_payout(
    *, application: LoanApplication, version: int, by, paid_out_on, today=None
) -> LoanApplication:
    """The day an approved loan was paid out, recorded after the decision."""
    today = today or timezone.localdate()
    locked = _locked(application, version)
    if locked.status != Status.APPROVED:
        raise OutcomeRefused(
            _("Only an approved loan is paid out: leave the date empty."), field="paid_out_on"
        )
    if paid_out_on is None:
        raise OutcomeRefused(_("Fill in when the loan was paid out."), field="paid_out_on")
    _paid_out_on(locked.status, locked.decided_on, paid_out_on, today)
    _saved(application, locked, {"paid_out_on": paid_out_on})
    record_audit(
        by=by,
        resident=application.plan.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Qredits application: paid out on %(day)s"),
        params={"day": _day(paid_out_on)},
    )
    return application


@transaction.atomic
def correct_decision(
    *,
    application: LoanApplication,
    version: int,
    by,
    decision: str,
    decided_on,
    amount_granted=None,
    paid_out_on=None,
    note: str,
    today=None,
) -> LoanApplication:
    """Put right a decision recorded by mistake (the wrong one clicked, a wrong date or
    amount). Another decision moves the stage through intake's correction of the decision's
    stage change, which names the mistaken change and says why: the history is not rewritten,
    and the correction is dated today. Only while nothing followed the decision: the stage it
    set is still the latest, and no newer application was started."""
    today = today or timezone.localdate()
    locked = _locked(application, version)
    if locked.status not in DECISIONS:
        raise OutcomeRefused(_("There is no decision on this application to correct."))
    note = (note or "").strip()
    if not note:
        raise OutcomeRefused(_("Say what was wrong."), field="note")
    if decision not in DECISIONS:
        raise OutcomeRefused(_("Choose the lender's decision."), field="decision")
    if locked.submitted_on is None and decision != Status.WITHDRAWN:
        raise OutcomeRefused(
            _(
                "This application was withdrawn before it was submitted: only its date can be "
                "corrected."
            ),
            field="decision",
        )
    followed = why_decision_stays(locked)
    if followed:
        raise OutcomeRefused(followed)
    if locked.submitted_on is None:
        _check_withdrawn_on(locked, decided_on, today, amount_granted, paid_out_on)
        fields = {"decided_on": decided_on}
    else:
        fields = _decision_fields(decision, locked.submitted_on, decided_on, amount_granted, today)
        fields["paid_out_on"] = _paid_out_on(decision, decided_on, paid_out_on, today)
    if all(getattr(locked, name) == value for name, value in fields.items()) and (
        decision == locked.status
    ):
        return False
    resident = application.plan.resident
    before = Status(locked.status).label
    moved = locked.submitted_on and STAGE_OF_DECISION[decision] != STAGE_OF_DECISION[locked.status]
    if moved:
        _correct_decision_stage(resident, locked.status, decision, note, by)
    fields["status"] = decision
    _saved(application, locked, fields)
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Qredits decision corrected (was: %(before)s, now: %(after)s)"),
        params={"before": before, "after": Status(decision).label},
    )
    return "stage" if moved else "decision"


def why_decision_stays(application) -> str:
    """Why a recorded decision can no longer be corrected ("" when it can): something was
    built on it."""
    later = LoanApplication.objects.filter(
        plan_id=application.plan_id, created_at__gt=application.created_at
    )
    if later.exists():
        return _("A newer application of this plan was started since: this decision stays.")
    if BusinessStart.objects.filter(resident_id=application.plan.resident_id).exists():
        return _("The start of the business was recorded after this decision: the decision stays.")
    return ""


def _correct_decision_stage(resident, was, decision, note, by) -> None:
    history = list(
        resident.stage_changes.select_related("corrected_by").order_by("-changed_on", "-id")
    )
    latest = history[0] if history else None
    if latest is not None and latest.corrects_id and latest.to_stage == STAGE_OF_DECISION[was]:
        raise OutcomeRefused(
            _(
                "The stage was corrected once already for this decision, and a correction is "
                "not corrected again. Its date and amounts can still be put right, with the "
                "same decision."
            ),
            field="decision",
        )
    mistake = correctable(history)
    if mistake is None or mistake.to_stage != STAGE_OF_DECISION[was]:
        raise OutcomeRefused(
            _(
                "The resident's stage changed after the decision was recorded. Correct the "
                "stage on the resident's page first, or leave the decision as it is."
            )
        )
    correct_stage(
        resident=resident,
        by=by,
        change_id=mistake.pk,
        note=note,
        to_stage=STAGE_OF_DECISION[decision],
    )


# --- The business after it -------------------------------------------------------------------


def may_start_from(stage: str) -> bool:
    """Whether the trajectory lets her move to *business started* from this stage (while
    Qredits decides, it does not: the decision comes first)."""
    return stage == Stage.AFTERCARE or Stage.STARTED in STAGE_MOVES.get(stage, ())


@transaction.atomic
def record_business_start(
    *,
    resident,
    by,
    started_on: datetime.date,
    kvk_number: str = "",
    channel: str = Conversation.Channel.PHONE,
    duration_minutes: int = 15,
    today: datetime.date | None = None,
) -> BusinessStart:
    """The business started: recorded with its KvK number, the stage *business started*, and
    the aftercare contacts at 3, 6 and 12 months as the coach's next steps."""
    today = today or timezone.localdate()
    if BusinessStart.objects.filter(resident_id=resident.pk).exists():
        raise OutcomeRefused(_("The start of this business has been recorded already."))
    _not_in_future(started_on, "started_on", today)
    kvk_number = clean_kvk_number(kvk_number)
    if resident.stage != Stage.AFTERCARE:
        _move(resident, Stage.STARTED, started_on, by)
    owner = resident.coach or by
    log_conversation(
        resident=resident,
        by=by,
        kind=Conversation.Kind.FOLLOW_UP,
        held_on=started_on,
        channel=channel,
        duration_minutes=duration_minutes,
        notes=_("Business started"),
        coach=owner,
        next_steps=[
            {
                "description": str(AFTERCARE_STEPS[months]),
                "due_on": add_months(started_on, months),
                "owner": NextStep.Owner.COACH,
            }
            for months in AFTERCARE_MONTHS
        ],
    )
    start = BusinessStart.objects.create(
        resident=resident, started_on=started_on, kvk_number=kvk_number, recorded_by=by
    )
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Business start recorded (%(day)s)"),
        params={"day": _day(started_on)},
    )
    return start


@transaction.atomic
def correct_kvk_number(*, start: BusinessStart, kvk_number: str, by) -> bool:
    """Put right (or add, once registered) the business's KvK number; False when it is the
    same. The audit line says that it changed, not the numbers (no business data in the
    trail); the business page shows the number as it is now."""
    number = clean_kvk_number(kvk_number)
    locked = BusinessStart.objects.select_for_update().get(pk=start.pk)
    if locked.kvk_number == number:
        return False
    BusinessStart.objects.filter(pk=start.pk).update(kvk_number=number)
    start.kvk_number = number
    record_audit(
        by=by,
        resident=start.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("KvK number of the business corrected"),
    )
    return True


def aftercare_steps(start: BusinessStart) -> dict[int, NextStep | None]:
    """The three aftercare contacts planned at the start (months -> next step, None where it
    was removed), in one query."""
    dues = {add_months(start.started_on, months): months for months in AFTERCARE_MONTHS}
    steps = NextStep.objects.filter(
        resident_id=start.resident_id,
        conversation__kind=Conversation.Kind.FOLLOW_UP,
        conversation__held_on=start.started_on,
        owner=NextStep.Owner.COACH,
        due_on__in=list(dues),
    ).order_by("due_on", "id")
    found = {}
    for step in steps:
        found.setdefault(dues[step.due_on], step)
    return {months: found.get(months) for months in AFTERCARE_MONTHS}


def may_record_still_trading(start: BusinessStart, today=None) -> bool:
    """The answer is given at the contact a year after the start, not before."""
    return (today or timezone.localdate()) >= add_months(start.started_on, 12)


def _begin_aftercare(resident, on, by):
    if resident.stage == Stage.STARTED:
        change_stage(resident=resident, to_stage=Stage.AFTERCARE, on=on, by=by)


def aftercare_contact_done(*, step: NextStep, by, on) -> None:
    """An aftercare contact marked done anywhere (the resident's page, the home page): the
    first moves her to *aftercare*, as on the business page. Registered with intake's
    ``register_step_done``. Where the trajectory does not allow the move (a stage change dated
    after the contact), the step is done all the same and the stage stays for the coach to
    change on her page."""
    start = BusinessStart.objects.filter(resident_id=step.resident_id).first()
    if start is None or step.pk not in {s.pk for s in aftercare_steps(start).values() if s}:
        return
    resident = Resident.objects.get(pk=step.resident_id)
    try:
        with transaction.atomic():
            _begin_aftercare(resident, on, by)
    except IntakeError:
        pass


@transaction.atomic
def record_aftercare_contact(*, start: BusinessStart, step: NextStep, on, by, today=None):
    """One aftercare contact held; the first moves her from *business started* to
    *aftercare*."""
    today = today or timezone.localdate()
    _not_in_future(on, "held_on", today)
    if on < start.started_on:
        raise OutcomeRefused(
            _("The contact cannot be before the start (%(day)s).")
            % {"day": _day(start.started_on)},
            field="held_on",
        )
    _begin_aftercare(start.resident, on, by)
    complete_next_step(step=step, by=by, on=on)


# The audit lines of the answer "still trading after 12 months": the answer has no fields of
# its own on the business start, so when and by whom it was given (and what it was before a
# change) is read back from these lines. Their text is fixed (no personal text in the trail).
STILL_TRADING_RECORDED = gettext_lazy("Still trading after 12 months recorded: %(answer)s")
STILL_TRADING_CHANGED = gettext_lazy(
    "Still trading after 12 months changed: %(answer)s (was %(previous)s)"
)
YES_NO = {True: gettext_lazy("yes"), False: gettext_lazy("no")}


def _still_trading_lines() -> dict[str, tuple[bool, bool | None]]:
    """The audit texts of the answers -> (answer, previous answer or None)."""
    lines = {}
    for answer, label in YES_NO.items():
        lines[audit_text(STILL_TRADING_RECORDED, {"answer": label})] = (answer, None)
        lines[
            audit_text(STILL_TRADING_CHANGED, {"answer": label, "previous": YES_NO[not answer]})
        ] = (answer, not answer)
    return lines


def still_trading_answer(start: BusinessStart) -> dict | None:
    """When and by whom the answer was last given, and the answer before it when it was
    changed (None before any answer), from the audit trail; in one query. An answer recorded
    before these lines existed falls back to the 12-month contact's day."""
    if start.still_trading_at_12_months is None:
        return None
    lines = _still_trading_lines()
    entry = (
        AuditEntry.objects.filter(resident_id=start.resident_id, what__in=list(lines))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if entry is None:
        step = aftercare_steps(start)[12]
        return {
            "answer": start.still_trading_at_12_months,
            "on": step.done_on if step else None,
            "by": None,
            "previous": None,
        }
    _answer, previous = lines[entry.what]
    return {
        "answer": start.still_trading_at_12_months,
        "on": timezone.localdate(entry.at),
        "by": entry.actor,
        "previous": previous,
    }


@transaction.atomic
def record_still_trading(*, start: BusinessStart, still_trading: bool, by, today=None):
    """The answer at the contact 12 months after the start; that contact is then done. A
    changed answer is allowed (it may have been clicked wrongly), but leaves a trace: each
    answer and each change is an audit line, with the answer before it."""
    today = today or timezone.localdate()
    if not may_record_still_trading(start, today):
        raise OutcomeRefused(
            _("This is recorded from 12 months after the start (%(day)s).")
            % {"day": _day(add_months(start.started_on, 12))},
            field="still_trading",
        )
    previous = (
        BusinessStart.objects.select_for_update()
        .values_list("still_trading_at_12_months", flat=True)
        .get(pk=start.pk)
    )
    resident = start.resident
    _begin_aftercare(resident, today, by)
    step = aftercare_steps(start)[12]
    if step is not None and step.done_on is None:
        complete_next_step(step=step, by=by, on=today)
    start.still_trading_at_12_months = still_trading
    if previous == still_trading:
        return start
    BusinessStart.objects.filter(pk=start.pk).update(still_trading_at_12_months=still_trading)
    if previous is None:
        what, params = STILL_TRADING_RECORDED, {"answer": YES_NO[still_trading]}
    else:
        what = STILL_TRADING_CHANGED
        params = {"answer": YES_NO[still_trading], "previous": YES_NO[previous]}
    record_audit(
        by=by, resident=resident, action=AuditEntry.Action.CHANGED, what=what, params=params
    )
    return start


# --- On the resident's page ------------------------------------------------------------------
# From these stages on, the panel offers to record the start of the business (with or without
# a loan: from *in the trajectory* a resident may start straight away).
PANEL_STAGES = (
    Stage.IN_TRAJECTORY,
    Stage.SUBMITTED,
    Stage.FINANCED,
    Stage.DECLINED,
    Stage.STARTED,
    Stage.AFTERCARE,
)


def resident_panel(resident) -> dict:
    """Her latest application and the business start, in one query (registered as a panel of
    the resident's page in coaching/apps.py)."""
    latest = LoanApplication.objects.filter(plan__resident_id=OuterRef("pk")).order_by(
        "-created_at", "-id"
    )
    row = (
        Resident.objects.filter(pk=resident.pk)
        .annotate(
            application_pk=Subquery(latest.values("pk")[:1]),
            application_status=Subquery(latest.values("status")[:1]),
            submitted_on=Subquery(latest.values("submitted_on")[:1]),
            started_on=F("business_start__started_on"),
        )
        .values("application_pk", "application_status", "submitted_on", "started_on")
        .first()
    ) or {}
    status = row.get("application_status")
    return {
        **row,
        "application_status_label": Status(status).label if status else "",
        "show": bool(row.get("application_pk") or row.get("started_on"))
        or resident.stage in PANEL_STAGES,
        # The link to record the start only where the trajectory leads there from her stage.
        "may_start": may_start_from(resident.stage),
    }
