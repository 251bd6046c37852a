"""An info evening from the street to a resident's file, in a real browser (issue 14).

A visitor finds the desk's evenings on her phone (360 px), registers by keyboard, gets the
confirmation mail with the evening as an .ics file; at the door the coach ticks her present on
a phone, and turns her into a resident's file.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from intake import evenings
from intake.models import InfoEvening, Registration, Resident, Source
from tests.browser.conftest import axe_violations, log_in
from tests.factories import PASSWORD, make_desk, make_evening, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Zelf een bedrijf beginnen in de Korrewegwijk"
VISITOR = "Fatima el Amrani"
VISITOR_EMAIL = "fatima@example.test"
# Resolves when the page's running animations and CSS transitions have finished.
ANIMATIONS_DONE = (
    "() => Promise.allSettled(document.getAnimations().map((a) => a.finished)).then(() => null)"
)
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def evening():
    desk = make_desk("korrewegwijk", name="Ondernemerspunt Korrewegwijk")
    make_member(desk, "coach", full_name="Cees Coach", email="cees@example.test")
    return make_evening(desk, title=TITLE)


@pytest.fixture
def no_time_check(monkeypatch):
    """The form refuses a post sooner than MIN_SECONDS_TO_FILL after it was shown. The live
    server runs in this process and reads the module's value on each post: 0 instead of a
    sleep."""
    monkeypatch.setattr(evenings, "MIN_SECONDS_TO_FILL", 0)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def register_on_a_phone(page, evening):
    page.goto(f"/avonden/{evening.desk.slug}/")
    card = page.locator(f"[data-evening='{evening.pk}']")
    expect(card.locator("[data-state=open]")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []

    card.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.locator("[data-privacy]")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []

    # By keyboard, as someone without a mouse: each Tab lands on the next field.
    name = page.locator("#id_name")
    name.focus()
    page.keyboard.type(VISITOR)
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type(VISITOR_EMAIL)
    page.keyboard.press("Tab")
    expect(page.locator("#id_phone")).to_be_focused()
    page.keyboard.type("06 12345678")
    page.keyboard.press("Tab")
    heard_from = page.locator("#id_heard_from")
    expect(heard_from).to_be_focused()
    heard_from.select_option("flyer")  # a phone opens its own picker for a select
    page.keyboard.press("Tab")
    expect(page.locator("#id_may_contact")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#id_may_contact")).to_be_checked()
    # The hidden field for scripts is skipped: the next stop is the button.
    page.keyboard.press("Tab")
    expect(page.locator(".evening-form [type=submit]")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("h1[data-state=registered]")).to_be_visible()
    expect(page.locator("[data-mail]")).to_be_visible()
    assert fits_the_screen(page)
    assert axe_violations(page) == []


def check_the_confirmation(mailoutbox, evening):
    assert [mail.to for mail in mailoutbox] == [[VISITOR_EMAIL]]
    mail = mailoutbox[0]
    assert TITLE in mail.subject
    ics = [(name, text, kind) for name, text, kind in mail.attachments if name.endswith(".ics")]
    assert len(ics) == 1
    _name, text, kind = ics[0]
    assert kind.startswith("text/calendar")
    unfolded = text.replace("\r\n ", "")
    assert f"SUMMARY:{TITLE}" in unfolded
    assert f"DTSTART:{evening.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in unfolded
    assert re.search(r"https?://\S+/avonden/afmelden/\S+/", mail.body)


def test_a_visitor_registers_on_a_phone_and_the_coach_makes_her_a_resident(
    phone_page, browser, live_server, evening, no_time_check, mailoutbox, run_queued_tasks
):
    register_on_a_phone(phone_page, evening)
    registration = Registration.objects.get(evening=evening)
    assert (registration.name, registration.email, registration.status) == (
        VISITOR,
        VISITOR_EMAIL,
        Registration.Status.REGISTERED,
    )
    assert registration.may_contact

    run_queued_tasks()
    check_the_confirmation(mailoutbox, evening)

    # Two weeks later: the evening has just begun (attendance is ticked from its day on).
    starts = timezone.now() - datetime.timedelta(minutes=15)
    InfoEvening.objects.filter(pk=evening.pk).update(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=starts - datetime.timedelta(days=1),
    )

    # The coach at the door, on her own phone.
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, "cees@example.test", PASSWORD)
        page.wait_for_url("**/")
        page.goto(reverse("intake:evening_door", args=[evening.pk]))
        row = page.locator(f"#r-{registration.pk}")
        expect(row).to_contain_text(VISITOR)
        expect(row).not_to_have_class(re.compile(r"\bis-present\b"))
        expect(page.locator("[data-door-came]")).to_have_text("0")
        assert fits_the_screen(page)
        assert axe_violations(page) == []

        row.get_by_role("button").click()
        # door.js updates the row in place and says so to a screen reader.
        expect(row).to_have_class(re.compile(r"\bis-present\b"))
        expect(row.locator(".door-state")).to_be_visible()
        expect(page.locator("[data-door-came]")).to_have_text("1")
        expect(page.locator("#door-status")).to_contain_text(VISITOR)
        registration.refresh_from_db()
        assert registration.attended is True
        # The button fades to its new colours (.15 s): check the contrast once it is done.
        expect(row.get_by_role("button")).not_to_have_attribute("aria-busy", "true")
        page.evaluate(ANIMATIONS_DONE)
        assert axe_violations(page) == []
        # Stored, not only shown: the page opened again shows her present.
        page.reload()
        expect(row).to_have_class(re.compile(r"\bis-present\b"))

        # From the evening's page (the breadcrumb), "make a resident's file" for her.
        page.locator("nav .breadcrumb-item").last.get_by_role("link").click()
        page.locator(f"#r-{registration.pk}").locator(
            f"a[href='{reverse('intake:registration_to_resident', args=[registration.pk])}']"
        ).click()
        expect(page.locator("#to-resident-form")).to_be_visible()
        expect(page.locator("input[name=first_name]")).to_have_value("Fatima")
        expect(page.locator("input[name=last_name]")).to_have_value("el Amrani")
        expect(page.locator("input[name=email]")).to_have_value(VISITOR_EMAIL)
        # Consent to keep more than name and contact details, as at every registration.
        page.get_by_label("De bewoner heeft de tekst over toestemming gelezen").check()
        with page.expect_navigation():
            page.locator("#to-resident-form [type=submit]").click()
        expect(page.get_by_role("heading", level=1, name=VISITOR)).to_be_visible()

        resident = Resident.objects.get(desk=evening.desk)
        assert (resident.first_name, resident.last_name) == ("Fatima", "el Amrani")
        assert resident.source == Source.INFO_EVENING
        assert page.url.endswith(resident.get_absolute_url())
        registration.refresh_from_db()
        assert registration.resident_id == resident.pk
    finally:
        context.close()
