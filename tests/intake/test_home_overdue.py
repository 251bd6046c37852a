"""A first look at the home page is not a wall of "overdue" (issue 12 part 7): the overdue next
steps are counted with the date of the oldest, only the oldest few are listed, and what is due
next still shows."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from intake.models import NextStep
from tests.factories import make_conversation, make_resident

D = datetime.date


def soon(days):
    return datetime.date.today() + datetime.timedelta(days=days)


def english_home(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("home")).content.decode()


def test_many_overdue_steps_are_counted_and_only_the_oldest_few_listed(client_for, cast):
    make_conversation(
        cast.resident,
        coach=cast.coach,
        next_steps=[(f"Oud {n}", D(2009, 3, 1) + datetime.timedelta(days=n)) for n in range(12)]
        + [("Straks bellen", soon(3)), ("Daarna mailen", soon(10))],
    )
    page = english_home(client_for("coach"))
    assert "14 open next steps" in page
    assert "12 overdue" in page
    assert "The oldest was due on 01-03-2009." in page
    # The three oldest, not all twelve.
    assert [f"Oud {n}" in page for n in range(12)] == [True] * 3 + [False] * 9
    assert page.count('badge text-bg-danger">overdue<') == 3
    assert "And 9 more overdue next steps." in page
    assert f"{reverse('intake:my_residents')}?sort=next_step" in page
    # What is due next is not pushed off the page by the old ones.
    assert "Straks bellen" in page and "Daarna mailen" in page
    assert page.index("Oud 0") < page.index("Coming up") < page.index("Straks bellen")


def test_the_coordinators_link_goes_to_the_whole_desks_list(client_for, cast):
    other = make_resident(cast.desk, coach=cast.coordinator)
    make_conversation(
        other,
        coach=cast.coordinator,
        next_steps=[(f"Oud {n}", D(2009, 3, n + 1)) for n in range(5)],
    )
    page = english_home(client_for("coordinator"))
    assert "And 2 more overdue next steps." in page
    assert f"{reverse('intake:resident_list')}?sort=next_step" in page
    assert "Nothing else is due." in page


def test_without_overdue_steps_the_list_is_as_before(client_for, cast):
    make_conversation(cast.resident, coach=cast.coach, next_steps=[("Plan afmaken", soon(7))])
    page = english_home(client_for("coach"))
    assert "1 open next step." in page
    assert "Plan afmaken" in page
    assert "overdue" not in page.lower().replace("no open next steps", "")
    assert "Coming up" not in page


@pytest.mark.parametrize("steps", [1, 40])
def test_the_home_page_runs_a_fixed_number_of_queries(
    client_for, cast, steps, django_assert_max_num_queries
):
    make_conversation(
        cast.resident,
        coach=cast.coach,
        next_steps=[(f"Stap {n}", D(2009, 1, 1) + datetime.timedelta(days=n)) for n in range(steps)]
        + [("Nog te doen", soon(5))],
    )
    assert NextStep.objects.count() == steps + 1
    client = client_for("coach")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("home")).content.decode()
    assert "Nog te doen" in page
