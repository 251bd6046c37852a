"""The coach's review pages: the queue, starting a review, the review form (save, conclude,
refusals with the message beside the field and nothing lost), read-only views, co-signing; every
look at a review is in the audit trail, and the queue and the review page run fixed queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import reviews
from coaching.models import Review, ReviewComment, Verdict
from coaching.reviews import ItemDraft
from intake.models import Stage
from ondernemerspunt.models import AuditEntry
from tests.coaching.examples import BAKERY, SALON
from tests.factories import make_member, make_plan, make_resident, make_review, make_revision


@pytest.fixture
def revision(cast):
    return make_revision(make_plan(cast.resident, SALON))


@pytest.fixture
def review(cast, revision):
    return make_review(revision, coach=cast.coach)


def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail_url(review):
    return reverse(
        "coaching:review_detail", kwargs={"pk": review.revision.plan_id, "review": review.pk}
    )


def start_url(revision):
    return reverse(
        "coaching:review_start", kwargs={"pk": revision.plan_id, "number": revision.number}
    )


def review_action_url(name, review):
    return reverse(f"coaching:{name}", kwargs={"pk": review.revision.plan_id, "review": review.pk})


def waiting_for_cosign(client, review):
    """The review concluded as 'ready for Qredits' at a desk with four eyes."""
    desk = review.revision.plan.resident.desk
    desk.review_cosign = True
    desk.save()
    client.post(detail_url(review), filled(review, outcome="ready", conclude="1"))
    review.refresh_from_db()
    assert review.status == Review.Status.COSIGN
    return review


def filled(review, outcome="revise", **extra):
    """The form as a coach sends it with every point answered."""
    data = {"version": str(review.version), "outcome": outcome, "part_whole": "Goed begin."}
    for ri in review.items.all():
        data[f"verdict_{ri.pk}"] = ri.verdict or Verdict.FINE
        data[f"comment_{ri.pk}"] = ""
    data.update(extra)
    return data


# --- The queue ------------------------------------------------------------------------------
def test_the_queue_lists_waiting_versions_with_a_link_to_review(client_for, cast, revision):
    make_revision(make_plan(cast.other_resident, SALON), by=cast.other_coach)
    page = client_for("coach").get(reverse("coaching:review_queue")).content.decode()
    assert "Rana Bewoner" in page
    assert "Otto Elders" not in page
    assert start_url(revision) in page
    assert "Cees Coach" in page  # her coach


def test_the_queue_says_when_nothing_waits(client_for, cast):
    page = client_for("coordinator").get(reverse("coaching:review_queue")).content.decode()
    assert 'id="queue-empty"' in page


def test_the_queue_shows_who_reviews_and_mine_only_leaves_others_out(client_for, cast, review):
    other_coach = make_member(cast.desk, "coach", full_name="Tweede Coach")
    someone_else = make_resident(cast.desk, coach=other_coach, first_name="Sanne")
    make_revision(make_plan(someone_else, SALON), by=other_coach)
    client = client_for("coach")
    page = client.get(reverse("coaching:review_queue")).content.decode()
    assert "Sanne" in page and "Rana Bewoner" in page
    rana_row = page.split(f'data-revision="{review.revision_id}"')[1].split("</tr>")[0]
    assert "Cees Coach" in rana_row.split("<td>")[6]  # who reviews it now
    page = client.get(reverse("coaching:review_queue"), {"mijn": "on"}).content.decode()
    assert "Rana Bewoner" in page
    assert "Sanne" not in page


def test_the_queue_runs_the_same_queries_for_one_or_thirty(
    client_for, cast, django_assert_max_num_queries
):
    plan = make_plan(cast.resident, SALON)
    make_review(make_revision(plan), coach=cast.coach)
    client = client_for("coordinator")
    url = reverse("coaching:review_queue")
    with django_assert_max_num_queries(10) as one:
        assert client.get(url).status_code == 200
    for n in range(29):
        resident = make_resident(cast.desk, coach=cast.coach, first_name=f"Wachtend{n}")
        revision = make_revision(make_plan(resident, BAKERY))
        if n % 3 == 0:
            make_review(revision, coach=cast.coordinator)
    with django_assert_max_num_queries(10) as many:
        page = client.get(url).content.decode()
    assert page.count("data-revision=") == 25
    assert "pagina=2" in page
    assert len(many.captured_queries) == len(one.captured_queries)


def test_looking_at_the_queue_is_not_a_read_of_one_file(client_for, cast, revision):
    client_for("coach").get(reverse("coaching:review_queue"))
    assert not AuditEntry.objects.exists()


# --- Starting -------------------------------------------------------------------------------
def test_a_coach_starts_the_review_and_lands_on_it(client_for, cast, revision):
    client = client_for("coach")
    page = client.get(start_url(revision)).content.decode()
    assert 'id="review-start"' in page
    response = client.post(start_url(revision))
    review = Review.objects.get(revision=revision)
    assert response.url == detail_url(review)
    assert review.coach == cast.coach
    # Coming back to the start page takes her to her own review.
    assert client.get(start_url(revision)).url == detail_url(review)


def test_another_coach_sees_who_reviews_and_cannot_start(client_for, cast, review, settings):
    client = english(client_for("coordinator"), settings)
    page = client.get(start_url(review.revision)).content.decode()
    assert 'id="review-open"' in page
    assert 'id="review-start"' not in page
    assert "Cees Coach is reviewing this version" in page
    response = client.post(start_url(review.revision), follow=True)
    assert "Cees Coach is already reviewing this version" in response.content.decode()
    assert Review.objects.count() == 1


def test_a_superseded_version_points_to_the_newest(client_for, cast, revision, settings):
    newest = make_revision(revision.plan)
    client = english(client_for("coach"), settings)
    page = client.get(start_url(revision)).content.decode()
    assert 'id="review-superseded"' in page
    assert start_url(newest) in page
    response = client.post(start_url(revision), follow=True)
    assert "handed in a newer version" in response.content.decode()
    assert not Review.objects.exists()


def test_a_superseded_version_with_an_unfinished_review_is_not_being_reviewed(
    client_for, cast, review, settings
):
    newest = make_revision(review.revision.plan)
    client = english(client_for("coordinator"), settings)
    page = client.get(start_url(review.revision)).content.decode()
    assert 'id="review-superseded"' in page
    assert 'id="review-open"' not in page
    assert "is reviewing this version" not in page
    assert start_url(newest) in page
    assert detail_url(review) in page  # the unfinished one can still be read
    listing = client.get(
        reverse("coaching:revision_list", kwargs={"pk": review.revision.plan_id})
    ).content.decode()
    assert "Being reviewed by" not in listing
    assert "Unfinished review by Cees Coach" in listing


def test_reviewing_the_newest_version_takes_the_unfinished_work_along(
    client_for, cast, review, settings
):
    item = review.items.filter(check_status="").first()
    data = filled(review, save="1", **{f"comment_{item.pk}": "Noem je diploma."})
    client_for("coach").post(detail_url(review), data)
    newest = make_revision(review.revision.plan)
    client = english(client_for("coordinator"), settings)
    response = client.post(start_url(newest), follow=True)
    page = response.content.decode()
    assert "unfinished review of version 1 by Cees Coach is carried over" in page
    assert not Review.objects.filter(pk=review.pk).exists()
    carried = Review.objects.get(revision=newest)
    assert carried.coach == cast.coordinator
    assert carried.items.get(item__key=item.item.key).comment == "Noem je diploma."
    assert "Noem je diploma." in page
    assert carried.comments.get(section="").text == "Goed begin."


def test_the_start_page_lists_concluded_reviews(client_for, cast, review):
    reviews.save_review(
        review=review,
        answers=reviews.ReviewAnswers(
            items={ri.pk: reviews.ItemAnswer(verdict=Verdict.FINE) for ri in review.items.all()},
            comments={},
            outcome="revise",
        ),
        version=0,
        by=cast.coach,
        site="http://testserver",
        conclude=True,
    )
    page = client_for("coordinator").get(start_url(review.revision)).content.decode()
    assert detail_url(review) in page
    assert 'id="review-start"' in page  # a new review may be made


# --- The review form ------------------------------------------------------------------------
def test_the_form_has_a_labelled_field_for_every_point_and_part(client_for, cast, review):
    page = client_for("coach").get(detail_url(review)).content.decode()
    for ri in review.items.all():
        assert page.count(f'name="verdict_{ri.pk}"') == 4
        for n in range(4):
            assert f'for="id_verdict_{ri.pk}_{n}"' in page
        assert f'for="id_comment_{ri.pk}"' in page
        has_overrule = f'name="overrule_{ri.pk}"' in page
        assert has_overrule == bool(ri.check_status)
    for key in ("entrepreneur", "marketing", "cashflow", "whole"):
        assert f'for="id_part_{key}"' in page
    for name in ("outcome", "follow_up"):
        assert f'name="{name}"' in page
    assert 'for="id_follow_up_note"' in page
    assert re.search(r'name="version" value="0"', page)
    assert 'name="save"' in page and 'name="conclude"' in page
    # The checks of the version are shown beside the points they decide.
    assert 'data-check="own_funds"' in page


def test_the_form_says_what_the_resident_reads_and_what_she_does_not(
    client_for, cast, review, settings
):
    page = english(client_for("coach"), settings).get(detail_url(review)).content.decode()
    count = review.items.count()
    assert page.count("For the resident: she reads it once the review is concluded.") == count
    checked = review.items.exclude(check_status="").count()
    assert page.count("For coaches only: the resident does not see this reason.") == checked
    assert "For the resident: she reads it beside this part of her plan." in page


def test_saving_a_draft_keeps_everything_and_the_resident_sees_nothing(client_for, cast, review):
    item = review.items.filter(check_status="").first()
    data = {
        "version": "0",
        f"verdict_{item.pk}": Verdict.ATTENTION,
        f"comment_{item.pk}": "Noem je diploma.",
        "part_marketing": "Vraag ook de buren.",
        "save": "1",
    }
    response = client_for("coach").post(detail_url(review), data)
    assert response.url == detail_url(review)
    review.refresh_from_db()
    assert (review.status, review.version) == (Review.Status.DRAFT, 1)
    item.refresh_from_db()
    assert (item.verdict, item.comment) == (Verdict.ATTENTION, "Noem je diploma.")
    assert review.comments.get(section="marketing").text == "Vraag ook de buren."
    assert not reviews.concluded_reviews(review.revision.plan).exists()
    page = client_for("coach").get(detail_url(review)).content.decode()
    assert "Noem je diploma." in page
    assert 'name="version" value="1"' in page


def test_concluding_with_points_open_shows_each_problem_beside_its_field(client_for, cast, review):
    open_item = review.items.filter(check_status="").first()
    data = filled(review, outcome="", conclude="1")
    del data[f"verdict_{open_item.pk}"]
    data[f"comment_{open_item.pk}"] = "Getypt en niet kwijt"
    response = client_for("coach").post(detail_url(review), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"verdict_{open_item.pk}", "outcome"}
    page = response.content.decode()
    assert f'id="id_verdict_{open_item.pk}_error"' in page
    assert f'aria-describedby="id_verdict_{open_item.pk}_error"' in page
    assert "Getypt en niet kwijt" in page
    review.refresh_from_db()
    assert (review.status, review.version) == (Review.Status.DRAFT, 0)  # nothing half-saved
    assert not ReviewComment.objects.exists()


def test_a_comment_of_100000_characters_is_refused_beside_the_field_and_kept(
    client_for, cast, review
):
    item = review.items.first()
    long_text = "Heel lang verhaal. " * 5300  # 100,700 characters
    data = filled(review, **{f"comment_{item.pk}": long_text, "save": "1"})
    response = client_for("coach").post(detail_url(review), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"comment_{item.pk}"}
    assert long_text.strip() in response.content.decode()
    assert Review.objects.get(pk=review.pk).version == 0
    item.refresh_from_db()
    assert item.comment == ""


def test_overruling_a_check_without_a_reason_is_refused(client_for, cast, review):
    checked = review.items.exclude(check_status="").first()
    data = filled(review, conclude="1", **{f"verdict_{checked.pk}": Verdict.NOT_APPLICABLE})
    response = client_for("coach").post(detail_url(review), data)
    assert set(response.context["form"].errors) == {f"overrule_{checked.pk}"}
    data[f"overrule_{checked.pk}"] = "Deze lening wordt niet aangevraagd."
    response = client_for("coach").post(detail_url(review), data)
    assert response.url == detail_url(review)
    checked.refresh_from_db()
    assert checked.overrule_reason == "Deze lening wordt niet aangevraagd."


def test_ready_for_qredits_with_a_point_insufficient_is_refused_beside_the_outcome(
    client_for, cast, review
):
    plain = review.items.filter(check_status="").first()
    data = filled(review, outcome="ready", conclude="1")
    data[f"verdict_{plain.pk}"] = Verdict.INSUFFICIENT
    response = client_for("coach").post(detail_url(review), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"outcome"}
    assert Review.objects.get(pk=review.pk).status == Review.Status.DRAFT


def test_not_feasible_asks_what_happens_next(client_for, cast, review):
    data = filled(review, outcome="not_feasible", conclude="1")
    response = client_for("coach").post(detail_url(review), data)
    assert set(response.context["form"].errors) == {"follow_up", "follow_up_note"}
    data.update(follow_up="stop", follow_up_note="Er is geen markt voor.")
    client_for("coach").post(detail_url(review), data)
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.DROPPED_OUT


def test_concluding_makes_it_final_and_moves_the_stage(
    client_for, cast, review, django_capture_on_commit_callbacks
):
    client = client_for("coach")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(detail_url(review), filled(review, conclude="1"))
    assert response.url == detail_url(review)
    assert len(callbacks) == 1  # the resident's e-mail, queued after the commit
    review.refresh_from_db()
    assert (review.status, review.outcome) == (Review.Status.CONCLUDED, "revise")
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.IN_TRAJECTORY
    page = client.get(detail_url(review)).content.decode()
    assert 'name="verdict_' not in page  # read-only now
    assert 'data-outcome="revise"' in page
    assert "Goed begin." in page


def test_a_stage_that_cannot_follow_is_a_warning_and_the_review_is_concluded(
    client_for, cast, review, settings
):
    cast.resident.consents.update(withdrawn_at=timezone.now())
    client = english(client_for("coach"), settings)
    response = client.post(detail_url(review), filled(review, conclude="1"), follow=True)
    page = response.content.decode()
    assert "The review is concluded" in page
    assert "The stage of the resident did not change" in page
    assert "consent" in page
    assert "change the stage on the resident&#x27;s page" in page
    assert Review.objects.get(pk=review.pk).status == Review.Status.CONCLUDED
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.REGISTERED


def test_a_save_from_a_stale_window_is_refused_and_the_text_kept(
    client_for, cast, review, settings
):
    client = english(client_for("coach"), settings)
    client.post(detail_url(review), filled(review, save="1"))
    stale = filled(review, save="1", part_whole="Uit het oude venster")
    stale["version"] = "0"
    response = client.post(detail_url(review), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved in another window" in page
    assert "Uit het oude venster" in page
    assert review.comments.get(section="").text == "Goed begin."
    # The page is now based on what was saved elsewhere: saving again replaces it.
    assert 'name="version" value="1"' in page
    stale["version"] = "1"
    assert client.post(detail_url(review), stale).url == detail_url(review)
    assert review.comments.get(section="").text == "Uit het oude venster"


def test_a_superseded_draft_says_so_and_cannot_be_saved(client_for, cast, review, settings):
    newest = make_revision(review.revision.plan)
    client = english(client_for("coach"), settings)
    page = client.get(detail_url(review)).content.decode()
    banner = page.split('id="review-superseded"')[1].split("</div>")[0]
    assert f'href="{start_url(newest)}"' in banner  # straight to reviewing the newest
    response = client.post(detail_url(review), filled(review, save="1", part_whole="Bewaard?"))
    assert "handed in a newer version" in response.content.decode()
    assert "Bewaard?" in response.content.decode()
    assert Review.objects.get(pk=review.pk).version == 0


def test_another_coachs_draft_is_read_only_and_cannot_be_saved(client_for, cast, review, settings):
    client = english(client_for("coordinator"), settings)
    page = client.get(detail_url(review)).content.decode()
    assert 'name="verdict_' not in page
    assert 'data-verdict="fine"' in page  # the check's verdicts are there to read
    response = client.post(detail_url(review), filled(review, save="1"))
    page = response.content.decode()
    assert "Only the coach who started this review" in page
    assert 'name="verdict_' not in page  # still read-only after the refused post
    assert 'id="review-form"' not in page
    assert Review.objects.get(pk=review.pk).version == 0


def test_another_coachs_draft_can_be_taken_over(client_for, cast, review, settings):
    take_over_url = review_action_url("review_take_over", review)
    assert take_over_url not in client_for("coach").get(detail_url(review)).content.decode()
    client = english(client_for("coordinator"), settings)
    assert take_over_url in client.get(detail_url(review)).content.decode()
    response = client.post(take_over_url, follow=True)
    assert response.redirect_chain[-1][0] == detail_url(review)
    page = response.content.decode()
    assert "You took over the review from Cees Coach" in page
    assert 'name="verdict_' in page  # hers to continue now
    assert take_over_url not in page
    review.refresh_from_db()
    assert (review.coach, review.version) == (cast.coordinator, 1)


def test_a_superseded_draft_offers_no_take_over(client_for, cast, review):
    make_revision(review.revision.plan)
    take_over_url = review_action_url("review_take_over", review)
    assert take_over_url not in client_for("coordinator").get(detail_url(review)).content.decode()


def test_nonsense_in_the_form_is_a_message_not_a_crash(client_for, cast, review):
    item = review.items.first()
    data = {"version": "abc", f"verdict_{item.pk}": "excellent", "outcome": "maybe"}
    response = client_for("coach").post(detail_url(review), data)
    assert response.status_code == 200
    assert {"version", f"verdict_{item.pk}", "outcome"} <= set(response.context["form"].errors)
    assert Review.objects.get(pk=review.pk).version == 0


# --- Four eyes ------------------------------------------------------------------------------
def test_ready_for_qredits_is_co_signed_by_another_coach_through_the_pages(
    client_for, cast, review, settings
):
    cast.desk.review_cosign = True
    cast.desk.save()
    coach = english(client_for("coach"), settings)
    coach.post(detail_url(review), filled(review, outcome="ready", conclude="1"))
    review.refresh_from_db()
    assert review.status == Review.Status.COSIGN
    cosign_url = reverse(
        "coaching:review_cosign", kwargs={"pk": review.revision.plan_id, "review": review.pk}
    )
    page = coach.get(detail_url(review)).content.decode()
    assert cosign_url not in page  # no button to co-sign her own
    response = coach.post(cosign_url, follow=True)
    assert "You cannot co-sign your own review" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == Review.Status.COSIGN
    coordinator = client_for("coordinator")
    assert cosign_url in coordinator.get(detail_url(review)).content.decode()
    assert coordinator.post(cosign_url).url == detail_url(review)
    review.refresh_from_db()
    assert (review.status, review.cosigned_by) == (Review.Status.CONCLUDED, cast.coordinator)
    assert "Carla Co" in coordinator.get(detail_url(review)).content.decode()


def test_a_review_waiting_for_a_cosignature_can_be_taken_back(client_for, cast, review):
    cast.desk.review_cosign = True
    cast.desk.save()
    client = client_for("coach")
    client.post(detail_url(review), filled(review, outcome="ready", conclude="1"))
    reopen_url = reverse(
        "coaching:review_reopen", kwargs={"pk": review.revision.plan_id, "review": review.pk}
    )
    assert client.post(reopen_url).url == detail_url(review)
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert 'name="verdict_' in client.get(detail_url(review)).content.decode()


def test_a_stale_form_sent_while_waiting_for_a_cosignature_says_so(
    client_for, cast, review, settings
):
    client = english(client_for("coach"), settings)
    stale = filled(review, outcome="ready", save="1")
    review = waiting_for_cosign(client, review)
    stale["version"] = str(review.version)
    page = client.post(detail_url(review), stale).content.decode()
    assert "waits for a second coach to co-sign it. Take it back to draft" in page
    assert "concluded and cannot be changed" not in page
    assert 'name="verdict_' not in page
    assert Review.objects.get(pk=review.pk).status == Review.Status.COSIGN


def test_a_superseded_version_is_not_offered_for_co_signing(client_for, cast, review, settings):
    review = waiting_for_cosign(client_for("coach"), review)
    make_revision(review.revision.plan)
    cosign_url = review_action_url("review_cosign", review)
    client = english(client_for("coordinator"), settings)
    page = client.get(detail_url(review)).content.decode()
    assert 'id="review-superseded"' in page
    assert cosign_url not in page
    assert "You cannot co-sign your own review" not in page
    response = client.post(cosign_url, follow=True)
    assert "handed in a newer version" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == Review.Status.COSIGN


# --- The next version -----------------------------------------------------------------------
def test_the_next_review_shows_what_changed_and_what_was_said(client_for, cast, revision):
    first = make_review(revision, coach=cast.coach)
    item = first.items.filter(check_status="").first()
    data = filled(first, conclude="1", part_marketing="Meer bronnen graag.")
    data[f"verdict_{item.pk}"] = Verdict.ATTENTION
    data[f"comment_{item.pk}"] = "Vertel meer over je ervaring."
    client = client_for("coach")
    client.post(detail_url(first), data)
    changed = {**SALON, "marketing": {**SALON["marketing"], "research": "Twintig buren gevraagd"}}
    second = make_review(make_revision(revision.plan, sections=changed), coach=cast.coach)
    page = client.get(detail_url(second)).content.decode()
    assert 'id="review-changes"' in page
    assert "<ins>Twintig buren gevraagd</ins>" in page
    same_point = second.items.get(item__key=item.item.key)
    block = page.split(f'id="item-{same_point.pk}"')[1].split("</fieldset>")[0]
    assert 'data-previous-verdict="attention"' in block
    assert "Vertel meer over je ervaring." in block
    assert "Meer bronnen graag." in page.split('id="part-comment-marketing"')[1]


def test_the_review_page_runs_the_same_queries_however_long_the_checklist(
    client_for, cast, revision, django_assert_max_num_queries
):
    client = client_for("coach")
    short = make_review(revision, coach=cast.coach)
    with django_assert_max_num_queries(20) as one:
        assert client.get(detail_url(short)).status_code == 200
    current = reviews.current_checklist(cast.desk)
    reviews.save_checklist(
        desk=cast.desk,
        items=[ItemDraft(topic="market", text=f"Punt {n}") for n in range(40)],
        based_on=current.version,
        by=cast.coordinator,
    )
    other_plan = make_plan(make_resident(cast.desk, coach=cast.coach), SALON)
    long = make_review(make_revision(other_plan), coach=cast.coach)
    with django_assert_max_num_queries(20) as many:
        page = client.get(detail_url(long)).content.decode()
    assert "Punt 39" in page
    assert len(many.captured_queries) == len(one.captured_queries)


# --- The audit trail ------------------------------------------------------------------------
def test_every_look_at_a_review_is_in_the_audit_trail(client_for, cast, review):
    client = client_for("coordinator")
    client.get(detail_url(review))
    client.post(detail_url(review), filled(review, save="1"))  # refused: not hers
    client.get(start_url(review.revision))
    viewed = AuditEntry.objects.filter(
        resident_id=cast.resident.pk, actor=cast.coordinator, action=AuditEntry.Action.VIEWED
    )
    assert viewed.count() == 3


def test_another_desks_coach_gets_404_and_nothing_is_logged(client_for, cast, review):
    client = client_for("other_coach")
    before = AuditEntry.objects.count()
    assert client.get(detail_url(review)).status_code == 404
    assert client.get(start_url(review.revision)).status_code == 404
    assert client.post(start_url(review.revision)).status_code == 404
    assert AuditEntry.objects.count() == before


def test_a_review_of_another_plan_in_the_url_answers_404(client_for, cast, review):
    other = make_plan(make_resident(cast.desk, coach=cast.coach), SALON)
    url = reverse("coaching:review_detail", kwargs={"pk": other.pk, "review": review.pk})
    assert client_for("coach").get(url).status_code == 404


# --- The version pages ----------------------------------------------------------------------
def test_the_version_pages_show_the_reviews_and_the_way_to_review(client_for, cast, review):
    client = client_for("coach")
    plan = review.revision.plan
    detail = client.get(
        reverse("coaching:revision_detail", kwargs={"pk": plan.pk, "number": 1})
    ).content.decode()
    assert detail_url(review) in detail
    assert start_url(review.revision) in detail
    listing = client.get(reverse("coaching:revision_list", kwargs={"pk": plan.pk})).content
    assert detail_url(review) in listing.decode()
    assert start_url(review.revision) in listing.decode()


def test_feedback_from_before_reviews_reads_as_feedback_for_the_coach(client_for, cast):
    """A review the feedback migration made: no checklist, no outcome, one comment."""
    from django.conf import settings
    from django.utils import timezone

    from coaching.models import ReviewComment

    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    review = Review.objects.create(
        revision=make_revision(plan),
        coach=cast.coach,
        status="concluded",
        concluded_at=timezone.now(),
    )
    ReviewComment.objects.create(review=review, text="Mooi begin.")
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("coaching:review_detail", args=[plan.pk, review.pk]))
    assert page.status_code == 200
    assert "Mooi begin." in page.content.decode()
    versions = client.get(reverse("coaching:revision_list", args=[plan.pk])).content.decode()
    assert "Feedback by Cees Coach on" in versions
