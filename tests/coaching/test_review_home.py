"""The home page of a desk's coaches and coordinator lists the versions waiting for review,
oldest first, with how long they waited and who reviews them."""

import datetime

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import BusinessPlan, PlanRevision, Review
from coaching.reviews import current_checklist, start_review
from coaching.services import submit_plan
from tests.factories import make_plan, make_resident


def hand_in(resident, *, by, days_ago=0, text="Eigen baas"):
    plan = make_plan(resident, {"entrepreneur": {"motivation": text}})
    BusinessPlan.objects.filter(pk=plan.pk).update(status=BusinessPlan.Status.DRAFT)
    revision, _created = submit_plan(plan=plan, by=by, site="http://testserver")
    submitted_at = timezone.now() - datetime.timedelta(days=days_ago)
    PlanRevision.objects.filter(pk=revision.pk).update(submitted_at=submitted_at)
    revision.submitted_at = submitted_at
    return revision


def start_url(revision):
    return reverse("coaching:review_start", args=[revision.plan_id, revision.number])


def home(client, **headers):
    response = client.get(reverse("home"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_coach_sees_waiting_versions_oldest_first(client_for, cast):
    newer = hand_in(cast.resident, by=cast.coach, days_ago=1)
    older = hand_in(make_resident(cast.desk, coach=cast.coordinator), by=cast.coach, days_ago=3)
    today = hand_in(make_resident(cast.desk), by=cast.coach)

    page = home(client_for("coach"))

    positions = [page.index(start_url(revision)) for revision in (older, newer, today)]
    assert positions == sorted(positions)
    waited = [page.index(f'data-waited="{days}"') for days in (3, 1, 0)]
    assert waited == sorted(waited)
    assert "Rana Bewoner" in page


def test_how_long_a_version_waited_is_said_in_days(client_for, cast):
    hand_in(cast.resident, by=cast.coach, days_ago=3)
    hand_in(make_resident(cast.desk), by=cast.coach)
    client = client_for("coach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = home(client)
    assert "3 days" in page
    assert "today" in page


def test_the_queue_leaves_out_concluded_and_superseded_versions(client_for, cast):
    first = hand_in(cast.resident, by=cast.coach, days_ago=5)
    second = hand_in(cast.resident, by=cast.coach, days_ago=2, text="Nog steeds eigen baas")
    concluded = hand_in(make_resident(cast.desk), by=cast.coach)
    Review.objects.create(
        revision=concluded,
        checklist=current_checklist(cast.desk),
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.REVISE,
        concluded_at=timezone.now(),
    )

    page = home(client_for("coach"))

    assert (first.plan_id, first.number) == (second.plan_id, 1)
    assert start_url(second) in page
    assert start_url(first) not in page
    assert start_url(concluded) not in page


def test_another_desks_versions_are_not_shown(client_for, cast):
    elsewhere = hand_in(cast.other_resident, by=cast.other_coach)

    page = home(client_for("coach"))
    assert start_url(elsewhere) not in page
    assert "data-review-queue-empty" in page
    assert start_url(elsewhere) not in home(client_for("coordinator"))
    assert start_url(elsewhere) in home(client_for("other_coach"))


def test_the_coordinator_sees_who_reviews_what(client_for, cast):
    revision = hand_in(cast.resident, by=cast.coach)
    waiting = hand_in(make_resident(cast.desk), by=cast.coach)
    start_review(revision=revision, by=cast.coach)

    page = home(client_for("coordinator"))

    assert start_url(revision) in page
    assert start_url(waiting) in page
    row = page[page.index(f'data-revision="{revision.pk}"') :]
    assert "Cees Coach" in row[: row.index("</tr>")]
    assert reverse("coaching:checklist_edit", args=[cast.desk.slug]) in page


def test_an_empty_queue_says_so(client_for, cast):
    assert "data-review-queue-empty" in home(client_for("coach"))
    assert "data-review-queue-empty" in home(client_for("coordinator"))


def test_at_most_ten_with_a_link_to_all(client_for, cast):
    for days in range(12):
        hand_in(make_resident(cast.desk), by=cast.coach, days_ago=days)

    page = home(client_for("coach"))

    assert page.count("data-revision=") == 10
    assert "data-review-queue-all" in page


def test_ten_or_fewer_need_no_link(client_for, cast):
    hand_in(cast.resident, by=cast.coach)
    # The menu always leads to the queue; the home page's own link is for a longer one.
    assert "data-review-queue-all" not in home(client_for("coach"))


def test_the_home_page_runs_a_fixed_number_of_queries(
    client_for, cast, django_assert_max_num_queries
):
    hand_in(cast.resident, by=cast.coach)
    one = {}
    for role in ("coach", "coordinator"):
        with CaptureQueriesContext(connection) as queries:
            home(client_for(role))
        one[role] = len(queries)
    revisions = [hand_in(make_resident(cast.desk), by=cast.coach) for _n in range(30)]
    for revision, reviewer in zip(revisions[:4], [cast.coach, cast.coordinator] * 2, strict=True):
        start_review(revision=revision, by=reviewer)

    for role in ("coach", "coordinator"):
        client = client_for(role)
        with django_assert_max_num_queries(one[role]):
            page = home(client)
        assert page.count("data-revision=") == 10
