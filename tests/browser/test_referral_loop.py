"""A referral's loop closed in a real browser: the coach records the resident's consent to share
with the KvK, refers her and sends it; the KvK contact logs in (with her second factor), finds it
on her home page, reads what is shared and answers *afgerond* with the outcome; the coach reads
the answer on the referral's page, and was told by e-mail."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coaching.models import Referral
from ondernemerspunt.models import Partner
from tests.browser.conftest import axe_violations, log_in, resident_with_login
from tests.factories import PASSWORD, make_member, make_partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTCOME = "Gekoppeld aan mentor Jan de Vries; eerste afspraak op 12 maart."


@pytest.fixture
def resident():
    resident = resident_with_login("verwijzing")
    resident.phone = "0612345678"
    resident.save(update_fields=["phone"])
    return resident


@pytest.fixture
def kvk(resident):
    kvk = make_partner(resident.desk, "KvK Noord-Nederland", kind=Partner.Kind.KVK)
    contact = make_member(
        resident.desk, "partner", partner=kvk, full_name="Karin KvK", email="kvk@example.test"
    )
    kvk.contact = contact
    return kvk


def refer_and_send(page, resident, kvk):
    """The coach: consent to share the contact details with the KvK, a referral, sent."""
    page.goto(reverse("coaching:partner_consent_new", args=[resident.pk]))
    page.locator("#id_partner").select_option(str(kvk.pk))
    page.locator("#id_purpose").fill("Een mentor via de KvK")
    page.locator('input[name="fields"][value="contact"]').check()
    with page.expect_navigation():
        page.locator("#consent-form [type=submit]").click()
    page.goto(reverse("coaching:referral_new", args=[resident.pk]))
    page.locator("#id_partner").select_option(str(kvk.pk))
    page.locator("#id_contact").select_option(str(kvk.contact.pk))
    page.locator("#id_question").fill("Rana zoekt een mentor voor haar kapsalon.")
    with page.expect_navigation():
        page.locator("#referral-form [type=submit]").click()
    with page.expect_navigation():
        page.locator("#send-referral").click()
    return Referral.objects.get(resident=resident)


def test_the_coach_refers_to_the_kvk_the_contact_answers_and_the_coach_reads_it(
    page, browser, live_server, resident, kvk, mailoutbox, run_queued_tasks
):
    log_in(page, resident.coach.email, PASSWORD)
    page.wait_for_url("**/")
    referral = refer_and_send(page, resident, kvk)
    assert referral.status == Referral.Status.SENT
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [["kvk@example.test"]]
    assert re.search(r"/antwoord/\S+/", mailoutbox[0].body)

    # The KvK contact, in a browser of her own: her home page lists the referral.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    partner_page = context.new_page()
    partner_page.set_default_timeout(10_000)
    log_in(partner_page, "kvk@example.test", PASSWORD)
    partner_page.wait_for_url("**/")
    partner_page.locator("[data-home-partner-referrals] a").first.click()
    partner_page.wait_for_url(f"**{reverse('coaching:partner_referral', args=[referral.pk])}")
    expect(partner_page.locator("[data-shared]")).to_contain_text("0612345678")
    expect(partner_page.locator("#referral-question")).to_contain_text("kapsalon")
    assert axe_violations(partner_page) == []
    partner_page.locator('input[name="status"][value="done"]').check()
    partner_page.locator('textarea[name="note"]').fill(OUTCOME)
    with partner_page.expect_navigation():
        partner_page.locator("#answer-form [type=submit]").click()
    expect(partner_page.locator('#referral-status[data-status="done"]')).to_be_visible()
    expect(partner_page.locator("[data-outcome]")).to_contain_text(OUTCOME)
    context.close()

    # The coach is told by e-mail and reads the answer on the referral's page.
    run_queued_tasks()
    assert [mail.to for mail in mailoutbox[1:]] == [[resident.coach.email]]
    page.goto(reverse("coaching:referral_detail", args=[referral.pk]))
    expect(page.locator("#answer")).to_contain_text(OUTCOME)
