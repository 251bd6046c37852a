"""The Qredits application's pages (issue 11, points 1 and 2): started from a plan that is ready
for Qredits, its request and checklist of documents, the proof of identity noted as seen, and
the files — refused when bad, downloaded only by the resident and the staff of her desk."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from coaching.applications import ApplicationRefused, add_file
from coaching.models import Enclosure, LoanApplication, Review, Upload
from coaching.models.applications import MAX_UPLOAD_BYTES
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import audit_text
from tests.coaching.applications import make_application, ready_plan
from tests.factories import make_plan, make_resident, make_review, make_revision, make_user


def trail(what: str) -> str:
    """An audit line as the trail stores it: in the desk's language, whatever the page's."""
    return audit_text(gettext_lazy(what))


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, obj=None):
    return reverse(f"coaching:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


def request_values(**values):
    return {
        "amount": "12.500,50",
        "purpose": "Oven en inrichting",
        "term_months": "60",
        "repayment_free_months": "6",
        "recommendation": "Een sterk plan.",
        **values,
    }


def enclosure(application, kind=Enclosure.Kind.QUOTES):
    return application.enclosures.get(kind=kind)


def a_file(name="offerte.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def upload_to(application, kind=Enclosure.Kind.QUOTES, name="offerte.pdf", data=PDF, by=None):
    return add_file(enclosure=enclosure(application, kind), file=a_file(name, data), by=by)


# --- Starting an application ----------------------------------------------------------------
def test_the_coach_starts_an_application_from_a_ready_plan(cast, client_for):
    plan = ready_plan(cast)
    client = english(client_for("coach"))
    page = client.get(url("application_new", plan))
    assert page.status_code == 200
    response = client.post(
        url("application_new", plan),
        request_values(form_token=page.context["form_token"]),
    )
    application = LoanApplication.objects.get(plan=plan)
    assert response.status_code == 302 and response.url == url("application_detail", application)
    assert application.amount == Decimal("12500.50")
    assert (application.term_months, application.repayment_free_months) == (60, 6)
    assert application.recommendation == "Een sterk plan."
    assert application.created_by == cast.coach
    assert application.enclosures.count() == 6
    assert AuditEntry.objects.filter(
        resident_id=cast.resident.pk, what=trail("Qredits application started")
    ).exists()


def test_the_form_is_filled_in_from_the_financing_of_the_ready_version(cast, client_for):
    financing = {
        "qredits_amount": "20000.00",
        "qredits_rate": "9.00",
        "qredits_months": 48,
        "qredits_free_months": 3,
    }
    plan = ready_plan(cast, {"financing": financing})
    page = client_for("coach").get(url("application_new", plan))
    initial = page.context["form"].initial
    assert (initial["amount"], initial["term_months"], initial["repayment_free_months"]) == (
        "20.000,00",
        48,
        3,
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "40.000"}, "amount", "This amount is too high"),
        ({"amount": "twaalf"}, "amount", "amount"),
        ({"amount": ""}, "amount", "Fill in the amount"),
        ({"amount": "0"}, "amount", "Fill in the amount"),
        ({"term_months": "5"}, "term_months", "6"),
        ({"term_months": "121"}, "term_months", "120"),
        ({"repayment_free_months": "13"}, "repayment_free_months", "12"),
        (
            {"term_months": "6", "repayment_free_months": "6"},
            "repayment_free_months",
            "fewer than the term",
        ),
        ({"purpose": ""}, "purpose", "what the loan is for"),
        ({"recommendation": "x" * 5001}, "recommendation", "5000"),
    ],
)
def test_a_request_that_breaks_a_rule_is_refused_next_to_its_field(
    cast, client_for, values, field, message
):
    cast.desk.max_loan_amount = Decimal("35000")
    cast.desk.save()
    plan = ready_plan(cast)
    response = english(client_for("coach")).post(
        url("application_new", plan), request_values(**values)
    )
    assert response.status_code == 200
    with translation.override("en"):  # the errors are lazy: read them in the page's language
        errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not LoanApplication.objects.filter(plan=plan).exists()
    # What was typed is kept.
    assert response.context["form"].data["purpose"] == request_values(**values)["purpose"]


def test_a_plan_without_a_concluded_ready_review_is_refused(cast, client_for):
    plan = make_plan(cast.resident)
    revision = make_revision(plan, by=cast.resident_user)
    client = english(client_for("coach"))
    page = client.get(url("application_new", plan))
    assert b'id="application-refused"' in page.content
    assert b"not ready for Qredits" in page.content
    client.post(url("application_new", plan), request_values())
    assert not LoanApplication.objects.exists()
    # Concluded, but not ready.
    make_review(
        revision,
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.REVISE,
        concluded_at=timezone.now(),
    )
    client.post(url("application_new", plan), request_values())
    assert not LoanApplication.objects.exists()


def test_a_version_handed_in_after_the_ready_review_makes_the_plan_not_ready(cast, client_for):
    plan = ready_plan(cast)
    make_revision(plan, by=cast.resident_user)
    response = english(client_for("coach")).post(url("application_new", plan), request_values())
    assert b"not ready for Qredits" in response.content
    assert not LoanApplication.objects.exists()


def test_a_second_application_while_one_is_open_is_refused(cast, client_for):
    application = make_application(cast)
    client = english(client_for("coach"))
    page = client.get(url("application_new", application.plan))
    assert b"already open" in page.content
    assert url("application_detail", application).encode() in page.content
    client.post(url("application_new", application.plan), request_values())
    assert LoanApplication.objects.count() == 1


@pytest.mark.parametrize("role", ["other_coach", "project_group", "partner", "resident"])
def test_others_cannot_start_or_see_an_application(cast, client_for, role):
    application = make_application(cast)
    client = client_for(role)
    assert client.get(url("application_detail", application)).status_code in (403, 404)
    assert client.get(url("application_new", application.plan)).status_code in (403, 404)
    assert client.post(url("identity_seen", application)).status_code in (403, 404)
    assert client.get(url("application_edit", application)).status_code in (403, 404)


# --- The page, the request, the proof of identity -------------------------------------------
def test_the_page_shows_the_request_the_checklist_and_the_coordinator_sees_it(cast, client_for):
    application = make_application(cast, recommendation="Aanrader")
    page = english(client_for("coordinator")).get(url("application_detail", application))
    assert page.status_code == 200
    text = page.content.decode()
    assert "€\u00a015.000,00" in text and "Oven en inrichting" in text and "Aanrader" in text
    assert text.count("data-enclosure=") == 6
    assert url("pack_new", application) in text and url("application_decision", application) in text
    assert "no copy, no photo and no number of the document" in text


def test_the_coach_changes_the_request(cast, client_for):
    application = make_application(cast)
    client = english(client_for("coach"))
    page = client.get(url("application_edit", application))
    assert page.context["form"].initial["amount"] == "15.000,00"
    response = client.post(
        url("application_edit", application),
        request_values(amount="16.000", version=application.version),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amount == Decimal("16000") and application.version == 2


def test_a_stale_edit_is_refused_and_the_typing_kept(cast, client_for):
    application = make_application(cast)
    client = english(client_for("coach"))
    old_version = application.version
    LoanApplication.objects.filter(pk=application.pk).update(purpose="Anders", version=2)
    response = client.post(
        url("application_edit", application),
        request_values(purpose="Mijn eigen tekst", version=old_version),
    )
    assert response.status_code == 200
    assert "Someone else saved this application" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert response.context["form"].data["purpose"] == "Mijn eigen tekst"
    assert response.context["form"].data["version"] == "2"  # saving again is a choice
    assert b'id="current-values"' in response.content
    application.refresh_from_db()
    assert application.purpose == "Anders"


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999"])
def test_a_mangled_version_is_taken_as_an_out_of_date_page(cast, client_for, version):
    application = make_application(cast)
    response = english(client_for("coach")).post(
        url("application_edit", application), request_values(amount="1.000", version=version)
    )
    assert response.status_code == 200
    assert "Someone else saved this application" in response.content.decode()
    application.refresh_from_db()
    assert application.amount == Decimal("15000") and application.version == 1


def test_a_submitted_application_cannot_be_changed(cast, client_for):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(status="submitted")
    client = english(client_for("coach"))
    page = client.get(url("application_edit", application))
    assert b'id="application-locked"' in page.content and b"<textarea" not in page.content
    response = client.post(
        url("application_edit", application), request_values(amount="1.000", version=1)
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.amount == Decimal("15000")


def test_the_proof_of_identity_is_noted_as_seen_and_nothing_else_is_kept(cast, client_for):
    application = make_application(cast)
    before = model_to_dict(LoanApplication.objects.get(pk=application.pk))
    client = english(client_for("coach"))
    page = client.get(url("application_detail", application)).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page  # today unless she says so
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url("identity_seen", application), {"seen_on": yesterday.isoformat()})
    assert response.status_code == 302
    after = model_to_dict(LoanApplication.objects.get(pk=application.pk))
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"identity_seen_on", "identity_seen_by"}
    assert after["identity_seen_on"] == yesterday
    assert after["identity_seen_by"] == cast.coach.pk
    assert not Upload.objects.exists()
    page = client.get(url("application_detail", application))
    assert f"Seen on {yesterday:%d-%m-%Y} by Cees Coach." in page.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "This field is required."),
        ("morgen", "Enter a valid date."),
        ("tomorrow", "future"),
        ("1900-01-01", "before the resident registered"),
    ],
)
def test_a_wrong_day_for_the_proof_of_identity_is_shown_at_its_field(
    cast, client_for, typed, message
):
    application = make_application(cast)
    if typed == "tomorrow":
        typed = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = english(client_for("coach"))
    response = client.post(url("identity_seen", application), {"seen_on": typed})
    assert response.status_code == 200
    with translation.override("en"):
        assert message in str(response.context["identity"].errors["seen_on"])
    page = response.content.decode()
    assert 'aria-describedby="id_seen_on-error"' in page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert LoanApplication.objects.get(pk=application.pk).identity_seen_on is None


def test_identity_seen_takes_only_post(cast, client_for):
    application = make_application(cast)
    assert client_for("coach").get(url("identity_seen", application)).status_code == 405


# --- The checklist ---------------------------------------------------------------------------
def test_the_coach_adds_another_document(cast, client_for):
    application = make_application(cast)
    client = english(client_for("coach"))
    page = client.get(url("enclosure_add", application))
    response = client.post(
        url("enclosure_add", application),
        {"title": "Huurcontract winkel", "form_token": page.context["form_token"]},
    )
    added = application.enclosures.get(kind=Enclosure.Kind.OTHER)
    assert response.status_code == 302 and response.url.endswith(f"#bijlage-{added.pk}")
    assert (added.title, added.status, added.position) == ("Huurcontract winkel", "missing", 6)


@pytest.mark.parametrize(("title", "message"), [("  ", "Fill in the name"), ("x" * 121, "120")])
def test_a_document_without_a_usable_name_is_refused(cast, client_for, title, message):
    application = make_application(cast)
    response = english(client_for("coach")).post(
        url("enclosure_add", application), {"title": title}
    )
    with translation.override("en"):  # the errors are lazy: read them in the page's language
        assert message in " ".join(response.context["form"].errors["title"])
    assert application.enclosures.count() == 6


def test_present_without_a_file_says_so_in_the_list(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    client = english(client_for("coach"))
    response = client.post(
        url("enclosure_update", quotes),
        {f"e{quotes.pk}-status": "present", f"e{quotes.pk}-note": "Papieren offerte gezien"},
    )
    assert response.status_code == 302
    quotes.refresh_from_db()
    assert (quotes.status, quotes.note) == ("present", "Papieren offerte gezien")
    page = client.get(url("application_detail", application)).content.decode()
    row = page.split(f'id="bijlage-{quotes.pk}"')[1].split("</li>")[0]
    assert "no file is attached" in row and "Papieren offerte gezien" in row


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        (Enclosure.Kind.QUOTES, "lost", "Select a valid choice"),
        (Enclosure.Kind.BUSINESS_PLAN, "missing", "always present"),
    ],
)
def test_a_bad_status_is_refused_on_the_page(cast, client_for, kind, status, message):
    application = make_application(cast)
    target = enclosure(application, kind)
    response = english(client_for("coach")).post(
        url("enclosure_update", target), {f"e{target.pk}-status": status}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    target.refresh_from_db()
    assert target.status == ("present" if kind == Enclosure.Kind.BUSINESS_PLAN else "missing")


def test_the_enclosure_pages_are_the_staff_of_her_desk_only(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    for role in ("other_coach", "project_group", "partner", "resident"):
        client = client_for(role)
        post = client.post(url("enclosure_update", quotes), {f"e{quotes.pk}-status": "present"})
        assert post.status_code in (403, 404), role
        added = client.post(url("upload_add", quotes), {f"e{quotes.pk}-file": a_file()})
        assert added.status_code in (403, 404), role
    quotes.refresh_from_db()
    assert quotes.status == "missing" and not Upload.objects.exists()


# --- Files ----------------------------------------------------------------------------------
def post_file(client, target, name, data):
    return client.post(url("upload_add", target), {f"e{target.pk}-file": a_file(name, data)})


def test_the_coach_adds_a_file(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    response = post_file(english(client_for("coach")), quotes, "offerte.pdf", PDF)
    assert response.status_code == 302
    stored = Upload.objects.get()
    assert (stored.enclosure, stored.name, stored.content_type) == (
        quotes,
        "offerte.pdf",
        "application/pdf",
    )
    quotes.refresh_from_db()
    assert quotes.status == "present"
    assert AuditEntry.objects.filter(what=trail("Enclosure uploaded")).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("offerte.pdf", b"#!/bin/sh\nrm -rf /\n", "not a PDF, JPEG or PNG"),
        ("foto.png", b"GIF89a" + b"\x00" * 20, "not a PDF, JPEG or PNG"),
        ("plan.pdf", b"<html><script>alert(1)</script></html>", "not a PDF, JPEG or PNG"),
        ("leeg.pdf", b"", "This file is empty"),
        ("groot.pdf", PDF + b"0" * (MAX_UPLOAD_BYTES + 1 - len(PDF)), "larger than 10 MB"),
    ],
    ids=["script-named-pdf", "gif-named-png", "html-named-pdf", "empty", "10MB+1"],
)
def test_a_bad_file_is_refused_next_to_the_file_field(cast, client_for, name, data, message):
    application = make_application(cast)
    quotes = enclosure(application)
    before = model_to_dict(LoanApplication.objects.get(pk=application.pk))
    response = post_file(english(client_for("coach")), quotes, name, data)
    assert response.status_code == 400
    text = response.content.decode()
    row = text.split(f'id="bijlage-{quotes.pk}"')[1].split("</li>")[0]
    assert message in row and "data-upload-error" in row
    assert "<script>alert" not in text
    assert not Upload.objects.exists()
    quotes.refresh_from_db()
    assert quotes.status == "missing"
    assert model_to_dict(LoanApplication.objects.get(pk=application.pk)) == before


def test_a_file_of_exactly_ten_megabytes_reaches_the_check_and_is_kept(cast, client_for):
    application = make_application(cast)
    data = PDF + b"0" * (MAX_UPLOAD_BYTES - len(PDF))
    response = post_file(client_for("coach"), enclosure(application), "scan.pdf", data)
    assert response.status_code == 302
    assert Upload.objects.get().size == MAX_UPLOAD_BYTES


def test_no_file_chosen_gets_a_message(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    response = english(client_for("coach")).post(url("upload_add", quotes), {})
    assert response.status_code == 400
    assert "Choose a file first" in response.content.decode()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\offerte.pdf", "offerte.pdf"),
        ('offerte<script>"x".pdf', "offerte_script__x_.pdf"),
        ("café;\u202eexe.pdf", "café_exe.pdf"),  # a right-to-left override taken out
    ],
)
def test_paths_and_odd_characters_are_taken_out_of_the_name(cast, client_for, sent, kept):
    application = make_application(cast)
    client = english(client_for("coach"))
    assert post_file(client, enclosure(application), sent, PDF).status_code == 302
    stored = Upload.objects.get()
    assert stored.name == kept
    download = client.get(url("upload_download", stored))
    assert download["Content-Disposition"] == content_disposition_header(True, kept)


def test_the_download_is_an_attachment_that_the_browser_does_not_sniff(cast, client_for):
    application = make_application(cast)
    stored = upload_to(application, name="foto.jpg", data=PNG, by=cast.coach)
    response = client_for("coach").get(url("upload_download", stored))
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="foto.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert AuditEntry.objects.filter(
        actor=cast.coach, resident_id=cast.resident.pk, what=trail("Enclosure downloaded")
    ).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("resident", 200),
        ("coach", 200),
        ("coordinator", 200),
        ("other_coach", 404),
        ("project_group", 404),
        ("partner", 404),
        ("other_resident_user", 404),
    ],
)
def test_only_the_resident_and_the_staff_of_her_desk_download(cast, client_for, role, status):
    application = make_application(cast)
    stored = upload_to(application, by=cast.coach)
    if role == "other_resident_user":
        other = make_user("Olga Andere Bewoner")
        make_resident(cast.desk, user=other, coach=cast.coach, consent_by=cast.coach)
        client = client_for("anonymous")
        client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    else:
        client = client_for(role)
    assert client.get(url("upload_download", stored)).status_code == status


def test_deleting_the_last_file_makes_the_document_missing_again(cast, client_for):
    application = make_application(cast)
    first = upload_to(application, by=cast.coach)
    second = upload_to(application, name="tweede.pdf", by=cast.coach)
    client = english(client_for("coach"))
    assert client.post(url("upload_delete", first)).status_code == 302
    assert enclosure(application).status == "present"
    assert client.post(url("upload_delete", second)).status_code == 302
    assert enclosure(application).status == "missing"
    assert not Upload.objects.exists()
    assert AuditEntry.objects.filter(what=trail("Enclosure file deleted")).count() == 2


def test_a_document_not_needed_stays_so_when_its_file_is_deleted(cast, client_for):
    application = make_application(cast)
    stored = upload_to(application, by=cast.coach)
    Enclosure.objects.filter(pk=stored.enclosure_id).update(status="not_needed")
    client_for("coach").post(url("upload_delete", stored))
    assert enclosure(application).status == "not_needed"


@pytest.mark.parametrize("role", ["resident", "other_coach", "project_group", "partner"])
def test_only_the_staff_of_her_desk_delete(cast, client_for, role):
    application = make_application(cast)
    stored = upload_to(application, by=cast.coach)
    response = client_for(role).post(url("upload_delete", stored))
    assert response.status_code in (403, 404)
    assert Upload.objects.filter(pk=stored.pk).exists()


def test_delete_takes_only_post(cast, client_for):
    stored = upload_to(make_application(cast), by=cast.coach)
    assert client_for("coach").get(url("upload_delete", stored)).status_code == 405


def test_files_cannot_change_once_qredits_decided(cast, client_for):
    application = make_application(cast)
    stored = upload_to(application, by=cast.coach)
    LoanApplication.objects.filter(pk=application.pk).update(
        status="approved", decided_on=datetime.date.today()
    )
    client = english(client_for("coach"))
    client.post(url("upload_delete", stored))
    assert Upload.objects.filter(pk=stored.pk).exists()
    response = post_file(client, enclosure(application), "nog.pdf", PDF)
    assert response.status_code == 302
    assert Upload.objects.count() == 1
    page = client.get(url("application_detail", application)).content.decode()
    assert url("upload_add", enclosure(application)) not in page


# --- The resident's own page ----------------------------------------------------------------
def test_the_resident_sees_her_application_without_the_coachs_words(cast, client_for):
    application = make_application(cast, recommendation="GEHEIM-ADVIES")
    Enclosure.objects.filter(application=application, kind="bkr").update(
        status="not_needed", note="GEHEIME-NOTITIE"
    )
    page = english(client_for("resident")).get(url("own_application"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "GEHEIM-ADVIES" not in text and "GEHEIME-NOTITIE" not in text
    assert "€\u00a015.000,00" in text and "still needed" in text
    quotes, bkr = enclosure(application), enclosure(application, "bkr")
    business_plan = enclosure(application, "business_plan")
    assert url("own_upload_add", quotes) in text
    assert url("own_upload_add", bkr) not in text  # not needed
    assert url("own_upload_add", business_plan) not in text
    plan_home = english(client_for("resident")).get(reverse("coaching:plan_home"))
    assert url("own_application").encode() in plan_home.content


def test_the_resident_sends_a_file_and_her_coach_sees_it(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    client = english(client_for("resident"))
    response = client.post(url("own_upload_add", quotes), {f"e{quotes.pk}-file": a_file()})
    assert response.status_code == 302
    stored = Upload.objects.get()
    assert stored.uploaded_by == cast.resident_user
    quotes.refresh_from_db()
    assert quotes.status == "present"
    assert client.get(url("upload_download", stored)).status_code == 200
    coach_page = client_for("coach").get(url("application_detail", application))
    assert url("upload_download", stored).encode() in coach_page.content


def test_the_resident_gets_the_message_for_a_bad_file(cast, client_for):
    application = make_application(cast)
    quotes = enclosure(application)
    response = english(client_for("resident")).post(
        url("own_upload_add", quotes), {f"e{quotes.pk}-file": a_file("x.pdf", b"<script>")}
    )
    assert response.status_code == 400
    row = response.content.decode().split(f'id="bijlage-{quotes.pk}"')[1].split("</li>")[0]
    assert "not a PDF, JPEG or PNG" in row
    assert not Upload.objects.exists()


def test_the_resident_cannot_send_once_the_application_is_submitted(cast, client_for):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(status="submitted")
    quotes = enclosure(application)
    client = english(client_for("resident"))
    response = client.post(url("own_upload_add", quotes), {f"e{quotes.pk}-file": a_file()})
    assert response.status_code == 302
    assert not Upload.objects.exists()
    page = client.get(url("own_application")).content.decode()
    assert "sent to Qredits" in page and url("own_upload_add", quotes) not in page


def test_the_resident_sends_only_for_her_own_application(cast, client_for):
    make_application(cast)
    other_plan = make_plan(cast.other_resident)
    revision = make_revision(other_plan, by=cast.other_coach)
    make_review(
        revision,
        coach=cast.other_coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now(),
    )
    other = make_application(cast, plan=other_plan)
    target = enclosure(other)
    response = client_for("resident").post(
        url("own_upload_add", target), {f"e{target.pk}-file": a_file()}
    )
    assert response.status_code == 404
    assert not Upload.objects.exists()


def test_the_own_page_is_for_a_resident_with_an_application(cast, client_for):
    assert client_for("coach").get(url("own_application")).status_code == 403
    make_plan(cast.resident)
    assert client_for("resident").get(url("own_application")).status_code == 404


# --- The plan's page links to the application -----------------------------------------------
def test_the_plan_page_offers_the_application_only_when_ready_or_started(cast, client_for):
    plan = make_plan(cast.resident)
    make_revision(plan, by=cast.resident_user)
    client = client_for("coach")
    page = client.get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    assert b"data-application-new" not in page.content
    ready = ready_plan(cast)
    assert ready.pk == plan.pk  # one plan per resident: now ready
    page = client.get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    assert url("application_new", plan).encode() in page.content
    application = make_application(cast, plan=plan)
    page = client.get(reverse("coaching:plan_detail", kwargs={"pk": plan.pk}))
    assert url("application_detail", application).encode() in page.content
    assert b"data-application-new" not in page.content


# --- Queries --------------------------------------------------------------------------------
def fill(application, n, by):
    for number in range(n):
        added = Enclosure.objects.create(
            application=application, kind="other", title=f"Document {number}", position=10 + n
        )
        add_file(enclosure=added, file=a_file(f"bestand{number}.pdf"), by=by)


def count_queries(client, address):
    client.get(address)  # the session warmed up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "name"), [("coach", "application_detail"), ("resident", "own_application")]
)
def test_the_pages_run_as_many_queries_for_ten_documents_as_for_one(cast, client_for, role, name):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(
        identity_seen_on=datetime.date.today(), identity_seen_by=cast.coach
    )
    client = client_for(role)
    address = url(name, application) if name == "application_detail" else url(name)
    fill(application, 1, cast.coach)
    one = count_queries(client, address)
    fill(application, 9, cast.resident_user)
    assert count_queries(client, address) == one


def test_the_page_never_reads_the_files_bytes(cast, client_for):
    application = make_application(cast)
    fill(application, 2, cast.coach)
    client = client_for("coach")
    client.get(url("application_detail", application))
    with CaptureQueriesContext(connection) as queries:
        client.get(url("application_detail", application))
    upload_queries = [q["sql"] for q in queries if '"coaching_upload"' in q["sql"]]
    assert upload_queries and all('"coaching_upload"."data"' not in q for q in upload_queries)


# --- A decided application (review findings 1 and 2) ----------------------------------------
def test_no_new_application_after_an_approved_one(cast, client_for):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(
        status="approved", decided_on=datetime.date.today()
    )
    client = english(client_for("coach"))
    page = client.get(url("application_new", application.plan))
    assert b'id="application-refused"' in page.content
    assert b"granted the loan" in page.content
    assert url("application_detail", application).encode() in page.content
    client.post(url("application_new", application.plan), request_values())
    assert LoanApplication.objects.count() == 1
    with pytest.raises(ApplicationRefused):
        make_application(cast, plan=application.plan)


@pytest.mark.parametrize("status", ["declined", "withdrawn"])
def test_after_a_declined_application_only_a_newer_ready_version_starts_one(
    cast, client_for, status
):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(
        status=status, decided_on=datetime.date.today()
    )
    plan = application.plan
    client = english(client_for("coach"))
    page = client.get(url("application_new", plan))
    assert b'id="application-refused"' in page.content
    assert b"newer version" in page.content
    client.post(url("application_new", plan), request_values())
    assert LoanApplication.objects.count() == 1
    with pytest.raises(ApplicationRefused):
        make_application(cast, plan=plan)
    # A newer version, reviewed ready: now a new application may start on it.
    revision = make_revision(plan, by=cast.resident_user)
    make_review(
        revision,
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now(),
    )
    page = client.get(url("application_new", plan))
    assert b'id="application-refused"' not in page.content
    client.post(url("application_new", plan), request_values())
    assert LoanApplication.objects.count() == 2
    assert LoanApplication.objects.latest("id").review.revision == revision


def test_identity_seen_is_refused_once_the_application_is_submitted(cast, client_for):
    application = make_application(cast)
    first = datetime.date(2024, 3, 1)
    LoanApplication.objects.filter(pk=application.pk).update(
        status="submitted", submitted_on=first, identity_seen_on=first, identity_seen_by=cast.coach
    )
    client = english(client_for("coach"))
    page = client.get(url("application_detail", application)).content.decode()
    assert url("identity_seen", application) not in page
    response = client.post(
        url("identity_seen", application), {"seen_on": "2024-03-05"}, follow=True
    )
    assert b"submitted" in response.content
    assert LoanApplication.objects.get(pk=application.pk).identity_seen_on == first


def test_a_request_that_differs_from_the_plans_loan_is_warned_about(cast, client_for):
    from coaching.applications import plan_differences
    from coaching.demo import SALON

    plan = ready_plan(cast, SALON)  # the plan's Qredits loan: € 18.000, 60 months, none free
    agreeing = make_application(cast, plan=plan, amount=Decimal("18000"), repayment_free_months=0)
    assert plan_differences(agreeing) == []
    client = english(client_for("coach"))
    page = client.get(url("application_detail", agreeing)).content.decode()
    assert 'id="plan-differences"' not in page
    LoanApplication.objects.filter(pk=agreeing.pk).update(
        amount=Decimal("12.50"), repayment_free_months=3
    )
    differing = LoanApplication.objects.get(pk=agreeing.pk)
    assert [(row["requested"], row["planned"]) for row in plan_differences(differing)] == [
        ("€\u00a012,50", "€\u00a018.000,00"),
        ("3", "0"),
    ]
    page = client.get(url("application_detail", differing)).content.decode()
    assert 'id="plan-differences"' in page
    assert "€\u00a012,50 requested, €\u00a018.000,00 in the plan" in page


def test_a_long_file_name_wraps_on_the_pages(cast, client_for):
    application = make_application(cast)
    name = "a" * 116 + ".pdf"
    upload_to(application, name=name, by=cast.coach)
    wrapped = f'class="file-name text-break" download>{name}</a>'
    assert (
        wrapped in client_for("coach").get(url("application_detail", application)).content.decode()
    )
    assert wrapped in client_for("resident").get(url("own_application")).content.decode()


def test_the_resident_is_told_truthfully_who_can_open_her_files(cast, client_for):
    make_application(cast)
    page = english(client_for("resident")).get(url("own_application")).content.decode()
    assert "Only you, your coach and the coordinator" not in page
    assert "the coaches and the coordinator of the desk" in page


def test_the_link_in_the_refusal_has_the_alerts_darker_colour(cast, client_for):
    application = make_application(cast)
    page = client_for("coach").get(url("application_new", application.plan)).content.decode()
    link = f'<a class="alert-link" href="{url("application_detail", application)}">'
    assert link in page


def test_deleting_a_file_asks_first(cast, client_for):
    application = make_application(cast)
    upload = upload_to(application, "quotes", "offerte.pdf", by=cast.coach)
    page = english(client_for("coach")).get(url("application_detail", application)).content
    row = page.decode().split(f'data-upload="{upload.pk}"')[1].split("</li>")[0]
    # The first click opens the question; only its button deletes.
    assert "<details" in row and "<summary" in row
    assert "Yes, delete offerte.pdf</button>" in row
