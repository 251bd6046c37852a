"""The Qredits application (issue 11): started from a plan version that a concluded review
found *ready for Qredits*, with the standard enclosures as a checklist.

The rest of the road — the pack (``packs.py``), the decision and the business after it — builds
on what is made here.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.amounts import format_euro
from coaching.models import Enclosure, LoanApplication, Review, Upload
from coaching.uploads import UploadRefused, add_upload
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit

# The checklist every application starts with, in the order the pack lists it. The business
# plan is present by construction: the pack holds it.
STANDARD_ENCLOSURES = (
    (Enclosure.Kind.BUSINESS_PLAN, Enclosure.Status.PRESENT),
    (Enclosure.Kind.QUOTES, Enclosure.Status.MISSING),
    (Enclosure.Kind.KVK_EXTRACT, Enclosure.Status.MISSING),
    (Enclosure.Kind.ANNUAL_FIGURES, Enclosure.Status.MISSING),
    (Enclosure.Kind.INTERIM_FIGURES, Enclosure.Status.MISSING),
    (Enclosure.Kind.BKR, Enclosure.Status.MISSING),
)
APPLICATION_FIELDS = ("amount", "purpose", "term_months", "repayment_free_months", "recommendation")


class ApplicationRefused(Exception):
    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def ready_review(plan) -> Review | None:
    """The latest concluded review of the plan, when it found its version ready for Qredits
    (and a later version has not been handed in since)."""
    review = (
        Review.objects.filter(revision__plan=plan, status=Review.Status.CONCLUDED)
        .select_related("revision")
        .order_by("-revision__number", "-concluded_at", "-id")
        .first()
    )
    if review is None or review.outcome != Review.Outcome.READY:
        return None
    if plan.revisions.filter(number__gt=review.revision.number).exists():
        return None
    return review


def decided_in_the_way(plan, review) -> LoanApplication | None:
    """The decided application that forbids a new one on ``review``: an approved one (the loan
    was granted: nothing more to apply for), or a declined or withdrawn one built on this
    version or a later one (a new application needs a newer version found ready)."""
    decided = plan.applications.exclude(status__in=OPEN_STATUSES).select_related("review__revision")
    approved = decided.filter(status=LoanApplication.Status.APPROVED).order_by("-id").first()
    if approved is not None:
        return approved
    if review is None:
        return None
    return (
        decided.filter(review__revision__number__gte=review.revision.number).order_by("-id").first()
    )


def _refuse_after_decision(decided):
    if decided.status == LoanApplication.Status.APPROVED:
        raise ApplicationRefused(
            _("Qredits granted the loan for this plan: no new application can be started.")
        )
    raise ApplicationRefused(
        _(
            "The application on version %(number)s of the plan was %(status)s. A new "
            "application needs a newer version of the plan that a review found ready for "
            "Qredits."
        )
        % {"number": decided.review.revision.number, "status": decided.get_status_display()}
    )


def plan_loan(review):
    """The Qredits loan of the financing budget of the version found ready (the first loan)."""
    return review.revision.figures.financing.loans[0]


def plan_differences(application, figures=None) -> list[dict]:
    """Where the request differs from the Qredits loan in the plan version it is built on:
    amount, term and repayment-free months, each with what was asked for and what the plan has
    (formatted). Empty when they agree. ``figures`` saves computing the version's figures again
    when the caller has them."""
    figures = figures or application.review.revision.figures
    loan = figures.financing.loans[0]
    rows = (
        (_("Amount"), application.amount, loan.amount, format_euro),
        (_("Term in months"), application.term_months, loan.months or 0, str),
        (_("Repayment-free months"), application.repayment_free_months, loan.free_months, str),
    )
    return [
        {"label": label, "requested": show(asked), "planned": show(planned)}
        for label, asked, planned, show in rows
        if asked != planned
    ]


@transaction.atomic
def start_application(*, plan, by, values: dict) -> LoanApplication:
    """A new application for a plan that is ready for Qredits, with the standard checklist.
    Refused for a plan that is not, while another application of it is in progress, after an
    approved one, and after a declined or withdrawn one until a newer version is found ready."""
    review = ready_review(plan)
    if review is None:
        raise ApplicationRefused(
            _("This plan is not ready for Qredits: a concluded review must say so first.")
        )
    decided = decided_in_the_way(plan, review)
    if decided is not None:
        _refuse_after_decision(decided)
    if values["repayment_free_months"] >= values["term_months"]:
        raise ApplicationRefused(
            _("The repayment-free months must be fewer than the term."), "repayment_free_months"
        )
    application = LoanApplication(plan=plan, review=review, created_by=by)
    for name in APPLICATION_FIELDS:
        setattr(application, name, values.get(name, getattr(application, name)))
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ApplicationRefused(
            _("An application for this plan is already being assembled or waits for Qredits.")
        ) from None
    Enclosure.objects.bulk_create(
        Enclosure(application=application, kind=kind, status=status, position=position)
        for position, (kind, status) in enumerate(STANDARD_ENCLOSURES)
    )
    return application


# --- Changes while the application is assembled (issue 11, points 1 and 2) ----------------------
# Enclosures and their files change while the application is assembled, and while Qredits
# considers it (the lender may ask for one more document); once it decided, they stay as sent.
OPEN_STATUSES = (LoanApplication.Status.DRAFT, LoanApplication.Status.SUBMITTED)


class StaleApplication(ApplicationRefused):
    """Someone saved the application after this form was opened; ``current`` is what they
    saved."""

    def __init__(self, current: LoanApplication):
        super().__init__(
            _(
                "Someone else saved this application while you were editing it. Your changes "
                "have not been saved: they are still in the form below. Compare them with the "
                "application as it is now and save again."
            )
        )
        self.current = current


def _audit(application, by, action, what, params=None):
    record_audit(
        by=by,
        resident=application.plan.resident,
        action=action,
        what=what,
        params=params,
    )


def _require_status(application, statuses, message):
    if application.status not in statuses:
        raise ApplicationRefused(message)


@transaction.atomic
def update_application(*, application, version: int, values: dict, by) -> LoanApplication:
    """Save the request's figures and the coach's recommendation, only while the application is
    being assembled and only when nobody saved it since ``version`` was read."""
    if values["repayment_free_months"] >= values["term_months"]:
        raise ApplicationRefused(
            _("The repayment-free months must be fewer than the term."), "repayment_free_months"
        )
    stored = LoanApplication.objects.select_for_update().get(pk=application.pk)
    if stored.status != LoanApplication.Status.DRAFT:
        raise ApplicationRefused(
            _(
                "This application was submitted to Qredits and can no longer be changed. "
                "Nothing has been saved."
            )
        )
    if stored.version != version:
        raise StaleApplication(stored)
    changed = [name for name in APPLICATION_FIELDS if getattr(stored, name) != values[name]]
    for name in APPLICATION_FIELDS:
        setattr(stored, name, values[name])
    stored.version = version + 1
    stored.save(update_fields=[*APPLICATION_FIELDS, "version", "updated_at"])
    labels = ", ".join(str(LoanApplication._meta.get_field(name).verbose_name) for name in changed)
    _audit(
        stored,
        by,
        AuditEntry.Action.CHANGED,
        gettext_lazy("Qredits application changed: %(fields)s"),
        {"fields": labels or "–"},
    )
    return stored


@transaction.atomic
def record_identity_seen(*, application, by, on=None) -> LoanApplication:
    """The coach saw the resident's proof of identity: only the date and who saw it are kept,
    nothing of the document itself. Only while the application is assembled: once submitted,
    the date Qredits was told stays."""
    stored = LoanApplication.objects.select_for_update().get(pk=application.pk)
    _require_status(
        stored,
        (LoanApplication.Status.DRAFT,),
        _(
            "This application was submitted to Qredits: the proof of identity can no longer "
            "be noted. Nothing has been saved."
        ),
    )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ApplicationRefused(_("The date cannot be in the future."), "seen_on")
    registered = application.plan.resident.registered_on
    if on < registered:
        raise ApplicationRefused(
            _("The date cannot be before the resident registered (%(day)s).")
            % {"day": registered.strftime("%d-%m-%Y")},
            "seen_on",
        )
    application.identity_seen_on = on
    application.identity_seen_by = by
    LoanApplication.objects.filter(pk=application.pk).update(
        identity_seen_on=application.identity_seen_on,
        identity_seen_by=by,
        updated_at=timezone.now(),
    )
    _audit(
        application,
        by,
        AuditEntry.Action.CHANGED,
        gettext_lazy("Proof of identity noted as seen for the Qredits application"),
    )
    return application


@transaction.atomic
def add_enclosure(*, application, title: str, by) -> Enclosure:
    """Another document the coach adds to the checklist; missing until it is there."""
    _require_status(
        application,
        OPEN_STATUSES,
        _("Qredits has decided on this application: its documents can no longer be changed."),
    )
    title = title.strip()
    if not title:
        raise ApplicationRefused(_("Fill in the name of the document."), "title")
    # Lock the application: two documents added at once get their own positions.
    LoanApplication.objects.select_for_update().filter(pk=application.pk).values_list("pk").get()
    last = application.enclosures.aggregate(last=Max("position"))["last"]
    enclosure = Enclosure.objects.create(
        application=application,
        kind=Enclosure.Kind.OTHER,
        title=title,
        status=Enclosure.Status.MISSING,
        position=(last or 0) + 1,
    )
    _audit(application, by, AuditEntry.Action.CHANGED, gettext_lazy("Enclosure added to the list"))
    return enclosure


@transaction.atomic
def set_enclosure(*, enclosure, status: str, note: str, by) -> Enclosure:
    """The coach marks a document present, not needed or missing, with a note. Present without
    a file is allowed: she may have seen a paper copy. The business plan is always present: the
    pack holds it."""
    _require_status(
        enclosure.application,
        OPEN_STATUSES,
        _("Qredits has decided on this application: its documents can no longer be changed."),
    )
    if status not in Enclosure.Status.values:
        raise ApplicationRefused(_("Choose present, not needed or missing."), "status")
    if enclosure.kind == Enclosure.Kind.BUSINESS_PLAN and status != Enclosure.Status.PRESENT:
        raise ApplicationRefused(
            _("The business plan is always present: the pack holds it."), "status"
        )
    enclosure.status = status
    enclosure.note = note.strip()
    enclosure.save(update_fields=["status", "note"])
    _audit(
        enclosure.application,
        by,
        AuditEntry.Action.CHANGED,
        gettext_lazy("Enclosure status changed"),
    )
    return enclosure


def add_file(*, enclosure, file, by, by_resident: bool = False) -> Upload:
    """A file for a document of the checklist, checked by its content
    (``coaching.uploads.add_upload``). The resident adds hers only while the application is
    being assembled; the staff also while Qredits considers it."""
    application = enclosure.application
    if by_resident:
        _require_status(
            application,
            (LoanApplication.Status.DRAFT,),
            _(
                "Your application has been sent to Qredits. You can no longer add documents "
                "here; ask your coach if Qredits needs something more."
            ),
        )
        if enclosure.status == Enclosure.Status.NOT_NEEDED:
            raise ApplicationRefused(_("Your coach says this document is not needed."))
    else:
        _require_status(
            application,
            OPEN_STATUSES,
            _("Qredits has decided on this application: its documents can no longer be changed."),
        )
    if enclosure.kind == Enclosure.Kind.BUSINESS_PLAN:
        raise ApplicationRefused(_("The business plan is in the pack already: it needs no file."))
    try:
        with transaction.atomic():
            upload = add_upload(enclosure=enclosure, file=file, by=by)
            _audit(application, by, AuditEntry.Action.CREATED, gettext_lazy("Enclosure uploaded"))
    except UploadRefused as refused:
        raise ApplicationRefused(refused.message, "file") from None
    return upload


@transaction.atomic
def delete_file(*, upload, by) -> Enclosure:
    """Delete a file. A document left without files is missing again, unless the coach said it
    is not needed."""
    enclosure = Enclosure.objects.select_for_update().get(pk=upload.enclosure_id)
    application = upload.enclosure.application
    _require_status(
        application,
        OPEN_STATUSES,
        _("Qredits has decided on this application: its documents can no longer be changed."),
    )
    Upload.objects.filter(pk=upload.pk).delete()
    if (
        enclosure.status == Enclosure.Status.PRESENT
        and not enclosure.uploads.exists()
        and enclosure.kind != Enclosure.Kind.BUSINESS_PLAN
    ):
        enclosure.status = Enclosure.Status.MISSING
        enclosure.save(update_fields=["status"])
    _audit(application, by, AuditEntry.Action.CHANGED, gettext_lazy("Enclosure file deleted"))
    return enclosure
