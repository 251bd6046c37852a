"""The demo plans: Fatma's salon passes every check in 2009, Saskia's half-finished plan fails
two; seeding twice changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from coaching.models import BusinessPlan, PlanRevision, PlanSection
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
    assert "30%" in first.feedback
    assert all(check.ok for check in second.checks)


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
    assert PlanRevision.objects.count() == revisions == 2


def test_the_plan_events_for_the_timeline(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    events = plan_timeline(plan.resident)
    assert [event.title for event in events][:2] == [
        "Ondernemingsplan versie 2 ingediend ter beoordeling",
        "Ondernemingsplan versie 1 ingediend ter beoordeling",
    ]
    assert events[0].url == reverse("coaching:revision_detail", kwargs={"pk": plan.pk, "number": 2})


def test_fatma_sees_her_plan_and_the_coachs_feedback(client, db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    client.force_login(plan.resident.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("coaching:plan_home")).content.decode()
    assert "Je plan is voor 100% ingevuld" in page
    assert "Feedback van je coach op versie 1" in page
    page = client.get(reverse("coaching:section_edit", kwargs={"section": "exploitatie"}))
    # net profit year 1, after the loans' interest computed monthly and the start-up costs
    assert "€ 21.134,44" in page.content.decode()
