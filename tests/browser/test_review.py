"""A plan's road through review in a real browser: the resident hands in on her phone, her coach
reviews it (*aanpassen*), she reads the comment beside the part on her phone, changes it, hands
in again, and the next review (which shows what changed) concludes *klaar voor Qredits*."""

import pytest
from playwright.sync_api import expect

from coaching.models import Review
from tests.browser.conftest import axe_violations, log_in, resident_with_login
from tests.coaching.examples import SALON
from tests.factories import PASSWORD, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Schrijf ook op hoe je aan je klanten komt: folders, Facebook, de wijkkrant?"


@pytest.fixture
def resident():
    resident = resident_with_login("beoordeling")
    make_plan(resident, SALON)
    return resident


def hand_in(phone_page):
    phone_page.goto("/mijn-plan/")
    phone_page.get_by_role("button", name="Mijn plan indienen").click()
    expect(phone_page.get_by_role("status").first).to_be_visible()


def review(page, *, outcome):
    """The coach opens the oldest waiting version from the home page, answers every point the
    checks did not decide, and concludes."""
    page.goto("/")
    page.locator("[data-review-queue] a").first.click()
    page.locator("#review-start button").click()
    page.wait_for_url("**/beoordelingen/*/")
    for item in page.locator("fieldset.review-item").all():
        if not item.locator('input[name^="verdict_"]:checked').count():
            item.locator('input[name^="verdict_"][value="fine"]').check()
    page.locator(f'input[name="outcome"][value="{outcome}"]').check()
    return page


def conclude(page):
    page.locator('button[name="conclude"]').click()
    expect(page.locator('#review-summary[data-status="concluded"]')).to_be_visible()


def test_hand_in_review_revise_read_on_a_phone_change_and_get_ready(page, phone_page, resident):
    log_in(phone_page, "rana@example.test", PASSWORD)
    phone_page.wait_for_url("**/")
    hand_in(phone_page)

    log_in(page, resident.coach.email, PASSWORD)
    page.wait_for_url("**/")
    review(page, outcome="revise")
    page.locator('textarea[name="part_marketing"]').fill(COMMENT)
    conclude(page)

    # On her phone: the comment beside the part, in the part itself, nothing of a draft.
    phone_page.goto("/mijn-plan/")
    expect(phone_page.get_by_text("Je coach vraagt je om je plan aan te passen.")).to_be_visible()
    expect(phone_page.get_by_text(COMMENT).first).to_be_visible()
    assert axe_violations(phone_page) == []
    phone_page.get_by_role("link", name="Marketingplan").first.click()
    expect(phone_page.get_by_text(COMMENT)).to_be_visible()
    promotion = phone_page.locator('textarea[name="promotion"]')
    promotion.fill("Folders in de wijk, een pagina op Facebook en een advertentie in de wijkkrant.")
    phone_page.get_by_role("button", name="Opslaan").click()
    expect(phone_page.get_by_text("Opgeslagen.")).to_be_visible()
    hand_in(phone_page)

    # The second review shows what changed since version 1 and what was said then.
    review(page, outcome="ready")
    changes = page.locator("#review-changes")
    expect(changes).to_contain_text("Folders in de wijk")
    expect(page.locator("[data-previous-comment]").first).to_contain_text(COMMENT)
    assert axe_violations(page) == []
    conclude(page)

    phone_page.goto("/mijn-plan/")
    expect(phone_page.get_by_text("Je coach vindt je plan klaar voor Qredits.")).to_be_visible()
    assert list(
        Review.objects.order_by("revision__number").values_list("revision__number", "outcome")
    ) == [(1, "revise"), (2, "ready")]
