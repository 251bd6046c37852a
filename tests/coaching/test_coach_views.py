"""What coaches see of a plan: the plan with its checks, the print view, the versions and the
desk's list of plans; each look is in the audit trail, and list pages run fixed queries."""

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import PlanInvitation, PlanRevision, Review
from ondernemerspunt.models import AuditEntry
from tests.coaching.examples import BAKERY, SALON
from tests.factories import make_plan, make_resident, make_review, make_user


def revisions(plan, count):
    for number in range(1, count + 1):
        PlanRevision.objects.create(
            plan=plan,
            number=number,
            submitted_by=plan.resident.user or plan.resident.coach,
            snapshot={
                "sections": SALON,
                "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000"},
            },
        )


def test_the_coach_reads_the_plan_with_its_checks_and_it_is_logged(client_for, cast):
    plan = make_plan(cast.resident, BAKERY)
    page = client_for("coach").get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    page = page.content.decode()
    assert "Ondernemingsplan van Rana Bewoner" in page
    assert "Controle van de cijfers" in page
    assert "Onder nul vanaf maand" in page
    assert "€\u00a012.340,00" in page  # total investment
    assert "Afdrukweergave" in page
    entry = AuditEntry.objects.get(resident_id=cast.resident.pk)
    assert (entry.actor, entry.action, entry.what) == (
        cast.coach,
        "viewed",
        "Ondernemingsplan bekeken",
    )


def test_the_print_view_is_an_export_in_the_audit_trail(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    revisions(plan, 1)
    client = client_for("coordinator")
    url = reverse("coaching:plan_print", kwargs={"pk": plan.pk})
    page = client.get(url).content.decode()
    assert "css/plan.css" in page  # where the A4 print rules live
    assert "data-print" in page
    assert "Kapsalon Fatma" in page
    version = client.get(url, {"versie": 1}).content.decode()
    assert "Versie 1, ingediend op" in version
    assert "Kapsalon Fatma" in version  # the snapshot of version 1
    assert client.get(url, {"versie": 7}).status_code == 404
    assert (
        AuditEntry.objects.filter(
            resident_id=cast.resident.pk, action="exported", what__contains="afgedrukt"
        ).count()
        == 2
    )


def test_the_revision_list_runs_the_same_queries_for_one_or_many(
    client_for, cast, django_assert_max_num_queries
):
    plan = make_plan(cast.resident)
    client = client_for("coach")
    url = reverse("coaching:revision_list", kwargs={"pk": plan.pk})
    revisions(plan, 1)
    with django_assert_max_num_queries(8) as one:
        page = client.get(url).content.decode()
    assert "Versie 1" in page
    assert "Versie 2" not in page
    PlanRevision.objects.filter(plan=plan).delete()
    revisions(plan, 12)
    # Each version with a concluded review, the newest being reviewed: all shown in the list.
    for revision in plan.revisions.exclude(number=12):
        Review.objects.create(revision=revision, coach=cast.coach, status="concluded")
    make_review(plan.revisions.get(number=12), coach=cast.coach)
    with django_assert_max_num_queries(8) as many:
        page = client.get(url).content.decode()
    assert "Versie 12" in page
    assert page.count("/beoordelingen/") == 12  # a link to each version's review
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_list_of_plans_runs_the_same_queries_for_one_or_many(
    client_for, cast, django_assert_max_num_queries
):
    make_plan(cast.resident, SALON)
    client = client_for("coach")
    url = reverse("coaching:plan_list")
    with django_assert_max_num_queries(8) as one:
        assert "Rana Bewoner" in client.get(url).content.decode()
    for n in range(10):
        resident = make_resident(cast.desk, coach=cast.coach, first_name=f"Bewoner{n}")
        plan = make_plan(resident, BAKERY)
        revisions(plan, 2)
    with django_assert_max_num_queries(8) as many:
        page = client.get(url).content.decode()
    assert "Bewoner9" in page
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_list_of_plans_shows_only_the_desks_own(client_for, cast):
    make_plan(cast.resident, SALON)
    make_plan(cast.other_resident, BAKERY)
    page = client_for("coach").get(reverse("coaching:plan_list")).content.decode()
    assert "Rana Bewoner" in page
    assert "Otto Elders" not in page
    # five checks fine for the salon
    assert "5 in orde, 0 aandachtspunt(en)" in page
    page = client_for("coach").get(reverse("coaching:plan_list"), {"status": "waiting"})
    assert "Rana Bewoner" not in page.content.decode()


def test_another_residents_plan_answers_404(client, cast):
    """Residents have no plan number in their URLs; a coach's URL with one is 404 for them."""
    neighbour_user = make_user("Buur Bewoner")
    neighbour = make_resident(cast.desk, user=neighbour_user, consent_by=cast.coach)
    neighbours_plan = make_plan(neighbour, {"entrepreneur": {"motivation": "Geheim plan"}})
    client.force_login(cast.resident_user, backend="django.contrib.auth.backends.ModelBackend")
    for name in ("plan_detail", "plan_print", "revision_list", "revision_compare"):
        url = reverse(f"coaching:{name}", kwargs={"pk": neighbours_plan.pk})
        assert client.get(url).status_code == 404, name
    own = client.get(reverse("coaching:section_edit", kwargs={"section": "ondernemer"}))
    assert "Geheim plan" not in own.content.decode()


def test_a_coach_of_another_desk_gets_404_for_every_plan_page(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    revisions(plan, 1)
    client = client_for("other_coach")
    for name, kwargs in [
        ("plan_detail", {"pk": plan.pk}),
        ("plan_print", {"pk": plan.pk}),
        ("revision_list", {"pk": plan.pk}),
        ("revision_detail", {"pk": plan.pk, "number": 1}),
        ("revision_compare", {"pk": plan.pk}),
    ]:
        assert client.get(reverse(f"coaching:{name}", kwargs=kwargs)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_the_resident_page_shows_the_plan_panel_with_the_invite_button(client_for, cast):
    newcomer = make_resident(
        cast.desk, consent_by=cast.coach, coach=cast.coach, email="nieuw@example.test"
    )
    plan = make_plan(newcomer, BAKERY)
    page = client_for("coach").get(reverse("intake:resident_detail", kwargs={"pk": newcomer.pk}))
    page = page.content.decode()
    assert reverse("coaching:plan_detail", kwargs={"pk": plan.pk}) in page
    assert reverse("coaching:resident_invite", kwargs={"pk": newcomer.pk}) in page
    assert "Controles: 3 in orde, 2 aandachtspunt(en)" in page


def test_the_residents_home_page_shows_the_plan_with_its_progress(client_for, cast):
    page = client_for("resident").get(reverse("home")).content.decode()
    assert "Begin aan mijn plan" in page
    make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    page = client_for("resident").get(reverse("home")).content.decode()
    assert "Verder met mijn plan" in page
    assert "<progress" in page
    assert reverse("coaching:plan_home") in page


def test_the_coach_reads_the_plan_is_complete_the_resident_reads_your_plan(client_for, cast):
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    coach_page = client_for("coach").get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    assert "Het plan is voor 1% ingevuld" in coach_page.content.decode()
    own_page = client_for("resident").get(reverse("coaching:plan_home"))
    assert "Je plan is voor 1% ingevuld" in own_page.content.decode()


def test_a_check_without_figures_says_which_budget_it_needs_instead_of_zeros(client_for, cast):
    # Only the investment and financing budgets: profit and cash cannot be checked yet.
    plan = make_plan(
        cast.resident, {"investment": BAKERY["investment"], "financing": BAKERY["financing"]}
    )
    page = client_for("coach").get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    page = page.content.decode()
    assert "Hiervoor zijn de exploitatiebegroting en de privébegroting nodig." in page
    assert "Hiervoor is de liquiditeitsbegroting nodig." in page
    # The figures of the empty budgets are there for the live view, but hidden.
    withdrawals = page.split('data-check="withdrawals"')[1].split("</li>")[0]
    assert "data-check-figures hidden" in withdrawals
    assert "data-check-needs hidden" not in withdrawals
    balance = page.split('data-check="balance"')[1].split("</li>")[0]
    assert "data-check-needs hidden" in balance
    assert "data-check-figures hidden" not in balance


def test_a_conclusion_is_not_half_saved_when_the_audit_entry_fails(cast, monkeypatch):
    from coaching import reviews

    plan = make_plan(cast.resident, SALON)
    revisions(plan, 1)
    review = make_review(plan.revisions.get(), coach=cast.coach)
    answers = reviews.ReviewAnswers(
        items={
            ri.pk: reviews.ItemAnswer(verdict=ri.verdict or "fine") for ri in review.items.all()
        },
        comments={"": "Goed begin"},
        outcome=Review.Outcome.REVISE,
    )

    def broken(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(reviews, "record_audit", broken)
    with pytest.raises(RuntimeError):
        reviews.save_review(
            review=review, answers=answers, version=0, by=cast.coach, site="x", conclude=True
        )
    review = Review.objects.get(pk=review.pk)
    assert (review.status, review.version, review.concluded_at) == ("draft", 0, None)
    assert not review.comments.exists()
    assert not review.items.exclude(verdict="").exclude(check_status__gt="").exists()
    cast.resident.refresh_from_db()
    assert cast.resident.stage == "registered"


def test_a_resident_with_a_password_is_not_offered_an_invitation_link(client_for, cast):
    """The link would only tell her she has an account; she resets a forgotten password."""
    url = reverse("intake:resident_detail", kwargs={"pk": cast.resident.pk})
    page = client_for("coach").get(url).content.decode()
    assert "data-has-password" in page
    assert reverse("coaching:resident_invite", kwargs={"pk": cast.resident.pk}) not in page
    # Address and consent are in order: only the password stands in the way.
    cast.resident.email = cast.resident_user.email
    cast.resident.save(update_fields=["email"])
    with pytest.raises(services.PlanError):
        services.invite_resident(resident=cast.resident, by=cast.coach, link_for=str)
    assert not PlanInvitation.objects.exists()
