"""The rules of reviewing a handed-in plan (``coaching.reviews``): one coach at a time, never a
superseded version, the queue keeps a version until a review of it is concluded, nothing is
concluded with points left open, four eyes where the desk wants them, the stage follows."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from coaching import reviews
from coaching.models import PlanCheck, PlanSection, Review, Verdict
from coaching.reviews import ItemAnswer, ReviewAnswers, ReviewError
from coaching.services import save_section, submit_plan
from intake.models import DropOutReason, Stage, StageChange
from tests.coaching.examples import BAKERY, SALON
from tests.factories import make_member, make_plan, make_resident, make_review, make_revision

SITE = "http://testserver"


@pytest.fixture
def plan(cast):
    return make_plan(cast.resident, SALON)


@pytest.fixture
def revision(plan):
    return make_revision(plan)


@pytest.fixture
def second_coach(cast):
    return make_member(cast.desk, "coach", full_name="Tweede Coach")


def answers_for(review, outcome=Review.Outcome.REVISE, **fields):
    """Every point answered: the check's verdict where a check decided it, fine elsewhere."""
    items = {ri.pk: ItemAnswer(verdict=ri.verdict or Verdict.FINE) for ri in review.items.all()}
    return ReviewAnswers(
        items=items,
        comments={"": "Goed begin.", "marketing": "Meer bronnen."},
        outcome=outcome,
        **fields,
    )


def conclude(review, by, **kwargs):
    return reviews.save_review(
        review=review,
        answers=answers_for(review, **kwargs),
        version=review.version,
        by=by,
        site=SITE,
        conclude=True,
    )


# --- Starting -------------------------------------------------------------------------------
def test_items_a_check_decides_start_from_the_check(cast):
    plan = make_plan(cast.resident, BAKERY)
    review = reviews.start_review(revision=make_revision(plan), by=cast.coach)
    by_check = {ri.item.check_key: ri for ri in review.items.select_related("item")}
    # The bakery: profit too low in year 1 and the cash below zero in month 2.
    assert by_check[PlanCheck.WITHDRAWALS].check_status == "attention"
    assert by_check[PlanCheck.WITHDRAWALS].verdict == Verdict.INSUFFICIENT
    assert by_check[PlanCheck.LIQUIDITY].verdict == Verdict.INSUFFICIENT
    assert by_check[PlanCheck.BALANCE].check_status == "ok"
    assert by_check[PlanCheck.BALANCE].verdict == Verdict.FINE
    # Points no check decides wait for the coach.
    assert by_check[""].check_status == ""
    assert by_check[""].verdict == ""
    assert review.checklist == reviews.current_checklist(cast.desk)


def test_a_second_coach_cannot_start_while_one_reviews(cast, revision, second_coach):
    first = reviews.start_review(revision=revision, by=cast.coach)
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        reviews.start_review(revision=revision, by=second_coach)
    assert "Cees Coach is already reviewing this version" in refused.value.message
    assert list(revision.reviews.all()) == [first]


def test_the_same_coach_gets_her_own_open_review_back(cast, revision):
    first = reviews.start_review(revision=revision, by=cast.coach)
    again = reviews.start_review(revision=revision, by=cast.coach)
    assert again.pk == first.pk
    assert revision.reviews.count() == 1


def test_two_coaches_starting_at_the_same_moment_one_is_told(
    cast, revision, second_coach, monkeypatch
):
    """The other coach's review lands between the look for an open review and the insert: the
    partial unique index refuses the second, and the coach reads who was first."""
    superseded_check = reviews._refuse_if_superseded

    def meanwhile(revision):
        superseded_check(revision)
        Review.objects.create(revision=revision, coach=second_coach)

    monkeypatch.setattr(reviews, "_refuse_if_superseded", meanwhile)
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        reviews.start_review(revision=revision, by=cast.coach)
    assert "Tweede Coach is already reviewing" in refused.value.message
    assert list(revision.reviews.values_list("coach", flat=True)) == [second_coach.pk]


def test_the_database_refuses_two_open_reviews_of_one_version(cast, revision, second_coach):
    Review.objects.create(revision=revision, coach=cast.coach)
    with pytest.raises(IntegrityError):
        Review.objects.create(revision=revision, coach=second_coach, status="cosign")


def test_a_superseded_version_cannot_be_reviewed(cast, plan):
    old = make_revision(plan)
    review = reviews.start_review(revision=old, by=cast.coach)
    make_revision(plan)  # she hands in again
    with pytest.raises(ReviewError):
        reviews.start_review(revision=old, by=cast.coordinator)
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=review, answers=answers_for(review), version=0, by=cast.coach, site=SITE
        )
    with pytest.raises(ReviewError):
        conclude(review, cast.coach)
    review.refresh_from_db()
    assert (review.status, review.version) == (Review.Status.DRAFT, 0)


# --- The queue ------------------------------------------------------------------------------
def waiting(cast):
    return [(r.plan_id, r.number) for r in reviews.waiting_revisions({cast.desk.pk})]


def test_the_queue_keeps_a_version_while_the_resident_edits_and_drops_it_when_concluded(cast, plan):
    revision, _created = submit_plan(plan=plan, by=cast.resident_user, site=SITE)
    assert waiting(cast) == [(plan.pk, 1)]
    section = PlanSection.objects.get(plan=plan, key="entrepreneur")
    save_section(
        section=section,
        content={**SALON["entrepreneur"], "motivation": "Nog beter"},
        version=section.version,
        by=cast.resident_user,
    )
    assert waiting(cast) == [(plan.pk, 1)]  # still waiting: the plan changed, not the version
    review = reviews.start_review(revision=revision, by=cast.coach)
    assert waiting(cast) == [(plan.pk, 1)]  # a draft does not take it out of the queue
    conclude(review, cast.coach)
    assert waiting(cast) == []


def test_a_newer_hand_in_takes_the_place_of_the_older_in_the_queue(cast, plan):
    submit_plan(plan=plan, by=cast.resident_user, site=SITE)
    section = PlanSection.objects.get(plan=plan, key="entrepreneur")
    save_section(
        section=section,
        content={**SALON["entrepreneur"], "motivation": "Versie twee"},
        version=section.version,
        by=cast.resident_user,
    )
    submit_plan(plan=plan, by=cast.resident_user, site=SITE)
    assert waiting(cast) == [(plan.pk, 2)]


def test_the_queue_is_oldest_first_and_only_the_desks_own(cast, plan):
    older = make_revision(make_plan(make_resident(cast.desk, coach=cast.coach)))
    newer = make_revision(plan)
    make_revision(make_plan(cast.other_resident, SALON), by=cast.other_coach)
    type(older).objects.filter(pk=older.pk).update(
        submitted_at=newer.submitted_at.replace(year=2008)
    )
    assert waiting(cast) == [(older.plan_id, 1), (newer.plan_id, 1)]


def test_the_queue_carries_the_open_review(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    [queued] = reviews.waiting_revisions({cast.desk.pk})
    assert queued.open_reviews == [review]


# --- Concluding -----------------------------------------------------------------------------
def test_concluding_with_points_left_open_is_refused_point_by_point(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    open_items = [ri for ri in review.items.all() if not ri.verdict]
    problems = reviews.conclusion_problems(review, ReviewAnswers(items={}, comments={}))
    assert set(problems) == {f"verdict_{ri.pk}" for ri in review.items.all()} | {"outcome"}
    answers = ReviewAnswers(
        items={ri.pk: ItemAnswer(verdict=ri.verdict) for ri in review.items.all()},
        comments={},
        outcome=Review.Outcome.REVISE,
    )
    problems = reviews.conclusion_problems(review, answers)
    assert set(problems) == {f"verdict_{ri.pk}" for ri in open_items}
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=review, answers=answers, version=0, by=cast.coach, site=SITE, conclude=True
        )
    review.refresh_from_db()
    assert (review.status, review.outcome, review.version) == (Review.Status.DRAFT, "", 0)


def test_overruling_a_check_needs_a_reason(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    checked = next(ri for ri in review.items.all() if ri.check_status)
    answers = answers_for(review)
    answers.items[checked.pk] = ItemAnswer(verdict=Verdict.ATTENTION)
    assert set(reviews.conclusion_problems(review, answers)) == {f"overrule_{checked.pk}"}
    answers.items[checked.pk].overrule_reason = "De cijfers kloppen, maar de offerte ontbreekt."
    assert reviews.conclusion_problems(review, answers) == {}


def test_not_feasible_needs_what_happens_next_and_why(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    answers = answers_for(review, outcome=Review.Outcome.NOT_FEASIBLE)
    assert set(reviews.conclusion_problems(review, answers)) == {"follow_up", "follow_up_note"}


def test_a_concluded_review_keeps_verdicts_and_comments_and_cannot_be_saved_again(cast, revision):
    review = conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach)
    assert review.status == Review.Status.CONCLUDED
    assert review.concluded_at is not None
    assert {c.section: c.text for c in review.comments.all()} == {
        "": "Goed begin.",
        "marketing": "Meer bronnen.",
    }
    assert all(ri.verdict for ri in review.items.all())
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=review,
            answers=answers_for(review),
            version=review.version,
            by=cast.coach,
            site=SITE,
        )


def test_only_the_reviewer_changes_her_draft(cast, revision, second_coach):
    review = reviews.start_review(revision=revision, by=cast.coach)
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=review, answers=answers_for(review), version=0, by=second_coach, site=SITE
        )
    assert Review.objects.get(pk=review.pk).version == 0


def test_a_save_from_a_stale_page_is_refused(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    reviews.save_review(
        review=review, answers=answers_for(review), version=0, by=cast.coach, site=SITE
    )
    stale = answers_for(review)
    stale.comments[""] = "Uit het andere venster"
    with pytest.raises(ReviewError):
        reviews.save_review(review=review, answers=stale, version=0, by=cast.coach, site=SITE)
    assert review.comments.get(section="").text == "Goed begin."


# --- Four eyes ------------------------------------------------------------------------------
def test_ready_for_qredits_waits_for_a_second_coach_who_is_not_the_reviewer(
    cast, revision, second_coach
):
    cast.desk.review_cosign = True
    cast.desk.save()
    review = conclude(
        reviews.start_review(revision=revision, by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    assert review.status == Review.Status.COSIGN
    assert reviews.concluded_reviews(revision.plan).count() == 0  # the resident sees nothing
    with pytest.raises(ReviewError):
        reviews.cosign_review(review=review, by=cast.coach, site=SITE)
    reviews.cosign_review(review=review, by=second_coach, site=SITE)
    review.refresh_from_db()
    assert (review.status, review.cosigned_by) == (Review.Status.CONCLUDED, second_coach)
    assert review.concluded_at is not None
    with pytest.raises(ReviewError):  # co-signed once is enough
        reviews.cosign_review(review=review, by=cast.coordinator, site=SITE)


def test_revise_needs_no_second_coach(cast, revision):
    cast.desk.review_cosign = True
    cast.desk.save()
    review = conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach)
    assert review.status == Review.Status.CONCLUDED


def test_a_review_waiting_for_a_cosignature_goes_back_to_draft(cast, revision):
    cast.desk.review_cosign = True
    cast.desk.save()
    review = conclude(
        reviews.start_review(revision=revision, by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    before = review.version
    reviews.reopen_review(review=review, by=cast.coordinator)
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert review.version == before + 1  # a page of the co-sign state cannot save over it
    with pytest.raises(ReviewError):
        reviews.reopen_review(review=review, by=cast.coordinator)


# --- The stage follows ----------------------------------------------------------------------
@pytest.mark.parametrize("outcome", [Review.Outcome.REVISE, Review.Outcome.READY])
def test_a_review_moves_a_registered_resident_into_the_trajectory(cast, revision, outcome):
    assert cast.resident.stage == Stage.REGISTERED
    conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach, outcome=outcome)
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.IN_TRAJECTORY


def test_not_feasible_with_a_referral_refers_the_resident_out(cast, revision):
    conclude(
        reviews.start_review(revision=revision, by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.NOT_FEASIBLE,
        follow_up=Review.FollowUp.REFERRAL,
        follow_up_note="Naar UWV voor een opleiding.",
    )
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.REFERRED_OUT
    change = StageChange.objects.get(resident=cast.resident)
    assert change.note == "Naar UWV voor een opleiding."


def test_not_feasible_with_a_stop_drops_the_resident_out_as_not_feasible(cast, revision):
    conclude(
        reviews.start_review(revision=revision, by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.NOT_FEASIBLE,
        follow_up=Review.FollowUp.STOP,
        follow_up_note="De markt is er niet.",
    )
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.DROPPED_OUT
    change = StageChange.objects.get(resident=cast.resident)
    assert change.reason == DropOutReason.NOT_FEASIBLE


def test_a_resident_in_the_trajectory_stays_there_after_revise(cast, revision):
    cast.resident.stage = Stage.IN_TRAJECTORY
    cast.resident.save()
    conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach)
    assert not StageChange.objects.filter(resident=cast.resident).exists()


# --- Reading --------------------------------------------------------------------------------
def test_the_previous_concluded_review_is_of_an_earlier_version(cast, plan):
    first = conclude(make_review(make_revision(plan), coach=cast.coach), cast.coach)
    second = make_review(make_revision(plan), coach=cast.coach)
    assert reviews.previous_concluded_review(second) == first
    assert reviews.previous_concluded_review(first) is None
