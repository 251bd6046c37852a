"""The public info-evening pages (intake/views/public_evenings.py): the desk's list, an
evening's page with the registration form and its guards (rate limit, hidden field, time
check), the thank-you page, the calendar file and the cancel link from the mail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import evenings
from intake.evening_links import cancel_token
from intake.evenings import ATTEMPTS_PER_MINUTE, form_stamp
from intake.models import InfoEvening, Registration, Speaker
from intake.models.evenings import Audience
from tests.factories import make_evening, make_registration

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def visitor(client, settings):
    """Someone without a login, reading the pages in English (the msgids: the Dutch catalogue
    is merged later)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page_url(evening, name="intake:public_evening"):
    return reverse(name, kwargs={"slug": evening.desk.slug, "pk": evening.pk})


def list_url(desk):
    return reverse("intake:public_evenings", kwargs={"slug": desk.slug})


def form_data(**values):
    """A form as a person sends it: the stamp from a minute ago, the hidden field empty."""
    stamp = form_stamp(now=timezone.now() - datetime.timedelta(minutes=1))
    return {"name": "Fatima Yilmaz", "email": "fatima@bezoeker.example", "stamp": stamp, **values}


def text(response) -> str:
    return response.content.decode()


# --- The list -----------------------------------------------------------------------------------
def test_the_list_shows_coming_evenings_and_never_planned_or_past_ones(visitor, cast):
    coming = make_evening(cast.desk, title="Zelf beginnen")
    cancelled = make_evening(
        cast.desk, title="Geschrapte avond", status=InfoEvening.Status.CANCELLED
    )
    make_evening(cast.desk, title="Nog in voorbereiding", status=InfoEvening.Status.PLANNED)
    make_evening(cast.desk, title="Vorige maand", days_ahead=-30, status=InfoEvening.Status.HELD)
    make_evening(cast.other_desk, title="Avond van Zuid")
    page = text(visitor.get(list_url(cast.desk)))
    assert "Zelf beginnen" in page and page_url(coming) in page
    assert "Geschrapte avond" in page and 'data-state="cancelled"' in page
    assert page_url(cancelled) in page
    for hidden in ("Nog in voorbereiding", "Vorige maand", "Avond van Zuid"):
        assert hidden not in page


def test_the_list_says_places_left_and_full(visitor, cast):
    roomy = make_evening(cast.desk, capacity=3)
    full = make_evening(cast.desk, capacity=1)
    make_registration(roomy)
    make_registration(full)
    page = text(visitor.get(list_url(cast.desk)))
    assert "2 places left" in page
    assert "Full — waiting list" in page
    assert f'data-evening="{full.pk}"' in page


def test_the_list_without_evenings_says_so(visitor, cast):
    make_evening(cast.desk, status=InfoEvening.Status.PLANNED)
    response = visitor.get(list_url(cast.desk))
    assert response.status_code == 200
    assert "There are no info evenings planned at the moment" in text(response)


def test_an_unknown_desk_has_no_list(visitor, cast):
    assert visitor.get(list_url(cast.desk).replace("noord", "nergens")).status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_takes_the_same_queries_for_1_or_20_evenings(
    visitor, cast, count, django_assert_max_num_queries
):
    for _ in range(count):
        evening = make_evening(cast.desk, capacity=2)
        make_registration(evening)
    with django_assert_max_num_queries(2):
        response = visitor.get(list_url(cast.desk))
    assert text(response).count("data-evening=") == count


def test_titles_with_html_on_the_list_are_text(visitor, cast):
    make_evening(cast.desk, title="<script>alert(1)</script>")
    page = text(visitor.get(list_url(cast.desk)))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- An evening's page --------------------------------------------------------------------------
def test_the_page_shows_the_evening_and_how_long_details_are_kept(visitor, cast):
    evening = make_evening(
        cast.desk,
        capacity=10,
        description="Eerste regel\nTweede <b>regel</b>",
    )
    Speaker.objects.create(
        evening=evening, kind=Speaker.Kind.ENTREPRENEUR, name="Bakkerij Ali", topic="Mijn start"
    )
    Speaker.objects.create(evening=evening, kind=Speaker.Kind.COACH, coach=cast.coach)
    make_registration(evening)
    page = text(visitor.get(page_url(evening)))
    assert evening.title in page
    assert "Korreweg 1" in page and "9714 AA" in page and "Buurthuis De Dissel" in page
    assert "Bakkerij Ali: Mijn start" in page and "Cees Coach" in page
    assert "Eerste regel<br>Tweede &lt;b&gt;regel&lt;/b&gt;" in page
    assert "There are 9 places left." in page
    day = evenings.erased_after(evening)
    assert f"We keep your details until {day.day} {day:%B} {day.year}" in page
    assert page_url(evening, "intake:public_evening_ics") in page
    assert 'name="kind"' not in page  # the audience says how they come
    assert 'name="organisation"' not in page


def test_the_form_ties_labels_and_hides_the_field_for_scripts(visitor, cast):
    evening = make_evening(cast.desk, audience=Audience.BOTH)
    page = text(visitor.get(page_url(evening)))
    assert '<label class="form-label" for="id_name">' in page
    assert 'aria-describedby="id_email_helptext"' in page
    hidden = page[page.index('class="evening-hp"') - 5 : page.index('name="website"') + 80]
    assert 'aria-hidden="true"' in hidden
    assert 'tabindex="-1"' in hidden and 'autocomplete="off"' in hidden
    assert 'data-show-if="kind=intermediary"' in page
    assert 'name="stamp" value="' in page


def test_a_planned_evening_is_not_public(visitor, cast):
    evening = make_evening(cast.desk, status=InfoEvening.Status.PLANNED)
    for name in ("intake:public_evening", "intake:public_evening_ics", "intake:public_registered"):
        assert visitor.get(page_url(evening, name)).status_code == 404, name
    assert visitor.post(page_url(evening), form_data()).status_code == 404
    assert not evening.registrations.exists()


def test_an_evening_is_only_found_under_its_own_desk(visitor, cast):
    evening = make_evening(cast.desk)
    url = reverse("intake:public_evening", kwargs={"slug": cast.other_desk.slug, "pk": evening.pk})
    assert visitor.get(url).status_code == 404
    assert visitor.post(url, form_data()).status_code == 404
    assert not evening.registrations.exists()


def test_other_methods_are_refused(visitor, cast):
    evening = make_evening(cast.desk)
    assert visitor.put(page_url(evening)).status_code == 405
    assert visitor.post(list_url(cast.desk)).status_code == 405
    assert visitor.post(page_url(evening, "intake:public_evening_ics")).status_code == 405


# --- Registering --------------------------------------------------------------------------------
def test_a_visitor_registers_and_gets_the_confirmation_with_the_calendar_file(
    visitor, cast, django_capture_on_commit_callbacks, run_queued_tasks, mailoutbox
):
    evening = make_evening(cast.desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(page_url(evening), form_data(may_contact="on", heard_from="flyer"))
    assert response.status_code == 302
    assert response["Location"] == page_url(evening, "intake:public_registered")
    registration = evening.registrations.get()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.kind == Registration.Kind.ENTREPRENEUR
    assert registration.may_contact and registration.heard_from == "flyer"
    assert registration.site == "http://testserver"
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["fatima@bezoeker.example"]]
    assert mailoutbox[0].attachments[0][0] == "informatieavond.ics"
    thanks = text(visitor.get(response["Location"]))
    assert 'data-state="registered"' in thanks and "data-mail" in thanks
    assert list_url(cast.desk) in thanks


def test_a_logged_in_user_can_register_too(client_for, cast, settings):
    evening = make_evening(cast.desk)
    client = client_for("coach")
    assert client.get(page_url(evening)).status_code == 200
    assert client.post(page_url(evening), form_data()).status_code == 302
    assert evening.registrations.count() == 1


def test_a_phone_number_is_enough_and_is_written_the_usual_way(visitor, cast):
    evening = make_evening(cast.desk)
    response = visitor.post(page_url(evening), form_data(email="", phone="0612345678"))
    assert response.status_code == 302
    registration = evening.registrations.get()
    assert registration.phone == "06 12345678"
    thanks = text(visitor.get(response["Location"]))
    assert "data-no-mail" in thanks


def test_neither_email_nor_phone_gets_a_message_next_to_the_field(visitor, cast):
    evening = make_evening(cast.desk)
    response = visitor.post(page_url(evening), form_data(email="", phone=""))
    page = text(response)
    assert response.status_code == 200
    assert 'id="id_email_error"' in page and "e-mail address or phone number" in page
    assert 'id="form-problems"' in page and 'href="#id_email"' in page
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert 'value="Fatima Yilmaz"' in page
    assert not evening.registrations.exists()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"email": "geen-adres"}, "email"),
        ({"email": "", "phone": "12"}, "phone"),
    ],
)
def test_a_wrong_email_or_phone_gets_a_message(visitor, cast, values, field):
    evening = make_evening(cast.desk)
    page = text(visitor.post(page_url(evening), form_data(**values)))
    assert f'id="id_{field}_error"' in page
    assert not evening.registrations.exists()


def test_registering_twice_gives_a_clear_message_and_no_second_row(visitor, cast):
    evening = make_evening(cast.desk)
    assert visitor.post(page_url(evening), form_data()).status_code == 302
    response = visitor.post(page_url(evening), form_data(email="FATIMA@bezoeker.example"))
    page = text(response)
    assert response.status_code == 200
    assert "You are already registered for this evening" in page
    assert 'value="FATIMA@bezoeker.example"' in page
    assert evening.registrations.count() == 1


def test_a_full_evening_offers_the_waiting_list(visitor, cast):
    evening = make_evening(cast.desk, capacity=1)
    make_registration(evening)
    page = text(visitor.get(page_url(evening)))
    assert 'data-state="full"' in page and "you move up automatically" in page
    assert "Put me on the waiting list" in page
    response = visitor.post(page_url(evening), form_data())
    assert evening.registrations.get(email="fatima@bezoeker.example").status == "waiting"
    thanks = text(visitor.get(response["Location"]))
    assert 'data-state="waiting"' in thanks


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"status": InfoEvening.Status.CANCELLED, "cancel_reason": "De spreker is ziek"},
            "This evening has been cancelled",
        ),
        ({"status": InfoEvening.Status.HELD, "days_ahead": -2}, "already taken place"),
        (
            {"registration_deadline": timezone.now() - datetime.timedelta(hours=1)},
            "Registration for this evening has closed",
        ),
    ],
)
def test_a_closed_evening_shows_why_instead_of_the_form(visitor, cast, fields, message):
    evening = make_evening(cast.desk, **fields)
    page = text(visitor.get(page_url(evening)))
    assert message in page and 'data-state="closed"' in page
    assert 'name="name"' not in page
    if evening.cancel_reason:
        assert "De spreker is ziek" in page
    response = visitor.post(page_url(evening), form_data())
    assert response.status_code == 200 and message in text(response)
    assert not evening.registrations.exists()


def test_a_refusal_of_the_service_lands_next_to_its_field_and_keeps_the_input(
    visitor, cast, monkeypatch
):
    evening = make_evening(cast.desk)

    def refuse(**kwargs):
        raise evenings.RegistrationClosed("Registration closed a moment ago.", "phone")

    monkeypatch.setattr(evenings, "register", refuse)
    page = text(visitor.post(page_url(evening), form_data(phone="0612345678")))
    assert (
        '<div class="evening-error" id="id_phone_error"><p>Registration closed a moment ago.'
        in page
    )
    assert 'value="Fatima Yilmaz"' in page and 'value="0612345678"' in page
    assert not evening.registrations.exists()


def test_a_name_of_ten_thousand_characters_gets_a_message(visitor, cast):
    evening = make_evening(cast.desk)
    response = visitor.post(page_url(evening), form_data(name="A" * 10_000))
    assert response.status_code == 200
    assert 'id="id_name_error"' in text(response) and "at most 120 characters" in text(response)
    assert not evening.registrations.exists()


def test_html_and_script_in_fields_are_shown_as_text(visitor, cast):
    evening = make_evening(cast.desk, audience=Audience.BOTH)
    script = '"><script>alert(1)</script>'
    page = text(
        visitor.post(
            page_url(evening),
            form_data(name=script, kind="intermediary", organisation=script, email=""),
        )
    )
    assert "<script>alert(1)" not in page
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_an_intermediary_names_the_organisation_and_role(visitor, cast):
    evening = make_evening(cast.desk, audience=Audience.BOTH)
    page = text(visitor.post(page_url(evening), form_data(kind="intermediary")))
    for field in ("organisation", "organisation_kind", "role"):
        assert f'id="id_{field}_error"' in page, field
    response = visitor.post(
        page_url(evening),
        form_data(
            kind="intermediary",
            organisation="Rabobank Noord",
            organisation_kind="bank",
            role="Accountmanager",
        ),
    )
    assert response.status_code == 302
    registration = evening.registrations.get()
    assert (registration.kind, registration.organisation) == ("intermediary", "Rabobank Noord")


def test_on_an_evening_for_both_you_say_how_you_come(visitor, cast):
    evening = make_evening(cast.desk, audience=Audience.BOTH)
    page = text(visitor.post(page_url(evening), form_data(organisation="Weggegooid")))
    assert 'id="id_kind_error"' in page and 'href="#id_kind"' in page
    response = visitor.post(page_url(evening), form_data(kind="entrepreneur", organisation="X"))
    assert response.status_code == 302
    assert evening.registrations.get().organisation == ""  # only intermediaries have one


def test_an_evening_for_intermediaries_asks_for_the_organisation(visitor, cast):
    evening = make_evening(cast.desk, audience=Audience.INTERMEDIARIES)
    page = text(visitor.get(page_url(evening)))
    assert 'name="kind"' not in page and 'name="organisation"' in page
    page = text(visitor.post(page_url(evening), form_data()))
    assert 'id="id_organisation_error"' in page
    visitor.post(
        page_url(evening),
        form_data(organisation="Kantoor Bakker", organisation_kind="accountant", role="Boekhouder"),
    )
    assert evening.registrations.get().kind == Registration.Kind.INTERMEDIARY


# --- The guards against scripts ---------------------------------------------------------------
REFUSED = "We could not take your registration"


def test_the_hidden_field_filled_in_is_refused_politely(visitor, cast):
    evening = make_evening(cast.desk)
    response = visitor.post(page_url(evening), form_data(website="https://spam.example"))
    page = text(response)
    assert response.status_code == 200 and REFUSED in page
    assert 'value="Fatima Yilmaz"' in page
    assert 'name="website" id="id_website" value=""' in page
    assert not evening.registrations.exists()


@pytest.mark.parametrize(
    "stamp",
    [
        lambda: form_stamp(),  # sent back at once
        lambda: form_stamp(now=timezone.now() - datetime.timedelta(days=2)),  # left open
        lambda: "1700000000:made-up",
        lambda: "",
    ],
)
def test_a_form_back_too_fast_or_with_a_strange_stamp_is_refused_the_same_way(visitor, cast, stamp):
    evening = make_evening(cast.desk)
    page = text(visitor.post(page_url(evening), form_data(stamp=stamp())))
    assert REFUSED in page
    assert not evening.registrations.exists()


def test_a_hundred_posts_from_one_address_in_a_minute_are_stopped(visitor, cast):
    evening = make_evening(cast.desk, capacity=200)
    statuses = [
        visitor.post(page_url(evening), form_data(email=f"bot{i}@spam.example")).status_code
        for i in range(100)
    ]
    assert statuses[:ATTEMPTS_PER_MINUTE] == [302] * ATTEMPTS_PER_MINUTE
    assert set(statuses[ATTEMPTS_PER_MINUTE:]) == {429}
    assert evening.registrations.count() == ATTEMPTS_PER_MINUTE
    response = visitor.post(page_url(evening), form_data(name="Echt Persoon"))
    page = text(response)
    assert "There were many registrations from your address" in page
    assert 'value="Echt Persoon"' in page  # what was typed is kept


def test_the_limit_counts_per_address(visitor, cast):
    evening = make_evening(cast.desk, capacity=200)
    for i in range(ATTEMPTS_PER_MINUTE + 1):
        visitor.post(page_url(evening), form_data(email=f"{i}@a.example"))
    response = visitor.post(
        page_url(evening), form_data(email="buur@b.example"), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


def test_posts_to_a_closed_evening_count_too(visitor, cast):
    evening = make_evening(cast.desk, status=InfoEvening.Status.CANCELLED)
    for _ in range(ATTEMPTS_PER_MINUTE):
        assert visitor.post(page_url(evening), form_data()).status_code == 200
    response = visitor.post(page_url(evening), form_data())
    assert response.status_code == 429
    assert "There were many registrations from your address" in text(response)


# --- The thank-you page -------------------------------------------------------------------------
def test_the_thank_you_page_of_someone_else_shows_nothing(visitor, cast, client):
    evening = make_evening(cast.desk)
    other = make_evening(cast.desk)
    visitor.post(page_url(evening), form_data())
    # The same browser, another evening: no thanks for that one.
    response = visitor.get(page_url(other, "intake:public_registered"))
    assert response.status_code == 302 and response["Location"] == page_url(other)
    # A guessed URL in a fresh browser: the evening's page, nobody's details.
    client.cookies.clear()
    response = client.get(page_url(evening, "intake:public_registered"))
    assert response.status_code == 302 and response["Location"] == page_url(evening)


# --- The calendar file --------------------------------------------------------------------------
def test_the_calendar_file_is_a_download(visitor, cast):
    evening = make_evening(cast.desk)
    response = visitor.get(page_url(evening, "intake:public_evening_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        f"informatieavond-{timezone.localdate(evening.starts_at).isoformat()}.ics"
        in (response["Content-Disposition"])
    )
    assert "BEGIN:VEVENT" in text(response)
    assert "URL:http://testserver/avonden/" in text(response)


# --- Cancelling through the mail's link --------------------------------------------------------
def cancel_url(registration):
    return reverse("intake:registration_cancel", kwargs={"token": cancel_token(registration)})


def test_opening_the_cancel_link_cancels_nothing(visitor, cast):
    registration = make_registration(make_evening(cast.desk))
    page = text(visitor.get(cancel_url(registration)))
    assert "Cancel my registration" in page and registration.evening.title in page
    assert registration.name not in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_the_cancel_button_cancels_and_the_waiting_list_moves_up(visitor, cast):
    evening = make_evening(cast.desk, capacity=1)
    registration = make_registration(evening)
    waiting = make_registration(evening, status=Registration.Status.WAITING)
    response = visitor.post(cancel_url(registration))
    assert response.status_code == 200 and 'data-state="cancelled"' in text(response)
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.REGISTERED


def test_a_cancel_link_used_twice_says_you_had_already_cancelled(visitor, cast):
    registration = make_registration(make_evening(cast.desk))
    visitor.post(cancel_url(registration))
    again = visitor.post(cancel_url(registration))
    assert again.status_code == 200 and 'data-state="already"' in text(again)
    assert "You had already cancelled" in text(again)
    assert 'data-state="already"' in text(visitor.get(cancel_url(registration)))
    assert Registration.objects.filter(pk=registration.pk, status="cancelled").count() == 1


@pytest.mark.parametrize("token", ["nonsense", "eyJhIjoxfQ:1abc:forged"])
def test_a_bad_cancel_link_gets_a_friendly_not_found_page(visitor, cast, token):
    response = visitor.get(reverse("intake:registration_cancel", kwargs={"token": token}))
    assert response.status_code == 404 and 'data-state="unknown"' in text(response)
    assert (
        visitor.post(reverse("intake:registration_cancel", kwargs={"token": token})).status_code
        == 404
    )


def test_the_cancel_link_of_an_erased_registration_is_not_found(visitor, cast):
    registration = make_registration(make_evening(cast.desk))
    evenings.erase_registration(registration)
    assert visitor.get(cancel_url(registration)).status_code == 404


def test_cancelling_after_the_evening_says_it_took_place(visitor, cast):
    evening = make_evening(cast.desk, days_ahead=-1)
    registration = make_registration(evening)
    page = text(visitor.get(cancel_url(registration)))
    assert 'data-state="past"' in page and "Cancel my registration" not in page
    assert 'data-state="past"' in text(visitor.post(cancel_url(registration)))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED


def test_cancelling_for_a_cancelled_evening_says_nothing_is_needed(visitor, cast):
    evening = make_evening(cast.desk, status=InfoEvening.Status.CANCELLED)
    registration = make_registration(evening)
    assert 'data-state="evening_cancelled"' in text(visitor.get(cancel_url(registration)))


def test_the_public_pages_say_how_to_reach_the_desk_when_it_has_a_phone(client, cast):
    """Who registered by phone only is told to call to cancel: the number must be there."""
    evening = make_evening(cast.desk)
    page = reverse("intake:public_evening", kwargs={"slug": cast.desk.slug, "pk": evening.pk})
    assert b"data-desk-contact" not in client.get(page).content
    cast.desk.phone = "050 313 4567"
    cast.desk.save()
    for url in (page, reverse("intake:public_evenings", kwargs={"slug": cast.desk.slug})):
        contact = client.get(url).content.decode()
        assert 'href="tel:0503134567"' in contact and "050 313 4567" in contact


# --- Found by trying the running app, second round ---------------------------------------------
def evening_url(evening):
    return reverse("intake:public_evening", kwargs={"slug": evening.desk.slug, "pk": evening.pk})


def test_a_cancelled_evening_offers_no_calendar_file(client, cast):
    def offers_calendar(evening):
        ics = reverse(
            "intake:public_evening_ics", kwargs={"slug": cast.desk.slug, "pk": evening.pk}
        )
        return ics in client.get(evening_url(evening)).content.decode()

    assert not offers_calendar(make_evening(cast.desk, status=InfoEvening.Status.CANCELLED))
    assert offers_calendar(make_evening(cast.desk))


def test_an_evening_far_in_the_future_shows_its_page(client, cast):
    """A typo year (9999) was refused in the form, but one stored before must not break the
    page: its keeping date has no day after the calendar's last."""
    evening = make_evening(cast.desk)
    far = timezone.make_aware(datetime.datetime(9999, 12, 31, 19, 30))
    InfoEvening.objects.filter(pk=evening.pk).update(
        starts_at=far, ends_at=far + datetime.timedelta(minutes=30), registration_deadline=far
    )
    assert client.get(evening_url(evening)).status_code == 200


@pytest.mark.parametrize("phone", ["", "050 313 4567"])
def test_call_us_is_said_only_with_a_number_to_call(client, cast, phone):
    cast.desk.phone = phone
    cast.desk.save()
    evening = make_evening(cast.desk)
    session = client.session
    session["public_evening_registered"] = {"evening": evening.pk, "waiting": False, "mail": False}
    session.save()
    pages = [
        client.get(evening_url(evening)),
        client.get(
            reverse("intake:public_registered", kwargs={"slug": cast.desk.slug, "pk": evening.pk})
        ),
        client.get(reverse("intake:registration_cancel", kwargs={"token": "kapot"})),
    ]
    for page in pages:
        text = page.content.decode()
        if "bel ons" in text.lower() or "call us" in text.lower():
            assert phone and phone in text, page.request["PATH_INFO"]


def test_a_nul_character_in_the_name_gets_a_plain_message(client, cast):
    evening = make_evening(cast.desk)
    response = client.post(
        evening_url(evening),
        {
            "name": "Ann\x00",
            "email": "ann@x.example",
            "stamp": form_stamp(timezone.now() - datetime.timedelta(minutes=1)),
        },
    )
    assert "Null-tekens" not in response.content.decode()
    assert not Registration.objects.exists()
