"""The quarterly progress report: asked for on a page, rendered by a task, served with care."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ondernemerspunt.models import ProgressReport
from ondernemerspunt.pdf import BASE_URL, static_path
from tests.factories import make_member
from tests.ondernemerspunt import progress_scenario


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run the rendering task at once, in the test's own transaction."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def desk(db):
    return progress_scenario.build()


def log_in(client, desk, role):
    user = make_member(desk, role)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def ask_for_report(client, desk, quarter=2, **extra):
    url = reverse("progress_reports", args=[desk.slug, 2009])
    response = client.post(url, {"quarter": quarter, **extra})
    assert response.status_code == 302
    return ProgressReport.objects.latest("id")


def test_a_project_group_member_gets_a_suppressed_quarterly_report(client, desk):
    report = ask_for_report(log_in(client, desk, "project_group"), desk)
    assert report.status == ProgressReport.Status.READY
    assert report.suppressed
    assert report.render_seconds is not None
    response = client.get(reverse("progress_report_pdf", args=[desk.slug, report.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    # Counted up to the end of quarter 2 = the hand-counted as-of date of the scenario.
    assert "30-06-2009" in text
    assert "5 van 50 deelnemers" in text
    assert "< 5" in text
    assert "Bewoner A" not in text


def test_a_coordinator_gets_the_project_groups_version_unless_asking_for_more(client, desk):
    """The report is for the project group's meeting: whoever prepares it gets the version the
    group may see; small counts only when asked for, and then the PDF says it is internal."""
    log_in(client, desk, "coordinator")
    report = ask_for_report(client, desk)
    assert report.suppressed
    text = pdf_text(bytes(report.pdf))
    assert "< 5" in text
    assert "VOORTGANGSRAPPORT VOOR DE PROJECTGROEP" in text  # in small capitals
    assert "Ondernemerspunt Telling – kwartaal 2 2009" in text
    internal = ask_for_report(client, desk, show_small_counts="on")
    assert not internal.suppressed
    text = pdf_text(bytes(internal.pdf))
    assert "< 5" not in text
    assert "INTERN VOORTGANGSRAPPORT" in text
    assert "NIET VOOR DE PROJECTGROEP" in text


def test_the_project_group_cannot_ask_for_small_counts(client, desk):
    client = log_in(client, desk, "project_group")
    page = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert "show_small_counts" not in page
    assert ask_for_report(client, desk, show_small_counts="on").suppressed


def test_the_project_group_never_gets_an_unsuppressed_report(client, desk):
    coordinator = log_in(client, desk, "coordinator")
    report = ask_for_report(coordinator, desk, show_small_counts="on")
    url = reverse("progress_report_pdf", args=[desk.slug, report.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "< 5" not in pdf_text(response.content)  # the coordinator's own, unsuppressed copy
    log_in(client, desk, "project_group")
    assert client.get(url).status_code == 404
    listing = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert url not in listing


def test_a_report_still_being_prepared_cannot_be_downloaded(client, desk):
    report = ProgressReport.objects.create(desk=desk, year=2009, quarter=1, as_of="2009-03-31")
    log_in(client, desk, "coordinator")
    assert (
        client.get(reverse("progress_report_pdf", args=[desk.slug, report.pk])).status_code == 404
    )
    page = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert "wordt gemaakt" in page


def test_a_quarter_that_has_not_begun_cannot_be_asked_for(client, desk):
    log_in(client, desk, "coordinator")
    url = reverse("progress_reports", args=[desk.slug, 2099])
    response = client.post(url, {"quarter": 1})
    assert response.status_code == 200
    assert "Er is nog geen kwartaal van dit jaar begonnen" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_failed_rendering_is_recorded(client, desk, monkeypatch):
    from ondernemerspunt.progress import reports

    def broken(report):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(reports, "render_report_pdf", broken)
    report = ask_for_report(log_in(client, desk, "coordinator"), desk)
    assert report.status == ProgressReport.Status.FAILED


def test_the_pdf_fetcher_serves_only_our_static_files():
    assert static_path(f"{BASE_URL}static/css/progress-report.css") is not None
    assert static_path(f"{BASE_URL}static/../ondernemerspunt/settings.py") is None
    assert static_path(f"{BASE_URL}static/css/../../manage.py") is None
    assert static_path("file:///etc/passwd") is None
    assert static_path("https://example.com/static/css/progress-report.css") is None
    assert static_path(f"{BASE_URL}media/anything.pdf") is None


def test_the_project_groups_report_leaves_out_small_breakdowns_and_names_the_period(client, desk):
    report = ask_for_report(log_in(client, desk, "project_group"), desk, quarter=2)
    text = " ".join(pdf_text(bytes(report.pdf)).split())
    assert "de uitsplitsingen tonen: kwartaal 2" in text
    assert "Minder dan 5 bewoners: niet uitgesplitst" in text
    assert "werk gevonden" not in text  # the reason C stopped, in Q2
    assert "Aantallen van 1 tot en met 4" in text


def test_a_failed_report_says_what_to_do(client, desk):
    ProgressReport.objects.create(
        desk=desk, year=2009, quarter=1, as_of="2009-03-31", status=ProgressReport.Status.FAILED
    )
    log_in(client, desk, "project_group")
    page = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert "Het rapport kon niet worden gemaakt. Vraag het opnieuw aan" in page


def test_a_report_stuck_in_the_queue_says_so(client, desk):
    """No worker running: after some minutes the page stops promising that it is coming."""
    from datetime import timedelta

    from django.utils import timezone

    fresh = ProgressReport.objects.create(desk=desk, year=2009, quarter=1, as_of="2009-03-31")
    assert not fresh.is_late
    ProgressReport.objects.create(
        desk=desk,
        year=2009,
        quarter=2,
        as_of="2009-06-30",
        requested_at=timezone.now() - timedelta(minutes=30),
    )
    log_in(client, desk, "project_group")
    page = client.get(reverse("progress_reports", args=[desk.slug, 2009])).content.decode()
    assert page.count("Dit duurt veel langer dan normaal") == 1
    assert "Verversen" in page  # the fresh one


def test_the_admin_shows_reports_read_only(admin_client, desk):
    report = ProgressReport.objects.create(desk=desk, year=2009, quarter=1, as_of="2009-03-31")
    listing = admin_client.get("/beheer/ondernemerspunt/progressreport/").content.decode()
    assert f"/beheer/ondernemerspunt/progressreport/{report.pk}/change/" in listing
    url = f"/beheer/ondernemerspunt/progressreport/{report.pk}/change/"
    assert admin_client.get(url).status_code == 200  # view only
    assert admin_client.get("/beheer/ondernemerspunt/progressreport/add/").status_code == 403
    admin_client.post(url, {"quarter": 4})
    report.refresh_from_db()
    assert report.quarter == 1
