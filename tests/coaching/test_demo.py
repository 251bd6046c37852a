"""The demo plans: Fatma's salon passes every check in 2009 and is ready for Qredits, Saskia's
half-finished plan fails two checks and was sent back; seeding twice changes nothing. The demo
referrals (one in each status), mentor matches and the Bbz consultation (issue 10)."""

import datetime
import io
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coaching import reviews
from coaching.applications import plan_differences
from coaching.models import (
    ApplicationPack,
    BenefitsConsultation,
    BusinessPlan,
    LoanApplication,
    Mentor,
    MentorMatch,
    MentorMeeting,
    PartnerConsent,
    PlanRevision,
    PlanSection,
    Referral,
    ReferralEvent,
    Review,
    ReviewItem,
)
from coaching.referrals import inbox_of
from coaching.selectors import plan_timeline
from intake.models import Resident
from ondernemerspunt.models import User


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
    assert "€\u00a021.134,44" in page.content.decode()


# --- Issue 10: referrals, mentors, the benefits route ------------------------------------------
def test_a_referral_in_each_status_under_a_recorded_consent(db):
    seed()
    referrals = Referral.objects.select_related("consent", "partner", "resident")
    assert sorted(referrals.values_list("status", flat=True)) == sorted(Referral.Status.values)
    for referral in referrals:
        consent = referral.consent
        assert consent.partner == referral.partner and consent.resident == referral.resident
        made = referral.created_at.date()
        assert datetime.date(2009, 2, 1) <= made <= datetime.date(2009, 3, 31)
        assert consent.given_on <= made <= consent.valid_until
        assert consent.withdrawn_at is None
        events = list(referral.events.order_by("at"))
        assert events[0].status == "concept" and events[-1].status == referral.status
        assert all(event.at.year == 2009 for event in events)
    done = referrals.get(status="done")
    declined = referrals.get(status="declined")
    assert done.outcome and declined.decline_reason
    # The KvK's contact finds the one waiting for her answer in her inbox.
    kvk = User.objects.get(email="kvk@korrewegwijk.example")
    waiting = referrals.get(status="sent")
    assert waiting.contact == kvk and waiting.partner.kind == "kvk"
    assert list(inbox_of(kvk).filter(status="sent")) == [waiting]
    assert waiting.answer_due_on > datetime.date(2009, 3, 31)  # not overdue on the demo day
    assert not inbox_of(kvk).filter(status="concept").exists()


def test_a_mentor_match_with_two_meetings_and_a_bbz_consultation(db):
    seed()
    assert Mentor.objects.filter(is_active=True, partner__kind="kvk").count() >= 3
    fatma = MentorMatch.objects.get(resident__email="bewoner@korrewegwijk.example")
    assert fatma.ended_on is None and fatma.mentor.partner.kind == "kvk"
    assert [m.held_on.isoformat() for m in fatma.meetings.order_by("held_on")] == [
        "2009-02-24",
        "2009-03-17",
    ]
    consultation = BenefitsConsultation.objects.get()
    assert consultation.resident.situation == "benefits_bijstand"
    assert consultation.outcome == "bbz_credit" and consultation.with_whom == "municipality"
    assert consultation.partner.kind == "municipality"
    assert consultation.held_on.year == 2009


def test_seeding_twice_adds_no_referral_match_or_consultation(db):
    models = (
        PartnerConsent,
        Referral,
        ReferralEvent,
        Mentor,
        MentorMatch,
        MentorMeeting,
        BenefitsConsultation,
    )
    seed()
    before = [model.objects.count() for model in models]
    seed()
    assert [model.objects.count() for model in models] == before
    assert before[1] == 5


def test_the_demo_residents_pages_show_the_mentor_and_the_benefits_warning(client, db):
    seed()
    client.force_login(User.objects.get(email="coach@korrewegwijk.example"))
    fatma = Resident.objects.get(email="bewoner@korrewegwijk.example")
    page = client.get(fatma.get_absolute_url()).content.decode()
    assert 'id="mentor-panel"' in page and "Ayşe Kaya" in page
    assert 'id="benefits-warning"' in page  # on bijstand, no consultation yet
    priscilla = Resident.objects.get(email="priscilla@korrewegwijk.example")
    page = client.get(priscilla.get_absolute_url()).content.decode()
    consultation = BenefitsConsultation.objects.get(resident=priscilla)
    assert 'id="benefits-warning"' not in page
    assert f'data-consultation="{consultation.pk}"' in page


# --- Issue 11: the Qredits application -----------------------------------------------------
def test_fatmas_application_has_a_sent_pack_and_was_submitted_in_march_2009(db):
    seed()
    plan = BusinessPlan.objects.get(resident__email="bewoner@korrewegwijk.example")
    application = LoanApplication.objects.get(plan=plan)
    assert application.status == "submitted"
    assert application.submitted_on == datetime.date(2009, 3, 30)
    # Built on the version the concluded review found ready.
    assert (application.review.outcome, application.review.revision.number) == ("ready", 2)
    statuses = dict(application.enclosures.values_list("kind", "status"))
    assert statuses["business_plan"] == statuses["quotes"] == "present"
    assert "missing" not in statuses.values()
    pack = ApplicationPack.objects.get(application=application)
    assert (pack.number, pack.status) == (1, "ready")
    assert bytes(pack.pdf).startswith(b"%PDF") and pack.pages > 1
    assert timezone.localtime(pack.sent_at).date() == datetime.date(2009, 3, 30)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages)
    assert "Kapsalon Fatma" in text
    # The request is the plan's Qredits loan (repaid from month 1), and the pack is dated the
    # day it was made and sent, not the day the seed ran.
    assert application.repayment_free_months == 0
    assert plan_differences(application) == []
    assert "30 maart 2009" in text
    assert timezone.localdate().strftime("%Y") + "\n" not in text.split("30 maart 2009")[0]
    # Sending the pack moved her to *submitted to Qredits* that day, as marking it sent does.
    change = plan.resident.stage_changes.order_by("-id").first()
    assert (change.from_stage, change.to_stage) == ("in_trajectory", "submitted")
    assert change.changed_on == datetime.date(2009, 3, 30)
    assert Resident.objects.get(pk=plan.resident_id).stage == "submitted"


def test_seeding_twice_makes_no_second_application_or_pack(db):
    seed()
    seed()
    assert LoanApplication.objects.count() == 1
    assert ApplicationPack.objects.count() == 1
