"""A double click on "record consent" (two requests at once) records consent once."""

import pytest

from intake.models import Consent
from intake.services import IntakeError, record_consent
from tests.concurrency import at_once
from tests.factories import make_desk, make_member, make_resident

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_consent_recordings_at_the_same_moment_make_one_consent():
    desk = make_desk()
    coach = make_member(desk, "coach")
    resident = make_resident(desk, coach=coach)
    results = at_once(
        lambda: record_consent(resident=resident, by=coach),
        lambda: record_consent(resident=resident, by=coach),
    )
    assert Consent.objects.filter(resident=resident).count() == 1
    assert sorted(type(r).__name__ for r in results) == ["Consent", IntakeError.__name__]
