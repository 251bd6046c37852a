"""The mails about info evenings, sent by the background worker once the registration (or the
cancellation) has committed: a confirmation with the evening as an ``.ics`` file, a place freed
up on the waiting list, a cancelled evening, and a reminder the day before.

Each mail goes to the person who registered, names the evening and carries the link to cancel
(made here, never stored). Nothing about other people is in them.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from intake.evening_links import cancel_token
from intake.models import InfoEvening, Registration

ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    without cutting a character in two."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def evening_ics(evening: InfoEvening, *, site: str = "") -> str:
    """The evening as a calendar file that phones and mail programs add to the agenda."""
    place = f"{evening.place_name}, {evening.street}, {evening.postcode} {evening.city}"
    status = "CANCELLED" if evening.status == InfoEvening.Status.CANCELLED else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ondernemerspunt//Informatieavonden//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:informatieavond-{evening.pk}@{evening.desk.slug}.ondernemerspunt",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(evening.starts_at)}",
        f"DTEND:{_utc(evening.ends_at)}",
        f"SEQUENCE:{evening.version}",
        f"SUMMARY:{_ics_text(evening.title)}",
        f"LOCATION:{_ics_text(place)}",
        f"DESCRIPTION:{_ics_text(evening.description)}",
        f"STATUS:{status}",
    ]
    if site:
        lines.append(f"URL:{site}{public_url(evening)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def public_url(evening: InfoEvening) -> str:
    return reverse("intake:public_evening", kwargs={"slug": evening.desk.slug, "pk": evening.pk})


def _enqueue_after_commit(task_, registration_ids) -> None:
    ids = list(registration_ids)
    transaction.on_commit(lambda: [task_.enqueue(registration_id=pk) for pk in ids])


def notify_registered(registration: Registration) -> None:
    if registration.email:
        _enqueue_after_commit(send_registration_mail, [registration.pk])


def notify_moved_up(registration_ids) -> None:
    _enqueue_after_commit(send_moved_up_mail, registration_ids)


def notify_evening_cancelled(registration_ids) -> None:
    _enqueue_after_commit(send_evening_cancelled_mail, registration_ids)


def notify_evening_changed(registration_ids) -> None:
    _enqueue_after_commit(send_evening_changed_mail, registration_ids)


def _registration(pk: int, *statuses) -> Registration | None:
    return (
        Registration.objects.select_related("evening__desk")
        .filter(pk=pk, erased_at__isnull=True, status__in=statuses)
        .exclude(email="")
        .first()
    )


def _send(template: str, registration: Registration, *, with_ics: bool) -> None:
    """The mail in the language of the page she registered on; the cancel link and the
    evening's calendar file (marked cancelled for a cancelled evening) where it helps."""
    evening = registration.evening
    site = registration.site
    context = {
        "registration": registration,
        "evening": evening,
        "desk": evening.desk,
        "cancel_link": site
        + reverse("intake:registration_cancel", kwargs={"token": cancel_token(registration)}),
        "evening_link": site + public_url(evening),
        "evenings_link": site
        + reverse("intake:public_evenings", kwargs={"slug": evening.desk.slug}),
    }
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=render_to_string(f"intake/email/{template}_subject.txt", context).strip(),
            body=render_to_string(f"intake/email/{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
        if with_ics:
            message.attach("informatieavond.ics", evening_ics(evening, site=site), ICS_TYPE)
        message.send()


@task()
def send_registration_mail(*, registration_id: int) -> None:
    """Registered (with the .ics) or on the waiting list (without: no place yet)."""
    registration = _registration(registration_id, *Registration.Status.values)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return  # erased, cancelled or no address by the time the worker got here
    if registration.status == Registration.Status.WAITING:
        _send("evening_waiting", registration, with_ics=False)
    else:
        _send("evening_registered", registration, with_ics=True)


@task()
def send_moved_up_mail(*, registration_id: int) -> None:
    registration = _registration(registration_id, Registration.Status.REGISTERED)
    if registration is not None:
        _send("evening_moved_up", registration, with_ics=True)


@task()
def send_evening_cancelled_mail(*, registration_id: int) -> None:
    registration = _registration(
        registration_id, Registration.Status.REGISTERED, Registration.Status.WAITING
    )
    if registration is not None:
        _send("evening_cancelled", registration, with_ics=True)


@task()
def send_evening_changed_mail(*, registration_id: int) -> None:
    """A new time or place: with the calendar file again (its SEQUENCE went up, so calendars
    replace the entry)."""
    registration = _registration(
        registration_id, Registration.Status.REGISTERED, Registration.Status.WAITING
    )
    if registration is not None and registration.evening.status == InfoEvening.Status.PUBLISHED:
        _send(
            "evening_changed",
            registration,
            with_ics=registration.status == Registration.Status.REGISTERED,
        )


def reminders_due(now=None):
    """Registrations for tomorrow's evenings that were not reminded yet, made before today
    (who registers today has just had the confirmation). Only tomorrow's: a run that comes
    on the evening's own day sends nothing rather than "tomorrow"."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        walk_in=False,
        reminder_sent_at__isnull=True,
        erased_at__isnull=True,
        evening__status=InfoEvening.Status.PUBLISHED,
        evening__starts_at__date=tomorrow,
        created_at__date__lt=tomorrow - datetime.timedelta(days=1),
    ).exclude(email="")


def send_reminders(now=None) -> int:
    """The worker's daily job: queue tomorrow's reminders. Each row is marked before its mail
    is queued, in one transaction, so that a second run sends none twice."""
    with transaction.atomic():
        due = reminders_due(now).select_for_update(skip_locked=True)
        due = list(due.values_list("pk", flat=True))
        Registration.objects.filter(pk__in=due).update(reminder_sent_at=timezone.now())
        _enqueue_after_commit(send_reminder_mail, due)
    return len(due)


@task()
def send_reminder_mail(*, registration_id: int) -> None:
    registration = _registration(registration_id, Registration.Status.REGISTERED)
    if registration is not None and registration.evening.starts_at > timezone.now():
        _send("evening_reminder", registration, with_ics=True)
