"""The two e-mails: to the coach when a plan is handed in, to the resident when a review is
concluded. Queued once the transaction commits, sent by the worker, never in the request; a link
and no plan content."""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from coaching.models import PlanRevision
from coaching.reviews import cosign_review, save_review, start_review
from coaching.services import submit_plan
from ondernemerspunt.models import Membership
from tests.coaching.examples import SALON
from tests.coaching.test_resident_reviews import SITE, answers_for
from tests.factories import make_plan


def hand_in_by_post(client_for, django_capture_on_commit_callbacks):
    client = client_for("resident")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:plan_submit"))
    assert response.status_code == 302
    return PlanRevision.objects.get()


def mail_text(mail):
    return f"{mail.subject}\n{mail.body}"


def test_the_coach_gets_a_link_and_no_plan_content(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    plan = make_plan(cast.resident, SALON)
    revision = hand_in_by_post(client_for, django_capture_on_commit_callbacks)
    # The request queued the mail; the worker sends it.
    assert mailoutbox == []
    assert DBTaskResult.objects.ready().count() == 1
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.coach.email]
    link = reverse("coaching:review_start", kwargs={"pk": plan.pk, "number": revision.number})
    assert f"http://testserver{link}" in mail.body
    text = mail_text(mail)
    for name in (cast.resident.first_name, cast.resident.last_name):
        assert name not in text
    for part in SALON.values():
        for value in part.values():
            if isinstance(value, str) and len(value) > 8:
                assert value not in text


def test_without_a_coach_the_desks_coordinators_are_told(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    cast.resident.coach = None
    cast.resident.save(update_fields=["coach"])
    make_plan(cast.resident, SALON)
    hand_in_by_post(client_for, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [[cast.coordinator.email]]


def test_a_coach_deactivated_at_the_desk_is_not_told_but_its_coordinators_are(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    """The coach still works at another desk, so her login stays active; at this desk she no
    longer does."""
    Membership.objects.filter(user=cast.coach, desk=cast.desk).update(is_active=False)
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coach")
    make_plan(cast.resident, SALON)
    hand_in_by_post(client_for, django_capture_on_commit_callbacks)
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [[cast.coordinator.email]]


def test_a_hand_in_that_rolls_back_queues_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    plan = make_plan(cast.resident, SALON)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit_plan(plan=plan, by=cast.resident_user, site=SITE)
        raise RuntimeError("something after the hand-in failed")
    assert callbacks == []
    assert not PlanRevision.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_queued_tasks()
    assert mailoutbox == []


def start(cast):
    plan = make_plan(cast.resident, SALON)
    revision, _created = submit_plan(plan=plan, by=cast.resident_user, site=SITE)
    return start_review(revision=revision, by=cast.coach)


def save(cast, review, *, conclude, outcome="revise", comments=None):
    return save_review(
        review=review,
        answers=answers_for(review, outcome=outcome, comments=comments),
        version=review.version,
        by=cast.coach,
        site=SITE,
        conclude=conclude,
    )


def test_the_resident_gets_one_mail_when_the_review_is_concluded(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    review = start(cast)
    comment = "Je eigen inbreng is te laag, reken het nog eens na."
    with django_capture_on_commit_callbacks(execute=True):
        save(cast, review, conclude=True, comments={"": comment, "financing": "Rente klopt niet"})
    assert mailoutbox == []
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.resident_user.email]
    assert mail.reply_to == [cast.coach.email]
    assert f"http://testserver{reverse('coaching:plan_home')}" in mail.body
    assert re.search(r"https?://\S+", mail.body).group(0).endswith(reverse("coaching:plan_home"))
    assert comment not in mail_text(mail)
    assert "Rente klopt niet" not in mail_text(mail)


def test_a_draft_save_sends_nothing(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    review = start(cast)
    DBTaskResult.objects.all().delete()  # the hand-in's mail to the coach
    with django_capture_on_commit_callbacks(execute=True):
        save(cast, review, conclude=False, comments={"": "Nog niet klaar"})
    assert not DBTaskResult.objects.exists()
    run_queued_tasks()
    assert mailoutbox == []


def test_with_four_eyes_the_resident_hears_only_after_the_co_signature(
    cast, mailoutbox, django_capture_on_commit_callbacks, run_queued_tasks
):
    cast.desk.review_cosign = True
    cast.desk.save(update_fields=["review_cosign"])
    review = start(cast)
    DBTaskResult.objects.all().delete()  # the hand-in's mail to the coach
    with django_capture_on_commit_callbacks(execute=True):
        review = save(cast, review, conclude=True, outcome="ready")
    assert review.status == "cosign"
    run_queued_tasks()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        cosign_review(review=review, by=cast.coordinator, site=SITE)
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [[cast.resident_user.email]]
