"""The resident's pages follow her Qredits application (issue 11, third review): her plan's page
and her application's page say in plain words where it stands — being assembled, sent, approved
(with the amount granted and the payout), declined, withdrawn; the documents that only a running
business needs do not say "still needed" beside "only if you already have a business"; and the
copy of her data labels her files as files and shows amounts the Dutch way."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coaching.data_copy import export_applications
from coaching.models import Enclosure, LoanApplication, Upload
from intake.data_copy import render_copy_pdf
from intake.models import DataCopy
from tests.coaching.applications import make_application, ready_plan
from tests.intake.test_data_copy import pdf_text

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NBSP = "\u00a0"

STATES = {
    "draft": {},
    "submitted": {"status": "submitted", "submitted_on": D(2009, 3, 2)},
    "approved": {
        "status": "approved",
        "submitted_on": D(2009, 3, 2),
        "decided_on": D(2009, 4, 1),
        "amount_granted": Decimal("9000.00"),
        "paid_out_on": D(2009, 4, 15),
    },
    "approved, not paid out yet": {
        "status": "approved",
        "submitted_on": D(2009, 3, 2),
        "decided_on": D(2009, 4, 1),
        "amount_granted": Decimal("9000.00"),
    },
    "declined": {"status": "declined", "submitted_on": D(2009, 3, 2), "decided_on": D(2009, 4, 1)},
    "withdrawn": {"status": "withdrawn", "decided_on": D(2009, 3, 10)},
}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def application_in(cast, state):
    application = make_application(cast)
    LoanApplication.objects.filter(pk=application.pk).update(**STATES[state])
    application.refresh_from_db()
    return application


def plan_page(client_for):
    return english(client_for("resident")).get(reverse("coaching:plan_home")).content.decode()


def own_page(client_for):
    response = english(client_for("resident")).get(reverse("coaching:own_application"))
    assert response.status_code == 200
    return response.content.decode()


def between(page, start, end="</div>"):
    """The part of the page from the element with ``start`` up to ``end``."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def flat(text):
    """Whitespace as one space, no-break spaces as plain ones: the words as read."""
    return " ".join(text.replace(NBSP, " ").split())


# --- Finding 1: the plan's page ---------------------------------------------------------------
PLAN_SAYS = {
    "draft": ["see what is still needed and send your papers"],
    "submitted": ["sent your application to Qredits on 02-03-2009", "wait for the answer"],
    "approved": ["Qredits said yes", "€ 9.000,00", "paid out on 15-04-2009"],
    "approved, not paid out yet": ["Qredits said yes", "€ 9.000,00"],
    "declined": ["Qredits said no", "Your coach will talk with you about the next step"],
    "withdrawn": ["withdrawn"],
}


@pytest.mark.parametrize("state", STATES)
def test_the_plan_page_says_where_the_application_stands(cast, client_for, state):
    application_in(cast, state)
    box = flat(between(plan_page(client_for), 'id="own-application-link"'))
    for words in PLAN_SAYS[state]:
        assert words in box
    if state != "draft":
        assert "send your papers" not in box
    if not state.startswith("approved"):
        assert "Qredits said yes" not in box
    if state == "approved, not paid out yet":
        assert "paid out" not in box


def test_the_plan_page_no_longer_promises_to_tell_how_to_apply_once_applied(cast, client_for):
    application = application_in(cast, "draft")
    promise = "Your coach will tell you how to apply for the loan at Qredits."
    page = plan_page(client_for)
    assert "ready for Qredits" in page  # the review is still shown
    assert promise not in page
    for state in ("submitted", "approved", "declined"):
        LoanApplication.objects.filter(pk=application.pk).update(**STATES[state])
        assert promise not in plan_page(client_for)


@pytest.mark.parametrize(("state", "promised"), [("submitted", False), ("declined", True)])
def test_a_newer_version_found_ready_promises_an_application_only_after_a_decline(
    cast, client_for, state, promised
):
    from tests.coaching.test_packs import newer_version_found_ready

    application = application_in(cast, state)
    newer_version_found_ready(cast, application.plan)
    page = plan_page(client_for)
    assert ("Your coach will tell you how to apply for the loan at Qredits." in page) is promised


def test_without_an_application_the_plan_page_still_promises_it(cast, client_for):
    ready_plan(cast)
    page = plan_page(client_for)
    assert "Your coach will tell you how to apply for the loan at Qredits." in page
    assert 'id="own-application-link"' not in page


def count_queries(client, address):
    client.get(address)  # the session warmed up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_plan_page_runs_as_many_queries_whatever_the_status(cast, client_for):
    application = application_in(cast, "draft")
    client = client_for("resident")
    address = reverse("coaching:plan_home")
    draft = count_queries(client, address)
    LoanApplication.objects.filter(pk=application.pk).update(**STATES["approved"])
    assert count_queries(client, address) == draft


# --- Finding 1: the application's own page ----------------------------------------------------
OWN_SAYS = {
    "draft": ["Your coach is preparing your application"],
    "submitted": ["sent your application to Qredits on 02-03-2009"],
    "approved": ["Qredits said yes", "You get € 9.000,00", "paid out on 15-04-2009"],
    "approved, not paid out yet": ["Qredits said yes", "You get € 9.000,00"],
    "declined": ["Qredits said no", "Your coach will talk with you about the next step"],
    "withdrawn": ["withdrawn"],
}


@pytest.mark.parametrize("state", STATES)
def test_the_own_page_says_where_the_application_stands(cast, client_for, state):
    application_in(cast, state)
    page = own_page(client_for)
    status = flat(between(page, 'id="own-status"'))
    for words in OWN_SAYS[state]:
        assert words in status
    if state == "approved, not paid out yet":
        assert "paid out" not in status


@pytest.mark.parametrize("state", STATES)
def test_only_a_draft_invites_changes(cast, client_for, state):
    application_in(cast, state)
    invitation = "Do you want to change something? Ask your coach."
    assert (invitation in own_page(client_for)) == (state == "draft")


# --- Finding 2: documents only a running business needs ---------------------------------------
def row(page, enclosure):
    return flat(between(page, f'id="bijlage-{enclosure.pk}"', "</li>"))


@pytest.mark.parametrize("kind", [Enclosure.Kind.ANNUAL_FIGURES, Enclosure.Kind.INTERIM_FIGURES])
def test_figures_of_a_running_business_do_not_say_still_needed(cast, client_for, kind):
    application = application_in(cast, "draft")
    figures = application.enclosures.get(kind=kind)
    assert figures.status == "missing"
    text = row(own_page(client_for), figures)
    assert "still needed" not in text
    assert "Only needed if you already have a business." in text
    assert "Your coach checks whether you need this." in text
    # Other missing documents are still needed.
    assert "still needed" in row(own_page(client_for), application.enclosures.get(kind="quotes"))


@pytest.mark.parametrize("state", ["submitted", "approved", "declined", "withdrawn"])
def test_once_sent_nothing_is_still_needed_and_the_plan_was_sent(cast, client_for, state):
    application = application_in(cast, state)
    page = own_page(client_for)
    for kind in ("quotes", "kvk_extract", Enclosure.Kind.ANNUAL_FIGURES):
        text = row(page, application.enclosures.get(kind=kind))
        assert "still needed" not in text and "maybe needed" not in text
        assert "not sent" in text
    plan = row(page, application.enclosures.get(kind="business_plan"))
    assert "Your coach sent it to Qredits." in plan and "sends it" not in plan


def test_figures_the_coach_asks_for_or_has_say_so(cast, client_for):
    application = application_in(cast, "draft")
    annual = application.enclosures.get(kind=Enclosure.Kind.ANNUAL_FIGURES)
    interim = application.enclosures.get(kind=Enclosure.Kind.INTERIM_FIGURES)
    Enclosure.objects.filter(pk=annual.pk).update(status="present")
    Enclosure.objects.filter(pk=interim.pk).update(status="not_needed")
    page = own_page(client_for)
    assert "we have it" in row(page, annual)
    assert "not needed" in row(page, interim)
    assert "Your coach checks whether you need this." not in row(page, annual)


# --- Finding 3: the copy of her data ----------------------------------------------------------
def with_a_file(cast, application):
    Upload.objects.create(
        enclosure=application.enclosures.get(kind="quotes"),
        name="offerte.pdf",
        stored_name="r" * 32,
        content_type="application/pdf",
        size=len(PDF),
        data=PDF,
        uploaded_by=cast.coach,
    )


def copy_section(resident, language):
    with translation.override(language):
        return render_to_string(
            "coaching/outcomes/data_copy_qredits_applications.html",
            {"data": export_applications(resident)},
        )


def test_the_copy_shows_amounts_the_dutch_way(cast):
    application = application_in(cast, "approved")
    with_a_file(cast, application)
    html = flat(copy_section(cast.resident, "en"))
    assert "€ 15.000,00" in html  # asked
    assert "€ 9.000,00" in html  # granted
    assert "15000.00" not in html and "9000.00" not in html


def test_the_copy_labels_a_file_as_a_file_not_a_case_file(cast):
    application = application_in(cast, "draft")
    with_a_file(cast, application)
    html = flat(copy_section(cast.resident, "nl"))
    assert "Dossier" not in html
    # msgctxt "uploaded file": "Bestand" (the .po entry comes with this change)
    assert 'Bestand: <span class="text">offerte.pdf</span>' in html


def test_the_pdf_copy_shows_the_amounts_the_dutch_way_and_the_file(cast):
    application = application_in(cast, "approved")
    with_a_file(cast, application)
    copy = DataCopy.objects.create(resident=cast.resident, requested_by=cast.coordinator)
    with translation.override("nl"):
        text = flat(pdf_text(render_copy_pdf(copy)))
    assert "€ 9.000,00" in text and "€ 15.000,00" in text
    assert "9000.00" not in text
    assert "Dossier: offerte.pdf" not in text
