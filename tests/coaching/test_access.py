"""coaching's access helpers: who may see a business plan. They only read."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coaching.access import own_plan_for, plan_for
from coaching.models import BusinessPlan
from tests.factories import make_plan
from tests.ondernemerspunt.test_access import request_as


@pytest.mark.parametrize("role", ["coach", "coordinator"])
def test_the_staff_of_the_residents_desk_get_the_plan(cast, role):
    plan = make_plan(cast.resident)
    assert plan_for(request_as(cast.user(role)), plan.pk) == plan


@pytest.mark.parametrize("role", ["other_coach", "partner", "project_group", "resident"])
def test_everyone_else_gets_404_for_a_plan(cast, role):
    plan = make_plan(cast.resident)
    with pytest.raises(Http404):
        plan_for(request_as(cast.user(role)), plan.pk)


def test_a_resident_gets_her_own_plan_and_no_other(cast):
    own = make_plan(cast.resident)
    make_plan(cast.other_resident)
    assert own_plan_for(request_as(cast.resident_user)) == own


def test_own_plan_for_only_reads(cast):
    with pytest.raises(Http404):
        own_plan_for(request_as(cast.resident_user))
    assert not BusinessPlan.objects.filter(resident=cast.resident).exists()


@pytest.mark.parametrize("role", ["coach", "coordinator", "partner", "project_group"])
def test_own_plan_for_refuses_users_who_are_not_residents(cast, role):
    with pytest.raises(PermissionDenied):
        own_plan_for(request_as(cast.user(role)))
