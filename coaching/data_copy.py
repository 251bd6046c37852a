"""What coaching holds about a resident, for a copy of her data (AVG art. 15 and 20).

Registered in intake's privacy registry from ``CoachingConfig.ready()``; intake builds the copy
(``intake.data_copy``) without knowing of plans. Each exporter reads in a fixed number of
queries. Values are JSON-ready: dates as ISO text, choices by code, staff by name.

What goes in, and why:

- the plan as it is now: every part's saved content, and what she typed but did not save yet
  (it is stored, so it is hers to see);
- every version she handed in, frozen as it was (``snapshot``: the parts and the desk's
  limits at that moment);
- the reviews of those versions with their outcome, the verdict and comment on every checklist
  point and the comments on her plan. Also the coach's reason for overruling a plan check,
  which her pages do not show: it is a judgement about her plan, and so personal data about
  her. Of a review still being written (a draft, or one waiting for a second coach) only that
  it exists: what it says may still change, and she gets all of it once it is concluded;
- the links that invited her to write her plan: where they were sent and when (never the
  link itself: only its hash is stored, and it would be of no use to her).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

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
    Referral,
    ReferralEvent,
    Review,
    ReviewItem,
    Upload,
)
from coaching.sections import SectionKey
from intake.data_copy import moment, person
from intake.privacy import Exporter, register_exporter

SECTION_ORDER = {key: index for index, key in enumerate(SectionKey.values)}


def export_business_plan(resident) -> dict | None:
    """Her plan with its parts and handed-in versions (three queries); None without a plan."""
    plan = BusinessPlan.objects.filter(resident=resident).first()
    if plan is None:
        return None
    sections = sorted(
        plan.sections.select_related("saved_by"), key=lambda s: SECTION_ORDER.get(s.key, 99)
    )
    revisions = plan.revisions.select_related("submitted_by").order_by("number")
    return {
        "status": plan.status,
        "started_at": moment(plan.started_at),
        "changed_at": moment(plan.changed_at),
        "sections": [
            {
                "key": section.key,
                "content": section.data,
                "version": section.version,
                "saved_at": moment(section.saved_at),
                "saved_by": person(section.saved_by),
                "typed_not_saved": section.autosave,
                "typed_at": moment(section.autosaved_at),
            }
            for section in sections
        ],
        "revisions": [
            {
                "number": revision.number,
                "submitted_at": moment(revision.submitted_at),
                "submitted_by": person(revision.submitted_by),
                "snapshot": revision.snapshot,
            }
            for revision in revisions
        ],
    }


def export_reviews(resident) -> list:
    """Every review of her plan's versions, oldest first (three queries)."""
    reviews = (
        Review.objects.filter(revision__plan__resident=resident)
        .select_related("revision", "coach", "cosigned_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReviewItem.objects.select_related("item").order_by("item__position"),
            ),
            "comments",
        )
        .order_by("started_at", "id")
    )
    return [_review(review) for review in reviews]


def _review(review: Review) -> dict:
    concluded = review.status == Review.Status.CONCLUDED
    data = {
        "version": review.revision.number,
        "status": review.status,
        "coach": person(review.coach),
        "started_at": moment(review.started_at),
    }
    if not concluded:
        return data
    return {
        **data,
        "outcome": review.outcome,
        "follow_up": review.follow_up,
        "follow_up_note": review.follow_up_note,
        "concluded_at": moment(review.concluded_at),
        "cosigned_by": person(review.cosigned_by),
        "cosigned_at": moment(review.cosigned_at),
        "items": [
            {
                "topic": item.item.topic,
                "point": item.item.text,
                "verdict": item.verdict,
                "comment": item.comment,
                "check_status": item.check_status,
                "overrule_reason": item.overrule_reason,
            }
            for item in review.items.all()
        ],
        "comments": [
            {"part": comment.section, "text": comment.text}
            for comment in sorted(review.comments.all(), key=lambda c: c.pk)
        ],
    }


def export_invitations(resident) -> list:
    invitations = PlanInvitation.objects.filter(resident=resident).select_related("created_by")
    return [
        {
            "email": invitation.email,
            "sent_at": moment(invitation.created_at),
            "sent_by": person(invitation.created_by),
            "valid_until": moment(invitation.expires_at),
            "used_at": moment(invitation.used_at),
            "replaced_at": moment(invitation.replaced_at),
        }
        for invitation in invitations.order_by("created_at", "id")
    ]


def register_coaching_exporters() -> None:
    for name, label, export in (
        ("business_plan", _("Your business plan"), export_business_plan),
        ("plan_reviews", _("What your coach said about your plan"), export_reviews),
        ("plan_invitations", _("Invitations to write your plan"), export_invitations),
    ):
        register_exporter(Exporter(name, label, export, template=f"coaching/data_copy/{name}.html"))


# --- Referrals and consents, mentors, the benefits consultation (issue 10) --------------------
# Her consents to share with partners (what, with whom, until when, withdrawn when), the
# referrals made for her with every change of status and its note, her mentor matches with
# their meetings and evaluations, and her benefits consultations. Not the answer links: only a
# hash of each is stored, sent to a partner's address, of no use to her.
def export_partner_consents(resident) -> list:
    consents = PartnerConsent.objects.filter(resident=resident).select_related(
        "partner", "recorded_by", "withdrawn_by"
    )
    return [
        {
            "partner": consent.partner.name,
            "purpose": consent.purpose,
            "fields": list(consent.fields),
            "given_on": moment(consent.given_on),
            "valid_until": moment(consent.valid_until),
            "recorded_by": person(consent.recorded_by),
            "withdrawn_at": moment(consent.withdrawn_at),
            "withdrawn_by": person(consent.withdrawn_by),
        }
        for consent in consents.order_by("given_on", "id")
    ]


def export_referrals(resident) -> list:
    """Every referral with its events, oldest first (two queries)."""
    events = Prefetch("events", queryset=ReferralEvent.objects.select_related("by"))
    referrals = (
        Referral.objects.filter(resident=resident)
        .select_related("partner", "contact", "created_by")
        .prefetch_related(events)
        .order_by("created_at", "id")
    )
    return [
        {
            "partner": referral.partner.name,
            "contact": person(referral.contact),
            "question": referral.question,
            "support_need": referral.support_need,
            "status": referral.status,
            "outcome": referral.outcome,
            "decline_reason": referral.decline_reason,
            "made_by": person(referral.created_by),
            "made_at": moment(referral.created_at),
            "sent_at": moment(referral.sent_at),
            "answer_due_on": moment(referral.answer_due_on),
            "answered_at": moment(referral.answered_at),
            "closed_at": moment(referral.closed_at),
            "events": [
                {
                    "status": event.status,
                    "at": moment(event.at),
                    "by": person(event.by),
                    "through_link": event.through_link,
                    "note": event.note,
                }
                for event in referral.events.all()
            ],
        }
        for referral in referrals
    ]


def export_mentor_matches(resident) -> list:
    """Her matches with a mentor and their meetings, oldest first (two queries)."""
    meetings = Prefetch("meetings", queryset=MentorMeeting.objects.order_by("held_on", "id"))
    matches = (
        MentorMatch.objects.filter(resident=resident)
        .select_related("mentor", "matched_by")
        .prefetch_related(meetings)
        .order_by("started_on", "id")
    )
    return [
        {
            "mentor": match.mentor.name,
            "goal": match.goal,
            "started_on": moment(match.started_on),
            "matched_by": person(match.matched_by),
            "ended_on": moment(match.ended_on),
            "resident_evaluation": match.resident_evaluation,
            "mentor_evaluation": match.mentor_evaluation,
            "rating": match.rating,
            "meetings": [
                {"held_on": moment(meeting.held_on), "notes": meeting.notes}
                for meeting in match.meetings.all()
            ],
        }
        for match in matches
    ]


def export_benefits_consultations(resident) -> list:
    consultations = BenefitsConsultation.objects.filter(resident=resident).select_related(
        "partner", "recorded_by"
    )
    return [
        {
            "held_on": moment(consultation.held_on),
            "with": consultation.with_whom,
            "partner": consultation.partner.name if consultation.partner else None,
            "outcome": consultation.outcome,
            "note": consultation.note,
            "recorded_by": person(consultation.recorded_by),
        }
        for consultation in consultations.order_by("held_on", "id")
    ]


def register_referral_exporters() -> None:
    for name, label, export in (
        ("partner_consents", _("Your consent to share with partners"), export_partner_consents),
        ("partner_referrals", _("Referrals to partners"), export_referrals),
        ("mentor_matches", _("Your mentors and your meetings"), export_mentor_matches),
        (
            "benefits_consultations",
            _("Consultations about your benefit"),
            export_benefits_consultations,
        ),
    ):
        register_exporter(Exporter(name, label, export, template=f"coaching/data_copy/{name}.html"))


# --- The Qredits application and the business after it (issue 11) ---------------------------
# Her applications with their figures, status and dates, the checklist of enclosures (status,
# note) with the names of the files uploaded to them — not the files themselves: she has them,
# and can download them while the application exists — and the pack versions made of it. And
# the start of her business. Fixed queries: applications, enclosures, uploads (without their
# bytes), packs (without the PDF), and one for the business start.
def export_applications(resident) -> list:
    uploads = Prefetch(
        "uploads",
        queryset=Upload.objects.only(
            "pk", "enclosure_id", "name", "content_type", "size", "uploaded_at"
        ).order_by("uploaded_at", "id"),
    )
    enclosures = Prefetch(
        "enclosures", queryset=Enclosure.objects.prefetch_related(uploads).order_by("position")
    )
    packs = Prefetch(
        "packs",
        queryset=ApplicationPack.objects.defer("pdf").order_by("number"),
    )
    applications = (
        LoanApplication.objects.filter(plan__resident=resident)
        .select_related("created_by", "identity_seen_by")
        .prefetch_related(enclosures, packs)
        .order_by("created_at", "id")
    )
    return [
        {
            "started_at": moment(application.created_at),
            "started_by": person(application.created_by),
            "amount": str(application.amount),
            "purpose": application.purpose,
            "term_months": application.term_months,
            "repayment_free_months": application.repayment_free_months,
            "recommendation": application.recommendation,
            "identity_seen_on": moment(application.identity_seen_on),
            "identity_seen_by": person(application.identity_seen_by),
            "status": application.status,
            "submitted_on": moment(application.submitted_on),
            "decided_on": moment(application.decided_on),
            "amount_granted": (
                None if application.amount_granted is None else str(application.amount_granted)
            ),
            "paid_out_on": moment(application.paid_out_on),
            "enclosures": [
                {
                    "document": enclosure.kind,
                    "title": enclosure.title,
                    "status": enclosure.status,
                    "note": enclosure.note,
                    "files": [
                        {
                            "name": upload.name,
                            "kind": upload.content_type,
                            "size": upload.size,
                            "uploaded_at": moment(upload.uploaded_at),
                        }
                        for upload in enclosure.uploads.all()
                    ],
                }
                for enclosure in application.enclosures.all()
            ],
            "packs": [
                {
                    "version": pack.number,
                    "status": pack.status,
                    "pages": pack.pages,
                    "made_at": moment(pack.rendered_at),
                    "sent_at": moment(pack.sent_at),
                }
                for pack in application.packs.all()
            ],
        }
        for application in applications
    ]


def export_business_start(resident) -> dict | None:
    start = BusinessStart.objects.filter(resident=resident).select_related("recorded_by").first()
    if start is None:
        return None
    return {
        "started_on": moment(start.started_on),
        "kvk_number": start.kvk_number,
        "still_trading_at_12_months": start.still_trading_at_12_months,
        "recorded_by": person(start.recorded_by),
        "recorded_at": moment(start.recorded_at),
    }


def register_application_exporters() -> None:
    for name, label, export in (
        ("qredits_applications", _("Your applications to Qredits"), export_applications),
        ("business_start", _("The start of your business"), export_business_start),
    ):
        register_exporter(
            Exporter(name, label, export, template=f"coaching/outcomes/data_copy_{name}.html")
        )
