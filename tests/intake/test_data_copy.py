"""A copy of one's data (AVG art. 15 and 20): JSON at once, a PDF made in the background."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coaching import mentors
from coaching.models import (
    Mentor,
    PartnerConsent,
    Referral,
    ReferralEvent,
    ReviewComment,
    ReviewItem,
)
from intake.data_copy import build_copy, render_copy_pdf
from intake.models import DataCopy
from ondernemerspunt import pdf as pdf_module
from ondernemerspunt.models import AuditEntry
from tests.factories import (
    make_conversation,
    make_member,
    make_partner,
    make_plan,
    make_resident,
    make_review,
    make_revision,
)

NOTE = "Wil een naaiatelier beginnen in de Korrewegwijk"
MOTIVATION = "Ik naai al twintig jaar kleding voor de buurt"
COMMENT = "Reken de huur van het atelier nog eens na"
OVERRULE = "De buffer is klein maar de bank geeft een rekening-courant"
HOSTILE = '<img src="http://example.invalid/x">'


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run the rendering task at once, in the test's own transaction."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def planted(cast):
    """Rana's file with a conversation, a plan handed in and a concluded review."""
    make_conversation(
        cast.resident,
        coach=cast.coach,
        notes=NOTE,
        next_steps=[("Offerte naaimachine opvragen", datetime.date(2009, 3, 1))],
    )
    plan = make_plan(
        cast.resident, {"entrepreneur": {"motivation": MOTIVATION, "own_capital": "12500.00"}}
    )
    revision = make_revision(plan)
    review = make_review(
        revision,
        coach=cast.coach,
        status="concluded",
        outcome="revise",
        concluded_at=timezone.now(),
    )
    ReviewComment.objects.create(review=review, section="", text=COMMENT)
    item = ReviewItem.objects.filter(review=review).first()
    if item is not None:
        ReviewItem.objects.filter(pk=item.pk).update(verdict="attention", overrule_reason=OVERRULE)
    AuditEntry.objects.create(
        desk=cast.desk,
        actor=cast.coach,
        action=AuditEntry.Action.VIEWED,
        resident_id=cast.resident.pk,
        what="Resident's page viewed",
    )
    return cast


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- JSON -------------------------------------------------------------------------------------
def test_the_json_copy_holds_everything_about_her(planted, client_for):
    client = client_for("resident")
    response = client.get(reverse("intake:own_data_copy_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="gegevens-')
    data = json.loads(response.content)
    assert list(data)[:2] == ["generated_at", "resident"]
    assert data["resident"]["first_name"] == "Rana"
    for section in ("file", "consents", "conversations", "stage_changes", "corrections"):
        assert section in data
    for section in ("audit_trail", "business_plan", "plan_reviews", "plan_invitations"):
        assert section in data
    assert data["conversations"][0]["notes"] == NOTE
    assert data["conversations"][0]["next_steps"][0]["due_on"] == "2009-03-01"
    assert data["conversations"][0]["coach"] == "Cees Coach"
    sections = {s["key"]: s for s in data["business_plan"]["sections"]}
    assert sections["entrepreneur"]["content"]["motivation"] == MOTIVATION
    assert data["business_plan"]["revisions"][0]["number"] == 1
    review = data["plan_reviews"][0]
    assert review["outcome"] == "revise"
    assert review["comments"] == [{"part": "", "text": COMMENT}]
    assert OVERRULE in [item["overrule_reason"] for item in review["items"]]
    lines = data["audit_trail"]
    assert any(
        line["what"] == "Resident's page viewed" and line["who"] == "Cees Coach" for line in lines
    )
    # The search keys are the name again: left out.
    assert "search_text" not in data["file"]


QUESTION = "Kan Rana in april een startersworkshop volgen?"
MEETING_NOTE = "Prijzen voor reparaties samen doorgerekend"


def test_the_copy_holds_her_referrals_consents_mentor_meetings_and_consultations(cast, client_for):
    kvk = make_partner(cast.desk, "KvK Noord")
    consent = PartnerConsent.objects.create(
        resident=cast.resident,
        partner=kvk,
        purpose="Startersworkshop",
        fields=["contact"],
        given_on=datetime.date(2009, 3, 1),
        valid_until=datetime.date(2009, 12, 31),
        recorded_by=cast.coach,
    )
    referral = Referral.objects.create(
        resident=cast.resident,
        desk=cast.desk,
        partner=kvk,
        consent=consent,
        question=QUESTION,
        created_by=cast.coach,
    )
    ReferralEvent.objects.create(referral=referral, status="concept", by=cast.coach)
    match = mentors.start_match(
        resident=cast.resident,
        mentor=Mentor.objects.create(desk=cast.desk, name="Mirjam Mentor", expertise="naaien"),
        by=cast.coach,
        started_on=datetime.date(2009, 3, 2),
    )
    mentors.add_meeting(
        match=match, held_on=datetime.date(2009, 3, 9), notes=MEETING_NOTE, by=cast.coach
    )
    mentors.record_benefits_consultation(
        resident=cast.resident,
        held_on=datetime.date(2009, 3, 10),
        with_whom="municipality",
        outcome="bbz_credit",
        by=cast.coach,
    )

    data = json.loads(client_for("resident").get(reverse("intake:own_data_copy_json")).content)

    assert data["partner_consents"][0]["partner"] == "KvK Noord"
    assert data["partner_consents"][0]["fields"] == ["contact"]
    [exported] = data["partner_referrals"]
    assert exported["question"] == QUESTION
    assert exported["events"][0]["by"] == "Cees Coach"
    [exported_match] = data["mentor_matches"]
    assert exported_match["mentor"] == "Mirjam Mentor"
    assert exported_match["meetings"] == [{"held_on": "2009-03-09", "notes": MEETING_NOTE}]
    assert data["benefits_consultations"][0]["outcome"] == "bbz_credit"
    # The PDF shows them too.
    data_copy = DataCopy.objects.create(resident=cast.resident, requested_by=cast.coordinator)
    text = pdf_text(render_copy_pdf(data_copy))
    assert QUESTION in text and MEETING_NOTE in text and "Mirjam Mentor" in text


def test_a_coordinator_gets_the_json_of_a_resident_of_her_desk(planted, client_for):
    client = client_for("coordinator")
    response = client.get(reverse("intake:data_copy_json", args=[planted.resident.pk]))
    assert response.status_code == 200
    assert json.loads(response.content)["conversations"][0]["notes"] == NOTE


def test_every_copy_writes_an_audit_line_without_personal_text(planted, client_for):
    client_for("resident").get(reverse("intake:own_data_copy_json"))
    line = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).get()
    assert line.resident_id == planted.resident.pk
    assert line.actor == planted.resident_user
    assert "JSON" in line.what
    assert "Rana" not in line.what and "Bewoner" not in line.what
    client_for("coordinator").post(reverse("intake:data_copy", args=[planted.resident.pk]))
    pdf_line = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).latest("id")
    assert pdf_line.actor == planted.coordinator
    assert "PDF" in pdf_line.what


def test_an_open_review_shows_only_that_it_exists(cast):
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": MOTIVATION}})
    review = make_review(make_revision(plan), coach=cast.coach)
    ReviewComment.objects.create(review=review, section="", text="Nog niet af")
    [exported] = build_copy(cast.resident)["plan_reviews"]
    assert exported["status"] == "draft"
    assert "comments" not in exported
    assert "Nog niet af" not in json.dumps(build_copy(cast.resident))


def test_building_the_copy_takes_the_same_queries_for_1_and_20_conversations(
    cast, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_conversation(
        cast.resident, coach=cast.coach, next_steps=[("a", datetime.date(2009, 3, 1))]
    )
    make_plan(cast.resident, {"entrepreneur": {"motivation": MOTIVATION}})
    with CaptureQueriesContext(connection) as one:
        build_copy(cast.resident)
    for n in range(19):
        make_conversation(
            cast.resident,
            coach=make_member(cast.desk, "coach"),
            notes=f"Gesprek {n}",
            next_steps=[(f"Stap {n}", datetime.date(2009, 3, 1))],
        )
        make_revision(cast.resident.plan)
    with django_assert_max_num_queries(len(one)):
        data = build_copy(cast.resident)
    assert len(data["conversations"]) == 20
    assert len(data["business_plan"]["revisions"]) == 19


# --- Who may have it -------------------------------------------------------------------------
def test_another_residents_copy_is_404(planted, client_for):
    theirs = DataCopy.objects.create(
        resident=planted.other_resident,
        requested_by=planted.other_coach,
        status=DataCopy.Status.READY,
        pdf=b"%PDF-1.7",
    )
    client = client_for("resident")
    assert client.get(reverse("intake:own_data_copy_pdf", args=[theirs.pk])).status_code == 404
    other_resident = reverse("intake:data_copy", args=[planted.other_resident.pk])
    assert client.get(other_resident).status_code == 404
    # The coordinator of another desk, and a coach of her own desk.
    other_coordinator = make_member(planted.other_desk, "coordinator")
    client.force_login(other_coordinator, backend="django.contrib.auth.backends.ModelBackend")
    mine = planted.resident.pk
    assert client.get(reverse("intake:data_copy", args=[mine])).status_code == 404
    assert client.get(reverse("intake:data_copy_json", args=[mine])).status_code == 404
    assert client.get(other_resident).status_code == 200  # her own desk's resident
    # …but not through her own desk's resident's URL with another's copy number.
    assert (
        client.get(
            reverse("intake:data_copy_pdf", args=[planted.other_resident.pk, theirs.pk])
        ).status_code
        == 200
    )
    assert client.get(reverse("intake:data_copy_pdf", args=[mine, theirs.pk])).status_code == 404
    for role in ("coach", "other_coach"):
        response = client_for(role).get(reverse("intake:data_copy_json", args=[mine]))
        assert response.status_code == 404
    for role in ("partner", "project_group"):
        client = client_for(role)
        assert client.get(reverse("intake:data_copy_json", args=[mine])).status_code == 404
        assert client.get(reverse("intake:own_data_copy_json")).status_code == 403
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORTED, resident_id=mine
    ).exists()


def test_the_coordinator_does_not_list_or_get_the_residents_own_copies(planted, client_for):
    hers = DataCopy.objects.create(
        resident=planted.resident,
        requested_by=planted.resident_user,
        status=DataCopy.Status.READY,
        pdf=b"%PDF-1.7",
    )
    client = client_for("coordinator")
    url = reverse("intake:data_copy_pdf", args=[planted.resident.pk, hers.pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("intake:data_copy", args=[planted.resident.pk])).content.decode()
    assert url not in page
    assert (
        client_for("resident").get(reverse("intake:own_data_copy_pdf", args=[hers.pk])).status_code
        == 200
    )


def test_only_the_coordinator_sees_the_link_on_the_residents_page(planted, client_for):
    url = reverse("intake:data_copy", args=[planted.resident.pk])
    page = reverse("intake:resident_detail", args=[planted.resident.pk])
    assert url in client_for("coordinator").get(page).content.decode()
    assert url not in client_for("coach").get(page).content.decode()


# --- The PDF ----------------------------------------------------------------------------------
def test_the_resident_gets_a_pdf_of_her_data_from_her_page(planted, client_for):
    client = client_for("resident")
    home = client.get(reverse("home")).content.decode()
    page_url = reverse("intake:own_data_copy")
    assert page_url in home
    page = client.get(page_url).content.decode()
    assert reverse("intake:own_data_copy_json") in page
    response = client.post(page_url)
    assert response.status_code == 302
    data_copy = DataCopy.objects.get()
    assert data_copy.status == DataCopy.Status.READY
    assert data_copy.requested_by == planted.resident_user
    page = client.get(page_url).content.decode()
    download = reverse("intake:own_data_copy_pdf", args=[data_copy.pk])
    assert download in page
    assert "data-refresh" not in page
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Rana Bewoner" in text
    assert NOTE in text
    assert MOTIVATION in text
    assert COMMENT in text
    assert "01-03-2009" in text  # the next step's due date, the Dutch way
    assert "€ 12.500,00" in text  # her own capital, the Dutch way
    assert OVERRULE in text
    assert "Cees Coach" in text


def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(cast, client_for, monkeypatch):
    make_conversation(cast.resident, coach=cast.coach, notes=f"Notitie {HOSTILE} einde")
    fetched = []
    original = pdf_module.static_only_fetcher

    def recording_fetcher():
        fetcher = original()
        fetch = fetcher.fetch

        def record(url, headers=None):
            fetched.append(url)
            return fetch(url, headers)

        fetcher.fetch = record
        return fetcher

    monkeypatch.setattr(pdf_module, "static_only_fetcher", recording_fetcher)
    client = client_for("coordinator")
    client.post(reverse("intake:data_copy", args=[cast.resident.pk]))
    data_copy = DataCopy.objects.get()
    assert data_copy.status == DataCopy.Status.READY
    assert HOSTILE in pdf_text(bytes(data_copy.pdf))
    assert fetched, "the stylesheet is fetched through our fetcher"
    assert all(url.startswith(pdf_module.BASE_URL + "static/") for url in fetched), fetched


def test_a_copy_being_made_refreshes_the_page_and_a_second_request_makes_none(
    cast, client_for, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client = client_for("resident")
    url = reverse("intake:own_data_copy")
    client.post(url)
    client.post(url)
    data_copy = DataCopy.objects.get()
    assert data_copy.status == DataCopy.Status.PENDING
    page = client.get(url).content.decode()
    assert 'data-refresh="5"' in page
    assert "js/data-copy.js" in page
    assert reverse("intake:own_data_copy_pdf", args=[data_copy.pk]) not in page
    assert client.get(reverse("intake:own_data_copy_pdf", args=[data_copy.pk])).status_code == 404


def test_a_late_or_failed_copy_says_what_to_do(cast, client_for):
    DataCopy.objects.create(
        resident=cast.resident,
        requested_by=cast.resident_user,
        requested_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    DataCopy.objects.create(
        resident=cast.resident, requested_by=cast.resident_user, status=DataCopy.Status.FAILED
    )
    client = client_for("resident")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("intake:own_data_copy")).content.decode()
    assert "This is taking much longer than usual" in page
    assert "The file could not be made. Try again" in page
    assert "data-refresh" not in page
    # A late one does not stop a new request.
    client.post(reverse("intake:own_data_copy"))
    assert DataCopy.objects.filter(status=DataCopy.Status.READY).count() == 1


def test_a_failed_rendering_is_recorded(cast, client_for, monkeypatch):
    from intake import data_copy

    def broken(copy):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(data_copy, "render_copy_pdf", broken)
    client_for("resident").post(reverse("intake:own_data_copy"))
    assert DataCopy.objects.get().status == DataCopy.Status.FAILED


def test_copies_are_kept_only_seven_days(cast, client_for):
    old = DataCopy.objects.create(
        resident=cast.resident,
        requested_by=cast.resident_user,
        status=DataCopy.Status.READY,
        pdf=b"%PDF-1.7",
        requested_at=timezone.now() - datetime.timedelta(days=8),
    )
    other = DataCopy.objects.create(
        resident=cast.other_resident,
        requested_by=cast.other_coach,
        requested_at=timezone.now() - datetime.timedelta(days=7, minutes=1),
    )
    client = client_for("resident")
    # Expired but not yet deleted: gone all the same.
    assert client.get(reverse("intake:own_data_copy_pdf", args=[old.pk])).status_code == 404
    client.post(reverse("intake:own_data_copy"))
    assert not DataCopy.objects.filter(pk__in=[old.pk, other.pk]).exists()
    assert DataCopy.objects.count() == 1


def test_a_resident_without_anything_gets_an_empty_but_complete_copy(cast):
    bare = make_resident(cast.desk, first_name="Lege", last_name="Map")
    data = build_copy(bare)
    assert data["conversations"] == []
    assert data["business_plan"] is None
    assert data["plan_reviews"] == []


def test_a_later_app_adds_its_section_through_the_registry(cast, monkeypatch):
    """Referrals (a later issue) register an exporter; without a template of their own the PDF
    shows their data as it is, dates the Dutch way."""
    from intake import privacy
    from intake.data_copy import render_copy_pdf

    later = privacy.Exporter(
        "referrals", "Referrals", lambda resident: [{"partner": "KvK", "sent_on": "2009-04-01"}]
    )
    monkeypatch.setattr(privacy, "_exporters", [*privacy.exporters(), later])
    assert build_copy(cast.resident)["referrals"] == [{"partner": "KvK", "sent_on": "2009-04-01"}]
    data_copy = DataCopy.objects.create(resident=cast.resident, requested_by=cast.coordinator)
    text = pdf_text(render_copy_pdf(data_copy))
    assert "Referrals" in text
    assert "partner: KvK; sent_on: 01-04-2009" in text


def test_the_copies_page_takes_the_same_queries_for_1_and_many_copies(
    cast, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for _ in range(n):
            DataCopy.objects.create(
                resident=cast.resident, requested_by=cast.coordinator, pdf=b"%PDF-1.7"
            )

    client = client_for("coordinator")
    url = reverse("intake:data_copy", args=[cast.resident.pk])
    make(1)
    client.get(url)  # the session and memberships warmed up
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    make(14)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count("<tr>") == 1 + 10  # the header and the latest ten


def test_the_desk_makes_her_pdf_in_dutch_whatever_its_own_pages_use(cast, client_for):
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("intake:data_copy", args=[cast.resident.pk]))
    assert DataCopy.objects.get().language == "nl"
