"""A canary: a unique name and unique notes, planted in a resident's file, must appear in nothing
a project group member can reach — page, CSV, JSON or PDF, in any period."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake.models import Conversation, NextStep, Stage, StageChange
from ondernemerspunt.models import ProgressReport
from tests.factories import make_resident

CANARIES = [
    "Zwanhilde",  # first name
    "Kwakkelstaart",  # last name
    "kanarie-9f4e@example.test",
    "0612999888",
    "Kanariegracht 7",
    "CANARY-IDEA-51c2",
    "CANARY-NOTE-7f3a",  # conversation notes
    "CANARY-STEP-2b8d",  # a next step
    "CANARY-STAGE-3e1c",  # a stage change note
]


@pytest.fixture
def planted(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    resident = make_resident(
        cast.desk,
        coach=cast.coach,
        first_name="Zwanhilde",
        last_name="Kwakkelstaart",
        email="kanarie-9f4e@example.test",
        phone="0612999888",
        street="Kanariegracht 7",
        business_idea="CANARY-IDEA-51c2",
        stage=Stage.IN_TRAJECTORY,
    )
    for to_stage, day in [
        (Stage.REGISTERED, "2009-01-05"),
        (Stage.INTAKE, "2009-01-12"),
        (Stage.IN_TRAJECTORY, "2009-02-02"),
    ]:
        StageChange.objects.create(
            resident=resident,
            desk=cast.desk,
            to_stage=to_stage,
            changed_on=day,
            changed_by=cast.coach,
            note="CANARY-STAGE-3e1c",
        )
    conversation = Conversation.objects.create(
        resident=resident,
        desk=cast.desk,
        kind=Conversation.Kind.INTAKE,
        held_on="2009-01-12",
        coach=cast.coach,
        notes="CANARY-NOTE-7f3a",
    )
    NextStep.objects.create(
        conversation=conversation,
        resident=resident,
        description="CANARY-STEP-2b8d",
        due_on="2009-02-01",
    )
    return resident


def reachable(client, cast):
    """Everything a project group member can open for their desk, as text."""
    slug = cast.desk.slug
    texts = {}
    for url in [
        reverse("home"),
        reverse("progress_index"),
        reverse("progress_desk", args=[slug]),
        reverse("progress_reports", args=[slug, 2009]),
    ]:
        texts[url] = client.get(url, follow=True).content.decode()
    for query in ["", "period=q1", "period=m1&as_of=2009-01-31", "period=m2"]:
        for name in ("progress_dashboard", "progress_json", "progress_csv"):
            url = reverse(name, args=[slug, 2009]) + (f"?{query}" if query else "")
            response = client.get(url)
            assert response.status_code == 200, url
            texts[url] = response.content.decode("utf-8-sig")
    client.post(reverse("progress_reports", args=[slug, 2009]), {"quarter": 1})
    report = ProgressReport.objects.get(desk=cast.desk, suppressed=True)
    pdf = client.get(reverse("progress_report_pdf", args=[slug, report.pk])).content
    texts["report.pdf"] = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return texts


def test_no_personal_detail_reaches_the_project_group(client_for, cast, planted):
    texts = reachable(client_for("project_group"), cast)
    assert len(texts) == 17
    for where, text in texts.items():
        for canary in CANARIES:
            assert canary.lower() not in text.lower(), f"{canary} leaks through {where}"
        assert cast.resident.full_name not in text, where  # "Rana Bewoner"


def test_the_canary_is_really_counted(client_for, cast, planted):
    """The test above would pass vacuously if the canary were not on the dashboard at all."""
    client = client_for("coordinator")
    data = client.get(reverse("progress_json", args=[cast.desk.slug, 2009])).json()
    assert data["participants"] == 1
    assert data["intake_conversations"] == 1
    client = client_for("project_group")
    data = client.get(reverse("progress_json", args=[cast.desk.slug, 2009])).json()
    assert data["participants"] == "<5"
