"""The staff pages of info evenings (intake/views/evenings.py): the list, planning and changing,
publishing, cancelling, holding, speakers, the list at the door, and turning those who came into
a resident's file or a partner's contact person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from intake.evening_forms import EveningForm
from intake.evening_staff import WITHOUT_CONSENT
from intake.evenings import MAX_DAYS_AHEAD
from intake.models import InfoEvening, Registration, Resident, Speaker
from ondernemerspunt.models import Membership, Role
from tests.factories import (
    make_desk,
    make_evening,
    make_member,
    make_partner,
    make_registration,
    make_resident,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"intake:{name}", args=args)


def day(days_ahead):
    return (timezone.localdate() + datetime.timedelta(days=days_ahead)).isoformat()


def evening_data(cast, **overrides):
    data = {
        "desk": str(cast.desk.pk),
        "title": "Zelf een bedrijf beginnen",
        "audience": "entrepreneurs",
        "day": day(20),
        "start_time": "19:30",
        "end_time": "21:30",
        "place_name": "Buurthuis De Dissel",
        "street": "Korreweg 1",
        "postcode": "9714 aa",
        "city": "Groningen",
        "capacity": "30",
        "deadline_day": day(19),
        "deadline_time": "12:00",
        "description": "Wat komt er kijken bij een eigen bedrijf?",
    }
    data.update(overrides)
    return data


def errors_of(response, form="form"):
    return response.context[form].errors


# --- The list ---------------------------------------------------------------------------------
def test_the_list_shows_the_desks_evenings_coming_first_with_counts(cast, client_for):
    past = make_evening(cast.desk, days_ahead=-10, title="Voorbij", status="held")
    coming = make_evening(cast.desk, days_ahead=5, title="Straks", capacity=2)
    make_evening(cast.other_desk, title="Van Zuid")
    make_registration(coming)
    make_registration(coming)
    make_registration(coming, status="waiting")
    make_registration(past, attended=True)
    response = client_for("coach").get(url("evening_list"))
    assert response.status_code == 200
    assert response.context["coming"] == [coming]
    assert response.context["past"] == [past]
    row = response.context["coming"][0]
    assert (row.taken, row.waiting, row.came) == (2, 1, 0)
    html = response.content.decode()
    assert "Van Zuid" not in html
    assert html.index("Straks") < html.index("Voorbij")
    assert reverse("intake:public_evenings", args=[cast.desk.slug]) in html


def test_an_empty_list_offers_to_plan_one(cast, client_for):
    html = client_for("coordinator").get(url("evening_list")).content.decode()
    assert 'id="evenings-empty"' in html
    assert url("evening_new") in html


def test_a_coach_at_two_desks_sees_a_desk_column_and_can_filter(cast, client_for):
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role=Role.COACH)
    make_evening(cast.desk, title="Noordavond")
    make_evening(cast.other_desk, title="Zuidavond")
    client = client_for("coach")
    html = client.get(url("evening_list")).content.decode()
    assert "Noordavond" in html and "Zuidavond" in html
    assert 'id="filter-desk"' in html
    filtered = client.get(url("evening_list"), {"desk": cast.other_desk.slug})
    assert [e.title for e in filtered.context["coming"]] == ["Zuidavond"]


@pytest.mark.parametrize("role", ["resident", "partner", "project_group"])
def test_the_list_is_for_staff_only(cast, client_for, role):
    assert client_for(role).get(url("evening_list")).status_code == 403


def test_the_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # At two desks: the list shows a desk column too.
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role=Role.COACH)
    client = client_for("coach")
    first = make_evening(cast.desk)
    make_registration(first)
    client.get(url("evening_list"))  # warm up the session
    with CaptureQueriesContext(connection) as one:
        client.get(url("evening_list"))
    for n in range(30):
        desk = cast.desk if n % 2 else cast.other_desk
        evening = make_evening(desk, days_ahead=n - 10, title=f"Avond {n}")
        make_registration(evening)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url("evening_list"))
    assert len(response.context["coming"]) + len(response.context["past"]) == 31


# --- Planning and changing --------------------------------------------------------------------
def test_a_coach_plans_an_evening(cast, client_for):
    response = client_for("coach").post(url("evening_new"), evening_data(cast))
    evening = InfoEvening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == evening.get_absolute_url()
    assert evening.desk == cast.desk and evening.status == "planned"
    assert evening.postcode == "9714 AA"
    assert timezone.localtime(evening.starts_at).time() == datetime.time(19, 30)
    assert timezone.localtime(evening.ends_at).time() == datetime.time(21, 30)
    assert timezone.localtime(evening.registration_deadline).date().isoformat() == day(19)
    assert evening.created_by == cast.coach


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "19:00"}, "end_time"),
        ({"end_time": "19:30"}, "end_time"),
        ({"deadline_day": day(21)}, "deadline_day"),
        ({"deadline_day": day(20), "deadline_time": "20:00"}, "deadline_day"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "100000"}, "capacity"),
        ({"capacity": "dertig"}, "capacity"),
        ({"title": "x" * 10_000}, "title"),
        ({"title": "   "}, "title"),
        ({"day": day(-1), "deadline_day": day(-2)}, "day"),
        ({"day": "31-02-2030"}, "day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"postcode": "12345"}, "postcode"),
        ({"audience": "everyone"}, "audience"),
    ],
)
def test_bad_input_gets_a_message_next_to_the_field_and_saves_nothing(
    cast, client_for, overrides, field
):
    data = evening_data(cast, **overrides)
    response = client_for("coach").post(url("evening_new"), data)
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not InfoEvening.objects.exists()
    html = response.content.decode()
    assert 'id="form-problems"' in html
    assert "Buurthuis De Dissel" in html  # the rest of the typing is kept


def test_a_desk_of_someone_else_cannot_be_chosen(cast, client_for):
    data = evening_data(cast, desk=str(cast.other_desk.pk))
    response = client_for("coach").post(url("evening_new"), data)
    assert "desk" in errors_of(response)
    assert not InfoEvening.objects.exists()


def test_html_in_the_title_is_shown_as_text(cast, client_for):
    client = client_for("coach")
    client.post(url("evening_new"), evening_data(cast, title="<script>alert(1)</script>"))
    evening = InfoEvening.objects.get()
    for page in (url("evening_detail", evening.pk), url("evening_list")):
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_evening_is_changed_with_its_version(cast, client_for):
    evening = make_evening(cast.desk)
    client = client_for("coach")
    page = client.get(url("evening_edit", evening.pk))
    assert page.context["form"].initial["version"] == evening.version
    data = evening_data(cast, title="Nieuwe titel", version=str(evening.version))
    response = client.post(url("evening_edit", evening.pk), data)
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.title == "Nieuwe titel" and evening.version == 2


def test_a_stale_edit_shows_what_the_other_saved_and_what_she_typed(cast, client_for):
    """Saving again after a conflict must not silently undo the other person's change: the
    form holds the evening as it is now, the differences are listed with her input beside
    them."""
    evening = make_evening(cast.desk, title="Oud")
    InfoEvening.objects.filter(pk=evening.pk).update(version=5, title="Door een ander")
    data = evening_data(cast, title="Mijn titel", version="1")
    client = client_for("coach")
    response = client.post(url("evening_edit", evening.pk), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] and 'id="evening-conflict"' in response.content.decode()
    assert form["title"].value() == "Door een ander"
    assert form["version"].value() == "5"
    conflicts = {r.label: (r.saved, r.mine) for r in response.context["conflicts"]}
    assert conflicts[str(form.fields["title"].label)] == ("Door een ander", "Mijn titel")
    assert str(form.fields["capacity"].label) not in conflicts  # the same on both sides
    html = response.content.decode()
    assert 'id="conflicts"' in html and "Mijn titel" in html
    evening.refresh_from_db()
    assert evening.title == "Door een ander"
    # Saving the form as shown keeps the other person's change.
    again = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    assert client.post(url("evening_edit", evening.pk), again).status_code == 302
    evening.refresh_from_db()
    assert evening.title == "Door een ander" and evening.version == 6


@pytest.mark.parametrize("status", ["cancelled", "held"])
def test_a_cancelled_or_held_evening_cannot_be_edited(cast, client_for, status):
    evening = make_evening(cast.desk, status=status, title="Vast")
    client = client_for("coach")
    assert client.get(url("evening_edit", evening.pk)).status_code == 302
    data = evening_data(cast, title="Toch anders", version=str(evening.version))
    response = client.post(url("evening_edit", evening.pk), data)
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.title == "Vast"


def test_an_edit_may_keep_a_start_that_has_passed(cast, client_for):
    """Correcting the end time of an evening in progress must not fail on the start."""
    evening = make_evening(cast.desk, days_ahead=0)
    InfoEvening.objects.filter(pk=evening.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
        ends_at=timezone.now() + datetime.timedelta(minutes=1),
        registration_deadline=timezone.now() - datetime.timedelta(hours=2),
    )
    evening.refresh_from_db()
    page = client_for("coach").get(url("evening_edit", evening.pk))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data = {
        **evening_data(cast),
        "day": data["day"].isoformat(),
        "start_time": data["start_time"].strftime("%H:%M"),
        "end_time": "23:59",
        "deadline_day": data["deadline_day"].isoformat(),
        "deadline_time": data["deadline_time"].strftime("%H:%M"),
        "version": str(evening.version),
    }
    response = client_for("coach").post(url("evening_edit", evening.pk), data)
    assert response.status_code == 302, response.context["form"].errors


# --- One evening: status ----------------------------------------------------------------------
def test_publishing_puts_it_on_the_public_page(cast, client_for):
    evening = make_evening(cast.desk, status="planned")
    response = client_for("coach").post(url("evening_publish", evening.pk))
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.status == "published"


def test_publishing_twice_says_no_without_a_500(cast, client_for):
    evening = make_evening(cast.desk, status="published")
    response = client_for("coach").post(url("evening_publish", evening.pk), follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])


def test_cancelling_asks_first_then_mails_everyone_with_the_reason(
    cast, client_for, django_capture_on_commit_callbacks, run_queued_tasks, mailoutbox
):
    evening = make_evening(cast.desk)
    make_registration(evening, email="a@bezoeker.example")
    make_registration(evening, email="b@bezoeker.example", status="waiting")
    make_registration(evening, email="c@bezoeker.example", status="cancelled")
    client = client_for("coach")
    page = client.get(url("evening_cancel", evening.pk))
    assert page.status_code == 200 and page.context["to_tell"] == 2
    evening.refresh_from_db()
    assert evening.status == "published"  # the GET changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evening_cancel", evening.pk), {"reason": "De spreker is ziek"})
    assert response.status_code == 302
    evening.refresh_from_db()
    assert evening.status == "cancelled" and evening.cancel_reason == "De spreker is ziek"
    run_queued_tasks()
    assert sorted(m.to[0] for m in mailoutbox) == ["a@bezoeker.example", "b@bezoeker.example"]
    assert all("De spreker is ziek" in m.body for m in mailoutbox)
    followed = client.get(response["Location"])
    assert followed.status_code == 200


def test_a_too_long_cancel_reason_is_refused(cast, client_for):
    evening = make_evening(cast.desk)
    response = client_for("coach").post(url("evening_cancel", evening.pk), {"reason": "x" * 301})
    assert response.status_code == 200
    assert "reason" in errors_of(response)
    evening.refresh_from_db()
    assert evening.status == "published"


def test_held_only_after_the_start(cast, client_for):
    coming = make_evening(cast.desk)
    client = client_for("coach")
    client.post(url("evening_held", coming.pk))
    coming.refresh_from_db()
    assert coming.status == "published"
    started = make_evening(cast.desk, days_ahead=-1)
    client.post(url("evening_held", started.pk))
    started.refresh_from_db()
    assert started.status == "held"


def test_the_detail_page_shows_registrations_and_counts_erased_ones(cast, client_for):
    evening = make_evening(cast.desk)
    make_registration(evening, name="Anna Aangemeld")
    make_registration(evening, name="Wim Wachtend", status="waiting")
    make_registration(evening, name="Carl Afgemeld", status="cancelled")
    make_registration(evening, name="Bert Binnenloper", walk_in=True, attended=True)
    make_registration(evening, name="", email="", erased_at=timezone.now(), attended=True)
    response = client_for("coach").get(url("evening_detail", evening.pk))
    html = response.content.decode()
    for name in ("Anna Aangemeld", "Wim Wachtend", "Carl Afgemeld", "Bert Binnenloper"):
        assert name in html
    assert 'id="registrations-erased"' in html
    assert response.context["erased"] == 1
    assert url("evening_door", evening.pk) in html
    assert reverse("intake:public_evening", args=[cast.desk.slug, evening.pk]) in html


def test_a_planned_evening_has_no_public_link_yet(cast, client_for):
    evening = make_evening(cast.desk, status="planned")
    html = client_for("coach").get(url("evening_detail", evening.pk)).content.decode()
    assert reverse("intake:public_evening", args=[cast.desk.slug, evening.pk]) not in html


# --- Speakers ---------------------------------------------------------------------------------
def test_speakers_of_each_kind_are_added_and_removed(cast, client_for):
    evening = make_evening(cast.desk)
    partner = make_partner(cast.desk, name="KvK Noord")
    client = client_for("coach")
    assert client.get(url("speaker_add", evening.pk)).status_code == 200
    for data in (
        {"kind": "partner", "partner": str(partner.pk), "name": "Jan", "topic": "Inschrijven"},
        {"kind": "coach", "coach": str(cast.coach.pk)},
        {"kind": "entrepreneur", "name": "Ayşe, Kapsalon Ayşe"},
    ):
        assert client.post(url("speaker_add", evening.pk), data).status_code == 302
    speakers = list(evening.speakers.order_by("id"))
    assert [s.shown_name for s in speakers] == [
        "Jan (KvK Noord)",
        cast.coach.full_name,
        "Ayşe, Kapsalon Ayşe",
    ]
    client.post(url("speaker_remove", speakers[0].pk))
    assert evening.speakers.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "partner"}, "partner"),
        ({"kind": "coach"}, "coach"),
        ({"kind": "entrepreneur", "name": " "}, "name"),
        ({"kind": "someone"}, "kind"),
    ],
)
def test_a_speaker_must_fit_the_kind(cast, client_for, data, field):
    evening = make_evening(cast.desk)
    response = client_for("coach").post(url("speaker_add", evening.pk), data)
    assert field in errors_of(response)
    assert not Speaker.objects.exists()


def test_another_desks_partner_or_coach_cannot_speak(cast, client_for):
    evening = make_evening(cast.desk)
    other_partner = make_partner(cast.other_desk)
    client = client_for("coach")
    response = client.post(
        url("speaker_add", evening.pk), {"kind": "partner", "partner": str(other_partner.pk)}
    )
    assert "partner" in errors_of(response)
    response = client.post(
        url("speaker_add", evening.pk), {"kind": "coach", "coach": str(cast.other_coach.pk)}
    )
    assert "coach" in errors_of(response)
    assert not Speaker.objects.exists()


def test_the_service_checks_the_desk_too(cast):
    from intake import evening_staff
    from intake.evenings import EveningError

    evening = make_evening(cast.desk)
    with pytest.raises(EveningError):
        evening_staff.add_speaker(
            evening=evening, by=cast.coach, kind="partner", partner=make_partner(cast.other_desk)
        )
    with pytest.raises(EveningError):
        evening_staff.add_speaker(evening=evening, by=cast.coach, kind="coach", coach=cast.partner)


# --- Access -----------------------------------------------------------------------------------
def object_urls(cast):
    evening = make_evening(cast.desk)
    registration = make_registration(evening)
    intermediary = make_registration(evening, kind="intermediary", organisation="Rabobank")
    speaker = Speaker.objects.create(evening=evening, kind="entrepreneur", name="Ayşe")
    return [
        ("get", url("evening_detail", evening.pk)),
        ("get", url("evening_edit", evening.pk)),
        ("post", url("evening_edit", evening.pk)),
        ("post", url("evening_publish", evening.pk)),
        ("get", url("evening_cancel", evening.pk)),
        ("post", url("evening_cancel", evening.pk)),
        ("post", url("evening_held", evening.pk)),
        ("get", url("speaker_add", evening.pk)),
        ("post", url("speaker_add", evening.pk)),
        ("post", url("speaker_remove", speaker.pk)),
        ("get", url("evening_door", evening.pk)),
        ("post", url("evening_door", evening.pk)),
        ("post", url("registration_attended", registration.pk)),
        ("get", url("registration_to_resident", registration.pk)),
        ("post", url("registration_to_resident", registration.pk)),
        ("get", url("registration_to_contact", intermediary.pk)),
        ("post", url("registration_to_contact", intermediary.pk)),
    ]


@pytest.mark.parametrize("role", ["other_coach", "project_group", "partner", "resident"])
def test_everyone_but_the_desks_staff_gets_404_on_each_object(cast, client_for, role):
    client = client_for(role)
    for method, address in object_urls(cast):
        response = getattr(client, method)(address)
        assert response.status_code == 404, (role, method, address)
    evening = InfoEvening.objects.get()
    assert evening.status == "published" and not Speaker.objects.filter(pk=0).exists()
    assert evening.speakers.count() == 1


def test_anonymous_is_sent_to_log_in(cast, client_for):
    client = client_for("anonymous")
    for method, address in object_urls(cast):
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login")), address


def test_a_coach_may_not_invite_partner_contacts(cast, client_for):
    evening = make_evening(cast.desk)
    intermediary = make_registration(evening, kind="intermediary")
    assert client_for("coach").get(url("registration_to_contact", intermediary.pk)).status_code == (
        404
    )
    page = client_for("coach").get(url("evening_detail", evening.pk))
    assert url("registration_to_contact", intermediary.pk) not in page.content.decode()


# --- At the door ------------------------------------------------------------------------------
def test_the_door_list_shows_registered_then_waiting_and_no_cancelled(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    make_registration(evening, name="Zoë Zwart")
    make_registration(evening, name="Ali Aksoy")
    make_registration(evening, name="Wim Wachtend", status="waiting")
    make_registration(evening, name="Carl Afgemeld", status="cancelled")
    response = client_for("coach").get(url("evening_door", evening.pk))
    html = response.content.decode()
    assert html.index("Ali Aksoy") < html.index("Zoë Zwart") < html.index("Wim Wachtend")
    assert "Carl Afgemeld" not in html
    assert html.count("data-door-toggle") == 3


def test_ticking_present_works_without_javascript(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    registration = make_registration(evening, name="Ali Aksoy")
    client = client_for("coach")
    html = client.get(url("evening_door", evening.pk)).content.decode()
    assert f'action="{url("registration_attended", registration.pk)}"' in html
    assert 'name="attended" value="1"' in html
    response = client.post(url("registration_attended", registration.pk), {"attended": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{url('evening_door', evening.pk)}#r-{registration.pk}"
    registration.refresh_from_db()
    assert registration.attended
    html = client.get(url("evening_door", evening.pk)).content.decode()
    assert 'name="attended" value="0"' in html  # the button now undoes it
    # Sent twice (a double tap): still present, not toggled back.
    client.post(url("registration_attended", registration.pk), {"attended": "1"})
    registration.refresh_from_db()
    assert registration.attended
    client.post(url("registration_attended", registration.pk), {"attended": "0"})
    registration.refresh_from_db()
    assert not registration.attended


def test_ticking_in_the_background_answers_json(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    registration = make_registration(evening)
    response = client_for("coach").post(
        url("registration_attended", registration.pk),
        {"attended": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {"attended": True}


def test_attended_is_post_only(cast, client_for):
    registration = make_registration(make_evening(cast.desk, days_ahead=0))
    assert client_for("coach").get(url("registration_attended", registration.pk)).status_code == 405


def test_a_cancelled_registration_cannot_be_ticked(cast, client_for):
    registration = make_registration(make_evening(cast.desk, days_ahead=0), status="cancelled")
    response = client_for("coach").post(
        url("registration_attended", registration.pk), {"attended": "1"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert not registration.attended


def test_a_walk_in_is_added_present_in_seconds(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    client = client_for("coach")
    response = client.post(
        url("evening_door", evening.pk),
        {
            "name": "  Bert Binnen  ",
            "kind": "entrepreneur",
            "phone": "06-12345678",
            "may_contact": "on",
        },
    )
    walk_in = Registration.objects.get(walk_in=True)
    assert response.status_code == 302
    assert response["Location"] == f"{url('evening_door', evening.pk)}?added={walk_in.pk}#walk-in"
    assert walk_in.name == "Bert Binnen" and walk_in.attended and walk_in.may_contact
    assert walk_in.phone == "06 12345678"
    assert client.get(url("evening_door", evening.pk)).context["came"] == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "kind": "entrepreneur"}, "name"),
        ({"name": "x" * 10_000, "kind": "entrepreneur"}, "name"),
        ({"name": "Bert", "kind": "entrepreneur", "email": "geen-adres"}, "email"),
        ({"name": "Bert", "kind": "entrepreneur", "phone": "123"}, "phone"),
    ],
)
def test_a_bad_walk_in_gets_a_message_and_keeps_the_typing(cast, client_for, data, field):
    evening = make_evening(cast.desk, days_ahead=0)
    response = client_for("coach").post(url("evening_door", evening.pk), data)
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not Registration.objects.exists()


def test_a_walk_in_already_on_the_list_is_refused(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    make_registration(evening, email="ali@bezoeker.example")
    response = client_for("coach").post(
        url("evening_door", evening.pk),
        {"name": "Ali", "kind": "entrepreneur", "email": "ALI@bezoeker.example"},
    )
    assert response.status_code == 200
    assert "email" in errors_of(response)
    assert Registration.objects.count() == 1


# --- From attendee to resident ----------------------------------------------------------------
def to_resident_data(cast, **overrides):
    return {
        "desk": str(cast.desk.pk),
        "first_name": "Fatima",
        "last_name": "el Amrani",
        "email": "fatima@bezoeker.example",
        "phone": "06 11112222",
        "street": "",
        "postcode": "",
        "city": "",
        "consent": "on",
        "registered_on": timezone.localdate().isoformat(),
        "source": "info_evening",
        "coach": str(cast.coach.pk),
        "with_intake": "later",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "10",
        **overrides,
    }


def test_an_attendee_becomes_a_resident_with_her_details(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=-1)
    registration = make_registration(
        evening, name="Fatima el Amrani", email="fatima@bezoeker.example", phone="06 11112222"
    )
    client = client_for("coach")
    page = client.get(url("registration_to_resident", registration.pk))
    form = page.context["forms"].resident
    assert form["first_name"].value() == "Fatima"
    assert form["last_name"].value() == "el Amrani"
    assert form["email"].value() == "fatima@bezoeker.example"
    assert form["phone"].value() == "06 11112222"
    assert form["source"].value() == "info_evening"
    response = client.post(url("registration_to_resident", registration.pk), to_resident_data(cast))
    resident = Resident.objects.get(email="fatima@bezoeker.example")
    assert response.status_code == 302 and response["Location"] == resident.get_absolute_url()
    assert resident.source == "info_evening" and resident.desk == cast.desk
    registration.refresh_from_db()
    assert registration.resident == resident
    # Once linked, the page does not offer it again.
    again = client.get(url("registration_to_resident", registration.pk))
    assert again.status_code == 302


def test_the_duplicate_warning_is_shown_and_a_link_is_offered(cast, client_for):
    known = make_resident(cast.desk, first_name="Fatima", last_name="Amrani", email="f@x.example")
    registration = make_registration(
        make_evening(cast.desk), name="Fatima Amrani", email="f@x.example"
    )
    client = client_for("coach")
    page = client.get(url("registration_to_resident", registration.pk))
    html = page.content.decode()
    assert 'id="duplicates"' in html
    assert f'name="link" value="{known.pk}"' in html
    # Saving without "register anyway" is held back by the same warning.
    data = to_resident_data(cast, email="f@x.example", last_name="Amrani")
    response = client.post(url("registration_to_resident", registration.pk), data)
    assert response.status_code == 200 and response.context["duplicates"]
    assert Resident.objects.count() == 3  # the cast's two and the known one
    # Linking instead.
    response = client.post(
        url("registration_to_resident", registration.pk), {**data, "link": str(known.pk)}
    )
    assert response.status_code == 302 and response["Location"] == known.get_absolute_url()
    registration.refresh_from_db()
    assert registration.resident == known
    assert Resident.objects.count() == 3


def test_linking_to_another_desks_resident_is_404(cast, client_for):
    registration = make_registration(make_evening(cast.desk))
    response = client_for("coach").post(
        url("registration_to_resident", registration.pk), {"link": str(cast.other_resident.pk)}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.resident is None


@pytest.mark.parametrize(
    "fields",
    [{"status": "cancelled"}, {"kind": "intermediary"}],
)
def test_only_live_entrepreneurs_become_residents(cast, client_for, fields):
    registration = make_registration(make_evening(cast.desk), **fields)
    client = client_for("coach")
    assert client.get(url("registration_to_resident", registration.pk)).status_code == 302
    client.post(url("registration_to_resident", registration.pk), to_resident_data(cast))
    assert not Resident.objects.filter(email="fatima@bezoeker.example").exists()


def test_an_erased_registration_is_404(cast, client_for):
    registration = make_registration(make_evening(cast.desk), erased_at=timezone.now())
    response = client_for("coach").get(url("registration_to_resident", registration.pk))
    assert response.status_code == 404


# --- From intermediary to partner contact -----------------------------------------------------
def test_an_intermediary_becomes_a_partners_contact(
    cast, client_for, django_capture_on_commit_callbacks, run_queued_tasks, mailoutbox
):
    make_partner(cast.desk, name="ABN AMRO")
    rabobank = make_partner(cast.desk, name="Rabobank")
    registration = make_registration(
        make_evening(cast.desk),
        kind="intermediary",
        name="Ingrid Intermediair",
        email="ingrid@rabobank.example",
        organisation="Rabobank Groningen",
    )
    client = client_for("coordinator")
    page = client.get(url("registration_to_contact", registration.pk))
    form = page.context["form"]
    assert form["partner"].value() == rabobank.pk
    assert form["full_name"].value() == "Ingrid Intermediair"
    assert form["email"].value() == "ingrid@rabobank.example"
    data = {
        "partner": str(rabobank.pk),
        "full_name": "Ingrid Intermediair",
        "email": "ingrid@rabobank.example",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("registration_to_contact", registration.pk), data)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="ingrid@rabobank.example")
    assert membership.role == Role.PARTNER and membership.partner == rabobank
    assert membership.desk == cast.desk
    registration.refresh_from_db()
    assert registration.contact_membership == membership
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["ingrid@rabobank.example"]]


def test_an_address_that_has_an_account_gets_a_message_next_to_the_field(cast, client_for):
    partner = make_partner(cast.desk)
    registration = make_registration(
        make_evening(cast.desk), kind="intermediary", email=cast.coach.email
    )
    data = {"partner": str(partner.pk), "full_name": "Iemand", "email": cast.coach.email}
    response = client_for("coordinator").post(url("registration_to_contact", registration.pk), data)
    assert response.status_code == 200
    assert "email" in errors_of(response)
    registration.refresh_from_db()
    assert registration.contact_membership is None


def test_another_desks_partner_cannot_be_chosen_for_a_contact(cast, client_for):
    registration = make_registration(make_evening(cast.desk), kind="intermediary")
    data = {
        "partner": str(make_partner(cast.other_desk).pk),
        "full_name": "Iemand",
        "email": "iemand@elders.example",
    }
    response = client_for("coordinator").post(url("registration_to_contact", registration.pk), data)
    assert "partner" in errors_of(response)
    assert not Membership.objects.filter(user__email="iemand@elders.example").exists()


@pytest.mark.parametrize(
    "fields",
    [{"kind": "entrepreneur"}, {"kind": "intermediary", "email": "", "phone": "0612345678"}],
)
def test_only_intermediaries_with_an_email_become_contacts(cast, client_for, fields):
    registration = make_registration(make_evening(cast.desk), **fields)
    response = client_for("coordinator").get(url("registration_to_contact", registration.pk))
    assert response.status_code == 302


# --- Query budgets ----------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["evening_detail", "evening_door"])
def test_the_evening_pages_run_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries, page
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    evening = make_evening(cast.desk, days_ahead=0, capacity=20)
    make_registration(evening, kind="intermediary")
    Speaker.objects.create(evening=evening, kind="coach", coach=cast.coach)
    client = client_for("coordinator")
    client.get(url(page, evening.pk))  # warm up the session
    with CaptureQueriesContext(connection) as one:
        client.get(url(page, evening.pk))
    resident = make_resident(cast.desk)
    for n in range(30):
        make_registration(
            evening,
            name=f"Bezoeker {n}",
            kind="intermediary" if n % 2 else "entrepreneur",
            status="waiting" if n >= 20 else "registered",
            resident=resident if n == 3 else None,
        )
        Speaker.objects.create(evening=evening, kind="partner", partner=make_partner(cast.desk))
    with django_assert_max_num_queries(len(one)):
        response = client.get(url(page, evening.pk))
    assert "Bezoeker 29" in response.content.decode()


def test_a_desk_without_evenings_of_its_own_sees_none(cast, client_for):
    third = make_desk("west")
    make_member(third, "coach", full_name="West Coach")
    make_evening(third, title="Westavond")
    html = client_for("coach").get(url("evening_list")).content.decode()
    assert "Westavond" not in html


# --- Found by trying the running app ----------------------------------------------------------
# A valid address longer than the column (254): a message next to the field, not a 500.
LONG_EMAIL = "b" * 64 + "@" + ".".join(["d" * 60] * 4) + ".example"


def test_a_walk_in_with_an_overlong_email_gets_a_message_not_a_500(cast, client_for):
    assert len(LONG_EMAIL) > 254
    evening = make_evening(cast.desk, days_ahead=0)
    data = {"name": "Bert", "kind": "entrepreneur", "email": LONG_EMAIL}
    response = client_for("coach").post(url("evening_door", evening.pk), data)
    assert response.status_code == 200
    assert errors_of(response)["email"] == ["Dit e-mailadres is te lang."]
    assert response.context["form"]["name"].value() == "Bert"
    assert not Registration.objects.exists()


def test_a_contact_with_an_overlong_email_gets_a_message_not_a_500(cast, client_for):
    partner = make_partner(cast.desk)
    registration = make_registration(make_evening(cast.desk), kind="intermediary")
    data = {"partner": str(partner.pk), "full_name": "Ingrid", "email": LONG_EMAIL}
    response = client_for("coordinator").post(url("registration_to_contact", registration.pk), data)
    assert response.status_code == 200
    assert errors_of(response)["email"] == ["Dit e-mailadres is te lang."]
    assert not Membership.objects.filter(role=Role.PARTNER, user__full_name="Ingrid").exists()


def test_the_staff_forms_allow_no_more_than_the_columns_hold():
    from intake.evening_forms import ContactForm, EveningForm, SpeakerForm, WalkInForm
    from ondernemerspunt.models import User

    pairs = [
        (EveningForm.base_fields, InfoEvening, ["title", "place_name", "street", "city"]),
        (EveningForm.base_fields, InfoEvening, ["description"]),
        (SpeakerForm.base_fields, Speaker, ["name", "topic"]),
        (WalkInForm.base_fields, Registration, ["name", "email"]),
        (ContactForm.base_fields, User, ["full_name", "email"]),
    ]
    for fields, model, names in pairs:
        for name in names:
            column = model._meta.get_field(name).max_length
            assert fields[name].max_length is not None, name
            assert fields[name].max_length <= column, (model, name)


def test_the_door_list_is_read_only_before_the_evenings_day(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=3)
    registration = make_registration(evening, name="Ali Aksoy")
    client = client_for("coach")
    html = client.get(url("evening_door", evening.pk)).content.decode()
    assert "Ali Aksoy" in html
    assert 'id="door-not-yet"' in html
    assert "data-door-toggle" not in html and 'id="walk-in-form"' not in html
    # Sent anyway: refused with a message, nothing changed.
    response = client.post(url("registration_attended", registration.pk), {"attended": "1"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert not registration.attended
    response = client.post(
        url("evening_door", evening.pk), {"name": "Bert", "kind": "entrepreneur"}, follow=True
    )
    html = response.content.decode()
    note = html.split('id="door-not-yet">')[1].split("</div>")[0]
    assert html.count(note) == 1  # said by the page, not by a message too
    assert not Registration.objects.filter(walk_in=True).exists()


def test_a_planned_evening_cannot_be_ticked_at_the_door(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0, status="planned")
    registration = make_registration(evening)
    client = client_for("coach")
    html = client.get(url("evening_door", evening.pk)).content.decode()
    assert "data-door-toggle" not in html and 'id="walk-in-form"' not in html
    response = client.post(
        url("registration_attended", registration.pk),
        {"attended": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409 and response.json()["error"]
    registration.refresh_from_db()
    assert not registration.attended


def test_on_the_evenings_day_the_door_list_can_be_ticked(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    make_registration(evening)
    html = client_for("coach").get(url("evening_door", evening.pk)).content.decode()
    assert "data-door-toggle" in html and 'id="walk-in-form"' in html
    assert 'id="door-not-yet"' not in html


@pytest.mark.parametrize(
    ("fields", "offered"),
    [
        ({"status": "registered", "attended": True}, True),
        ({"status": "registered", "attended": False}, True),  # a no-show may still want help
        ({"status": "waiting", "attended": False}, False),
        ({"status": "cancelled"}, False),
    ],
)
def test_a_file_is_offered_for_registered_people_not_the_waiting_list(
    cast, client_for, fields, offered
):
    registration = make_registration(make_evening(cast.desk, days_ahead=-1), **fields)
    client = client_for("coach")
    page = client.get(url("evening_detail", registration.evening.pk)).content.decode()
    assert (url("registration_to_resident", registration.pk) in page) is offered
    response = client.get(url("registration_to_resident", registration.pk))
    assert response.status_code == (200 if offered else 302)


def test_without_consent_the_file_keeps_contact_details_and_the_link(cast, client_for):
    registration = make_registration(
        make_evening(cast.desk, days_ahead=-1),
        name="Fatima el Amrani",
        email="fatima@bezoeker.example",
        attended=True,
    )
    client = client_for("coach")
    page = client.get(url("registration_to_resident", registration.pk))
    with translation.override("nl"):
        assert str(WITHOUT_CONSENT) in page.content.decode()  # near the consent question
    data = to_resident_data(cast)
    del data["consent"]
    response = client.post(url("registration_to_resident", registration.pk), data)
    resident = Resident.objects.get(email="fatima@bezoeker.example")
    assert response.status_code == 302 and response["Location"] == resident.get_absolute_url()
    assert resident.source == "" and not resident.has_consent()
    assert (resident.first_name, resident.phone) == ("Fatima", "06 11112222")
    registration.refresh_from_db()
    assert registration.resident == resident


def test_without_consent_other_details_are_still_refused(cast, client_for):
    registration = make_registration(make_evening(cast.desk, days_ahead=-1), attended=True)
    data = to_resident_data(cast, situation="employed")
    del data["consent"]
    response = client_for("coach").post(url("registration_to_resident", registration.pk), data)
    assert response.status_code == 200
    assert not Resident.objects.filter(email="fatima@bezoeker.example").exists()
    registration.refresh_from_db()
    assert registration.resident is None


def test_with_consent_the_source_is_the_info_evening(cast, client_for):
    registration = make_registration(make_evening(cast.desk, days_ahead=-1), attended=True)
    client_for("coach").post(
        url("registration_to_resident", registration.pk), to_resident_data(cast)
    )
    resident = Resident.objects.get(email="fatima@bezoeker.example")
    assert resident.source == "info_evening" and resident.has_consent()


def test_a_held_started_or_cancelled_evening_is_listed_as_past(cast, client_for):
    now = timezone.now()
    held_today = make_evening(
        cast.desk,
        status="held",
        title="Net gehouden",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=1),
        registration_deadline=now - datetime.timedelta(days=1),
    )
    running = make_evening(
        cast.desk,
        title="Bezig",
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=1),
        registration_deadline=now - datetime.timedelta(days=1),
    )
    cancelled = make_evening(cast.desk, days_ahead=5, status="cancelled", title="Gaat niet door")
    coming = make_evening(cast.desk, days_ahead=5, title="Straks")
    response = client_for("coach").get(url("evening_list"))
    assert response.context["coming"] == [coming]
    assert set(response.context["past"]) == {held_today, running, cancelled}


def test_after_a_walk_in_the_focus_is_back_in_the_name_field(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    client = client_for("coach")
    response = client.post(
        url("evening_door", evening.pk), {"name": "Bert Binnen", "kind": "entrepreneur"}
    )
    walk_in = Registration.objects.get(walk_in=True)
    html = client.get(response["Location"]).content.decode()
    assert '<details class="door-walk-in mb-3" id="walk-in" open>' in html
    name_input = html[html.index('name="name"') - 200 : html.index('name="name"') + 300]
    assert "autofocus" in name_input
    assert 'aria-describedby="walk-in-added' in name_input
    assert 'id="walk-in-added"' in html and "Bert Binnen" in html
    # Only right after a walk-in: not on an ordinary visit.
    plain = client.get(url("evening_door", evening.pk)).content.decode()
    assert "autofocus" not in plain
    assert f"?added={walk_in.pk}" in response["Location"]


# --- Review 3 ---------------------------------------------------------------------------------
def as_posted(form) -> dict:
    """What the browser sends back for a form as shown (the values of its fields as text)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = str(value)
    return data


def test_a_stale_edit_lists_only_her_changes_and_keeps_them_in_the_form(cast, client_for):
    """The other changed the start; she changed only the building. Only the building is
    listed, the form holds the other's start and her building, and saving it keeps both."""
    evening = make_evening(cast.desk)
    edit = url("evening_edit", evening.pk)
    her_page = as_posted(client_for("coach").get(edit).context["form"])
    their_page = as_posted(client_for("coordinator").get(edit).context["form"])
    assert (
        client_for("coordinator").post(edit, {**their_page, "start_time": "19:45"}).status_code
        == 302
    )

    client = client_for("coach")
    response = client.post(edit, {**her_page, "place_name": "Wijkcentrum Oost"})
    assert response.status_code == 200
    form = response.context["form"]
    rows = [(r.label, r.saved, r.mine, r.kept) for r in response.context["conflicts"]]
    label = str(form.fields["place_name"].label)
    assert rows == [(label, "Buurthuis De Dissel", "Wijkcentrum Oost", True)]
    assert form["start_time"].value() == "19:45"  # the other's change
    assert form["place_name"].value() == "Wijkcentrum Oost"  # hers, kept
    html = response.content.decode()
    # Not "everything you typed is still there": the form shows what is saved now.
    assert 'id="form-problems"' not in html
    assert 'id="evening-conflict"' in html
    evening.refresh_from_db()
    assert evening.place_name == "Buurthuis De Dissel"
    # Saving the form as shown: the other's start and her building.
    assert client.post(edit, as_posted(form)).status_code == 302
    evening.refresh_from_db()
    assert evening.place_name == "Wijkcentrum Oost"
    assert timezone.localtime(evening.starts_at).time() == datetime.time(19, 45)


def test_a_field_both_changed_shows_both_and_the_form_holds_the_saved_one(cast, client_for):
    evening = make_evening(cast.desk)
    edit = url("evening_edit", evening.pk)
    her_page = as_posted(client_for("coach").get(edit).context["form"])
    their_page = as_posted(client_for("coordinator").get(edit).context["form"])
    assert (
        client_for("coordinator").post(edit, {**their_page, "title": "Hun titel"}).status_code
        == 302
    )

    response = client_for("coach").post(edit, {**her_page, "title": "Mijn titel", "city": "Haren"})
    form = response.context["form"]
    rows = {r.label: (r.saved, r.mine, r.kept) for r in response.context["conflicts"]}
    assert rows == {
        str(form.fields["title"].label): ("Hun titel", "Mijn titel", False),
        str(form.fields["city"].label): ("Groningen", "Haren", True),
    }
    assert form["title"].value() == "Hun titel" and form["city"].value() == "Haren"


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 31)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


def coming_night(month: int) -> datetime.date:
    """The next night the clock changes (March: forward, October: back), a week away at least."""
    soon = timezone.localdate() + datetime.timedelta(days=7)
    night = last_sunday(soon.year, month)
    return night if night > soon else last_sunday(soon.year + 1, month)


@pytest.mark.parametrize(
    ("times", "field"),
    [
        ({"start_time": "02:30", "end_time": "03:30"}, "start_time"),
        ({"start_time": "01:00", "end_time": "02:30"}, "end_time"),
        ({"deadline_day": "NIGHT", "deadline_time": "02:15"}, "deadline_time"),
    ],
)
def test_a_time_the_summer_time_night_skips_gets_a_message_not_a_500(
    cast, client_for, times, field
):
    night = coming_night(3)
    times = {k: night.isoformat() if v == "NIGHT" else v for k, v in times.items()}
    data = evening_data(
        cast, day=night.isoformat(), deadline_day=(night - datetime.timedelta(days=2)).isoformat()
    )
    response = client_for("coach").post(url("evening_new"), {**data, **times})
    assert response.status_code == 200
    assert field in errors_of(response)
    assert not InfoEvening.objects.exists()


def test_a_time_in_the_autumn_night_that_comes_twice_is_fine(cast, client_for):
    night = coming_night(10)
    data = evening_data(
        cast,
        day=night.isoformat(),
        start_time="01:00",
        end_time="02:30",
        deadline_day=(night - datetime.timedelta(days=2)).isoformat(),
    )
    response = client_for("coach").post(url("evening_new"), data)
    assert response.status_code == 302
    evening = InfoEvening.objects.get()
    assert timezone.localtime(evening.ends_at).time() == datetime.time(2, 30)


@pytest.mark.parametrize("year", [9999, 2062])
def test_a_date_far_ahead_is_refused_next_to_the_date(cast, client_for, year):
    data = evening_data(cast, day=f"{year}-12-31", deadline_day=f"{year}-12-30")
    response = client_for("coach").post(url("evening_new"), data)
    assert response.status_code == 200
    assert "day" in errors_of(response)
    assert not InfoEvening.objects.exists()


def test_the_form_itself_refuses_a_date_far_ahead_beside_its_other_messages(cast):
    """Next to the date with the form's other messages at once, not only after the rest is
    right (the service checks it again)."""
    far = evening_data(cast, day="2062-12-31", deadline_day="2062-12-30", title="")
    form = EveningForm(far, desks=[cast.desk])
    assert not form.is_valid()
    assert "day" in form.errors and "title" in form.errors
    near = timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD - 1)
    data = evening_data(
        cast, day=near.isoformat(), deadline_day=(near - datetime.timedelta(days=1)).isoformat()
    )
    assert EveningForm(data, desks=[cast.desk]).is_valid()


def test_the_public_address_wraps_on_a_narrow_screen(cast, client_for):
    evening = make_evening(cast.desk)
    client = client_for("coach")
    detail = client.get(url("evening_detail", evening.pk)).content.decode()
    public = detail.split('id="evening-public"')[1].split("</p>")[0]
    assert 'class="text-break"' in public
    listing = client.get(url("evening_list")).content.decode()
    pages = listing.split('id="public-pages"')[1].split("</section>")[0]
    assert 'class="text-break"' in pages


def door_row(html, registration):
    return html.split(f'id="r-{registration.pk}"')[1].split("</li>")[0]


def visible_label(row):
    """The button's text that is not hidden."""
    button = row.split("<button")[1].split("</button>")[0]
    parts = [p for p in button.split("<span")[1:] if " hidden" not in p.split(">")[0]]
    return [p.split(">", 1)[1].split("</span")[0] for p in parts if "visually-hidden" not in p]


def test_the_door_button_says_what_it_does_and_the_row_whether_she_came(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=0)
    absent = make_registration(evening, name="Ali Aksoy")
    present = make_registration(evening, name="Bea Bakker", attended=True)
    html = client_for("coach").get(url("evening_door", evening.pk)).content.decode()
    with translation.override("nl"):
        tick, untick = translation.gettext("Present"), translation.gettext("Did not come after all")
    assert visible_label(door_row(html, absent)) == [tick]
    assert visible_label(door_row(html, present)) == [untick]
    # A label that changes with the state and aria-pressed together would read as a
    # contradiction ("did not come after all, pressed"): the state is the text before it.
    assert "aria-pressed" not in door_row(html, present)
    shown_state = door_row(html, present).split('data-when="present"')[1].split("</span>")[0]
    assert " hidden" not in shown_state.split(">")[0]


def test_a_tick_before_the_evenings_day_is_refused_with_one_message(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=3)
    registration = make_registration(evening)
    response = client_for("coach").post(
        url("registration_attended", registration.pk), {"attended": "1"}, follow=True
    )
    html = response.content.decode()
    note = html.split('id="door-not-yet">')[1].split("</div>")[0]
    assert html.count(note) == 1
    registration.refresh_from_db()
    assert not registration.attended


def test_the_staff_pages_write_months_in_lower_case(cast, client_for):
    evening = make_evening(cast.desk, days_ahead=20)
    html = client_for("coach").get(url("evening_list")).content.decode()
    starts = timezone.localtime(evening.starts_at)
    with translation.override("nl"):
        lower = date_format(starts, "D j b Y")
        title = date_format(starts, "D j M Y")
    assert lower in html and title not in html


def test_too_long_texts_get_a_plain_message(cast, client_for):
    data = evening_data(
        cast,
        title="x" * 10000,
        place_name="x" * 121,
        street="x" * 121,
        city="x" * 81,
        description="x" * 2001,
    )
    response = client_for("coach").post(url("evening_new"), data)
    errors = errors_of(response)
    with translation.override("nl"):
        expected = {
            "title": "The title is too long: write at most %(limit_value)s characters.",
            "place_name": "The name of the building is too long: write at most "
            "%(limit_value)s characters.",
            "street": "The street and number are too long: write at most %(limit_value)s "
            "characters.",
            "city": "The name of the city is too long: write at most %(limit_value)s characters.",
            "description": "The text is too long: write at most %(limit_value)s characters.",
        }
        limits = {"title": 120, "place_name": 120, "street": 120, "city": 80, "description": 2000}
        for name, message in expected.items():
            assert errors[name] == [translation.gettext(message) % {"limit_value": limits[name]}], (
                name
            )
    assert not InfoEvening.objects.exists()
