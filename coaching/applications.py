"""The Qredits application (issue 11): started from a plan version that a concluded review
found *ready for Qredits*, with the standard enclosures as a checklist.

The rest of the road — the pack (``packs.py``), the decision and the business after it — builds
on what is made here.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coaching.models import Enclosure, LoanApplication, Review

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


@transaction.atomic
def start_application(*, plan, by, values: dict) -> LoanApplication:
    """A new application for a plan that is ready for Qredits, with the standard checklist.
    Refused for a plan that is not, and while another application of it is in progress."""
    review = ready_review(plan)
    if review is None:
        raise ApplicationRefused(
            _("This plan is not ready for Qredits: a concluded review must say so first.")
        )
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
