"""Handing in the plan freezes a revision; a double submit makes one; later edits a new draft;
the coach compares revisions and reviews them, and two coaches never overwrite each other."""

import re

import pytest
from django.urls import reverse

from coaching import reviews
from coaching.models import BusinessPlan, PlanRevision, Review, Verdict
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
    first, created = submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
    again, created_again = submit_plan(plan=plan, by=cast.resident_user, site="http://testserver")
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
    assert "<del>€\u00a05.500,00</del>" in page
    assert "<ins>€\u00a09.500,00</ins>" in page
    assert "<del>€\u00a022.000,00</del>" in page
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


def review_url(review):
    return reverse(
        "coaching:review_detail", kwargs={"pk": review.revision.plan_id, "review": review.pk}
    )


def answered(review, **fields):
    """The review form with every point answered, as the coach's page sends it."""
    data = {"version": version_value(review), "outcome": "revise", **fields}
    for item in review.items.all():
        data[f"verdict_{item.pk}"] = item.verdict or Verdict.FINE
    return data


def version_value(review):
    return str(Review.objects.get(pk=review.pk).version)


def start(client, plan, number):
    client.post(reverse("coaching:review_start", kwargs={"pk": plan.pk, "number": number}))
    return Review.objects.get(revision__plan=plan, revision__number=number)


def test_the_coachs_review_reaches_the_resident_once_concluded(client_for, cast, two_revisions):
    coach = client_for("coach")
    review = start(coach, two_revisions, 2)
    text = "Mooi plan. Kijk nog even naar je <em>marketing</em>."
    coach.post(review_url(review), answered(review, part_marketing=text, save="1"))
    assert not reviews.concluded_reviews(two_revisions).exists()  # a draft is the coach's own
    coach.post(review_url(review), answered(review, part_marketing=text, conclude="1"))
    [concluded] = reviews.concluded_reviews(two_revisions)
    assert concluded.comments.get(section="marketing").text == text
    # Started, concluded, and the stage that followed: each a line in the audit trail.
    assert (
        AuditEntry.objects.filter(resident_id=cast.resident.pk, actor=cast.coach)
        .exclude(action=AuditEntry.Action.VIEWED)
        .count()
        == 3
    )


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


def test_two_coaches_reviewing_one_version_do_not_overwrite_each_other(
    client_for, cast, two_revisions
):
    coach = client_for("coach")
    review = start(coach, two_revisions, 2)
    coach.post(review_url(review), answered(review, part_whole="Van de coach", save="1"))
    coordinator = client_for("coordinator")
    # The coordinator cannot start a second review of the same version ...
    start_url = reverse("coaching:review_start", kwargs={"pk": two_revisions.pk, "number": 2})
    coordinator.post(start_url)
    assert Review.objects.filter(revision__plan=two_revisions).count() == 1
    # ... nor save over the coach's draft: she is told, and the draft stays read-only for her
    # (taking it over is how she continues it).
    response = coordinator.post(
        review_url(review), answered(review, part_whole="Van de coördinator", save="1")
    )
    assert response.status_code == 200
    assert 'name="verdict_' not in response.content.decode()
    assert review.comments.get(section="").text == "Van de coach"


def test_a_draft_saved_from_an_old_page_is_refused_and_the_text_kept(
    client_for, cast, two_revisions
):
    coach = client_for("coach")
    review = start(coach, two_revisions, 2)
    old_page = answered(review, part_whole="Uit het eerste venster", save="1")
    coach.post(review_url(review), answered(review, part_whole="Uit het tweede venster", save="1"))
    response = coach.post(review_url(review), old_page)
    assert response.status_code == 200
    assert "Uit het eerste venster" in response.content.decode()
    assert review.comments.get(section="").text == "Uit het tweede venster"


def test_a_draft_saved_twice_by_one_coach_from_fresh_pages_goes_through(
    client_for, cast, two_revisions
):
    coach = client_for("coach")
    review = start(coach, two_revisions, 2)
    for text in ("Eerste", "Tweede"):
        page = coach.get(review_url(review)).content.decode()
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        coach.post(
            review_url(review), {**answered(review, part_whole=text, save="1"), "version": version}
        )
    assert review.comments.get(section="").text == "Tweede"
