"""Query budgets (issue 15): every page that shows rows, or one thing with its child rows, runs
a fixed number of queries, whatever the number of rows.

One case per page: ``fill(cast, n)`` makes ``n`` rows of what the page lists (and returns the
URL's kwargs), the role that looks at it, and the budget: the number of queries the page runs,
measured. The test loads the page with 1 row and with 50 rows (each in a savepoint of its own,
after one request to warm up the session) and asserts

- that both run the same number of queries (else: a query per row, an N+1; the message shows
  the queries that repeat), and
- that both stay within the budget (``django_assert_max_num_queries``).

A budget is the measured count, not padded: a page that gains a query fails here, and whoever
adds it raises the budget on purpose (docs/performance.md "Query budgets").

Every GET page of the project (the access matrix's rows) has a case here, or is named in
``NOT_A_LIST`` with the reason it shows no rows.
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from coaching.models import (
    BenefitsConsultation,
    BusinessPlan,
    Mentor,
    MentorMatch,
    MentorMeeting,
    PartnerConsent,
    PlanRevision,
    Referral,
    ReferralEvent,
    Review,
    ReviewComment,
    ReviewItem,
)
from intake.models import (
    Conversation,
    Correction,
    DataCopy,
    NextStep,
    PlannedErasure,
    Resident,
    Stage,
    StageChange,
)
from ondernemerspunt.models import (
    AuditEntry,
    Membership,
    Neighbourhood,
    Partner,
    ProgressReport,
    User,
    YearTarget,
)
from tests.access_matrix import Row, expect, url_names
from tests.coaching.examples import SALON
from tests.coaching.partner_referrals import cast_referral, consent_for, partner_of
from tests.factories import make_plan
from tests.test_access_matrix import ALL_ROWS

D = datetime.date
SITE = "http://testserver"
MANY = 50
SLACK = 2  # a budget may be this much above the measured count, no more
LIMITS = {"min_own_funds_percent": 30, "max_loan_amount": "35000"}


@dataclass
class Budget:
    name: str  # the URL's name
    role: str
    fill: Callable  # fill(cast, n) -> the URL's kwargs (or None)
    budget: int
    query: dict = field(default_factory=dict)
    # The page lists the rows (it grows with them); else it shows a count or the newest only,
    # and only has to differ.
    grows: bool = True
    xfail: str = ""  # a known N+1, with the reason it is not mended yet


# --- Makers: many rows at once (bulk_create where the rows need no rules) -------------------


def bulk_residents(cast, n, *, coach=None, **fields) -> list[Resident]:
    residents = []
    for index in range(n):
        resident = Resident(
            desk=cast.desk,
            coach=coach if coach is not None else cast.coach,
            first_name=fields.get("first_name", "Teller"),
            last_name=f"Rij {index:03d}",
            email=f"rij{index}@example.test",
            postcode="9713 AB",
            date_of_birth=D(1980, 1, 1),
            stage=fields.get("stage", Stage.REGISTERED),
            registered_on=fields.get("registered_on", D(2009, 1, 15)),
        )
        resident.search_text = resident.build_search_text()
        resident.sort_name = resident.build_sort_name()
        residents.append(resident)
    return Resident.objects.bulk_create(residents)


def bulk_conversations(resident, coach, n, *, steps=True, due_on=None):
    conversations = Conversation.objects.bulk_create(
        Conversation(
            resident=resident,
            desk=resident.desk,
            coach=coach,
            held_on=D(2009, 2, 1) + datetime.timedelta(days=index),
            notes=f"Gesprek {index}",
            support_needs=["financing"],
        )
        for index in range(n)
    )
    if steps:
        NextStep.objects.bulk_create(
            NextStep(
                conversation=conversation,
                resident=resident,
                description=f"Stap {index}",
                due_on=due_on or D(2009, 3, 1),
            )
            for index, conversation in enumerate(conversations)
        )
    return conversations


def bulk_stage_changes(resident, by, n):
    stages = [Stage.INTAKE, Stage.IN_TRAJECTORY]
    StageChange.objects.bulk_create(
        StageChange(
            resident=resident,
            desk=resident.desk,
            from_stage=stages[(index + 1) % 2],
            to_stage=stages[index % 2],
            changed_on=D(2009, 1, 16) + datetime.timedelta(days=index),
            changed_by=by,
        )
        for index in range(n)
    )


def bulk_corrections(resident, by, conversations):
    Correction.objects.bulk_create(
        Correction(
            resident=resident,
            kind=Correction.Kind.CONVERSATION_EDITED,
            conversation=conversation,
            before={"notes": "Oude tekst"},
            after={"notes": "Nieuwe tekst"},
            by=by,
        )
        for conversation in conversations
    )


def sent_referrals(cast, n, *, resident=None, overdue=False):
    """``n`` referrals of the resident to the cast's partner, through the rules (each with its
    events and mail), under one consent."""
    from coaching import referrals

    resident = resident or cast.resident
    partner = partner_of(cast.partner)
    consent = consent_for(resident, partner, by=cast.coach)
    made = []
    for index in range(n):
        referral = referrals.create_referral(
            resident=resident,
            partner=partner,
            consent=consent,
            question=f"Vraag {index}",
            by=cast.coach,
        )
        made.append(referrals.send_referral(referral=referral, by=cast.coach, site=SITE))
    if overdue:
        Referral.objects.filter(pk__in=[r.pk for r in made]).update(answer_due_on=D(2009, 1, 1))
    return made


def bulk_events(referral, by, n):
    ReferralEvent.objects.bulk_create(
        ReferralEvent(referral=referral, status=Referral.Status.SENT, by=by, note=f"Notitie {i}")
        for i in range(n)
    )


def bulk_mentors(cast, n):
    partner = Partner.objects.create(desk=cast.desk, name="Mentorpartner", kind=Partner.Kind.KVK)
    return Mentor.objects.bulk_create(
        Mentor(
            desk=cast.desk,
            partner=partner if index % 2 else None,
            name=f"Mentor {index:02d}",
            expertise="detailhandel",
        )
        for index in range(n)
    )


def bulk_matches(cast, resident, n, *, meetings=1):
    matches = MentorMatch.objects.bulk_create(
        MentorMatch(resident=resident, mentor=mentor, matched_by=cast.coach, goal="Winkel")
        for mentor in bulk_mentors(cast, n)
    )
    MentorMeeting.objects.bulk_create(
        MentorMeeting(match=match, held_on=D(2009, 2, 20), notes="Eerste", recorded_by=cast.coach)
        for match in matches
        for _m in range(meetings)
    )
    return matches


def handed_in(cast, residents):
    """A plan handed in for each resident: a version waiting for review."""
    plans = [make_plan(resident, SALON) for resident in residents]
    return PlanRevision.objects.bulk_create(
        PlanRevision(
            plan=plan,
            number=1,
            snapshot={"sections": SALON, "limits": LIMITS},
            submitted_by=cast.coach,
        )
        for plan in plans
    )


def bulk_revisions(plan, n, by):
    return PlanRevision.objects.bulk_create(
        PlanRevision(
            plan=plan,
            number=number,
            snapshot={
                "sections": SALON,
                "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000"},
            },
            submitted_by=by,
        )
        for number in range(1, n + 1)
    )


def concluded_reviews(cast, plan, n):
    """``n`` versions of the plan, each with a concluded review (its verdicts and a comment)."""
    from coaching.reviews import current_checklist

    checklist = current_checklist(cast.desk)
    items = list(checklist.items.all())
    revisions = bulk_revisions(plan, n, cast.resident_user)
    now = timezone.now()
    reviews = Review.objects.bulk_create(
        Review(
            revision=revision,
            checklist=checklist,
            coach=cast.coach,
            status="concluded",
            outcome="ready",
            concluded_at=now,
        )
        for revision in revisions
    )
    ReviewItem.objects.bulk_create(
        ReviewItem(review=review, item=item, verdict="fine") for review in reviews for item in items
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(review=review, section=section, text=f"Opmerking {section}")
        for review in reviews
        for section in ("", "financing")
    )
    BusinessPlan.objects.filter(pk=plan.pk).update(status="draft")
    return reviews


def long_checklist(cast, n):
    from coaching import reviews
    from coaching.reviews import ItemDraft

    current = reviews.current_checklist(cast.desk)
    return reviews.save_checklist(
        desk=cast.desk,
        items=[ItemDraft(topic="market", text=f"Punt {index}") for index in range(n)],
        based_on=current.version,
        by=cast.coordinator,
    )


# --- The fills: n rows of what each page lists; the URL's kwargs ----------------------------


def desk_kwargs(cast):
    return {"slug": cast.desk.slug}


def resident_kwargs(cast):
    return {"pk": cast.resident.pk}


def fill_coach_home(cast, n):
    """Open next steps (overdue and to come) of the coach's residents, versions waiting for
    review, overdue referrals."""
    residents = bulk_residents(cast, n)
    for resident in residents:
        bulk_conversations(resident, cast.coach, 1, due_on=D(2009, 3, 1))
    bulk_conversations(
        cast.resident, cast.coach, n, due_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    handed_in(cast, residents)
    sent_referrals(cast, n, overdue=True)


def fill_partner_home(cast, n):
    sent_referrals(cast, n)


def fill_resident_home(cast, n):
    plan = make_plan(cast.resident, SALON)
    concluded_reviews(cast, plan, n)


def fill_residents(cast, n):
    """The coach's residents with a conversation and a next step each (the list shows the
    first)."""
    for resident in bulk_residents(cast, n, first_name="Zoek"):
        bulk_conversations(resident, cast.coach, 1)


def fill_resident_page(cast, n):
    """The resident's file with n of everything the timeline and panels show."""
    plan = make_plan(cast.resident, SALON)
    concluded_reviews(cast, plan, n)
    conversations = bulk_conversations(cast.resident, cast.coach, n)
    bulk_stage_changes(cast.resident, cast.coach, n)
    bulk_corrections(cast.resident, cast.coordinator, conversations)
    sent_referrals(cast, n)
    bulk_matches(cast, cast.resident, n)
    BenefitsConsultation.objects.bulk_create(
        BenefitsConsultation(
            resident=cast.resident,
            desk=cast.desk,
            held_on=D(2009, 3, 1),
            with_whom=BenefitsConsultation.With.choices[0][0],
            outcome=BenefitsConsultation.Outcome.choices[0][0],
            recorded_by=cast.coach,
        )
        for _n in range(n)
    )
    PartnerConsent.objects.bulk_create(
        PartnerConsent(
            resident=cast.resident,
            partner=partner_of(cast.partner),
            purpose=f"Doel {index}",
            fields=["contact"],
            valid_until=timezone.localdate() + datetime.timedelta(days=90),
            recorded_by=cast.coach,
        )
        for index in range(n)
    )
    return resident_kwargs(cast)


def fill_stage_page(cast, n):
    bulk_stage_changes(cast.resident, cast.coach, n)
    return resident_kwargs(cast)


def fill_plans(cast, n):
    residents = bulk_residents(cast, n)
    for plan in [make_plan(resident, SALON) for resident in residents]:
        bulk_revisions(plan, 2, cast.coach)


def fill_plan_versions(cast, n):
    plan = make_plan(cast.resident, SALON)
    concluded_reviews(cast, plan, n)
    return {"pk": plan.pk}


def fill_review_queue(cast, n):
    revisions = handed_in(cast, bulk_residents(cast, n))
    from tests.factories import make_review

    for revision in revisions[::3]:
        make_review(revision, coach=cast.coordinator)


def fill_review_detail(cast, n):
    from tests.factories import make_review, make_revision

    long_checklist(cast, n)
    plan = make_plan(cast.resident, SALON)
    review = make_review(make_revision(plan), coach=cast.coach)
    return {"pk": plan.pk, "review": review.pk}


def fill_checklist(cast, n):
    long_checklist(cast, n)
    return {"desk": cast.desk.slug}


def fill_checklist_version(cast, n):
    return {"desk": cast.desk.slug, "version": long_checklist(cast, n).version}


def fill_own_reviews(cast, n):
    concluded_reviews(cast, make_plan(cast.resident, SALON), n)


def fill_audit_trail(cast, n):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            desk=cast.desk,
            actor=cast.coach,
            action="viewed",
            resident_id=cast.resident.pk,
            what=f"regel {index}",
        )
        for index in range(n)
    )


def busy_residents(cast, n):
    """Residents who registered, had an intake and entered the trajectory in 2009."""
    residents = bulk_residents(cast, n)
    StageChange.objects.bulk_create(
        StageChange(
            resident=resident,
            desk=cast.desk,
            to_stage=stage,
            changed_on=D(2009, 1 + index % 6, day),
            changed_by=cast.coach,
        )
        for index, resident in enumerate(residents)
        for stage, day in [(Stage.REGISTERED, 2), (Stage.INTAKE, 9), (Stage.IN_TRAJECTORY, 20)]
    )
    Conversation.objects.bulk_create(
        Conversation(
            resident=resident,
            desk=cast.desk,
            coach=cast.coach,
            held_on=D(2009, 3, 3),
            kind="intake",
        )
        for resident in residents
    )
    return {"slug": cast.desk.slug, "year": 2009}


def fill_progress_reports(cast, n):
    ProgressReport.objects.bulk_create(
        ProgressReport(
            desk=cast.desk,
            year=2009,
            quarter=1 + index % 4,
            as_of=D(2009, 3, 31),
            requested_by=cast.coordinator,
            status=ProgressReport.Status.READY,
            pdf=b"%PDF-1.7",
        )
        for index in range(n)
    )
    return {"slug": cast.desk.slug, "year": 2009}


def fill_people(cast, n):
    users = User.objects.bulk_create(
        User(email=f"mens{index}@example.test", full_name=f"Mens {index}") for index in range(n)
    )
    partner = partner_of(cast.partner)
    Membership.objects.bulk_create(
        Membership(
            user=user,
            desk=cast.desk,
            role="partner" if index % 3 == 0 else "coach",
            partner=partner if index % 3 == 0 else None,
            is_active=index % 5 != 0,
        )
        for index, user in enumerate(users)
    )
    return desk_kwargs(cast)


def fill_partners(cast, n):
    Partner.objects.bulk_create(
        Partner(desk=cast.desk, name=f"Partner {index:02d}", kind=Partner.Kind.KVK)
        for index in range(n)
    )
    return desk_kwargs(cast)


def fill_neighbourhoods(cast, n):
    Neighbourhood.objects.bulk_create(
        Neighbourhood(
            desk=cast.desk, name=f"Wijk {index:02d}", postcode_from="9700AA", postcode_to="9712ZZ"
        )
        for index in range(n)
    )
    return desk_kwargs(cast)


def fill_targets(cast, n):
    YearTarget.objects.bulk_create(
        YearTarget(desk=cast.desk, year=2010 + index, participants=40) for index in range(n)
    )
    return desk_kwargs(cast)


def fill_retention(cast, n):
    PlannedErasure.objects.bulk_create(
        PlannedErasure(resident=resident, desk=cast.desk, reason=PlannedErasure.Reason.RETENTION)
        for resident in bulk_residents(cast, n)
    )


def fill_data_copies(cast, n, *, by=None):
    DataCopy.objects.bulk_create(
        DataCopy(
            resident=cast.resident,
            requested_by=by or cast.coordinator,
            status=DataCopy.Status.READY,
            pdf=b"%PDF-1.7",
        )
        for _n in range(n)
    )
    return resident_kwargs(cast)


def fill_referrals(cast, n):
    sent_referrals(cast, n)


def fill_referral_detail(cast, n):
    (referral,) = sent_referrals(cast, 1)
    bulk_events(referral, cast.coach, n)
    return {"pk": referral.pk}


def fill_sharing(cast, n):
    PartnerConsent.objects.bulk_create(
        PartnerConsent(
            resident=cast.resident,
            partner=partner_of(cast.partner),
            purpose=f"Doel {index}",
            fields=["contact"],
            valid_until=timezone.localdate() + datetime.timedelta(days=90),
            recorded_by=cast.coach,
        )
        for index in range(n)
    )
    sent_referrals(cast, n)
    return resident_kwargs(cast)


def fill_partner_referral(cast, n):
    referral = cast_referral(cast)
    bulk_events(referral, cast.coach, n)
    return {"pk": referral.pk}


def fill_mentors(cast, n):
    bulk_matches(cast, cast.resident, n)


def fill_match_detail(cast, n):
    (match,) = bulk_matches(cast, cast.resident, 1, meetings=n)
    return {"pk": match.pk}


def fill_mentor_edit(cast, n):
    """One mentor with n matches (of n residents)."""
    (mentor,) = bulk_mentors(cast, 1)
    MentorMatch.objects.bulk_create(
        MentorMatch(resident=resident, mentor=mentor, matched_by=cast.coach)
        for resident in bulk_residents(cast, n)
    )
    return {"pk": mentor.pk}


def fill_mentor_choices(cast, n):
    bulk_mentors(cast, n)
    return resident_kwargs(cast)


def fill_consent_choices(cast, n):
    fill_sharing(cast, 0)
    PartnerConsent.objects.bulk_create(
        PartnerConsent(
            resident=cast.resident,
            partner=partner,
            purpose="Starterscoaching",
            fields=["contact"],
            valid_until=timezone.localdate() + datetime.timedelta(days=90),
            recorded_by=cast.coach,
        )
        for partner in Partner.objects.bulk_create(
            Partner(desk=cast.desk, name=f"Keuze {index:02d}", kind=Partner.Kind.KVK)
            for index in range(n)
        )
    )
    return resident_kwargs(cast)


def fill_coach_choices(cast, n):
    fill_people(cast, n)
    return resident_kwargs(cast)


def fill_answer_link(cast, n):
    from tests.coaching.partner_referrals import link_token

    referral = cast_referral(cast)
    bulk_events(referral, cast.coach, n)
    return {"token": link_token(referral)}


def fill_evenings(cast, n):
    """``n`` coming evenings of the desk, each with a registration and a speaker."""
    from intake.models import Speaker
    from tests.factories import make_evening, make_registration

    for index in range(n):
        evening = make_evening(cast.desk, days_ahead=10 + index, title=f"Avond {index:02d}")
        make_registration(evening)
        Speaker.objects.create(evening=evening, kind=Speaker.Kind.COACH, coach=cast.coach)
    return {"slug": cast.desk.slug}


def fill_registrations(cast, n, *, walk_ins=True):
    """One evening of the desk with ``n`` registrations (some waiting, some walk-ins)."""
    from intake.models import Registration
    from tests.factories import make_evening, make_registration

    evening = make_evening(cast.desk, capacity=max(n // 2, 1))
    for index in range(n):
        status = Registration.Status.WAITING if index % 3 == 2 else Registration.Status.REGISTERED
        make_registration(
            evening,
            name=f"Bezoeker {index:03d}",
            status=status,
            walk_in=walk_ins and index % 5 == 4,
        )
    return {"pk": evening.pk}


def fill_speakers(cast, n):
    from intake.models import Speaker
    from tests.factories import make_evening

    evening = make_evening(cast.desk)
    Speaker.objects.bulk_create(
        Speaker(evening=evening, kind=Speaker.Kind.ENTREPRENEUR, name=f"Spreker {index}")
        for index in range(n)
    )
    return {"slug": cast.desk.slug, "pk": evening.pk}


def fill_evening_list(cast, n):
    fill_evenings(cast, n)


def fill_enclosures(cast, n):
    """An application of the cast's resident with ``n`` more documents, each with a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coaching.models import Enclosure
    from coaching.uploads import add_upload
    from tests.coaching.applications import make_application

    application = make_application(cast)
    for index in range(n):
        enclosure = Enclosure.objects.create(
            application=application,
            kind=Enclosure.Kind.OTHER,
            title=f"Document {index}",
            position=10 + index,
        )
        file = SimpleUploadedFile(f"bijlage-{index}.pdf", b"%PDF-1.7\n%%EOF\n")
        add_upload(enclosure=enclosure, file=file, by=cast.coach)
    return {"pk": application.pk}


def own(fill):
    """The resident's own page: her URL holds no number, whatever the fill returns."""

    def fill_own(cast, n):
        fill(cast, n)

    return fill_own


CASES = {
    # Home pages: what each role sees first.
    "home (coach)": Budget("home", "coach", fill_coach_home, 10),
    "home (coordinator)": Budget("home", "coordinator", fill_coach_home, 11),
    "home (partner)": Budget("home", "partner", fill_partner_home, 7),
    # The resident's home is her plan: it shows the newest review only (many behind it).
    "home (resident)": Budget("home", "resident", fill_resident_home, 11, grows=False),
    # Residents.
    "resident list": Budget("intake:resident_list", "coach", fill_residents, 7),
    "resident list, searched and filtered": Budget(
        "intake:resident_list",
        "coach",
        fill_residents,
        9,
        query={"q": "zoek", "stage": "registered", "sort": "next_step"},
    ),
    "my residents": Budget("intake:my_residents", "coach", fill_residents, 6),
    # 25 since issue 11: the panel with the Qredits application and the business start.
    "resident page": Budget("intake:resident_detail", "coach", fill_resident_page, 25),
    "stage page": Budget("intake:stage_change", "coach", fill_stage_page, 7),
    "retention list": Budget("intake:retention_list", "coordinator", fill_retention, 7),
    "data copy page": Budget("intake:data_copy", "coordinator", fill_data_copies, 6),
    "own data copy page": Budget(
        "intake:own_data_copy",
        "resident",
        own(lambda cast, n: fill_data_copies(cast, n, by=cast.resident_user)),
        5,
    ),
    # Plans and reviews.
    "plan list": Budget("coaching:plan_list", "coach", fill_plans, 7),
    # One more query since issue 11: the plan's Qredits application, if any.
    "plan detail": Budget("coaching:plan_detail", "coach", fill_plan_versions, 10),
    "revision list": Budget("coaching:revision_list", "coach", fill_plan_versions, 8),
    "review queue": Budget("coaching:review_queue", "coordinator", fill_review_queue, 7),
    "review detail": Budget("coaching:review_detail", "coach", fill_review_detail, 11),
    "checklist": Budget("coaching:checklist_edit", "coordinator", fill_checklist, 9),
    "checklist version": Budget(
        "coaching:checklist_version", "coordinator", fill_checklist_version, 8
    ),
    "own plan": Budget("coaching:plan_home", "resident", fill_resident_home, 12, grows=False),
    "own reviews": Budget("coaching:own_reviews", "resident", fill_own_reviews, 8),
    # Referrals and mentors.
    "referral list": Budget("coaching:referral_list", "coach", fill_referrals, 7),
    "referral detail": Budget("coaching:referral_detail", "coach", fill_referral_detail, 7),
    "resident sharing": Budget("coaching:resident_sharing", "coach", fill_sharing, 8),
    "own sharing": Budget("coaching:own_sharing", "resident", own(fill_sharing), 6),
    "partner inbox": Budget("coaching:partner_inbox", "partner", fill_referrals, 7),
    "partner referral": Budget("coaching:partner_referral", "partner", fill_partner_referral, 8),
    "mentor list": Budget("coaching:mentor_list", "coach", fill_mentors, 7),
    "mentor match detail": Budget("coaching:mentor_match_detail", "coach", fill_match_detail, 7),
    # Forms whose choices are rows: one query for all of them.
    "mentor edit (its matches)": Budget("coaching:mentor_edit", "coach", fill_mentor_edit, 7),
    "new mentor match (mentors to choose)": Budget(
        "coaching:mentor_match_new", "coach", fill_mentor_choices, 8
    ),
    "new referral (consents to choose)": Budget(
        "coaching:referral_new", "coach", fill_consent_choices, 11
    ),
    "coach change (coaches to choose)": Budget(
        "intake:coach_change", "coordinator", fill_coach_choices, 6
    ),
    "answer link (a referral's events)": Budget(
        "coaching:referral_answer_link", "anonymous", fill_answer_link, 4
    ),
    # A copy of the resident's data: everything she has, as JSON.
    # 28 since issue 11: her applications and her business start (2 more queries here; with
    # applications 5, as many for one as for many: enclosures, uploads and packs prefetched).
    "data copy JSON": Budget("intake:data_copy_json", "coordinator", fill_resident_page, 28),
    "own data copy JSON": Budget(
        "intake:own_data_copy_json",
        "resident",
        own(fill_resident_page),
        29,  # 29 since issue 11, as above
    ),
    # The audit trail and progress.
    "audit trail": Budget("audit_trail", "coordinator", fill_audit_trail, 8),
    "audit trail CSV": Budget("audit_trail_csv", "coordinator", fill_audit_trail, 8),
    # One more query each since issue 11: still trading after 12 months.
    "progress dashboard": Budget("progress_dashboard", "project_group", busy_residents, 19),
    # Figures, not rows: they change with the rows.
    "progress JSON": Budget("progress_json", "project_group", busy_residents, 18, grows=False),
    "progress CSV": Budget("progress_csv", "project_group", busy_residents, 18),
    "progress reports": Budget("progress_reports", "coordinator", fill_progress_reports, 6),
    # Desk management.
    # The overview shows how many people, not who.
    "desk management": Budget("desk_manage", "coordinator", fill_people, 7, grows=False),
    "desk people": Budget("desk_people", "coordinator", fill_people, 6),
    "desk partners": Budget("desk_partners", "coordinator", fill_partners, 6),
    "desk neighbourhoods": Budget("desk_neighbourhoods", "coordinator", fill_neighbourhoods, 6),
    "desk targets": Budget("desk_targets", "coordinator", fill_targets, 6),
    # The Qredits application (issue 11): its documents and their files.
    # 11 since the second review: whether a newer plan version was found ready (2 queries).
    "application": Budget("coaching:application_detail", "coach", fill_enclosures, 11),
    "own application": Budget("coaching:own_application", "resident", own(fill_enclosures), 9),
    # Info evenings.
    "evening list": Budget("intake:evening_list", "coach", fill_evening_list, 5),
    "evening (its registrations)": Budget("intake:evening_detail", "coach", fill_registrations, 7),
    "door list": Budget("intake:evening_door", "coach", fill_registrations, 6),
    "public evening list": Budget("intake:public_evenings", "anonymous", fill_evenings, 2),
    "public evening (its speakers)": Budget("intake:public_evening", "anonymous", fill_speakers, 3),
}

# GET pages that show no rows: a form, a file, a redirect, one thing without child rows.
NOT_A_LIST = {
    "login": "a form",
    "password_reset": "a form",
    "password_reset_done": "a message",
    "password_reset_confirm": "a form",
    "password_reset_complete": "a message",
    "second_factor_verify": "a form",
    "second_factor_setup": "a form",
    "second_factor_codes": "a fixed number of recovery codes",
    "second_factor_codes_download": "a fixed number of recovery codes",
    "session_keep_alive": "POST only (its GET row expects 405)",
    "progress_index": "a redirect to the dashboard (a list of desks only for the staff of many)",
    "progress_desk": "a redirect to this year's dashboard",
    "progress_report_pdf": "a stored PDF, sent as it is",
    "desk_invite": "a form",
    "desk_membership_edit": "a form for one membership",
    "desk_membership_deactivate": "POST only (its GET row expects 405)",
    "desk_membership_reactivate": "POST only (its GET row expects 405)",
    "desk_invitation_resend": "POST only (its GET row expects 405)",
    "desk_settings": "a form for the desk",
    "desk_target_edit": "a form for one year",
    "desk_neighbourhood_edit": "a form for one neighbourhood",
    "desk_neighbourhood_delete": "a question about one neighbourhood",
    "desk_partner_edit": "a form for one partner",
    "invitation_accept_staff": "a form (the invitation link)",
    "intake:resident_new": "a form",
    "intake:resident_edit": "a form for one file",
    "intake:conversation_new": "a form",
    "intake:conversation_edit": "a form for one conversation",
    "intake:next_step_edit": "a form for one next step",
    "intake:consent_withdraw": "a question about one file",
    "intake:resident_erase": "a question about one file",
    "intake:data_copy_pdf": "a stored PDF, sent as it is",
    "intake:own_data_copy_pdf": "a stored PDF, sent as it is",
    "coaching:own_plan_print": "the plan's fixed parts, no rows",
    "coaching:section_edit": "a form for one part of the plan",
    "coaching:invitation_accept": "a form (the invitation link)",
    "coaching:plan_print": "the plan's fixed parts, no rows",
    "coaching:revision_detail": "one frozen version, no rows",
    "coaching:revision_compare": "two frozen versions side by side, no rows",
    "coaching:review_start": "a question about one version",
    "coaching:partner_consent_new": "a form",
    "coaching:benefits_consultation_new": "a form",
    "coaching:application_new": "a form",
    "coaching:application_edit": "a form for one application",
    "coaching:enclosure_add": "a form",
    "coaching:upload_download": "one stored file, sent as it is",
    "coaching:pack_status": "one version's status",
    "coaching:pack_pdf": "a stored PDF, sent as it is",
    "coaching:application_decision": "a form for one application",
    "coaching:business_start": "a form for one resident",
    "intake:evening_new": "a form",
    "intake:evening_edit": "a form for one evening",
    "intake:evening_cancel": "a question about one evening",
    "intake:speaker_add": "a form",
    "intake:registration_to_resident": "a form for one registration",
    "intake:registration_to_contact": "a form for one registration",
    "intake:public_registered": "a message",
    "intake:public_evening_ics": "one evening as a calendar file",
    "intake:registration_cancel": "a question about one registration",
}


def get_pages(rows=ALL_ROWS) -> set[str]:
    """Every URL name the access matrix loads with GET."""
    return {row.name for row in rows if row.method == "get"}


def unbudgeted(rows=ALL_ROWS) -> set[str]:
    return get_pages(rows) - {case.name for case in CASES.values()} - set(NOT_A_LIST)


def test_every_get_page_has_a_budget_or_a_reason():
    assert unbudgeted() == set(), (
        "a GET page without a query budget: add a case to CASES, or say in NOT_A_LIST why it "
        "shows no rows"
    )
    # No stale names, and no page in both.
    budgeted = {case.name for case in CASES.values()}
    assert (budgeted | set(NOT_A_LIST)) <= url_names()
    assert budgeted.isdisjoint(NOT_A_LIST)
    assert all(NOT_A_LIST.values())


def test_a_get_page_without_a_case_makes_the_suite_fail():
    extra = Row("extra_page_nobody_listed", expect(200))
    assert unbudgeted([*ALL_ROWS, extra]) == {"extra_page_nobody_listed"}


def normalised(sql: str) -> str:
    return re.sub(r"\b\d+\b", "N", sql)


def repeating(one, many) -> str:
    """The queries the page with many rows runs more often than the page with one."""
    few = Counter(normalised(q["sql"]) for q in one)
    lots = Counter(normalised(q["sql"]) for q in many)
    grown = [(count - few[sql], sql) for sql, count in lots.items() if count > few[sql]]
    return "\n".join(f"+{extra}x {sql}" for extra, sql in sorted(grown, reverse=True))


def measure(case, cast, client, n, django_assert_max_num_queries, *, compare_with=None):
    """The queries of the page with ``n`` rows, in a savepoint that is rolled back; with
    ``compare_with`` (the queries with one row) the counts must be equal."""
    with transaction.atomic():
        kwargs = case.fill(cast, n) or {}
        url = reverse(case.name, kwargs=kwargs)
        client.get(url, case.query)  # the session and memberships settle
        with django_assert_max_num_queries(case.budget):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, case.query)
            assert response.status_code == 200, (case.name, n, response)
            if compare_with is not None:
                # Before the budget: a query per row is named as such.
                assert len(queries) == len(compare_with), (
                    f"{case.name}: {len(compare_with)} queries with 1 row, {len(queries)} with "
                    f"{n}; these repeat:\n" + repeating(compare_with, queries.captured_queries)
                )
        transaction.set_rollback(True)
    return queries.captured_queries, response.content


def xfail_if_known(name, case):
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=name, marks=marks)


@pytest.mark.parametrize("case", [xfail_if_known(name, case) for name, case in CASES.items()])
def test_the_page_runs_a_fixed_number_of_queries(
    case, cast, client_for, django_assert_max_num_queries
):
    client = client_for(case.role)
    one, page_with_one = measure(case, cast, client, 1, django_assert_max_num_queries)
    # The budget is the measured count: a page that got cheaper lowers it, so that a new query
    # shows up here instead of filling the gap.
    assert len(one) >= case.budget - SLACK, f"{case.name} runs {len(one)}: lower its budget"
    _many, page_with_many = measure(
        case, cast, client, MANY, django_assert_max_num_queries, compare_with=one
    )
    # The rows are on the page: none was left out to save queries, and the fill filled it.
    if case.grows:
        assert len(page_with_many) > len(page_with_one)
    else:
        assert page_with_many != page_with_one


# --- The test itself: a query per row fails, and says which query --------------------------
def one_query_per_line(request):
    """A page with an N+1: each line's actor is read on its own."""
    return HttpResponse(", ".join(line.actor.full_name for line in AuditEntry.objects.all()))


urlpatterns = [path("een-query-per-regel/", one_query_per_line, name="one_query_per_line")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_query_per_row_fails_and_names_the_query(cast, client_for, django_assert_max_num_queries):
    case = Budget("one_query_per_line", "coordinator", fill_audit_trail, budget=20)
    client = client_for(case.role)
    one, _page = measure(case, cast, client, 1, django_assert_max_num_queries)
    with pytest.raises(
        AssertionError, match=r"these repeat:\n\s*\+49x SELECT .*ondernemerspunt_user"
    ):
        measure(case, cast, client, MANY, django_assert_max_num_queries, compare_with=one)
