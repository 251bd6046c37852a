"""Withdrawing consent, erasure on request and the retention period (intake/erasure.py).

The canary: a resident whose name, contact details and texts are planted in every place the
application keeps something about her is erased; then no table of the database holds any of it,
and the desk's progress figures are exactly what they were.
"""

import datetime
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from coaching.models import (
    ApplicationPack,
    BenefitsConsultation,
    BusinessPlan,
    BusinessStart,
    Enclosure,
    LoanApplication,
    Mentor,
    MentorMatch,
    MentorMeeting,
    PartnerConsent,
    PlanInvitation,
    PlanSection,
    Referral,
    ReferralEvent,
    ReferralLink,
    Review,
    ReviewComment,
    Upload,
)
from intake import erasure, privacy, services
from intake.evenings import PERSONAL_FIELDS
from intake.models import (
    Consent,
    Conversation,
    Correction,
    DataCopy,
    InfoEvening,
    NextStep,
    PlannedErasure,
    Registration,
    Resident,
    Situation,
    Source,
    Stage,
    StageChange,
)
from ondernemerspunt import worker as worker_module
from ondernemerspunt.accounts import send_password_reset_mail
from ondernemerspunt.models import AuditEntry, Desk, Membership, User
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.services import record_audit
from tests.factories import (
    make_conversation,
    make_evening,
    make_member,
    make_partner,
    make_plan,
    make_registration,
    make_resident,
    make_review,
    make_revision,
    make_user,
)
from tests.intake.form_data import edit_data

D = datetime.date
EMAIL = "quirinella.zwanepoelstra@example.test"
# Every planted text holds one of these; none may be left anywhere after the erasure.
CANARIES = ["Quirinella", "Zwanepoelstra", "31415926", "kanarie"]


def plant(cast) -> Resident:
    """A resident with something personal in every place the application keeps it."""
    user = make_user("Quirinella Zwanepoelstra", email=EMAIL)
    resident = make_resident(
        cast.desk,
        user=user,
        coach=cast.coach,
        consent_by=cast.coach,
        first_name="Quirinella",
        last_name="Zwanepoelstra",
        email=EMAIL,
        phone="0631415926",
        street="Kanariestraat 7",
        city="Kanariedorp",
        business_idea="Kanarie-oppas aan huis",
        sector="kanariezorg",
        languages="Kanarietaal",
        situation=Situation.BENEFITS_WW,
        source=Source.FLYER,
        neighbourhood=cast.desk.neighbourhoods.first(),
        registered_on=D(2009, 1, 15),
    )
    StageChange.objects.create(
        resident=resident,
        desk=cast.desk,
        to_stage=Stage.REGISTERED,
        changed_on=D(2009, 1, 15),
        changed_by=cast.coach,
        note="kanarie: aangemeld op de infoavond",
    )
    conversation = make_conversation(
        resident,
        coach=cast.coach,
        kind=Conversation.Kind.INTAKE,
        held_on=D(2009, 2, 2),
        notes="Quirinella vertelt over haar kanarie-idee",
        support_needs=["financing"],
        next_steps=[("Offerte voor kanariekooien opvragen", D(2009, 3, 1))],
    )
    services.change_stage(resident=resident, to_stage=Stage.INTAKE, on=D(2009, 2, 2), by=cast.coach)
    services.change_stage(
        resident=resident,
        to_stage=Stage.IN_TRAJECTORY,
        on=D(2009, 3, 2),
        by=cast.coach,
        note="kanarie: het plan is haalbaar",
    )
    make_conversation(resident, coach=cast.coach, held_on=D(2009, 4, 6), notes="kanarie 2")
    Correction.objects.create(
        resident=resident,
        kind=Correction.Kind.CONVERSATION_EDITED,
        conversation=conversation,
        before={"notes": "kanarie, eerste versie"},
        after={"notes": "kanarie, tweede versie"},
        by=cast.coach,
    )
    DataCopy.objects.create(
        resident=resident,
        requested_by=cast.coordinator,
        status=DataCopy.Status.READY,
        pdf=b"%PDF kanarie Quirinella",
    )
    plan = make_plan(resident, {"entrepreneur": {"motivation": "Mijn kanarie-oppas, Quirinella"}})
    PlanSection.objects.filter(plan=plan, key="idea").update(autosave={"x": "kanarie getypt"})
    revision = make_revision(plan, by=user)
    review = make_review(revision, coach=cast.coach, follow_up_note="kanarie vervolg")
    ReviewComment.objects.create(review=review, text="Mooi kanarie-plan, Quirinella")
    review.items.update(comment="kanarie opmerking", overrule_reason="kanarie reden")
    PlanInvitation.objects.create(
        resident=resident,
        email=EMAIL,
        token_hash="k" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        created_by=cast.coach,
    )
    plant_referrals_and_mentors(cast, resident)
    plant_evening_registration(cast, resident)
    plant_application(cast, resident, review)
    # Her own login in the (append-only) audit trail: the login cannot simply be deleted.
    record_audit(
        by=user,
        resident=resident,
        action=AuditEntry.Action.VIEWED,
        what=gettext_lazy("Business plan viewed"),
    )
    # Traces of her address outside the apps: failed logins and a password-reset mail.
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/inloggen/",
        get_data="",
        post_data=f"username={EMAIL}",
        failures_since_start=1,
    )
    AccessLog.objects.create(
        username=EMAIL, ip_address="127.0.0.1", user_agent="t", http_accept="*/*", path_info="/"
    )
    send_password_reset_mail.enqueue(
        email=EMAIL, domain="testserver", use_https=False, language="nl"
    )
    LogEntry.objects.create(
        user=cast.coordinator,
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=str(resident.pk),
        object_repr=str(resident),
        action_flag=CHANGE,
        change_message="[]",
    )
    return resident


def plant_referrals_and_mentors(cast, resident) -> None:
    """Issue 10: a consent to share, referrals with their events and an answer link, a mentor
    match with a meeting and a benefits consultation, each holding a canary."""
    kvk = make_partner(cast.desk, "KvK Noord")
    consent = PartnerConsent.objects.create(
        resident=resident,
        partner=kvk,
        purpose="Doorverwijzing voor de kanarie-oppas",
        fields=["contact", "business_idea"],
        given_on=D(2009, 2, 2),
        valid_until=D(2009, 12, 31),
        recorded_by=cast.coach,
    )
    common = {"resident": resident, "desk": cast.desk, "partner": kvk, "consent": consent}
    done = Referral.objects.create(
        **common,
        question="Kan Quirinella een startersworkshop volgen?",
        status=Referral.Status.DONE,
        outcome="Quirinella doet mee aan de kanarie-workshop",
        created_by=cast.coach,
        # Sent and answered in 2009: counted in the figures that must stay the same.
        sent_at=timezone.make_aware(datetime.datetime(2009, 2, 3, 10)),
        answered_at=timezone.make_aware(datetime.datetime(2009, 2, 5, 15)),
        closed_at=timezone.make_aware(datetime.datetime(2009, 2, 20, 15)),
    )
    declined = Referral.objects.create(
        **common,
        question="Een kanarie-lening?",
        status=Referral.Status.DECLINED,
        decline_reason="Geen kanarie-leningen",
        created_by=cast.coach,
    )
    for referral, note in ((done, "kanarie: uitkomst"), (declined, "kanarie: reden")):
        ReferralEvent.objects.create(referral=referral, status=referral.status, note=note)
    ReferralLink.objects.create(
        referral=done,
        token_hash="q" * 64,
        email="kvk@example.test",
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    mentor = Mentor.objects.create(desk=cast.desk, name="Mira Mentor", expertise="zorg")
    match = MentorMatch.objects.create(
        resident=resident,
        mentor=mentor,
        matched_by=cast.coach,
        started_on=D(2009, 2, 16),
        goal="Reclame voor de kanarie-oppas",
        ended_on=D(2009, 3, 30),
        resident_evaluation="Quirinella vond het fijn",
        mentor_evaluation="Een kanarie-kenner",
        rating=4,
    )
    MentorMeeting.objects.create(
        match=match,
        held_on=D(2009, 2, 24),
        notes="kanarie-folder besproken",
        recorded_by=cast.coach,
    )
    BenefitsConsultation.objects.create(
        resident=resident,
        desk=cast.desk,
        held_on=D(2009, 2, 20),
        with_whom=BenefitsConsultation.With.UWV,
        outcome=BenefitsConsultation.Outcome.WW_ARRANGEMENT,
        note="Startersregeling voor de kanarie-oppas, tel. 0631415926",
        recorded_by=cast.coach,
    )


def plant_evening_registration(cast, resident) -> None:
    """Issue 14: she came to an info evening (as intermediary, to show every field the form
    has) and was linked to her file; her intake followed within 3 months, so she is counted."""
    evening = make_evening(
        cast.desk,
        status=InfoEvening.Status.HELD,
        title="Informatieavond januari",
        starts_at=timezone.make_aware(datetime.datetime(2009, 1, 20, 19, 30)),
        ends_at=timezone.make_aware(datetime.datetime(2009, 1, 20, 21, 30)),
        registration_deadline=timezone.make_aware(datetime.datetime(2009, 1, 19, 12)),
    )
    make_registration(
        evening,
        name="Quirinella Zwanepoelstra",
        email=EMAIL,
        phone="0631415926",
        kind=Registration.Kind.INTERMEDIARY,
        organisation="Kanarie-oppas Quirinella",
        organisation_kind=Registration.OrganisationKind.CONSULTANT,
        role="kanarie-adviseur",
        heard_from=Registration.HeardFrom.FLYER,
        may_contact=True,
        attended=True,
        resident=resident,
    )


def plant_application(cast, resident, review) -> None:
    """Issue 11: a Qredits application with its texts, an enclosure of her own with a note, an
    uploaded file (its name and its bytes), a pack (the PDF), and the business start with its
    KvK number; the start was a year before 2009's figures, recorded still trading, so that it
    is counted (and must stay counted)."""
    application = LoanApplication.objects.create(
        plan=review.revision.plan,
        review=review,
        amount=12000,
        purpose="Kooien voor de kanarie-oppas",
        term_months=48,
        repayment_free_months=3,
        recommendation="Quirinella kent alle kanaries van de wijk",
        status=LoanApplication.Status.SUBMITTED,
        submitted_on=D(2009, 3, 20),
        created_by=cast.coach,
    )
    enclosure = Enclosure.objects.create(
        application=application,
        kind=Enclosure.Kind.OTHER,
        title="Kanarie-diploma",
        status=Enclosure.Status.PRESENT,
        note="Diploma van Quirinella",
    )
    Upload.objects.create(
        enclosure=enclosure,
        name="kanarie-diploma-Zwanepoelstra.pdf",
        stored_name="c" * 32,
        content_type=Upload.ContentType.PDF,
        size=40,
        data=b"%PDF-1.4 Quirinella Zwanepoelstra kanarie",
        uploaded_by=cast.coach,
    )
    ApplicationPack.objects.create(
        application=application,
        number=1,
        status=ApplicationPack.Status.READY,
        pdf=b"%PDF-1.4 pakket van Quirinella Zwanepoelstra, kanarie",
        requested_by=cast.coach,
    )
    BusinessStart.objects.create(
        resident=resident,
        started_on=D(2008, 3, 3),
        kvk_number="31415926",
        still_trading_at_12_months=True,
        recorded_by=cast.coach,
    )


def bytes_holding(text: str) -> list[str]:
    """Every table with a binary column (an upload, a pack, a data copy) holding ``text``:
    ``tables_holding`` reads a row as text, where bytes show as hex."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'bytea' AND table_schema = current_schema()"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} "  # noqa: S608
                f"WHERE position(convert_to(%s, 'UTF8') in {quote(column)}) > 0",
                [text],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def tables_holding(text: str) -> list[str]:
    """Every table of the database with a row whose text contains ``text``."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} AS r WHERE r::text ILIKE %s",  # noqa: S608
                [f"%{text}%"],
            )
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def figures(desk, period="year"):
    progress = desk_progress(desk, 2009, as_of=D(2009, 12, 31), period=period_of(2009, period))
    return (
        progress.key,
        progress.funnel,
        progress.participants_by_month,
        progress.conversations_by_month,
        progress.conversations_in_period,
        progress.dropouts_by_reason,
        progress.by_situation,
        progress.by_source,
        progress.by_neighbourhood,
        progress.medians,
        progress.benefits_by_outcome,
        progress.referrals_by_partner,
        progress.referral_answer_days,
        progress.evenings,
        progress.still_trading,
    )


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def erase_url(resident):
    return reverse("intake:resident_erase", kwargs={"pk": resident.pk})


def withdraw_url(resident):
    return reverse("intake:consent_withdraw", kwargs={"pk": resident.pk})


# --- Erasure: the canary ---------------------------------------------------------------------
def test_the_canary_is_nowhere_after_the_erasure_and_the_figures_stay(cast, client_for):
    resident = plant(cast)
    for canary in CANARIES:
        assert tables_holding(canary), f"{canary} was not planted"
        # Her info evening registration holds each of them (name, e-mail, phone, organisation).
        assert "intake_registration" in tables_holding(canary), canary
    before = [figures(cast.desk, period) for period in ("year", "q1", "q2")]
    assert before[0][0]["participants"] == 1  # she is counted
    assert sum(before[0][-5].values()) == 1  # her consultation
    assert sum(before[0][-4].values()) == 1  # her referral sent in 2009
    assert before[0][-2].intake_within == 1  # she came to the evening, her intake followed
    assert before[1][-1] == 1  # her business, still trading 12 months after its start (Q1)
    # Her documents and the pack, as bytes (issue 11).
    for canary in ("Quirinella", "Zwanepoelstra", "kanarie"):
        assert "coaching_upload.data" in bytes_holding(canary), canary
        assert "coaching_applicationpack.pdf" in bytes_holding(canary), canary

    response = client_for("coordinator").post(erase_url(resident), {"confirmed": "on"})

    assert response.status_code == 302
    for canary in CANARIES:
        assert tables_holding(canary) == [], canary
        assert bytes_holding(canary) == [], canary
    assert [figures(cast.desk, period) for period in ("year", "q1", "q2")] == before


def test_what_stays_of_an_erased_file_is_anonymous(cast):
    resident = plant(cast)
    user_id = resident.user_id
    erasure.erase_resident(resident=resident, by=cast.coordinator)

    resident.refresh_from_db()
    assert resident.erased_at is not None
    assert (resident.first_name, resident.last_name) == ("Gewiste", "bewoner")
    assert resident.email == resident.phone == resident.street == resident.search_text == ""
    assert resident.date_of_birth is None and resident.user_id is None
    # What the dashboard counts stays.
    assert resident.situation == Situation.BENEFITS_WW and resident.neighbourhood_id
    assert resident.stage == Stage.IN_TRAJECTORY
    assert Conversation.objects.filter(resident=resident).count() == 2
    assert set(Conversation.objects.filter(resident=resident).values_list("notes", flat=True)) == {
        ""
    }
    assert StageChange.objects.filter(resident=resident).count() == 3
    assert not NextStep.objects.filter(resident=resident).exists()
    assert not Consent.objects.filter(resident=resident).exists()
    assert not Correction.objects.filter(resident=resident).exists()
    assert not DataCopy.objects.filter(resident=resident).exists()
    assert not BusinessPlan.objects.filter(resident=resident).exists()
    assert not PlanInvitation.objects.filter(resident=resident).exists()
    assert not Review.objects.exists() and not ReviewComment.objects.exists()
    # Referrals and consultations stay as anonymous rows for the counts; sharing has stopped.
    assert set(Referral.objects.filter(resident=resident).values_list("status", flat=True)) == {
        Referral.Status.DONE,
        Referral.Status.DECLINED,
    }
    assert not Referral.objects.filter(resident=resident).exclude(question="").exists()
    assert not ReferralLink.objects.exists()
    assert not PartnerConsent.objects.filter(resident=resident, withdrawn_at__isnull=True).exists()
    consultation = BenefitsConsultation.objects.get(resident=resident)
    assert (consultation.outcome, consultation.note) == ("ww_arrangement", "")
    assert MentorMeeting.objects.get(match__resident=resident).notes == ""
    # Her evening registration stays for the figures, without her.
    registration = Registration.objects.get(resident=resident)
    assert registration.erased_at is not None and registration.attended
    for name in PERSONAL_FIELDS:
        assert getattr(registration, name) == "", name
    assert not registration.may_contact
    assert registration.organisation_kind == Registration.OrganisationKind.CONSULTANT
    # Her login is in the audit trail, which cannot change: it stays, empty and locked.
    login = User.objects.get(pk=user_id)
    assert not login.is_active and not login.has_usable_password() and login.full_name == ""
    planned = PlannedErasure.objects.get(resident=resident)
    assert planned.reason == PlannedErasure.Reason.REQUEST
    assert planned.confirmed_by == cast.coordinator and planned.done_at is not None
    line = AuditEntry.objects.filter(action=AuditEntry.Action.ERASED).get()
    assert line.resident_id == resident.pk and line.actor == cast.coordinator


def test_a_login_nothing_else_points_at_is_deleted(cast):
    user = make_user("Weg Gebruiker")
    resident = make_resident(cast.desk, user=user, consent_by=cast.coach)
    erasure.erase_resident(resident=resident, by=cast.coordinator)
    assert not User.objects.filter(pk=user.pk).exists()


def test_erasing_twice_is_refused_with_a_message(cast, client_for):
    resident = make_resident(cast.desk, consent_by=cast.coach)
    erasure.erase_resident(resident=resident, by=cast.coordinator)
    with pytest.raises(erasure.ErasureError):
        erasure.erase_resident(resident=resident, by=cast.coordinator)

    client = english(client_for("coordinator"))
    response = client.post(erase_url(resident), {"confirmed": "on"}, follow=True)
    assert "already been erased" in response.content.decode()
    assert PlannedErasure.objects.filter(resident=resident).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASED).count() == 1


def test_the_erasure_needs_the_box_ticked(cast, client_for):
    resident = make_resident(cast.desk, consent_by=cast.coach)
    response = client_for("coordinator").post(erase_url(resident), {})
    assert response.status_code == 200
    assert response.context["form"].errors["confirmed"]
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_a_coach_may_not_erase_and_another_desk_answers_404(cast, client_for):
    resident = make_resident(cast.desk, consent_by=cast.coach)
    assert client_for("coach").post(erase_url(resident), {"confirmed": "on"}).status_code == 403
    other_coordinator = make_member(cast.other_desk, "coordinator")
    client = client_for("anonymous")
    client.force_login(other_coordinator)
    assert client.get(erase_url(resident)).status_code == 404
    assert client.post(erase_url(resident), {"confirmed": "on"}).status_code == 404
    # Coach at this desk and coordinator elsewhere: still not this desk's coordinator.
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coordinator")
    assert client_for("coach").get(erase_url(resident)).status_code == 404
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_the_erasure_is_all_or_nothing(cast, monkeypatch):
    resident = plant(cast)

    def broken(resident):
        raise RuntimeError("an app's eraser failed")

    monkeypatch.setattr(privacy, "_erasers", [*privacy.erasers(), broken])
    with pytest.raises(RuntimeError):
        erasure.erase_resident(resident=resident, by=cast.coordinator)
    resident.refresh_from_db()
    assert resident.first_name == "Quirinella" and resident.erased_at is None
    assert BusinessPlan.objects.filter(resident=resident).exists()
    assert NextStep.objects.filter(resident=resident).exists()
    assert not PlannedErasure.objects.exists()


def test_an_erased_file_is_in_no_list_and_its_page_says_it_was_erased(cast, client_for):
    resident = make_resident(cast.desk, coach=cast.coach, consent_by=cast.coach, last_name="Wis")
    erasure.erase_resident(resident=resident, by=cast.coordinator)
    client = client_for("coach")
    listed = client.get(reverse("intake:resident_list"))
    assert resident not in listed.context["page"].object_list
    assert resident not in client.get(reverse("intake:my_residents")).context["page"].object_list
    found = client.get(reverse("intake:resident_list"), {"q": "gewiste"})
    assert resident not in found.context["page"].object_list
    page = client.get(resident.get_absolute_url())
    assert page.status_code == 200
    assert 'id="erased-heading"' in page.content.decode()
    assert "resident-erase-link" not in page.content.decode()


def test_the_privacy_card_offers_erasure_to_the_coordinator_only(cast, client_for):
    url = cast.resident.get_absolute_url()
    coach_page = client_for("coach").get(url).content.decode()
    assert 'id="consent-withdraw-link"' in coach_page
    assert 'id="resident-erase-link"' not in coach_page
    assert 'id="resident-erase-link"' in client_for("coordinator").get(url).content.decode()


# --- Withdrawing consent ----------------------------------------------------------------------
def test_a_withdrawn_resident_keeps_name_and_contact_only(cast, client_for):
    resident = plant(cast)
    user_id = resident.user_id
    before = figures(cast.desk)
    client = english(client_for("coach"))
    page = client.get(withdraw_url(resident)).content.decode()
    assert 'id="withdraw-consequences"' in page

    response = client.post(withdraw_url(resident))

    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.first_name, resident.last_name) == ("Quirinella", "Zwanepoelstra")
    assert (resident.phone, resident.email) == ("0631415926", EMAIL)
    assert resident.street == resident.postcode == resident.city == ""
    assert resident.business_idea == resident.sector == resident.languages == ""
    assert resident.date_of_birth is None and resident.user_id is None
    assert resident.erased_at is None
    assert "quirinella" in resident.search_text
    assert not resident.has_consent()
    assert Consent.objects.get(resident=resident).withdrawn_at is not None
    assert not User.objects.filter(pk=user_id, is_active=True).exists()
    # Nothing more is shared with partners.
    assert not PartnerConsent.objects.filter(resident=resident, withdrawn_at__isnull=True).exists()
    # Every other text is gone from every table. The totals stay; her situation, source and
    # neighbourhood went with the rest, so the breakdowns count her as unknown.
    assert tables_holding("kanarie") == []
    assert (resident.situation, resident.source, resident.neighbourhood_id) == ("", "", None)
    after = figures(cast.desk)
    assert after[:6] == before[:6] and after[9:] == before[9:]
    for breakdown_before, breakdown_after in zip(before[6:9], after[6:9], strict=True):
        assert sum(breakdown_before.values()) == sum(breakdown_after.values())
    assert after[6].get("", 0) == before[6].get("", 0) + 1  # by situation: one more unknown
    line = AuditEntry.objects.filter(resident_id=resident.pk).order_by("-id").first()
    assert "withdrawn" in line.what or "ingetrokken" in line.what

    page = client.get(resident.get_absolute_url()).content.decode()
    day = timezone.localdate().strftime("%d-%m-%Y")
    assert f"Consent withdrawn on {day}" in page


def test_after_withdrawal_what_needs_consent_is_refused(cast):
    erasure.withdraw_consent(resident=cast.resident, by=cast.coach)
    with pytest.raises(services.ConsentMissing):
        services.log_conversation(
            resident=cast.resident,
            by=cast.coach,
            kind=Conversation.Kind.FOLLOW_UP,
            held_on=D(2009, 5, 1),
            channel=Conversation.Channel.DESK,
            duration_minutes=30,
        )
    with pytest.raises(services.StageChangeRefused):
        services.change_stage(
            resident=cast.resident, to_stage=Stage.INTAKE, on=D(2009, 5, 1), by=cast.coach
        )


def test_withdrawing_without_consent_is_refused_with_a_message(cast, client_for):
    resident = make_resident(cast.desk, coach=cast.coach, business_idea="", date_of_birth=None)
    with pytest.raises(erasure.ErasureError):
        erasure.withdraw_consent(resident=resident, by=cast.coach)
    client = english(client_for("coach"))
    assert 'id="no-consent"' in client.get(withdraw_url(resident)).content.decode()
    response = client.post(withdraw_url(resident), follow=True)
    assert "no consent to withdraw" in response.content.decode()
    resident.refresh_from_db()
    assert resident.postcode  # nothing was removed


def test_withdrawing_twice_is_refused(cast):
    erasure.withdraw_consent(resident=cast.resident, by=cast.coach)
    with pytest.raises(erasure.ErasureError):
        erasure.withdraw_consent(resident=cast.resident, by=cast.coach)
    assert Consent.objects.filter(resident=cast.resident).count() == 1


def test_another_desks_coach_cannot_withdraw(cast, client_for):
    response = client_for("other_coach").post(withdraw_url(cast.resident))
    assert response.status_code == 404
    assert cast.resident.has_consent()


# --- Retention --------------------------------------------------------------------------------
TODAY = D(2012, 6, 1)


def with_rule(desk, days=365, after="last_contact"):
    desk.retention_days, desk.retention_after = days, after
    desk.save(update_fields=["retention_days", "retention_after"])
    return desk


def test_a_rule_of_zero_days_is_refused_by_the_model(cast):
    cast.desk.retention_days = 0
    with pytest.raises(ValidationError) as refused:
        cast.desk.full_clean()
    assert "retention_days" in refused.value.error_dict


def test_the_listing_proposes_the_files_past_the_rule_once(cast):
    with_rule(cast.desk)
    old = make_resident(cast.desk, registered_on=D(2009, 1, 15))
    recent = make_resident(cast.desk, registered_on=D(2009, 1, 15))
    make_conversation(recent, coach=cast.coach, held_on=D(2011, 9, 1))
    moved = make_resident(cast.desk, registered_on=D(2009, 1, 15))
    StageChange.objects.create(
        resident=moved,
        desk=cast.desk,
        to_stage=Stage.INTAKE,
        changed_on=D(2011, 12, 1),
        changed_by=cast.coach,
    )
    erased = make_resident(cast.desk, registered_on=D(2009, 1, 15))
    erasure.erase_resident(resident=erased, by=cast.coordinator)
    make_resident(cast.other_desk, registered_on=D(2009, 1, 15))  # no rule there

    assert erasure.list_retention_candidates(today=TODAY) == 2  # old and cast.resident
    assert erasure.list_retention_candidates(today=TODAY) == 0
    proposed = PlannedErasure.objects.filter(reason=PlannedErasure.Reason.RETENTION)
    assert set(proposed.values_list("resident_id", flat=True)) == {old.pk, cast.resident.pk}
    assert all(p.confirmed_at is None and p.done_at is None for p in proposed)


def test_without_a_rule_nothing_is_proposed_and_old_proposals_go(cast):
    with_rule(cast.desk)
    erasure.list_retention_candidates(today=TODAY)
    assert PlannedErasure.objects.exists()
    with_rule(cast.desk, days=None)
    assert erasure.list_retention_candidates(today=TODAY) == 0
    assert not PlannedErasure.objects.exists()


def test_a_proposal_goes_when_the_file_is_worked_on_again(cast):
    with_rule(cast.desk)
    erasure.list_retention_candidates(today=TODAY)
    make_conversation(cast.resident, coach=cast.coach, held_on=D(2012, 5, 1))
    erasure.list_retention_candidates(today=TODAY)
    assert not PlannedErasure.objects.filter(resident=cast.resident).exists()


def test_counted_from_the_end_of_aftercare_only_ended_trajectories(cast):
    with_rule(cast.desk, after="aftercare_end")
    ended = make_resident(cast.desk, stage=Stage.AFTERCARE)
    dropped = make_resident(cast.desk, stage=Stage.DROPPED_OUT)
    make_resident(cast.desk, stage=Stage.IN_TRAJECTORY)
    erasure.list_retention_candidates(today=TODAY)
    assert set(PlannedErasure.objects.values_list("resident_id", flat=True)) == {
        ended.pk,
        dropped.pk,
    }


def test_the_command_lists_once(cast):
    with_rule(cast.desk)
    out = StringIO()
    call_command("list_retention", stdout=out)
    assert "1 file(s)" in out.getvalue()
    assert PlannedErasure.objects.filter(resident=cast.resident).exists()


def test_the_worker_runs_the_listing_daily(cast, monkeypatch):
    assert erasure.daily_retention in worker_module._DAILY
    ran = []

    def broken():
        raise RuntimeError("a daily job failed")

    monkeypatch.setattr(worker_module, "_DAILY", [broken, lambda: ran.append(1)])
    worker_module.run_daily()  # the broken one is logged, the next one still runs
    assert ran == [1]


def proposals_of(cast, count):
    with_rule(cast.desk)
    for _n in range(count - 1):
        make_resident(cast.desk, registered_on=D(2009, 1, 15))
    erasure.list_retention_candidates(today=TODAY)
    return list(PlannedErasure.objects.order_by("id"))


def test_the_coordinator_confirms_and_the_task_erases(
    cast, client_for, django_capture_on_commit_callbacks, run_queued_tasks
):
    first, second = proposals_of(cast, 2)
    client = client_for("coordinator")
    page = client.get(reverse("intake:retention_list"))
    assert page.status_code == 200
    assert f'data-proposal="{first.pk}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:retention_list"), {"proposals": [first.pk], "action": "erase"}
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.confirmed_by == cast.coordinator and first.done_at is None

    run_queued_tasks()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.done_at is not None and first.resident.erased_at is not None
    assert second.done_at is None and second.resident.erased_at is None
    line = AuditEntry.objects.get(action=AuditEntry.Action.ERASED)
    assert line.actor == cast.coordinator and line.resident_id == first.resident_id


def test_keeping_a_file_drops_the_proposal_until_the_next_listing(cast, client_for):
    (proposal,) = proposals_of(cast, 1)
    response = client_for("coordinator").post(
        reverse("intake:retention_list"), {"proposals": [proposal.pk], "action": "keep"}
    )
    assert response.status_code == 302
    assert not PlannedErasure.objects.exists()
    erasure.list_retention_candidates(today=TODAY)
    assert PlannedErasure.objects.filter(resident=cast.resident).exists()


def test_nothing_chosen_gets_a_message_and_changes_nothing(cast, client_for):
    proposals_of(cast, 1)
    response = client_for("coordinator").post(reverse("intake:retention_list"), {})
    assert response.status_code == 200
    assert response.context["form"].errors["proposals"]
    assert not PlannedErasure.objects.filter(confirmed_at__isnull=False).exists()


def test_another_desks_proposal_cannot_be_confirmed(cast, client_for):
    (proposal,) = proposals_of(cast, 1)
    other_coordinator = make_member(cast.other_desk, "coordinator")
    client = client_for("anonymous")
    client.force_login(other_coordinator)
    page = client.get(reverse("intake:retention_list"))
    assert f'data-proposal="{proposal.pk}"' not in page.content.decode()
    response = client.post(
        reverse("intake:retention_list"), {"proposals": [proposal.pk], "action": "erase"}
    )
    assert response.status_code == 200  # not a choice for her: the form refuses it
    proposal.refresh_from_db()
    assert proposal.confirmed_at is None


def test_the_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    proposals_of(cast, 1)
    client = client_for("coordinator")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("intake:retention_list"))
    for _n in range(30):
        make_resident(cast.desk, registered_on=D(2009, 1, 15))
    erasure.list_retention_candidates(today=TODAY)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("intake:retention_list"))
    assert page.content.decode().count("data-proposal=") == 31


def confirmed_proposals(cast, count):
    proposals = proposals_of(cast, count)
    PlannedErasure.objects.update(confirmed_by=cast.coordinator, confirmed_at=timezone.now())
    return proposals


def test_the_list_shows_a_bounded_number_at_once(cast, client_for, monkeypatch):
    from intake.views import erasure as erasure_views

    monkeypatch.setattr(erasure_views, "SHOWN_AT_ONCE", 2)
    proposals_of(cast, 3)
    page = client_for("coordinator").get(reverse("intake:retention_list")).content.decode()
    assert page.count("data-proposal=") == 2
    assert 'id="retention-more"' in page


def test_a_run_that_stops_resumes_where_it_stopped(cast, monkeypatch):
    proposals = confirmed_proposals(cast, 3)
    stop_at = proposals[1].resident_id

    def database_goes_away(resident):
        if resident.pk == stop_at:
            raise OperationalError("the server closed the connection")

    monkeypatch.setattr(privacy, "_erasers", [*privacy.erasers(), database_goes_away])
    with pytest.raises(OperationalError):
        erasure.erase_confirmed()
    done = PlannedErasure.objects.filter(done_at__isnull=False)
    assert list(done.values_list("pk", flat=True)) == [proposals[0].pk]
    first_erased_at = Resident.objects.get(pk=proposals[0].resident_id).erased_at

    monkeypatch.undo()
    assert erasure.erase_confirmed() == 2
    assert not PlannedErasure.objects.filter(done_at__isnull=True).exists()
    assert Resident.objects.get(pk=proposals[0].resident_id).erased_at == first_erased_at
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASED).count() == 3


def test_a_file_that_cannot_be_erased_does_not_hold_up_the_others(cast, monkeypatch):
    proposals = confirmed_proposals(cast, 3)
    broken_file = proposals[0].resident_id

    def fails_for_one(resident):
        if resident.pk == broken_file:
            raise RuntimeError("an app's eraser failed")

    monkeypatch.setattr(privacy, "_erasers", [*privacy.erasers(), fails_for_one])
    with pytest.raises(erasure.ErasureIncomplete):
        erasure.erase_confirmed()
    left = PlannedErasure.objects.filter(done_at__isnull=True)
    assert list(left.values_list("pk", flat=True)) == [proposals[0].pk]
    assert Resident.objects.get(pk=broken_file).erased_at is None


def test_erasing_on_request_closes_an_open_proposal(cast):
    (proposal,) = proposals_of(cast, 1)
    erasure.erase_resident(resident=cast.resident, by=cast.coordinator)
    (planned,) = PlannedErasure.objects.filter(resident=cast.resident)
    assert planned.pk == proposal.pk and planned.done_at is not None
    assert planned.reason == PlannedErasure.Reason.REQUEST
    assert planned.confirmed_by == cast.coordinator


def test_the_daily_job_picks_up_confirmed_erasures_left_behind(cast, run_queued_tasks):
    confirmed_proposals(cast, 1)
    erasure.daily_retention()
    assert DBTaskResult.objects.ready().exists()
    run_queued_tasks()
    assert Resident.objects.get(pk=cast.resident.pk).erased_at is not None


def test_the_coordinators_home_counts_the_proposals(cast, client_for):
    proposals_of(cast, 2)
    page = client_for("coordinator").get(reverse("home")).content.decode()
    assert f'id="retention-home-{cast.desk.pk}"' in page
    assert reverse("intake:retention_list") in page


@pytest.mark.parametrize(
    "name", ["intake:resident_edit", "intake:stage_change", "intake:conversation_new"]
)
def test_an_erased_files_other_pages_answer_404(cast, client_for, name):
    """Only the page that says the file was erased opens: nobody types a name back in or adds
    to its history."""
    resident = plant(cast)
    erasure.erase_resident(resident=resident, by=cast.coordinator)
    client = client_for("coordinator")

    assert client.get(resident.get_absolute_url()).status_code == 200
    assert client.get(reverse(name, kwargs={"pk": resident.pk})).status_code == 404
    assert client.post(reverse(name, kwargs={"pk": resident.pk}), {}).status_code == 404


def test_after_withdrawal_a_new_phone_number_saves(cast, client_for):
    """Only what changes needs consent: a contact detail still saves after a withdrawal."""
    resident = plant(cast)
    erasure.withdraw_consent(resident=resident, by=cast.coach)
    resident.refresh_from_db()

    response = client_for("coach").post(
        reverse("intake:resident_edit", kwargs={"pk": resident.pk}),
        edit_data(resident, phone="0612345678"),
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "06 12345678"


def test_after_withdrawal_new_facts_beyond_contact_are_still_refused(cast, client_for):
    resident = plant(cast)
    erasure.withdraw_consent(resident=resident, by=cast.coach)
    resident.refresh_from_db()

    response = client_for("coach").post(
        reverse("intake:resident_edit", kwargs={"pk": resident.pk}),
        edit_data(resident, business_idea="Iets nieuws"),
    )

    assert response.status_code == 200
    resident.refresh_from_db()
    assert resident.business_idea == ""


def test_the_list_says_when_a_desk_has_no_retention_period(cast, client_for):
    """An empty list is not "nothing is old" when no period was set (found by trying it)."""
    client = english(client_for("coordinator"))
    page = client.get(reverse("intake:retention_list")).content.decode()
    assert "has no retention period" in page
    assert reverse("desk_settings", args=[cast.desk.slug]) in page
    Desk.objects.filter(pk=cast.desk.pk).update(retention_days=730)
    page = client.get(reverse("intake:retention_list")).content.decode()
    assert "keeps files 730 days after" in page
