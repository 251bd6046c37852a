from django.utils import timezone

from tests.access_matrix import LOGIN, REDIRECT, Row, expect  # noqa: F401
from tests.factories import make_plan

# Pages of the resident's own plan: only a resident gets in, everyone else is refused (403).
RESIDENT_ONLY = expect(403, resident=200)
# A plan at cast.desk: its coaches and coordinator read it; everyone else gets 404, like the
# resident's own file (a resident asking for a plan number learns nothing).
DESK_STAFF = expect(404, coach=200, coordinator=200)


def started_plan(cast, **kwargs):
    """The resident opened her plan before (her pages start it): what autosave and hand-in
    need, since ``own_plan_for`` only reads."""
    make_plan(cast.resident)
    return kwargs


def plan_pk(cast):
    return {"pk": make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}}).pk}


def revision_kwargs(cast):
    from coaching.models import PlanRevision

    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    PlanRevision.objects.get_or_create(
        plan=plan,
        number=1,
        defaults={
            "snapshot": {
                "sections": {"entrepreneur": {"motivation": "Eigen baas"}},
                "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000"},
            },
            "submitted_by": cast.resident_user,
        },
    )
    return {"pk": plan.pk, "number": 1}


COORDINATOR_ONLY = expect(404, coordinator=200)


def desk_slug(cast):
    return {"desk": cast.desk.slug}


def checklist_version_kwargs(cast):
    from coaching.reviews import current_checklist

    return {"desk": cast.desk.slug, "version": current_checklist(cast.desk).version}


def review_start_kwargs(cast):
    """A version waiting for review (another coach's session does not matter here)."""
    return revision_kwargs(cast)


def review_kwargs(cast, **fields):
    """A review of version 1, started by the resident's coach (a draft unless ``fields``)."""
    from coaching.models import PlanRevision
    from tests.factories import make_review

    kwargs = revision_kwargs(cast)
    revision = PlanRevision.objects.get(plan_id=kwargs["pk"], number=1)
    review = revision.reviews.first() or make_review(revision, coach=cast.coach, **fields)
    return {"pk": kwargs["pk"], "review": review.pk}


def cosign_review_kwargs(cast):
    """A review waiting for a second coach: the coordinator may co-sign it."""
    return review_kwargs(cast, status="cosign", outcome="ready")


ROWS = [
    Row("coaching:plan_home", RESIDENT_ONLY),
    Row("coaching:own_plan_print", RESIDENT_ONLY),
    Row("coaching:own_reviews", RESIDENT_ONLY),
    Row("coaching:section_edit", RESIDENT_ONLY, kwargs=lambda cast: {"section": "ondernemer"}),
    Row(
        "coaching:section_autosave",
        RESIDENT_ONLY,
        kwargs=lambda cast: started_plan(cast, section="investeringen"),
        method="post",
        data=lambda cast: {"version": "0", "stock": "1.250,50"},
    ),
    # Handing in an empty plan: a message and back to the plan page.
    Row(
        "coaching:plan_submit",
        expect(403, resident=REDIRECT),
        kwargs=started_plan,
        method="post",
    ),
    # A made-up token: the page says in plain words that the link does not work.
    Row(
        "coaching:invitation_accept",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"token": "verzonnen-token"},
    ),
    Row(
        "coaching:invitation_renew",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"token": "verzonnen-token"},
        method="post",
    ),
    Row(
        "coaching:resident_invite",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=lambda cast: {"pk": cast.resident.pk},
        method="post",
    ),
    Row("coaching:plan_list", expect(403, coach=200, coordinator=200, other_coach=200)),
    Row("coaching:plan_detail", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:plan_print", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:revision_list", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:revision_detail", DESK_STAFF, kwargs=revision_kwargs),
    Row("coaching:revision_compare", DESK_STAFF, kwargs=plan_pk),
    # Reviews: the desk's staff; a plan of another desk answers 404, like the plan itself.
    Row("coaching:review_queue", expect(403, coach=200, coordinator=200, other_coach=200)),
    Row("coaching:review_start", DESK_STAFF, kwargs=review_start_kwargs),
    Row(
        "coaching:review_start",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=review_start_kwargs,
        method="post",
    ),
    Row("coaching:review_detail", DESK_STAFF, kwargs=review_kwargs),
    # Saving a draft of someone else's review is refused with a message on the page (200).
    Row(
        "coaching:review_detail",
        expect(404, coach=REDIRECT, coordinator=200),
        kwargs=review_kwargs,
        method="post",
        data=lambda cast: {"version": "0"},
    ),
    Row(
        "coaching:review_cosign",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=cosign_review_kwargs,
        method="post",
    ),
    Row(
        "coaching:review_reopen",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=cosign_review_kwargs,
        method="post",
    ),
    # Taking over a draft: the coordinator takes the coach's; the coach is told it is hers
    # already. Both land back on the review.
    Row(
        "coaching:review_take_over",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=review_kwargs,
        method="post",
    ),
    # The desk's review checklist: its coordinator only; everyone else learns nothing (404).
    Row("coaching:checklist_edit", COORDINATOR_ONLY, kwargs=desk_slug),
    Row("coaching:checklist_edit", COORDINATOR_ONLY, kwargs=desk_slug, method="post"),
    Row("coaching:checklist_version", COORDINATOR_ONLY, kwargs=checklist_version_kwargs),
]


# --- The partner's side of a referral (coaching/views/partner.py) ------------------------------
def partner_referral_kwargs(cast):
    from tests.coaching.partner_referrals import cast_referral

    return {"pk": cast_referral(cast).pk}


def partner_answer_data(cast):
    from coaching.models import Referral

    referral = Referral.objects.filter(resident=cast.resident).latest("pk")
    return {"status": "in_progress", "note": "", "version": str(referral.version)}


def answer_link_kwargs(cast):
    """A valid personal link: it works for whoever holds it, logged in or not."""
    from tests.coaching.partner_referrals import cast_referral, link_token

    return {"token": link_token(cast_referral(cast))}


ROWS += [
    # A partner contact's inbox: a page of the role.
    Row("coaching:partner_inbox", expect(403, partner=200)),
    # A referral to her organisation: nobody else learns it exists (404).
    Row("coaching:partner_referral", expect(404, partner=200), kwargs=partner_referral_kwargs),
    Row(
        "coaching:partner_referral",
        expect(404, partner=REDIRECT),
        kwargs=partner_referral_kwargs,
        method="post",
        data=partner_answer_data,
    ),
    # The personal link: the token is the key, whoever holds it; the answer uses it up.
    Row("coaching:referral_answer_link", expect(200, anonymous=200), kwargs=answer_link_kwargs),
    Row(
        "coaching:referral_answer_link",
        expect(REDIRECT, anonymous=REDIRECT),
        kwargs=answer_link_kwargs,
        method="post",
        data=partner_answer_data,
    ),
    # A made-up token: a page that says what to do, and nothing of any referral.
    Row(
        "coaching:referral_answer_link",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"token": "verzonnen-token"},
    ),
]


# --- Mentors and the benefits route (coaching/views/mentors.py) -----------------------------
def mentor_pk(cast):
    from coaching.models import Mentor

    mentor = Mentor.objects.filter(desk=cast.desk).first() or Mentor.objects.create(
        desk=cast.desk, name="Mirjam Mentor", expertise="detailhandel"
    )
    return {"pk": mentor.pk}


def match_pk(cast):
    from coaching.models import MentorMatch

    match = MentorMatch.objects.filter(resident=cast.resident).first()
    if match is None:
        match = MentorMatch.objects.create(
            resident=cast.resident, mentor_id=mentor_pk(cast)["pk"], matched_by=cast.coach
        )
    return {"pk": match.pk}


def resident_pk(cast):
    return {"pk": cast.resident.pk}


ROWS += [
    # The pool: a page of the staff's role (403 for others); each sees the pool of her desk(s).
    Row("coaching:mentor_list", expect(403, coach=200, coordinator=200, other_coach=200)),
    # An empty add form: the messages next to the fields.
    Row(
        "coaching:mentor_list",
        expect(403, coach=200, coordinator=200, other_coach=200),
        method="post",
    ),
    Row("coaching:mentor_edit", DESK_STAFF, kwargs=mentor_pk),
    Row("coaching:mentor_edit", DESK_STAFF, kwargs=mentor_pk, method="post"),
    Row("coaching:mentor_match_new", DESK_STAFF, kwargs=resident_pk),
    Row("coaching:mentor_match_new", DESK_STAFF, kwargs=resident_pk, method="post"),
    Row("coaching:mentor_match_detail", DESK_STAFF, kwargs=match_pk),
    Row(
        "coaching:mentor_match_detail",
        DESK_STAFF,
        kwargs=match_pk,
        method="post",
        data=lambda cast: {"action": "meeting"},
    ),
    Row("coaching:benefits_consultation_new", DESK_STAFF, kwargs=resident_pk),
    Row("coaching:benefits_consultation_new", DESK_STAFF, kwargs=resident_pk, method="post"),
]


# --- The coach's side of a referral (coaching/views/referrals.py) ------------------------------
def coach_consent_kwargs(cast):
    from tests.coaching.referral_makers import cast_partner, make_consent

    return {"pk": make_consent(cast.resident, cast_partner(cast), by=cast.coach).pk}


def coach_draft_kwargs(cast):
    from tests.coaching.referral_makers import make_draft

    return {"pk": make_draft(cast).pk}


def coach_sent_kwargs(cast):
    from coaching.referrals import send_referral
    from tests.coaching.referral_makers import make_draft

    referral = send_referral(referral=make_draft(cast), by=cast.coach, site="http://testserver")
    return {"pk": referral.pk}


def coach_withdraw_data(cast):
    from coaching.models import Referral

    referral = Referral.objects.filter(resident=cast.resident).latest("pk")
    return {"reason": "Verkeerde partner", "version": str(referral.version)}


ROWS += [
    # The resident's consents and what was shared: the staff of her desk (404 for the rest).
    Row("coaching:resident_sharing", DESK_STAFF, kwargs=lambda cast: {"pk": cast.resident.pk}),
    Row("coaching:partner_consent_new", DESK_STAFF, kwargs=lambda cast: {"pk": cast.resident.pk}),
    # An empty form: the messages next to the fields.
    Row(
        "coaching:partner_consent_new",
        DESK_STAFF,
        kwargs=lambda cast: {"pk": cast.resident.pk},
        method="post",
    ),
    Row(
        "coaching:partner_consent_withdraw",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=coach_consent_kwargs,
        method="post",
    ),
    # The resident's own overview: a page of her own (403 for other roles).
    Row("coaching:own_sharing", RESIDENT_ONLY),
    Row("coaching:referral_new", DESK_STAFF, kwargs=lambda cast: {"pk": cast.resident.pk}),
    Row(
        "coaching:referral_new",
        DESK_STAFF,
        kwargs=lambda cast: {"pk": cast.resident.pk},
        method="post",
    ),
    # The desk's referrals: a page of the staff role (another desk's coach sees her own).
    Row("coaching:referral_list", expect(403, coach=200, coordinator=200, other_coach=200)),
    Row("coaching:referral_detail", DESK_STAFF, kwargs=coach_draft_kwargs),
    Row(
        "coaching:referral_send",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=coach_draft_kwargs,
        method="post",
    ),
    Row(
        "coaching:referral_resend",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=coach_sent_kwargs,
        method="post",
    ),
    Row(
        "coaching:referral_withdraw",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=coach_draft_kwargs,
        method="post",
        data=coach_withdraw_data,
    ),
]


# --- The Qredits application (issue 11) -------------------------------------------------------
# Each row makes what it needs for cast.resident: a plan a concluded review found ready, and
# (but for application_new) an application of it.
def ready_plan_kwargs(cast):
    from tests.coaching.applications import ready_plan

    return {"pk": ready_plan(cast).pk}


def _application(cast):
    from coaching.models import LoanApplication
    from tests.coaching.applications import make_application

    existing = LoanApplication.objects.filter(plan__resident=cast.resident).first()
    return existing or make_application(cast)


def application_kwargs(cast):
    return {"pk": _application(cast).pk}


def enclosure_kwargs(cast):
    from coaching.models import Enclosure

    return {"pk": _application(cast).enclosures.get(kind=Enclosure.Kind.QUOTES).pk}


def upload_kwargs(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coaching.models import Enclosure
    from coaching.uploads import add_upload

    enclosure = _application(cast).enclosures.get(kind=Enclosure.Kind.QUOTES)
    file = SimpleUploadedFile("offerte.pdf", b"%PDF-1.7\n%%EOF\n")
    return {"pk": add_upload(enclosure=enclosure, file=file, by=cast.coach).pk}


def pack_kwargs(cast, **fields):
    from coaching.models import ApplicationPack

    application = _application(cast)
    pack = ApplicationPack.objects.create(
        application=application,
        number=application.packs.count() + 1,  # a test may ask for several
        requested_by=cast.coach,
        **fields,
    )
    return {"pk": pack.pk}


def ready_pack_kwargs(cast):
    from coaching.models import ApplicationPack

    return pack_kwargs(cast, status=ApplicationPack.Status.READY, pdf=b"%PDF-1.7\n%%EOF\n")


def own_application_kwargs(cast):
    """Her own page has no number in the URL; it needs her application to exist."""
    _application(cast)
    return {}


def resident_kwargs(cast):
    return {"pk": cast.resident.pk}


# The staff's actions answer with a redirect; a form refused (nothing sent) with the page (400).
STAFF_ACTION = expect(404, coach=REDIRECT, coordinator=REDIRECT)
STAFF_REFUSED = expect(404, coach=400, coordinator=400)

ROWS += [
    Row("coaching:application_new", DESK_STAFF, kwargs=ready_plan_kwargs),
    # An empty form comes back with messages (200), and stores nothing.
    Row("coaching:application_new", DESK_STAFF, kwargs=ready_plan_kwargs, method="post"),
    Row("coaching:application_detail", DESK_STAFF, kwargs=application_kwargs),
    Row("coaching:application_edit", DESK_STAFF, kwargs=application_kwargs),
    Row("coaching:application_edit", DESK_STAFF, kwargs=application_kwargs, method="post"),
    Row(
        "coaching:identity_seen",
        STAFF_ACTION,
        kwargs=application_kwargs,
        method="post",
        data=lambda cast: {"seen_on": timezone.localdate().isoformat()},
    ),
    Row("coaching:enclosure_add", DESK_STAFF, kwargs=application_kwargs),
    Row("coaching:enclosure_add", DESK_STAFF, kwargs=application_kwargs, method="post"),
    # Without a status the checklist comes back with the message (400); nothing changes.
    Row("coaching:enclosure_update", STAFF_REFUSED, kwargs=enclosure_kwargs, method="post"),
    Row("coaching:upload_add", STAFF_REFUSED, kwargs=enclosure_kwargs, method="post"),
    # The file: the resident it belongs to, and the staff of her desk.
    Row(
        "coaching:upload_download",
        expect(404, coach=200, coordinator=200, resident=200),
        kwargs=upload_kwargs,
    ),
    Row("coaching:upload_delete", STAFF_ACTION, kwargs=upload_kwargs, method="post"),
    # Her own application: 403 for anyone who is not a resident, as her other own pages.
    Row(
        "coaching:own_application",
        expect(403, resident=200),
        kwargs=own_application_kwargs,
    ),
    Row(
        "coaching:own_upload_add",
        expect(403, resident=400),
        kwargs=enclosure_kwargs,
        method="post",
    ),
    Row("coaching:pack_new", STAFF_ACTION, kwargs=application_kwargs, method="post"),
    Row("coaching:pack_status", DESK_STAFF, kwargs=pack_kwargs),
    Row("coaching:pack_pdf", DESK_STAFF, kwargs=ready_pack_kwargs),
    Row("coaching:pack_sent", STAFF_ACTION, kwargs=ready_pack_kwargs, method="post"),
    Row("coaching:application_decision", DESK_STAFF, kwargs=application_kwargs),
    Row("coaching:application_decision", DESK_STAFF, kwargs=application_kwargs, method="post"),
    Row("coaching:business_start", DESK_STAFF, kwargs=resident_kwargs),
    Row("coaching:business_start", DESK_STAFF, kwargs=resident_kwargs, method="post"),
]
