"""Handing in the plan freezes a revision; a double submit makes one; later edits a new draft;
the coach compares revisions and gives feedback that the resident reads."""

import re

import pytest
from django.urls import reverse

from coaching.models import BusinessPlan, PlanRevision
from coaching.services import submit_plan
from ondernemerspunt.models import AuditEntry
from tests.coaching.examples import SALON
from tests.factories import make_plan


def submit(client):
    return client.post(reverse("coaching:plan_submit"), follow=True).content.decode()


def save(client, slug, data):
    return client.post(reverse("coaching:section_edit", kwargs={"section": slug}), data)


def test_submitting_freezes_the_plan_as_a_revision(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    page = submit(client_for("resident"))
    assert "naar je coach gestuurd als versie 1" in page
    revision = PlanRevision.objects.get(plan=plan)
    assert revision.snapshot["sections"]["investment"] == SALON["investment"]
    assert revision.snapshot["limits"] == {
        "min_own_funds_percent": 30,
        "max_loan_amount": "250000.00",
    }
    assert revision.submitted_by == cast.resident_user
    plan.refresh_from_db()
    assert plan.status == BusinessPlan.Status.SUBMITTED


def test_a_double_submit_makes_one_revision(client_for, cast):
    make_plan(cast.resident, SALON)
    client = client_for("resident")
    submit(client)
    page = submit(client)
    assert "al ingediend als versie 1" in page
    assert PlanRevision.objects.filter(plan__resident=cast.resident).count() == 1


def test_the_service_gives_back_the_same_revision_on_a_second_call(cast):
    plan = make_plan(cast.resident, SALON)
    first, created = submit_plan(plan=plan, by=cast.resident_user)
    again, created_again = submit_plan(plan=plan, by=cast.resident_user)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk


def test_an_empty_plan_cannot_be_submitted(client_for, cast):
    make_plan(cast.resident)  # she opened her plan page, which starts the plan
    page = submit(client_for("resident"))
    assert "Je plan is nog leeg" in page
    assert not PlanRevision.objects.exists()


def test_later_edits_make_a_new_draft_and_leave_the_revision_alone(client_for, cast):
    make_plan(cast.resident, {"entrepreneur": {"motivation": "Versie een"}})
    client = client_for("resident")
    submit(client)
    save(client, "ondernemer", {"version": "1", "motivation": "Versie twee"})
    plan = BusinessPlan.objects.get(resident=cast.resident)
    assert plan.status == BusinessPlan.Status.DRAFT
    assert "veranderd na versie 1" in client.get(reverse("coaching:plan_home")).content.decode()
    first = PlanRevision.objects.get(plan=plan, number=1)
    assert first.snapshot["sections"]["entrepreneur"]["motivation"] == "Versie een"
    submit(client)
    second = PlanRevision.objects.get(plan=plan, number=2)
    assert second.snapshot["sections"]["entrepreneur"]["motivation"] == "Versie twee"


@pytest.fixture
def two_revisions(cast):
    plan = make_plan(cast.resident, SALON)
    financing = {**SALON["financing"], "own_funds": "5500.00", "qredits_amount": "22000.00"}
    PlanRevision.objects.create(
        plan=plan,
        number=1,
        submitted_by=cast.resident_user,
        snapshot={
            "sections": {**SALON, "financing": financing},
            "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000.00"},
        },
    )
    PlanRevision.objects.create(
        plan=plan,
        number=2,
        submitted_by=cast.resident_user,
        snapshot={
            "sections": SALON,
            "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000.00"},
        },
    )
    return plan


def test_the_coach_sees_what_changed_between_two_revisions(client_for, cast, two_revisions):
    response = client_for("coach").get(
        reverse("coaching:revision_compare", kwargs={"pk": two_revisions.pk}),
        {"van": 1, "naar": 2},
    )
    page = response.content.decode()
    assert "Wat veranderde er van versie 1 naar versie 2" in page
    assert "Financieringsbegroting" in page
    assert "<del>€ 5.500,00</del>" in page
    assert "<ins>€ 9.500,00</ins>" in page
    assert "<del>€ 22.000,00</del>" in page
    # own funds went from 18,3% (attention) to 31,7% (fine)
    assert "Aandachtspunt (18,3%)" in page
    assert "In orde (31,7%)" in page
    assert "De ondernemer" not in page.split("Wat veranderde er")[1]  # unchanged parts stay out
    assert AuditEntry.objects.filter(
        what__contains="vergeleken", resident_id=cast.resident.pk
    ).exists()


def test_comparing_defaults_to_the_last_two_revisions(client_for, cast, two_revisions):
    page = client_for("coach").get(
        reverse("coaching:revision_compare", kwargs={"pk": two_revisions.pk})
    )
    assert "van versie 1 naar versie 2" in page.content.decode()


def test_a_nonsense_comparison_is_a_form_error_not_a_crash(client_for, cast, two_revisions):
    response = client_for("coach").get(
        reverse("coaching:revision_compare", kwargs={"pk": two_revisions.pk}),
        {"van": "abc", "naar": 99},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert set(response.context["form"].errors) == {"van", "naar"}
    assert page.count("Selecteer een geldige keuze") == 2  # a message beside each field
    assert "Wat veranderde er" not in page
    assert not AuditEntry.objects.filter(what__contains="vergeleken").exists()


def test_feedback_from_the_coach_reaches_the_resident(client_for, cast, two_revisions):
    url = reverse("coaching:revision_detail", kwargs={"pk": two_revisions.pk, "number": 2})
    response = client_for("coach").post(
        url, {"feedback": "Mooi plan. Kijk nog even naar je <em>marketing</em>."}, follow=True
    )
    assert "Je feedback is opgeslagen" in response.content.decode()
    page = client_for("resident").get(reverse("coaching:plan_home")).content.decode()
    assert "Feedback van je coach op versie 2" in page
    assert "Kijk nog even naar je &lt;em&gt;marketing&lt;/em&gt;." in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.CHANGED, what__contains="Feedback gegeven"
    ).exists()


def test_the_resident_is_told_which_parts_hold_typing_that_is_not_saved(client_for, cast):
    make_plan(cast.resident, SALON)
    client = client_for("resident")
    client.post(
        reverse("coaching:section_autosave", kwargs={"section": "marketing"}),
        {"version": "1", "research": "Nog 20 buren gevraagd"},
    )
    page = client.get(reverse("coaching:plan_home")).content.decode()
    assert "nog niet opgeslagen" in page
    assert "Anders krijgt je coach het niet" in page
    assert reverse("coaching:section_edit", kwargs={"section": "marketing"}) in page
    # Saving the part clears the warning.
    save(client, "marketing", {**SALON["marketing"], "version": "1"})
    page = client.get(reverse("coaching:plan_home")).content.decode()
    assert "nog niet opgeslagen" not in page


def open_feedback_form(client, url):
    """The hidden 'seen' value the coach's form carries, as the page rendered it."""
    return seen_value(client.get(url).content.decode())


def seen_value(page):
    # An empty value (no feedback yet) renders without a value attribute.
    return re.search(r'name="seen"(?: value="([^"]*)")?', page).group(1) or ""


def test_two_coaches_giving_feedback_at_once_do_not_overwrite_each_other(
    client_for, cast, two_revisions
):
    url = reverse("coaching:revision_detail", kwargs={"pk": two_revisions.pk, "number": 2})
    coach = client_for("coach")
    seen_by_coach = open_feedback_form(coach, url)
    coordinator = client_for("coordinator")
    coordinator.post(url, {"feedback": "Eerst van de coördinator", "seen": seen_by_coach})
    response = client_for("coach").post(
        url, {"feedback": "Tegelijk van de coach", "seen": seen_by_coach}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "in de tussentijd" in page
    assert "Tegelijk van de coach" in page  # the coach's text is kept in the box
    assert "Eerst van de coördinator" in page  # and the saved one is shown beside it
    revision = two_revisions.revisions.get(number=2)
    assert revision.feedback == "Eerst van de coördinator"
    # Saving again, now knowing the other text, is a deliberate choice and goes through.
    again = seen_value(page)
    client_for("coach").post(url, {"feedback": "Samen herschreven", "seen": again})
    revision.refresh_from_db()
    assert revision.feedback == "Samen herschreven"


def test_feedback_saved_twice_by_one_coach_from_fresh_pages_goes_through(
    client_for, cast, two_revisions
):
    url = reverse("coaching:revision_detail", kwargs={"pk": two_revisions.pk, "number": 2})
    coach = client_for("coach")
    coach.post(url, {"feedback": "Eerste", "seen": open_feedback_form(coach, url)})
    coach.post(url, {"feedback": "Tweede", "seen": open_feedback_form(coach, url)})
    assert two_revisions.revisions.get(number=2).feedback == "Tweede"
