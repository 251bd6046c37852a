"""The foundation's access helpers: memberships, roles and desks."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from ondernemerspunt.access import desk_for, roles_of


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_desk_for_answers_404_for_another_desk_and_for_the_wrong_role(cast):
    assert desk_for(request_as(cast.coach), "noord") == cast.desk
    with pytest.raises(Http404):
        desk_for(request_as(cast.coach), "zuid")
    with pytest.raises(Http404):
        desk_for(request_as(cast.project_group), "noord")
    assert desk_for(request_as(cast.project_group), "noord", roles=("project_group",)) == (
        cast.desk
    )


def test_memberships_are_loaded_once_per_request(cast, django_assert_num_queries):
    request = request_as(cast.coach)
    with django_assert_num_queries(1):
        assert roles_of(request.user) == {"coach"}
        assert roles_of(request.user) == {"coach"}
