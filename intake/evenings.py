"""Info evenings: planning, publishing and cancelling them; registering, the waiting list and
cancelling a registration; attendance at the door; and forgetting those who did not come back.

The rules live here so that the public form, the coach's door list and the worker share them:

- one live registration per person per evening (the database refuses a second one too);
- an evening takes registrations while it is published and its deadline has not passed; a
  full evening puts newcomers on a waiting list, and a place that comes free goes to the first
  on it, who is told by mail;
- walk-ins do not take a place on the list (they are already in the room);
- the details of those who did not become a resident are erased a set time after the evening
  (the desk's retention rule, else ``DEFAULT_REGISTRATION_DAYS``); the row stays for the
  figures.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.evening_mail import (
    notify_evening_cancelled,
    notify_evening_changed,
    notify_moved_up,
    notify_registered,
)
from intake.models import InfoEvening, Registration, SignUpAttempt
from intake.models.evenings import DEFAULT_REGISTRATION_DAYS
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_desk_audit

# The public form's rate limit per client address: at most this many tries in these windows.
ATTEMPTS_PER_MINUTE = 5
ATTEMPTS_PER_DAY = 30
# A form sent back sooner than this after it was shown was not filled in by a person.
MIN_SECONDS_TO_FILL = 3
# ... and one older than this was left open too long (the evening may have changed).
MAX_SECONDS_TO_FILL = 24 * 3600

LIVE = (Registration.Status.REGISTERED, Registration.Status.WAITING)


class EveningError(Exception):
    """A rule said no; ``message`` says why in words for the user, ``field`` where."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyRegistered(EveningError):
    pass


class RegistrationClosed(EveningError):
    pass


class StaleEvening(EveningError):
    pass


# --- The evening ------------------------------------------------------------------------------
def registration_days(desk) -> int:
    """How many days after an evening the details of those who did not become a resident are
    kept: the desk's retention rule, or the default."""
    return desk.retention_days or DEFAULT_REGISTRATION_DAYS


def erased_after(evening: InfoEvening) -> datetime.date:
    """The day from which this evening's registrations (not residents) are erased."""
    day = timezone.localdate(evening.starts_at)
    try:
        return day + datetime.timedelta(days=registration_days(evening.desk))
    except OverflowError:  # an evening in the calendar's last months (a typo year)
        return datetime.date.max


def is_open(evening: InfoEvening, now=None) -> bool:
    now = now or timezone.now()
    return evening.status == InfoEvening.Status.PUBLISHED and now < evening.registration_deadline


def with_counts(evenings):
    """Annotate ``taken`` (places taken by registrations, walk-ins excluded), ``waiting``,
    ``came`` and ``registrations_total`` in the same query."""
    live = Q(registrations__walk_in=False)
    return evenings.annotate(
        taken=Count(
            "registrations",
            filter=live & Q(registrations__status=Registration.Status.REGISTERED),
        ),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
        came=Count("registrations", filter=Q(registrations__attended=True)),
    )


def places_taken(evening: InfoEvening) -> int:
    return evening.registrations.filter(
        status=Registration.Status.REGISTERED, walk_in=False
    ).count()


def places_left(evening: InfoEvening) -> int:
    return max(evening.capacity - places_taken(evening), 0)


# An evening is planned at most this far ahead: further is a typo in the year.
MAX_DAYS_AHEAD = 2 * 365


def check_times(*, starts_at, ends_at, registration_deadline) -> None:
    if starts_at > timezone.now() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise EveningError(
            _("An evening can be planned at most two years ahead. Check the year."), "starts_at"
        )
    if ends_at <= starts_at:
        raise EveningError(_("The evening must end after it starts."), "ends_at")
    if registration_deadline > starts_at:
        raise EveningError(
            _("Registration must close before the evening starts."), "registration_deadline"
        )


EVENING_FIELDS = (
    "title",
    "audience",
    "starts_at",
    "ends_at",
    "place_name",
    "street",
    "postcode",
    "city",
    "capacity",
    "registration_deadline",
    "description",
)


# What those who registered are told about when it changes: when and where.
NEWS_FIELDS = ("starts_at", "ends_at", "place_name", "street", "postcode", "city")


def _check_deadline(deadline, *, before=None) -> None:
    """A deadline that has passed closes registration before it opened: refused when it is
    set (a new evening, or a changed deadline)."""
    if deadline != before and deadline <= timezone.now():
        raise EveningError(
            _("This moment has passed: registration would be closed at once."),
            "registration_deadline",
        )


@transaction.atomic
def save_evening(*, desk, by, values: dict, evening: InfoEvening | None = None, version=None):
    """Plan a new evening, or change one that is not cancelled or held. A change based on an
    older version than the one saved is refused (two coaches editing at once). Those who
    registered are mailed a new time or place, with a new calendar file."""
    check_times(
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        registration_deadline=values["registration_deadline"],
    )
    if evening is None:
        _check_deadline(values["registration_deadline"])
        evening = InfoEvening(desk=desk, created_by=by)
        for name in EVENING_FIELDS:
            setattr(evening, name, values[name])
        evening.save()
        record_desk_audit(
            by=by,
            desk_id=desk.pk,
            action=AuditEntry.Action.CREATED,
            what=gettext_lazy("Info evening planned: %(title)s"),
            params={"title": evening.title},
        )
        return evening
    locked = InfoEvening.objects.select_for_update().get(pk=evening.pk)
    if version is not None and locked.version != version:
        raise StaleEvening(
            _("Someone else changed this evening meanwhile. Check the new details and save again.")
        )
    if locked.status in (InfoEvening.Status.CANCELLED, InfoEvening.Status.HELD):
        raise EveningError(_("A cancelled or held evening can no longer be changed."))
    if values["capacity"] < places_taken(locked):
        raise EveningError(
            _("More people have registered than that: at least %(n)s places are needed.")
            % {"n": places_taken(locked)},
            "capacity",
        )
    _check_deadline(values["registration_deadline"], before=locked.registration_deadline)
    news = any(values[name] != getattr(locked, name) for name in NEWS_FIELDS)
    for name in EVENING_FIELDS:
        setattr(locked, name, values[name])
    locked.version += 1
    locked.save()
    _move_up(locked)  # more places: the waiting list moves up
    if news and locked.status == InfoEvening.Status.PUBLISHED:
        notify_evening_changed(_to_tell(locked))
    return locked


def _to_tell(evening: InfoEvening) -> list[int]:
    """Those registered or waiting whom a mail reaches."""
    live = evening.registrations.filter(status__in=LIVE, erased_at__isnull=True)
    return list(live.exclude(email="").values_list("pk", flat=True))


def _locked(evening: InfoEvening) -> InfoEvening:
    return InfoEvening.objects.select_for_update().get(pk=evening.pk)


@transaction.atomic
def publish(*, evening: InfoEvening, by) -> InfoEvening:
    locked = _locked(evening)
    if locked.status != InfoEvening.Status.PLANNED:
        raise EveningError(_("Only a planned evening can be published."))
    if locked.starts_at <= timezone.now():
        raise EveningError(_("This evening is in the past: it can no longer be published."))
    locked.status = InfoEvening.Status.PUBLISHED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    record_desk_audit(
        by=by,
        desk_id=locked.desk_id,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Info evening published: %(title)s"),
        params={"title": locked.title},
    )
    return locked


@transaction.atomic
def cancel_evening(*, evening: InfoEvening, by, reason: str) -> int:
    """Cancel the evening and mail everyone registered or waiting. How many are told."""
    locked = _locked(evening)
    if locked.status in (InfoEvening.Status.CANCELLED, InfoEvening.Status.HELD):
        raise EveningError(_("This evening was already cancelled or held."))
    locked.status = InfoEvening.Status.CANCELLED
    locked.cancel_reason = reason.strip()
    locked.cancelled_at = timezone.now()
    locked.version += 1
    locked.save()
    told = _to_tell(locked)
    record_desk_audit(
        by=by,
        desk_id=locked.desk_id,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Info evening cancelled: %(title)s"),
        params={"title": locked.title},
    )
    notify_evening_cancelled(told)
    return len(told)


@transaction.atomic
def mark_held(*, evening: InfoEvening, by) -> InfoEvening:
    locked = _locked(evening)
    if locked.status != InfoEvening.Status.PUBLISHED:
        raise EveningError(_("Only a published evening can be marked as held."))
    if locked.starts_at > timezone.now():
        raise EveningError(_("This evening has not started yet."))
    locked.status = InfoEvening.Status.HELD
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    return locked


# --- Registering --------------------------------------------------------------------------------
def _address_hash(address: str | None) -> str:
    # Keyed, so that the table cannot be turned back into addresses by trying them all.
    return hmac.new(
        settings.SECRET_KEY.encode(), (address or "unknown").encode(), hashlib.sha256
    ).hexdigest()


def sign_up_allowed(address: str | None, now=None) -> bool:
    """Count this try of the public form against ``address``; whether it may go ahead."""
    now = now or timezone.now()
    key = _address_hash(address)
    SignUpAttempt.objects.create(address_hash=key)
    recent = SignUpAttempt.objects.filter(address_hash=key)
    last_minute = recent.filter(at__gte=now - datetime.timedelta(minutes=1)).count()
    last_day = recent.filter(at__gte=now - datetime.timedelta(days=1)).count()
    return last_minute <= ATTEMPTS_PER_MINUTE and last_day <= ATTEMPTS_PER_DAY


_FORM_SIGNER = signing.Signer(salt="intake.evenings.form")


def form_stamp(now=None) -> str:
    """The signed moment the form was shown, sent back in a hidden field (the time check)."""
    return _FORM_SIGNER.sign(str(int((now or timezone.now()).timestamp())))


def filled_in_by_a_person(stamp: str, now=None) -> bool:
    """Whether the form came back between ``MIN_SECONDS_TO_FILL`` seconds and a day after it
    was shown, with a stamp we made. A script that posts at once, or invents the field, fails."""
    try:
        shown = int(_FORM_SIGNER.unsign(stamp))
    except (signing.BadSignature, ValueError):
        return False
    age = (now or timezone.now()).timestamp() - shown
    return MIN_SECONDS_TO_FILL <= age <= MAX_SECONDS_TO_FILL


REGISTRATION_FIELDS = (
    "kind",
    "name",
    "email",
    "phone",
    "organisation",
    "organisation_kind",
    "role",
    "heard_from",
    "may_contact",
)


def _new_registration(evening, fields: dict, **extra) -> Registration:
    registration = Registration(evening=evening, **extra)
    for name in REGISTRATION_FIELDS:
        if name in fields:
            setattr(registration, name, fields[name])
    if registration.kind != Registration.Kind.INTERMEDIARY:
        registration.organisation = registration.organisation_kind = registration.role = ""
    registration.fill_keys()
    return registration


def _already_there(evening, registration) -> Registration | None:
    """The live registration of the same person: the same e-mail, or the same phone."""
    same = Q(contact_key=registration.contact_key)
    if registration.phone_key:
        same |= Q(phone_key=registration.phone_key)
    return evening.registrations.filter(same, status__in=LIVE).first()


def _save_once(registration, refusal) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the same person, in two tabs at once
        raise refusal from None


@transaction.atomic
def register(
    *, evening: InfoEvening, fields: dict, site: str, language: str = "nl", now=None
) -> Registration:
    """Register someone from the public form: a place if there is one, else the waiting list.
    Refused when the evening is not open or the person is already on it (by e-mail or phone).
    ``language`` is the page's: the mails she gets are in it."""
    now = now or timezone.now()
    locked = _locked(evening)  # places are counted and taken one registration at a time
    if not is_open(locked, now):
        raise RegistrationClosed(_closed_message(locked, now))
    registration = _new_registration(locked, fields, site=site, language=language)
    if not registration.contact_key:
        raise EveningError(
            _("Fill in your e-mail address or phone number, so that we can reach you."), "email"
        )
    earlier = _already_there(locked, registration)
    if earlier is not None:
        raise AlreadyRegistered(_already_message(earlier))
    if places_taken(locked) >= locked.capacity:
        registration.status = Registration.Status.WAITING
    _save_once(registration, AlreadyRegistered(_already_message(registration)))
    notify_registered(registration)
    return registration


def _already_message(earlier: Registration) -> str:
    if earlier.status == Registration.Status.WAITING:
        return _("You are already on the waiting list for this evening.")
    return _("You are already registered for this evening. We look forward to seeing you.")


def _closed_message(evening, now) -> str:
    if evening.status == InfoEvening.Status.CANCELLED:
        return _("This evening has been cancelled. You can no longer register.")
    if evening.status == InfoEvening.Status.HELD or evening.starts_at <= now:
        return _("This evening has already taken place.")
    if evening.status != InfoEvening.Status.PUBLISHED:
        return _("You cannot register for this evening yet.")
    return _("Registration for this evening has closed.")


# --- Cancelling a registration ------------------------------------------------------------------
@transaction.atomic
def cancel_registration(*, registration: Registration) -> bool:
    """Cancel through the mail's link. False when it was cancelled already (a link used twice);
    a place that comes free goes to the first on the waiting list."""
    evening = _locked(registration.evening)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return False
    if evening.starts_at <= timezone.now():
        raise RegistrationClosed(_("This evening has already taken place."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _move_up(evening)
    return True


def _move_up(evening: InfoEvening) -> list[Registration]:
    """Give the free places to the first on the waiting list (the evening row is locked)."""
    if evening.status != InfoEvening.Status.PUBLISHED or evening.starts_at <= timezone.now():
        return []
    free = evening.capacity - places_taken(evening)
    if free <= 0:
        return []
    moved = list(
        evening.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for registration in moved:
        registration.status = Registration.Status.REGISTERED
        registration.moved_up_at = now
        registration.save(update_fields=["status", "moved_up_at"])
    if moved:
        notify_moved_up([r.pk for r in moved])
    return moved


# --- At the door --------------------------------------------------------------------------------
def door_is_open(evening: InfoEvening, now=None) -> bool:
    """Whether attendance can be ticked: a published or held evening, from its own day on (the
    door list is opened before the start, while people come in)."""
    today = timezone.localdate(now or timezone.now())
    return (
        evening.status in (InfoEvening.Status.PUBLISHED, InfoEvening.Status.HELD)
        and timezone.localdate(evening.starts_at) <= today
    )


def _check_door(evening: InfoEvening) -> None:
    if evening.status == InfoEvening.Status.CANCELLED:
        raise EveningError(_("This evening was cancelled."))
    if not door_is_open(evening):
        raise EveningError(_("Attendance can be ticked from the day of the evening."))


@transaction.atomic
def set_attended(*, registration: Registration, attended: bool) -> Registration:
    _check_door(_locked(registration.evening))
    if registration.status == Registration.Status.CANCELLED:
        raise EveningError(_("%(name)s cancelled.") % {"name": registration.name})
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


@transaction.atomic
def add_walk_in(*, evening: InfoEvening, fields: dict) -> Registration:
    """Someone who came without registering: in the room, so present, and taking no place."""
    locked = _locked(evening)
    _check_door(locked)
    registration = _new_registration(locked, fields, walk_in=True, attended=True)
    refusal = AlreadyRegistered(
        _("Someone with this e-mail address or phone number is already on the list."),
        "email" if registration.email else "phone",
    )
    if registration.contact_key and _already_there(locked, registration) is not None:
        raise refusal
    _save_once(registration, refusal)
    return registration


# --- Forgetting --------------------------------------------------------------------------------
PERSONAL_FIELDS = (
    "name",
    "email",
    "phone",
    "contact_key",
    "phone_key",
    "organisation",
    "role",
)


def erase_registration(registration: Registration) -> None:
    """Blank the person; keep what the figures count (kind, kind of organisation, attendance,
    how they heard of it)."""
    for name in PERSONAL_FIELDS:
        setattr(registration, name, "")
    registration.may_contact = False
    registration.erased_at = timezone.now()
    registration.save(update_fields=[*PERSONAL_FIELDS, "may_contact", "erased_at"])


def registrations_past_keeping(today: datetime.date):
    """Registrations that did not become a resident, whose evening lies further back than
    its desk's keeping period (cancelled evenings too)."""
    due = []
    evenings = InfoEvening.objects.select_related("desk").filter(
        starts_at__date__lt=today, registrations__erased_at__isnull=True
    )
    for evening in evenings.distinct():
        if erased_after(evening) <= today:
            due.append(evening.pk)
    return Registration.objects.filter(
        evening_id__in=due, erased_at__isnull=True, resident__isnull=True
    )


def erase_past_registrations(today: datetime.date | None = None) -> int:
    """The worker's daily job: erase what is past keeping. Safe to run twice."""
    today = today or timezone.localdate()
    erased = 0
    for registration in registrations_past_keeping(today).iterator():
        erase_registration(registration)
        erased += 1
    SignUpAttempt.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    return erased
