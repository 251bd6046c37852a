"""What withdrawing consent and erasure remove from coaching (registered in coaching/apps.py).

Both remove the same: the business plan with its parts (and what was typed but not saved), the
versions handed in and their reviews (verdicts, comments, notes), and the invitation links with
the address they were sent to. None of it is counted by the desk's progress figures, and all of
it is the resident's own text or about it. Intake's part, and why, is in ``intake/erasure.py``.
Referrals, consents to share, mentors and consultations are counted: their texts go and their
rows stay (``remove_referral_texts``).

The Qredits applications (issue 11) go with the plan, rows and all: the uploads (her documents,
kept in the database) and the packs (PDFs holding her plan and the coach's recommendation) are
deleted first, explicitly, then the applications with their enclosures
(``remove_applications``). No figure needs them: the dashboard counts submissions, financing
and starts from the stage changes, which stay. Of the business start, the KvK number goes (it
names her business, and a sole trader's KvK entry names her); the row stays with the start's
date and "still trading after 12 months", which the dashboard counts.
"""

from django.db.models import Case, Value, When
from django.utils import timezone

from coaching.models import (
    ApplicationPack,
    BenefitsConsultation,
    BusinessPlan,
    BusinessStart,
    Enclosure,
    LoanApplication,
    MentorMatch,
    MentorMeeting,
    PartnerConsent,
    PlanInvitation,
    PlanRevision,
    PlanSection,
    Referral,
    ReferralEvent,
    ReferralLink,
    Review,
    Upload,
)
from coaching.referrals import withdraw_all_partner_consents
from intake.erasure import forget_admin_log


def remove_coaching_data(resident) -> None:
    remove_applications(resident)
    plans = BusinessPlan.objects.filter(resident_id=resident.pk)
    for model, lookup in (
        (BusinessPlan, "pk__in"),
        (PlanSection, "plan__in"),
        (PlanRevision, "plan__in"),
        (Review, "revision__plan__in"),
    ):
        ids = model.objects.filter(**{lookup: plans}).values_list("pk", flat=True)
        forget_admin_log(model, ids)
    invitations = PlanInvitation.objects.filter(resident_id=resident.pk)
    forget_admin_log(PlanInvitation, invitations.values_list("pk", flat=True))
    # Parts, versions, reviews with their items and comments go with the plan (CASCADE).
    plans.delete()
    invitations.delete()


def remove_applications(resident) -> None:
    """Withdrawal and erasure alike: her applications' uploads and packs, then the applications
    with their enclosures; the business start keeps its date and outcome, not its KvK number.
    Before the plan goes: an application protects the review it was built on."""
    applications = LoanApplication.objects.filter(plan__resident_id=resident.pk)
    enclosures = Enclosure.objects.filter(application__in=applications)
    uploads = Upload.objects.filter(enclosure__in=enclosures)
    packs = ApplicationPack.objects.filter(application__in=applications)
    starts = BusinessStart.objects.filter(resident_id=resident.pk)
    for model, rows in (
        (LoanApplication, applications),
        (Enclosure, enclosures),
        (Upload, uploads),
        (ApplicationPack, packs),
        (BusinessStart, starts),
    ):
        forget_admin_log(model, rows.values_list("pk", flat=True))
    uploads.delete()
    packs.delete()
    applications.delete()
    starts.update(kvk_number="")


# --- Referrals and consents, mentors, the benefits consultation (issue 10) --------------------
# What stays where a text was required (a completed referral has an outcome, a declined one a
# reason): the rows are counted by partner, status and date.
ERASED_TEXT = "(gewist)"


def _kept_if(status):
    return Case(When(status=status, then=Value(ERASED_TEXT)), default=Value(""))


def remove_referral_texts(resident) -> None:
    """Withdrawal and erasure alike: every consent to share with a partner is withdrawn (sharing
    stops at once), the answer links go, and every text typed about her goes: the referrals'
    questions, outcomes and reasons, the notes of their changes, the purposes of her consents,
    the matches' goals and evaluations, the meetings' notes and the consultations' notes; a
    running mentor match ends today. The rows stay, anonymous: the dashboard counts referrals
    by partner, status and date, and consultations by outcome and date; a mentor's matches
    stay counted for the pool."""
    referrals = Referral.objects.filter(resident_id=resident.pk)
    matches = MentorMatch.objects.filter(resident_id=resident.pk)
    for model, rows in (
        (Referral, referrals),
        (ReferralEvent, ReferralEvent.objects.filter(referral__in=referrals)),
        (PartnerConsent, PartnerConsent.objects.filter(resident_id=resident.pk)),
        (MentorMatch, matches),
        (MentorMeeting, MentorMeeting.objects.filter(match__in=matches)),
        (BenefitsConsultation, BenefitsConsultation.objects.filter(resident_id=resident.pk)),
    ):
        forget_admin_log(model, rows.values_list("pk", flat=True))
    withdraw_all_partner_consents(resident)
    ReferralLink.objects.filter(referral__in=referrals).delete()
    # The database asks a completed referral for an outcome and a declined one for a reason.
    referrals.update(
        question="",
        outcome=_kept_if(Referral.Status.DONE),
        decline_reason=_kept_if(Referral.Status.DECLINED),
    )
    ReferralEvent.objects.filter(referral__in=referrals).update(note="")
    PartnerConsent.objects.filter(resident_id=resident.pk).update(purpose="")
    # A running match ends: nothing more is recorded about her.
    matches.filter(ended_on__isnull=True).update(ended_on=timezone.localdate())
    matches.update(goal="", resident_evaluation="", mentor_evaluation="")
    MentorMeeting.objects.filter(match__in=matches).update(notes="")
    BenefitsConsultation.objects.filter(resident_id=resident.pk).update(note="")
