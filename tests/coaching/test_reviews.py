"""The rules of reviewing a handed-in plan (``coaching.reviews``): one coach at a time, never a
superseded version, the queue keeps a version until a review of it is concluded, nothing is
concluded with points left open, four eyes where the desk wants them, the stage follows."""

import pytest
from django.db import IntegrityError
from django.utils import timezone, translation

from coaching import reviews
from coaching.models import PlanCheck, PlanSection, Review, Topic, Verdict
from coaching.reviews import ItemAnswer, ItemDraft, ReviewAnswers, ReviewError
from coaching.services import save_section, submit_plan
from intake.models import DropOutReason, Stage, StageChange
from ondernemerspunt.models import AuditEntry
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


def test_reviewing_the_newest_version_carries_an_unfinished_review_forward(
    cast, plan, second_coach
):
    """A draft on a version that has since been replaced can never be concluded: its verdicts
    and comments move into the review of the newest version, point by point (by the item's
    key), and the stale draft goes, with a line in the audit trail."""
    old = reviews.start_review(revision=make_revision(plan), by=cast.coach)
    by_key = {ri.item.key: ri for ri in old.items.select_related("item")}
    plain, dropped = [ri for ri in by_key.values() if not ri.check_status][:2]
    checked_with_reason, checked_without = [ri for ri in by_key.values() if ri.check_status][:2]
    answers = ReviewAnswers(items={}, comments={"marketing": "Meer bronnen.", "": "Goed begin."})
    answers.items[plain.pk] = ItemAnswer(verdict=Verdict.ATTENTION, comment="Noem je diploma.")
    answers.items[checked_with_reason.pk] = ItemAnswer(
        verdict=Verdict.NOT_APPLICABLE, comment="Geen lening.", overrule_reason="Eigen geld."
    )
    answers.items[checked_without.pk] = ItemAnswer(verdict=Verdict.ATTENTION, comment="Kijk hier.")
    answers.items[dropped.pk] = ItemAnswer(verdict=Verdict.INSUFFICIENT, comment="Weg.")
    reviews.save_review(review=old, answers=answers, version=0, by=cast.coach, site=SITE)
    # The coordinator takes a point off the checklist and adds a new one.
    checklist = reviews.current_checklist(cast.desk)
    reviews.save_checklist(
        desk=cast.desk,
        items=[
            ItemDraft(topic=i.topic, text=i.text, check_key=i.check_key, key=i.key)
            for i in checklist.items.all()
            if i.key != dropped.item.key
        ]
        + [ItemDraft(topic=Topic.IDEA, text="Nieuw punt")],
        based_on=checklist.version,
        by=cast.coordinator,
    )
    newest = make_revision(plan)

    with translation.override("en"):
        review = reviews.start_review(revision=newest, by=second_coach)

    assert review.carried_from.pk == old.pk
    assert not Review.objects.filter(pk=old.pk).exists()
    now = {ri.item.key: ri for ri in review.items.select_related("item")}
    assert dropped.item.key not in now
    assert (now[plain.item.key].verdict, now[plain.item.key].comment) == (
        Verdict.ATTENTION,
        "Noem je diploma.",
    )
    # Overruled with a reason: the coach's verdict and reason come along.
    carried = now[checked_with_reason.item.key]
    assert (carried.verdict, carried.comment, carried.overrule_reason) == (
        Verdict.NOT_APPLICABLE,
        "Geen lening.",
        "Eigen geld.",
    )
    # Without a reason, the new version's check decides; the comment comes along.
    fresh = now[checked_without.item.key]
    assert fresh.verdict == reviews.suggested_verdict(fresh.check_status)
    assert (fresh.comment, fresh.overrule_reason) == ("Kijk hier.", "")
    new_point = next(ri for ri in now.values() if ri.item.text == "Nieuw punt")
    assert (new_point.verdict, new_point.comment) == ("", "")
    assert {c.section: c.text for c in review.comments.all()} == {
        "marketing": "Meer bronnen.",
        "": "Goed begin.",
    }
    line = AuditEntry.objects.get(resident_id=cast.resident.pk, what__contains="meegenomen")
    assert "versie 1 (door Cees Coach)" in line.what
    assert line.actor == second_coach


def test_a_stale_review_waiting_for_a_cosignature_is_carried_forward_too(cast, plan):
    cast.desk.review_cosign = True
    cast.desk.save()
    old = conclude(
        reviews.start_review(revision=make_revision(plan), by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    assert old.status == Review.Status.COSIGN
    review = reviews.start_review(revision=make_revision(plan), by=cast.coach)
    assert review.carried_from.pk == old.pk
    assert list(Review.objects.values_list("pk", "status")) == [(review.pk, "draft")]
    assert review.outcome == ""  # the outcome is the coach's to choose again


def test_starting_without_an_unfinished_review_carries_nothing(cast, plan):
    first = conclude(reviews.start_review(revision=make_revision(plan), by=cast.coach), cast.coach)
    review = reviews.start_review(revision=make_revision(plan), by=cast.coach)
    assert review.carried_from is None
    assert Review.objects.filter(pk=first.pk, status=Review.Status.CONCLUDED).exists()
    assert not review.comments.exists()


def test_another_coach_takes_over_a_draft(cast, revision, second_coach):
    review = reviews.start_review(revision=revision, by=cast.coach)
    taken = reviews.take_over_review(review=review, by=second_coach)
    assert taken.coach == second_coach
    assert taken.previous_coach == cast.coach
    assert taken.version == 1  # a page of the previous coach cannot save over it
    assert AuditEntry.objects.filter(actor=second_coach, what__contains="Cees Coach").exists()
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=taken, answers=answers_for(taken), version=1, by=cast.coach, site=SITE
        )
    reviews.save_review(
        review=taken, answers=answers_for(taken), version=1, by=second_coach, site=SITE
    )
    with pytest.raises(ReviewError):  # hers already
        reviews.take_over_review(review=taken, by=second_coach)
    # The coordinator of the desk may take it over in turn.
    assert reviews.take_over_review(review=taken, by=cast.coordinator).coach == cast.coordinator


def test_only_a_draft_of_a_current_version_can_be_taken_over(cast, plan, second_coach):
    cast.desk.review_cosign = True
    cast.desk.save()
    waiting = conclude(
        reviews.start_review(revision=make_revision(plan), by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    with pytest.raises(ReviewError):
        reviews.take_over_review(review=waiting, by=second_coach)
    reviews.reopen_review(review=waiting, by=cast.coach)
    waiting.refresh_from_db()
    make_revision(plan)
    with pytest.raises(ReviewError):
        reviews.take_over_review(review=waiting, by=second_coach)
    assert Review.objects.get(pk=waiting.pk).coach == cast.coach


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


def test_ready_for_qredits_is_refused_while_a_point_is_insufficient(cast, revision):
    review = reviews.start_review(revision=revision, by=cast.coach)
    plain = next(ri for ri in review.items.all() if not ri.check_status)
    answers = answers_for(review, outcome=Review.Outcome.READY)
    assert reviews.conclusion_problems(review, answers) == {}
    answers.items[plain.pk] = ItemAnswer(verdict=Verdict.INSUFFICIENT)
    with translation.override("en"):
        problems = reviews.conclusion_problems(review, answers)
    assert set(problems) == {"outcome"}
    assert "not ready for Qredits" in problems["outcome"]
    with pytest.raises(ReviewError):
        reviews.save_review(
            review=review, answers=answers, version=0, by=cast.coach, site=SITE, conclude=True
        )
    assert Review.objects.get(pk=review.pk).status == Review.Status.DRAFT
    answers.outcome = Review.Outcome.REVISE  # with a point insufficient, the plan is revised
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
    with pytest.raises(ReviewError) as refused:
        reviews.save_review(review=review, answers=stale, version=0, by=cast.coach, site=SITE)
    assert refused.value.field == "version"  # the page can offer to save over it
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


def test_a_superseded_version_cannot_be_co_signed(cast, plan, second_coach):
    cast.desk.review_cosign = True
    cast.desk.save()
    review = conclude(
        reviews.start_review(revision=make_revision(plan), by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    make_revision(plan)  # she hands in again
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        reviews.cosign_review(review=review, by=second_coach, site=SITE)
    assert "newer version" in refused.value.message
    review.refresh_from_db()
    assert (review.status, review.cosigned_by, review.concluded_at) == (
        Review.Status.COSIGN,
        None,
        None,
    )


def test_a_save_while_waiting_for_a_cosignature_says_so(cast, revision):
    cast.desk.review_cosign = True
    cast.desk.save()
    review = conclude(
        reviews.start_review(revision=revision, by=cast.coach),
        cast.coach,
        outcome=Review.Outcome.READY,
    )
    with translation.override("en"), pytest.raises(ReviewError) as refused:
        reviews.save_review(
            review=review,
            answers=answers_for(review),
            version=review.version,
            by=cast.coach,
            site=SITE,
        )
    assert "waits for a second coach" in refused.value.message
    assert "Take it back to draft" in refused.value.message


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


@pytest.mark.parametrize(
    ("current", "outcome", "expected"),
    [
        (Stage.REGISTERED, Review.Outcome.REVISE, Stage.IN_TRAJECTORY),
        (Stage.INTAKE, Review.Outcome.READY, Stage.IN_TRAJECTORY),
        (Stage.DROPPED_OUT, Review.Outcome.REVISE, Stage.IN_TRAJECTORY),
        (Stage.REFERRED_OUT, Review.Outcome.READY, Stage.IN_TRAJECTORY),
        (Stage.IN_TRAJECTORY, Review.Outcome.READY, None),
        (Stage.SUBMITTED, Review.Outcome.REVISE, None),
        (Stage.IN_TRAJECTORY, Review.Outcome.NOT_FEASIBLE, Stage.DROPPED_OUT),
    ],
)
def test_the_stage_after_a_review(current, outcome, expected):
    review = Review(outcome=outcome, follow_up=Review.FollowUp.STOP)
    assert reviews.stage_after(review, current) == expected


def test_a_resident_who_had_dropped_out_comes_back_into_the_trajectory(cast, revision):
    cast.resident.stage = Stage.DROPPED_OUT
    cast.resident.save()
    review = conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach)
    assert review.stage_problem == ""
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.IN_TRAJECTORY


def test_a_stage_that_cannot_follow_is_reported_and_the_review_stands(cast, revision):
    """Without consent the resident cannot move on: the review is concluded all the same, and
    the coach is told why the stage stayed."""
    cast.resident.consents.update(withdrawn_at=timezone.now())
    with translation.override("en"):
        review = conclude(reviews.start_review(revision=revision, by=cast.coach), cast.coach)
    assert review.status == Review.Status.CONCLUDED
    assert "consent" in review.stage_problem
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.REGISTERED
    assert not StageChange.objects.filter(resident=cast.resident).exists()


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
