"""What the resident sees of reviews: the latest concluded outcome on her plan and her home
page, the coach's comments beside each part, all reviews on a page of their own; never a draft
or a review that waits for a second coach."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import BusinessPlan, Review
from coaching.reviews import (
    ItemAnswer,
    ReviewAnswers,
    save_review,
    start_review,
    suggested_verdict,
)
from coaching.services import submit_plan
from tests.coaching.examples import SALON
from tests.factories import make_plan

SITE = "http://testserver"


def answers_for(review, outcome="revise", comments=None, item_comment=""):
    """A full set of verdicts: the check's where a check decides, *fine* elsewhere."""
    return ReviewAnswers(
        items={
            item.pk: ItemAnswer(
                verdict=suggested_verdict(item.check_status) if item.check_status else "fine",
                comment=item_comment,
            )
            for item in review.items.all()
        },
        comments=comments or {},
        outcome=outcome,
        follow_up="stop" if outcome == "not_feasible" else "",
        follow_up_note="Je stopt; we praten nog één keer." if outcome == "not_feasible" else "",
    )


def hand_in(cast, plan):
    """Hand in the plan as it is now; a plan handed in before is changed back to a draft."""
    BusinessPlan.objects.filter(pk=plan.pk).update(status=BusinessPlan.Status.DRAFT)
    revision, _created = submit_plan(plan=plan, by=cast.resident_user, site=SITE)
    return revision


def review_of(cast, revision, *, conclude=True, by=None, **answers):
    by = by or cast.coach
    review = start_review(revision=revision, by=by)
    return save_review(
        review=review,
        answers=answers_for(review, **answers),
        version=review.version,
        by=by,
        site=SITE,
        conclude=conclude,
    )


def concluded(cast, plan=None, **answers):
    plan = plan or make_plan(cast.resident, SALON)
    return review_of(cast, hand_in(cast, plan), **answers)


def test_the_plan_page_shows_the_outcome_and_the_comments_beside_the_parts(client_for, cast):
    review = concluded(
        cast,
        comments={
            "": "Mooi plan, maar reken je eigen geld nog eens na.",
            "financing": "Je eigen inbreng is te laag: minstens 30%.",
        },
    )
    response = client_for("resident").get(reverse("coaching:plan_home"))
    page = response.content.decode()
    assert response.context["review"] == review
    assert 'data-outcome="revise"' in page
    assert "Mooi plan, maar reken je eigen geld nog eens na." in page
    # The part's comment sits under the part's link in the list of parts.
    financing_link = reverse("coaching:section_edit", kwargs={"section": "financiering"})
    assert page.index(financing_link) < page.index("Je eigen inbreng is te laag: minstens 30%.")
    assert page.index('data-review-comment="financing"') < page.index(
        reverse("coaching:section_edit", kwargs={"section": "exploitatie"})
    )
    assert reverse("coaching:own_reviews") in page


def test_the_newest_concluded_review_is_the_one_shown(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    concluded(cast, plan, comments={"": "Eerste keer: aanpassen."})
    newest = concluded(cast, plan, outcome="ready", comments={"": "Nu is het klaar."})
    page = client_for("resident").get(reverse("coaching:plan_home")).content.decode()
    assert 'data-outcome="ready"' in page
    assert "Nu is het klaar." in page
    assert "Eerste keer: aanpassen." not in page
    assert newest.revision.number == 2


def test_a_kind_word_and_the_follow_up_when_the_plan_is_not_feasible(client_for, cast):
    concluded(cast, outcome="not_feasible")
    page = client_for("resident").get(reverse("coaching:plan_home")).content.decode()
    assert 'data-outcome="not_feasible"' in page
    assert "Je stopt; we praten nog één keer." in page


def test_a_resident_never_sees_a_draft_review(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    review_of(
        cast,
        hand_in(cast, plan),
        conclude=False,
        comments={"": "GEHEIM-CONCEPT", "financing": "GEHEIM-DEEL"},
        item_comment="GEHEIM-PUNT",
    )
    client = client_for("resident")
    for url in (
        reverse("coaching:plan_home"),
        reverse("coaching:own_reviews"),
        reverse("coaching:section_edit", kwargs={"section": "financiering"}),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "GEHEIM" not in response.content.decode(), url
        assert response.context.get("review") is None


def test_a_resident_never_sees_a_review_waiting_for_a_second_coach(client_for, cast):
    cast.desk.review_cosign = True
    cast.desk.save(update_fields=["review_cosign"])
    review = concluded(cast, outcome="ready", comments={"": "GEHEIM-TWEEDE-COACH"})
    assert review.status == Review.Status.COSIGN
    client = client_for("resident")
    for url in (reverse("coaching:plan_home"), reverse("coaching:own_reviews"), reverse("home")):
        page = client.get(url).content.decode()
        assert "GEHEIM" not in page
        assert "data-outcome" not in page


def test_a_part_shows_what_the_coach_wrote_about_it(client_for, cast):
    concluded(cast, comments={"financing": "Reken de rente nog eens na."})
    client = client_for("resident")
    response = client.get(reverse("coaching:section_edit", kwargs={"section": "financiering"}))
    page = response.content.decode()
    assert 'id="review-comment"' in page
    assert "Reken de rente nog eens na." in page
    assert page.index("Reken de rente nog eens na.") < page.index('id="plan-section"')
    other = client.get(reverse("coaching:section_edit", kwargs={"section": "ondernemer"}))
    assert 'id="review-comment"' not in other.content.decode()


def test_the_reviews_page_lists_every_concluded_review_newest_first(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    first = concluded(cast, plan, comments={"": "Versie één: aanpassen."}, item_comment="Punt!")
    second = concluded(
        cast, plan, outcome="ready", comments={"": "Versie twee: klaar.", "marketing": "Goed."}
    )
    response = client_for("resident").get(reverse("coaching:own_reviews"))
    page = response.content.decode()
    assert response.context["reviews"] == [second, first]
    assert page.index("Versie twee: klaar.") < page.index("Versie één: aanpassen.")
    assert page.index(f'data-review="{second.pk}"') < page.index(f'data-review="{first.pk}"')
    # A verdict and its comment for every point of the checklist.
    assert page.count("data-item=") == 2 * first.items.count()
    assert "Punt!" in page
    assert 'data-review-comment="marketing"' in page
    assert cast.coach.get_full_name() in page


def test_the_reviews_page_hides_why_a_check_was_overruled(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    review = start_review(revision=hand_in(cast, plan), by=cast.coach)
    answers = answers_for(review)
    checked = next(item for item in review.items.all() if item.check_status)
    answers.items[checked.pk] = ItemAnswer(
        verdict="attention", overrule_reason="INTERN: ik twijfel aan haar cijfers"
    )
    save_review(
        review=review,
        answers=answers,
        version=review.version,
        by=cast.coach,
        site=SITE,
        conclude=True,
    )
    page = client_for("resident").get(reverse("coaching:own_reviews")).content.decode()
    assert "INTERN" not in page


def test_the_reviews_page_says_when_there_is_none_yet(client_for, cast):
    response = client_for("resident").get(reverse("coaching:own_reviews"))
    assert response.status_code == 200
    assert 'id="no-reviews"' in response.content.decode()
    # A page to read: it does not start a plan.
    assert not BusinessPlan.objects.filter(resident=cast.resident).exists()


def test_the_reviews_page_is_only_for_residents(client_for, cast):
    assert client_for("coach").get(reverse("coaching:own_reviews")).status_code == 403


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("coaching:own_reviews")).status_code == 200
    return len(queries)


def test_the_reviews_page_runs_a_fixed_number_of_queries(
    client_for, cast, django_assert_max_num_queries
):
    plan = make_plan(cast.resident, SALON)
    concluded(cast, plan, comments={"": "Eén", "financing": "Deel"})
    client = client_for("resident")
    with_one = count_queries(client)
    for n in range(9):
        concluded(cast, plan, comments={"": f"Nummer {n}", "marketing": "Deel"})
    assert Review.objects.filter(status="concluded").count() == 10
    assert count_queries(client) == with_one
    with django_assert_max_num_queries(with_one):
        client.get(reverse("coaching:own_reviews"))


def test_the_home_page_shows_the_latest_outcome_and_how_to_reach_the_coach(client_for, cast):
    cast.coach.phone = "050 123 45 67"
    cast.coach.save(update_fields=["phone"])
    concluded(cast)
    page = client_for("resident").get(reverse("home")).content.decode()
    assert 'data-outcome="revise"' in page
    assert reverse("coaching:own_reviews") in page
    assert cast.coach.get_full_name() in page
    assert f'href="mailto:{cast.coach.email}"' in page
    assert 'href="tel:0501234567"' in page


def test_the_home_page_leaves_out_a_phone_the_coach_has_not_given(client_for, cast):
    page = client_for("resident").get(reverse("home")).content.decode()
    assert f'href="mailto:{cast.coach.email}"' in page
    assert "tel:" not in page
    assert "data-outcome" not in page


def test_without_a_coach_the_home_page_says_the_desk_will_be_in_touch(client_for, cast):
    cast.resident.coach = None
    cast.resident.save(update_fields=["coach"])
    client = client_for("resident")
    # English through the language switch's cookie (the page ignores Accept-Language): the
    # sentence does not depend on the Dutch catalogue being compiled.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "mailto:" not in page
    assert f"Someone from {cast.desk.name} will contact you soon." in page


def test_submitted_is_said_only_while_a_version_waits_for_the_coach(client_for, cast):
    plan = make_plan(cast.resident, SALON)
    revision = hand_in(cast, plan)
    client = client_for("resident")
    waiting_home = client.get(reverse("home")).content.decode()
    waiting_plan = client.get(reverse("coaching:plan_home"))
    assert "Je hebt je plan ingediend bij je coach." in waiting_home
    assert waiting_plan.context["waiting"] == revision

    review_of(cast, revision, outcome="not_feasible")
    home = client.get(reverse("home")).content.decode()
    plan_page = client.get(reverse("coaching:plan_home"))
    # The review has answered it: no "submitted, you can still change it" beside the outcome.
    assert "Je hebt je plan ingediend bij je coach." not in home
    assert plan_page.context["waiting"] is None
    assert 'data-outcome="not_feasible"' in plan_page.content.decode()


def test_feedback_from_before_reviews_has_no_outcome_anywhere(client_for, cast):
    """The migrated feedback (no verdict then): only the comment, never an invented outcome."""
    from django.utils import timezone, translation

    from coaching.models import ReviewComment
    from coaching.selectors import plan_timeline

    revision = hand_in(cast, make_plan(cast.resident, SALON))
    review = Review.objects.create(
        revision=revision, coach=cast.coach, status="concluded", concluded_at=timezone.now()
    )
    ReviewComment.objects.create(review=review, text="Goed begin, kijk nog naar je prijzen.")
    page = client_for("resident").get(reverse("coaching:plan_home")).content.decode()
    assert "Goed begin, kijk nog naar je prijzen." in page
    assert "data-outcome=" not in page
    with translation.override("en"):
        titles = [event.title for event in plan_timeline(cast.resident)]
    assert "Feedback on version 1" in titles
