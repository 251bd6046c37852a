"""The rules of info evenings (intake/evenings.py): places, the waiting list, cancelling,
the time check, the rate limit and forgetting registrations after the evening."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from intake import evenings
from intake.evening_links import cancel_token, registration_for_token
from intake.evening_mail import evening_ics, send_reminders
from intake.models import InfoEvening, Registration, SignUpAttempt
from tests.factories import make_evening, make_registration, make_resident

pytestmark = pytest.mark.django_db(transaction=False)

SITE = "http://testserver"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a service queues after its transaction commits (the mails), as it would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def register(evening, email, **fields):
    return evenings.register(
        evening=evening,
        fields={"kind": Registration.Kind.ENTREPRENEUR, "name": "Anna", "email": email, **fields},
        site=SITE,
    )


def test_a_full_evening_puts_newcomers_on_the_waiting_list(cast):
    evening = make_evening(cast.desk, capacity=2)
    first = register(evening, "a@x.example")
    second = register(evening, "b@x.example")
    third = register(evening, "c@x.example")
    assert [first.status, second.status] == ["registered", "registered"]
    assert third.status == Registration.Status.WAITING


def test_walk_ins_take_no_place(cast):
    evening = make_evening(cast.desk, capacity=1, days_ahead=0)
    evenings.add_walk_in(evening=evening, fields={"kind": "entrepreneur", "name": "Binnenloper"})
    assert evenings.places_left(evening) == 1


def test_the_same_person_twice_is_refused_by_email_case_and_phone(cast):
    evening = make_evening(cast.desk)
    register(evening, "Anna@X.example")
    with pytest.raises(evenings.AlreadyRegistered):
        register(evening, "anna@x.example")
    evenings.register(
        evening=evening,
        fields={"kind": "entrepreneur", "name": "B", "phone": "06-1234 5678"},
        site=SITE,
    )
    with pytest.raises(evenings.AlreadyRegistered):
        evenings.register(
            evening=evening,
            fields={"kind": "entrepreneur", "name": "B", "phone": "0612345678"},
            site=SITE,
        )
    assert evening.registrations.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": InfoEvening.Status.CANCELLED},
        {"status": InfoEvening.Status.PLANNED},
        {"status": InfoEvening.Status.HELD},
    ],
)
def test_registration_is_closed_unless_published(cast, change):
    evening = make_evening(cast.desk, **change)
    with pytest.raises(evenings.RegistrationClosed):
        register(evening, "a@x.example")


def test_registration_closes_at_the_deadline(cast):
    evening = make_evening(cast.desk, days_ahead=1)
    InfoEvening.objects.filter(pk=evening.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(evenings.RegistrationClosed):
        register(evening, "a@x.example")


def test_cancelling_moves_the_waiting_list_up_and_mails_the_one_who_moved(
    cast, run_queued_tasks, on_commit
):
    evening = make_evening(cast.desk, capacity=1)
    first = register(evening, "a@x.example")
    waiting = register(evening, "b@x.example")
    with on_commit():
        assert evenings.cancel_registration(registration=first) is True
        assert evenings.cancel_registration(registration=first) is False  # a link used twice
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["b@x.example"]]
    assert mail.outbox[0].attachments[0][0] == "informatieavond.ics"


def test_confirmation_mail_carries_a_calendar_file_and_a_working_cancel_link(
    cast, run_queued_tasks, on_commit
):
    evening = make_evening(cast.desk, title="Starten, kan dat; ook met een uitkering?")
    with on_commit():
        registration = register(evening, "a@x.example")
    run_queued_tasks()
    (message,) = mail.outbox
    name, ics, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    assert "SUMMARY:Starten\\, kan dat\\; ook met een uitkering?" in ics
    assert f"DTSTART:{evening.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    token = cancel_token(registration)
    assert token in message.body
    assert registration_for_token(token) == registration
    assert registration_for_token(token + "x") is None


def test_cancelling_an_evening_mails_everyone_registered_or_waiting(
    cast, run_queued_tasks, on_commit
):
    evening = make_evening(cast.desk, capacity=1)
    register(evening, "a@x.example")
    register(evening, "b@x.example")
    gone = register(evening, "c@x.example")
    evenings.cancel_registration(registration=gone)
    with on_commit():
        told = evenings.cancel_evening(
            evening=evening, by=cast.coach, reason="Zaal niet beschikbaar"
        )
    run_queued_tasks()
    assert told == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example", "b@x.example"]
    assert "Zaal niet beschikbaar" in mail.outbox[0].body


def test_the_time_check_refuses_a_form_sent_back_at_once_late_or_forged():
    shown = timezone.now()
    stamp = evenings.form_stamp(shown)
    after = shown + datetime.timedelta(seconds=evenings.MIN_SECONDS_TO_FILL)
    assert not evenings.filled_in_by_a_person(stamp, now=shown)
    assert evenings.filled_in_by_a_person(stamp, now=after)
    assert not evenings.filled_in_by_a_person(stamp, now=shown + datetime.timedelta(days=2))
    forged = f"{int(shown.timestamp()) - 60}:" + stamp.split(":")[1]
    assert not evenings.filled_in_by_a_person(forged, now=after)
    assert not evenings.filled_in_by_a_person("", now=after)


def test_the_rate_limit_counts_per_address_and_stores_no_address(db):
    allowed = [evenings.sign_up_allowed("203.0.113.7") for _ in range(8)]
    assert allowed == [True] * evenings.ATTEMPTS_PER_MINUTE + [False] * 3
    assert evenings.sign_up_allowed("198.51.100.1")
    assert not SignUpAttempt.objects.filter(address_hash__contains="203.0.113.7").exists()


def test_registrations_are_erased_after_the_keeping_period_unless_they_became_a_resident(cast):
    cast.desk.retention_days = 60
    cast.desk.save()
    evening = make_evening(cast.desk, days_ahead=-61, status=InfoEvening.Status.HELD)
    stays_a_while = make_evening(cast.desk, days_ahead=-59, status=InfoEvening.Status.HELD)
    gone = make_registration(evening, name="Weg Straks", attended=True)
    resident = make_resident(cast.desk, consent_by=cast.coach)
    kept = make_registration(evening, name="Nu Bewoner", resident=resident)
    recent = make_registration(stays_a_while, name="Nog Even")
    assert evenings.erase_past_registrations() == 1
    gone.refresh_from_db()
    assert (gone.name, gone.email, gone.contact_key) == ("", "", "")
    assert gone.attended and gone.kind == Registration.Kind.ENTREPRENEUR
    kept.refresh_from_db()
    recent.refresh_from_db()
    assert kept.name == "Nu Bewoner" and recent.name == "Nog Even"
    assert evenings.erase_past_registrations() == 0


def test_a_desk_without_a_rule_keeps_registrations_for_the_default_period(cast):
    evening = make_evening(cast.desk, days_ahead=-10, status=InfoEvening.Status.HELD)
    assert evenings.erased_after(evening) == timezone.localdate(evening.starts_at) + (
        datetime.timedelta(days=evenings.DEFAULT_REGISTRATION_DAYS)
    )


def test_reminders_go_once_to_those_registered_for_tomorrow(cast, run_queued_tasks, on_commit):
    tomorrow = make_evening(cast.desk, days_ahead=1)
    later = make_evening(cast.desk, days_ahead=5)
    reminded = make_registration(tomorrow, email="morgen@x.example")
    make_registration(later, email="later@x.example")
    make_registration(tomorrow, email="weg@x.example", status=Registration.Status.CANCELLED)
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    with on_commit():
        assert send_reminders() == 1
        assert send_reminders() == 0
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["morgen@x.example"]]
    reminded.refresh_from_db()
    assert reminded.reminder_sent_at is not None


def test_the_calendar_file_escapes_and_folds(cast):
    evening = make_evening(cast.desk, description="Regel een\nRegel twee, met komma; " + "x" * 200)
    ics = evening_ics(evening)
    assert "Regel een\\nRegel twee\\, met komma\\;" in ics.replace("\r\n ", "")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")


# --- Found by trying the running app ------------------------------------------------------------
def test_the_same_phone_is_refused_when_the_first_registration_also_gave_an_email(cast):
    evening = make_evening(cast.desk)
    register(evening, "fatima@x.example", phone="06 12345678")
    with pytest.raises(evenings.AlreadyRegistered):
        evenings.register(
            evening=evening,
            fields={"kind": "entrepreneur", "name": "Fatima V", "phone": "0612345678"},
            site=SITE,
        )
    assert evening.registrations.count() == 1


def test_attendance_is_ticked_from_the_evenings_day_not_weeks_ahead(cast):
    ahead = make_evening(cast.desk, days_ahead=7)
    registration = make_registration(ahead)
    with pytest.raises(evenings.EveningError):
        evenings.set_attended(registration=registration, attended=True)
    with pytest.raises(evenings.EveningError):
        evenings.add_walk_in(evening=ahead, fields={"kind": "entrepreneur", "name": "Vroeg"})
    registration.refresh_from_db()
    assert not registration.attended and ahead.registrations.count() == 1
    planned = make_evening(cast.desk, days_ahead=0, status=InfoEvening.Status.PLANNED)
    with pytest.raises(evenings.EveningError):
        evenings.set_attended(registration=make_registration(planned), attended=True)
    today = make_evening(cast.desk, days_ahead=0)
    assert evenings.set_attended(registration=make_registration(today), attended=True).attended


def evening_values(**changes):
    starts = timezone.now() + datetime.timedelta(days=20)
    values = {
        "title": "Starten",
        "audience": "entrepreneurs",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place_name": "Buurthuis",
        "street": "Korreweg 1",
        "postcode": "9714 AA",
        "city": "Groningen",
        "capacity": 20,
        "registration_deadline": starts - datetime.timedelta(days=1),
        "description": "",
    }
    values.update(changes)
    return values


def test_a_deadline_already_past_is_refused(cast):
    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(evenings.EveningError) as refused:
        evenings.save_evening(
            desk=cast.desk, by=cast.coach, values=evening_values(registration_deadline=past)
        )
    assert refused.value.field == "registration_deadline"
    assert not InfoEvening.objects.exists()


def test_a_new_time_or_place_is_mailed_to_everyone_with_a_new_calendar_file(
    cast, run_queued_tasks, on_commit
):
    evening = make_evening(cast.desk, capacity=1)
    register(evening, "a@x.example")
    register(evening, "b@x.example")  # waiting
    values = {name: getattr(evening, name) for name in evenings.EVENING_FIELDS}
    with on_commit():
        evenings.save_evening(
            desk=cast.desk,
            by=cast.coach,
            evening=evening,
            version=evening.version,
            values={**values, "description": "Alleen de tekst"},
        )
    run_queued_tasks()
    assert mail.outbox == []  # a new text alone is no news
    later = evening.starts_at + datetime.timedelta(minutes=30)
    with on_commit():
        evenings.save_evening(
            desk=cast.desk,
            by=cast.coach,
            evening=evening,
            version=evening.version + 1,
            values={**values, "starts_at": later, "ends_at": later + datetime.timedelta(hours=2)},
        )
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example", "b@x.example"]
    registered = next(m for m in mail.outbox if m.to == ["a@x.example"])
    assert "20:00" in registered.body
    assert (
        f"DTSTART:{later.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in (registered.attachments[0][1])
    )


def test_the_cancel_mail_cancels_the_calendar_entry_and_links_to_the_other_evenings(
    cast, run_queued_tasks, on_commit
):
    evening = make_evening(cast.desk)
    register(evening, "a@x.example")
    with on_commit():
        evenings.cancel_evening(evening=evening, by=cast.coach, reason="")
    run_queued_tasks()
    (message,) = mail.outbox
    assert "STATUS:CANCELLED" in message.attachments[0][1]
    assert f"http://testserver/avonden/{cast.desk.slug}/\n" in message.body
    assert f"/avonden/{cast.desk.slug}/{evening.pk}/" not in message.body


def test_mail_subjects_are_not_html_escaped(cast, run_queued_tasks, on_commit):
    evening = make_evening(cast.desk, title="Brood & banket: 't begin")
    with on_commit():
        register(evening, "a@x.example")
    run_queued_tasks()
    assert mail.outbox[0].subject == "Je bent aangemeld: Brood & banket: 't begin"


def test_no_reminder_titled_tomorrow_on_the_evenings_own_day(cast, run_queued_tasks, on_commit):
    """A daily run that comes on the evening's own day (a run was missed) sends nothing rather
    than "tomorrow". The run's moment is fixed: the morning of the evening's day."""
    today = make_evening(cast.desk, days_ahead=0)  # 19:30 today, local time
    morning = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(today.starts_at), datetime.time(9, 0))
    )
    make_registration(today)
    Registration.objects.update(created_at=morning - datetime.timedelta(days=3))
    with on_commit():
        assert send_reminders(now=morning) == 0
        # The day before, the same registration is reminded: the test could fail.
        assert send_reminders(now=morning - datetime.timedelta(days=1)) == 1


def test_mails_are_in_the_language_the_visitor_registered_in(cast, run_queued_tasks, on_commit):
    evening = make_evening(cast.desk)
    with on_commit():
        evenings.register(
            evening=evening,
            fields={"kind": "entrepreneur", "name": "Ann", "email": "ann@x.example"},
            site=SITE,
            language="en",
        )
    run_queued_tasks()
    assert mail.outbox[0].subject.startswith("You are registered:")


def test_an_evening_more_than_two_years_ahead_is_refused(cast):
    """A typo year (9999, or 2062 for 2026) is caught, also when a form does not check it."""
    starts = timezone.now() + datetime.timedelta(days=2 * 366 + 1)
    values = evening_values(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=starts - datetime.timedelta(days=1),
    )
    with pytest.raises(evenings.EveningError) as refused:
        evenings.save_evening(desk=cast.desk, by=cast.coach, values=values)
    assert refused.value.field == "starts_at"
    assert not InfoEvening.objects.exists()
