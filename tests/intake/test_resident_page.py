"""The resident's page: the file, open next steps, the timeline and the audit trail."""

import datetime

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import BusinessPlan
from coaching.reviews import (
    ItemAnswer,
    ReviewAnswers,
    cosign_review,
    save_review,
    start_review,
    suggested_verdict,
)
from coaching.services import submit_plan
from intake.models import Stage
from intake.services import change_stage
from ondernemerspunt.models import AuditEntry
from tests.coaching.examples import SALON
from tests.factories import make_conversation, make_plan


def detail_url(resident):
    return reverse("intake:resident_detail", kwargs={"pk": resident.pk})


def test_the_page_shows_a_timeline_of_conversations_and_stage_changes(client_for, cast):
    make_conversation(
        cast.resident,
        coach=cast.coach,
        kind="intake",
        held_on=datetime.date(2009, 1, 20),
        notes="Eerste kennismaking",
        support_needs=["bookkeeping"],
        next_steps=[("Kvk-inschrijving regelen", datetime.date(2009, 2, 1))],
    )
    change_stage(
        resident=cast.resident,
        to_stage=Stage.INTAKE,
        on=datetime.date(2009, 1, 20),
        by=cast.coach,
    )
    page = client_for("coach").get(detail_url(cast.resident)).content.decode()
    assert "Eerste kennismaking" in page
    assert "boekhouding" in page
    assert "aangemeld → intakegesprek gehouden" in page
    assert "Kvk-inschrijving regelen" in page
    assert "te laat" in page  # the next step's due date has passed
    # Stage change after the conversation on the same day: listed above it (newest first).
    assert page.index("aangemeld → intakegesprek") < page.index("Eerste kennismaking")


def test_viewing_the_page_is_in_the_audit_trail(client_for, cast):
    client_for("coach").get(detail_url(cast.resident))
    entry = AuditEntry.objects.get(resident_id=cast.resident.pk, action="viewed")
    assert (entry.actor, entry.desk) == (cast.coach, cast.desk)


def test_another_desks_resident_answers_404(client_for, cast):
    assert client_for("coach").get(detail_url(cast.other_resident)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_resident_cannot_open_their_file_through_the_coach_screens(client_for, cast):
    assert client_for("resident").get(detail_url(cast.resident)).status_code == 404


def test_the_page_shows_the_panels_that_later_apps_registered(client_for, cast):
    # coaching registers its business-plan panel in intake's registry (intake/timeline.py).
    response = client_for("coach").get(detail_url(cast.resident))
    assert "coaching/_resident_plan_panel.html" in [t.name for t in response.templates]
    assert "nog niet begonnen met een ondernemingsplan" in response.content.decode()


def count_page_queries(client, resident):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(detail_url(resident)).content.decode()
    # Every conversation is on the timeline: none was left out to save queries.
    assert resident.full_name in page
    for held_on in resident.conversations.values_list("held_on", flat=True):
        assert held_on.strftime("%d-%m-%Y") in page
    return len(queries)


def add_conversations(resident, coach, days):
    for day in days:
        make_conversation(
            resident,
            coach=coach,
            held_on=datetime.date(2009, 2, day),
            next_steps=[("Stap", datetime.date(2009, 3, day))],
        )


def test_the_page_runs_a_fixed_number_of_queries(client_for, cast, django_assert_max_num_queries):
    client = client_for("coach")
    plan = make_plan(cast.resident, SALON)  # every check passes: it can be ready for Qredits
    # The reviews on the timeline (coaching's events) cost no query per review either.
    cast.desk.review_cosign = True
    cast.desk.save(update_fields=["review_cosign"])
    concluded(cast, plan, outcome="ready")
    add_conversations(cast.resident, cast.coach, [1])
    with_one = count_page_queries(client, cast.resident)
    add_conversations(cast.resident, cast.coach, range(2, 21))
    for _n in range(3):
        concluded(cast, plan, outcome="ready")
    assert count_page_queries(client, cast.resident) == with_one
    # The file, timeline and the panels the apps above register (plan, reviews, referrals and
    # consents to share, mentors, the benefits consultation): a fixed number, whatever the rows.
    with django_assert_max_num_queries(24):
        client.get(detail_url(cast.resident))


def test_a_submitted_plan_appears_on_the_timeline(client_for, cast):
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
    page = client_for("coach").get(detail_url(cast.resident)).content.decode()
    assert "Ondernemingsplan versie 1 ingediend ter beoordeling" in page


def concluded(cast, plan, *, outcome):
    """Hand in, review and conclude (with a second coach's signature where the desk asks)."""
    BusinessPlan.objects.filter(pk=plan.pk).update(status=BusinessPlan.Status.DRAFT)
    revision, _created = submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
    review = start_review(revision=revision, by=cast.coach)
    answers = ReviewAnswers(
        items={
            item.pk: ItemAnswer(
                verdict=suggested_verdict(item.check_status) if item.check_status else "fine"
            )
            for item in review.items.all()
        },
        comments={},
        outcome=outcome,
    )
    review = save_review(
        review=review, answers=answers, version=0, by=cast.coach, site="", conclude=True
    )
    if review.status == "cosign":
        review = cosign_review(review=review, by=cast.coordinator, site="")
    return review


def test_a_concluded_review_and_its_co_signature_appear_on_the_timeline(client_for, cast):
    cast.desk.review_cosign = True
    cast.desk.save(update_fields=["review_cosign"])
    plan = make_plan(cast.resident, SALON)
    review = concluded(cast, plan, outcome="ready")
    client = client_for("coach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # not the catalogue's Dutch
    page = client.get(detail_url(cast.resident)).content.decode()
    link = reverse("coaching:review_detail", kwargs={"pk": plan.pk, "review": review.pk})
    assert page.count(f'href="{link}"') == 2  # concluded, and co-signed
    coach, coordinator = cast.coach.get_full_name(), cast.coordinator.get_full_name()
    assert f"Review of version 1 concluded: ready for Qredits, by {coach}" in page
    assert f"Review of version 1 co-signed by {coordinator}" in page


def test_without_consent_the_page_asks_for_it(client_for, cast):
    cast.resident.consents.all().delete()
    page = client_for("coach").get(detail_url(cast.resident)).content.decode()
    assert "Nog geen toestemming vastgelegd" in page
