"""The plan list's "waiting for review" follows the review queue: a handed-in plan stayed in the
old "submitted" filter only until the resident saved anything again."""

import pytest
from django.urls import reverse

from coaching import reviews, services
from coaching.models import PlanSection
from tests.coaching.examples import SALON
from tests.factories import make_plan, make_resident


def names_shown(client, status):
    response = client.get(reverse("coaching:plan_list"), {"status": status})
    assert response.status_code == 200
    return {plan.resident.first_name for plan in response.context["page"].object_list}


@pytest.fixture
def handed_in(cast):
    plan = make_plan(cast.resident, SALON)
    revision, _ = services.submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
    return revision


def test_a_plan_edited_after_handing_in_still_waits_for_review(client_for, cast, handed_in):
    never = make_resident(cast.desk, coach=cast.coach, consent_by=cast.coach, first_name="Nooit")
    make_plan(never, {"entrepreneur": {"motivation": "Nog bezig"}})
    section = PlanSection.objects.get(plan=handed_in.plan, key="entrepreneur")
    services.save_section(
        section=section,
        content={"motivation": "Verder"},
        version=section.version,
        by=cast.resident_user,
    )
    client = client_for("coach")
    assert names_shown(client, "waiting") == {"Rana"}
    assert names_shown(client, "not_submitted") == {"Nooit"}
    assert names_shown(client, "") == {"Rana", "Nooit"}


def test_a_concluded_review_takes_the_plan_out_of_waiting(client_for, cast, handed_in):
    review = reviews.start_review(revision=handed_in, by=cast.coach)
    answers = reviews.ReviewAnswers(
        items={
            item.pk: reviews.ItemAnswer(
                verdict=reviews.suggested_verdict(item.check_status)
                if item.check_status
                else "fine"
            )
            for item in review.items.all()
        },
        comments={},
        outcome="revise",
    )
    reviews.save_review(
        review=review,
        answers=answers,
        version=review.version,
        by=cast.coach,
        site="http://testserver",
        conclude=True,
    )
    assert names_shown(client_for("coach"), "waiting") == set()


def test_an_unknown_filter_value_shows_every_plan(client_for, cast, handed_in):
    assert names_shown(client_for("coach"), "submitted") == {"Rana"}
