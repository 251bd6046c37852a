"""The access helpers: one place per object kind decides who may see what."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from ondernemerspunt.access import desk_for, resident_for, resident_of, roles_of
from ondernemerspunt.models import Membership


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


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


def test_desk_for_answers_404_for_another_desk_and_for_the_wrong_role(cast):
    assert desk_for(request_as(cast.coach), "noord") == cast.desk
    with pytest.raises(Http404):
        desk_for(request_as(cast.coach), "zuid")
    with pytest.raises(Http404):
        desk_for(request_as(cast.project_group), "noord")
    assert desk_for(request_as(cast.project_group), "noord", roles=("project_group",)) == (
        cast.desk
    )


def test_a_residents_login_leads_to_their_own_file_only(cast):
    assert resident_of(cast.resident_user) == cast.resident
    assert resident_of(cast.coach) is None
    assert roles_of(cast.resident_user) == set()


def test_memberships_are_loaded_once_per_request(cast, django_assert_num_queries):
    request = request_as(cast.coach)
    with django_assert_num_queries(1):
        roles_of(request.user)
        roles_of(request.user)
