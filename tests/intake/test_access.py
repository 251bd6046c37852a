"""intake's access helpers: who may see a resident's file."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from intake.access import next_step_for, own_resident_for, resident_for, resident_of
from ondernemerspunt.models import Membership
from tests.factories import make_conversation
from tests.ondernemerspunt.test_access import request_as


def test_a_coach_gets_a_resident_of_their_desk(cast):
    assert resident_for(request_as(cast.coach), cast.resident.pk) == cast.resident


def test_a_coordinator_gets_a_resident_of_their_desk(cast):
    assert resident_for(request_as(cast.coordinator), cast.resident.pk) == cast.resident


@pytest.mark.parametrize("role", ["other_coach", "partner", "project_group", "resident"])
def test_everyone_else_gets_404_for_a_residents_file(cast, role):
    with pytest.raises(Http404):
        resident_for(request_as(cast.user(role)), cast.resident.pk)


def test_a_coach_of_two_desks_sees_both_desks_residents(cast):
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coach")
    assert resident_for(request_as(cast.coach), cast.other_resident.pk) == cast.other_resident


def test_a_residents_login_leads_to_their_own_file_only(cast):
    assert resident_of(cast.resident_user) == cast.resident
    assert resident_of(cast.coach) is None


def test_own_resident_for_refuses_users_who_are_not_residents(cast):
    assert own_resident_for(request_as(cast.resident_user)) == cast.resident
    with pytest.raises(PermissionDenied):
        own_resident_for(request_as(cast.coach))


def test_a_next_step_is_found_only_at_the_users_desks(cast):
    conversation = make_conversation(
        cast.resident, coach=cast.coach, next_steps=[("Offerte opvragen", "2009-03-01")]
    )
    step = conversation.next_steps.get()
    assert next_step_for(request_as(cast.coach), step.pk) == step
    for role in ("other_coach", "partner", "project_group", "resident"):
        with pytest.raises(Http404):
            next_step_for(request_as(cast.user(role)), step.pk)
