"""Makers for the Qredits application's tests: a plan of the cast's resident that a concluded
review found ready for Qredits, and an application for it."""

import datetime
from decimal import Decimal

from django.utils import timezone

from coaching.applications import start_application
from coaching.models import Review
from tests.factories import make_plan, make_review, make_revision


def ready_plan(cast, sections=None):
    plan = make_plan(cast.resident, sections)
    revision = make_revision(plan, by=cast.resident_user)
    make_review(
        revision,
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now() - datetime.timedelta(days=1),
    )
    return plan


def make_application(cast, plan=None, **values):
    return start_application(
        plan=plan or ready_plan(cast),
        by=cast.coach,
        values={
            "amount": Decimal("15000.00"),
            "purpose": "Oven en inrichting",
            "term_months": 60,
            "repayment_free_months": 6,
            **values,
        },
    )
