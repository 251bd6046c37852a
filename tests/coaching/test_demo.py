"""The demo plans: Fatma's salon passes every check in 2009 and is ready for Qredits, Saskia's
half-finished plan fails two checks and was sent back; seeding twice changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from coaching import reviews
from coaching.models import BusinessPlan, PlanRevision, PlanSection, Review, ReviewItem
from coaching.selectors import plan_timeline


def seed():
    call_command("seed_demo", stdout=StringIO())


def test_fatmas_salon_is_complete_and_passes_every_check(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    assert plan.resident.desk.max_loan_amount == 35000
    assert plan.completion == 100
    assert {check.key: check.status for check in plan.checks} == dict.fromkeys(
        ["balance", "own_funds", "withdrawals", "liquidity", "loan"], "ok"
    )
    assert plan.status == BusinessPlan.Status.SUBMITTED
    first, second = PlanRevision.objects.filter(plan=plan).order_by("number")
    # Version 1 asked too much and put in too little; the coach said so.
    assert [c.status for c in first.checks if c.key == "own_funds"] == ["attention"]
    old_review = first.reviews.get()
    assert (old_review.status, old_review.outcome) == ("concluded", "revise")
    assert "30%" in old_review.comments.get(section="").text
    assert all(check.ok for check in second.checks)
    review = second.reviews.get()
    assert (review.status, review.outcome) == ("concluded", "ready")
    assert review.concluded_at.year == 2009


def test_saskias_plan_was_sent_back_with_a_verdict_on_every_point(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="saskia@korrewegwijk.example")
    review = reviews.concluded_reviews(plan).get()
    assert (review.outcome, review.revision.number) == ("revise", 1)
    assert review.started_at.year == review.concluded_at.year == 2009
    checklist = reviews.current_checklist(plan.resident.desk)
    assert review.checklist == checklist
    items = ReviewItem.objects.filter(review=review)
    assert sorted(items.values_list("item", flat=True)) == sorted(
        checklist.items.values_list("pk", flat=True)
    )
    assert not items.filter(verdict="").exists()
    comments = {comment.section: comment.text for comment in review.comments.all()}
    assert sorted(comments) == ["", "financing", "marketing"]
    assert "30%" in comments[""]
    # Every demo review is concluded: nothing waits in the queue but Fatma's newest version.
    assert not Review.objects.exclude(status="concluded").exists()


def test_saskias_half_finished_plan_fails_two_checks(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="saskia@korrewegwijk.example")
    statuses = {check.key: check.status for check in plan.checks}
    assert sorted(key for key, status in statuses.items() if status == "attention") == [
        "balance",
        "own_funds",
    ]
    assert statuses["loan"] == "ok"
    assert 0 < plan.completion < 100


def test_seeding_twice_changes_no_plan(db):
    seed()
    before = list(PlanSection.objects.order_by("pk").values_list("pk", "version", "data"))
    revisions = PlanRevision.objects.count()
    seed()
    assert list(PlanSection.objects.order_by("pk").values_list("pk", "version", "data")) == before
    assert PlanRevision.objects.count() == revisions == 3
    assert Review.objects.count() == 3


def test_the_plan_events_for_the_timeline(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    events = plan_timeline(plan.resident)
    ready, revise = Review.objects.filter(revision__plan=plan).order_by("-concluded_at")
    # Newest first: the review of version 2, its hand-in, the review of version 1, its hand-in.
    assert [event.url for event in events][:4] == [
        reverse("coaching:review_detail", kwargs={"pk": plan.pk, "review": ready.pk}),
        reverse("coaching:revision_detail", kwargs={"pk": plan.pk, "number": 2}),
        reverse("coaching:review_detail", kwargs={"pk": plan.pk, "review": revise.pk}),
        reverse("coaching:revision_detail", kwargs={"pk": plan.pk, "number": 1}),
    ]
    assert events[1].title == "Ondernemingsplan versie 2 ingediend ter beoordeling"


def test_fatma_sees_her_plan_and_the_coachs_review(client, db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    client.force_login(plan.resident.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("coaching:plan_home"))
    page = response.content.decode()
    assert "Je plan is voor 100% ingevuld" in page
    assert response.context["review"].outcome == "ready"
    assert 'data-outcome="ready"' in page
    assert "Je plan is klaar voor Qredits" in page  # the coach's comment on the whole plan
    page = client.get(reverse("coaching:section_edit", kwargs={"section": "exploitatie"}))
    # net profit year 1, after the loans' interest computed monthly and the start-up costs
    assert "€ 21.134,44" in page.content.decode()
