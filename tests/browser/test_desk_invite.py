"""The coordinator invites a coach in a real browser; the coach opens the mail's link, chooses a
password and is logged in, on her way to set up the second factor (issue 12)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ondernemerspunt.models import Membership, User
from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD, make_desk, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHOSEN = "een-goed-wachtwoord-2009"


@pytest.fixture
def coordinator():
    desk = make_desk("beheer", name="Ondernemerspunt Beheer")
    return make_member(
        desk, "coordinator", full_name="Carla Coördinator", email="carla@example.test"
    )


def test_a_coordinator_invites_a_coach_who_sets_a_password_and_logs_in(
    page, browser, live_server, coordinator, mailoutbox, run_queued_tasks
):
    log_in(page, coordinator.email, PASSWORD)
    page.wait_for_url("**/")
    page.locator("[data-home-desk-manage]").click()
    page.locator("[data-desk-manage] a[href$='/mensen/']").click()
    page.locator("a[href$='/mensen/uitnodigen/']").click()
    assert axe_violations(page) == []
    page.locator("input[name=full_name]").fill("Nina Nieuw")
    page.locator("input[name=email]").fill("nina@example.test")
    page.locator("select[name=role]").select_option("coach")
    with page.expect_navigation():
        page.locator("#invite-form [type=submit]").click()
    expect(page.locator("tr[data-status=invited]")).to_contain_text("Nina Nieuw")
    assert axe_violations(page) == []

    run_queued_tasks()
    assert [mail.to for mail in mailoutbox] == [["nina@example.test"]]
    link = re.search(r"https?://\S+(/uitnodiging/bureau/\S+/)", mailoutbox[0].body).group(1)

    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    coach_page = context.new_page()
    coach_page.set_default_timeout(10_000)
    try:
        coach_page.goto(link)
        expect(coach_page.locator("#choose-password")).to_be_visible()
        assert axe_violations(coach_page) == []
        coach_page.locator("input[name=new_password1]").fill(CHOSEN)
        coach_page.locator("input[name=new_password2]").fill(CHOSEN)
        with coach_page.expect_navigation():
            coach_page.locator("#choose-password [type=submit]").click()
        coach_page.wait_for_url("**/tweede-stap/instellen/**")
        assert urlsplit(coach_page.url).path == "/tweede-stap/instellen/"
        # Logged in as herself: the frame shows her name.
        expect(coach_page.locator(".navbar-text")).to_have_text("Nina Nieuw")
        user = User.objects.get(email="nina@example.test")
        assert user.check_password(CHOSEN)
        assert Membership.objects.get(user=user).role == "coach"
        # The link works once (opened again later, logged out).
        context.clear_cookies()
        coach_page.goto(link)
        expect(coach_page.locator("[data-invitation-state=unknown]")).to_be_visible()
    finally:
        context.close()
