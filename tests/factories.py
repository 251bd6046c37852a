"""Objects built in code for tests: small makers with sensible defaults."""

import datetime
import itertools

from django.utils import timezone

from intake.models import Audience, Consent, InfoEvening, Registration, Resident, Stage
from ondernemerspunt.models import Desk, Membership, Neighbourhood, Partner, User, YearTarget

PASSWORD = "correct-horse-battery-staple"
_sequence = itertools.count(1)


def make_desk(slug=None, **fields) -> Desk:
    n = next(_sequence)
    slug = slug or f"desk-{n}"
    desk = Desk.objects.create(
        slug=slug,
        name=fields.pop("name", f"Ondernemerspunt {slug}"),
        city=fields.pop("city", "Groningen"),
        **fields,
    )
    Neighbourhood.objects.create(
        desk=desk, name=f"Wijk {slug}", postcode_from="9713AA", postcode_to="9713ZZ"
    )
    YearTarget.objects.create(desk=desk, year=2009, participants=50)
    return desk


def make_user(full_name="Test Gebruiker", email=None, **fields) -> User:
    email = email or f"user{next(_sequence)}@example.test"
    return User.objects.create_user(email, PASSWORD, full_name=full_name, **fields)


def make_member(desk, role, *, partner=None, full_name=None, email=None) -> User:
    user = make_user(full_name or f"{role} {desk.slug}", email=email)
    if role == "partner" and partner is None:
        partner = make_partner(desk)
    Membership.objects.create(user=user, desk=desk, role=role, partner=partner)
    return user


def make_partner(desk, name=None, kind=Partner.Kind.KVK, email=None) -> Partner:
    """A partner with an e-mail address of its own (a referral without a contact person goes
    there); ``email=""`` for one without."""
    n = next(_sequence)
    return Partner.objects.create(
        desk=desk,
        name=name or f"Partner {n}",
        kind=kind,
        email=f"partner{n}@example.test" if email is None else email,
    )


def make_resident(desk, *, user=None, coach=None, consent_by=None, **fields) -> Resident:
    n = next(_sequence)
    defaults = {
        "first_name": "Bewoner",
        "last_name": f"Nummer {n}",
        "email": f"bewoner{n}@example.test",
        # Always ten digits: past the thousandth maker call the number used to be cut to nine,
        # which the edit form then refused (the whole suite makes that many).
        "phone": f"061{n % 10**7:07d}",
        "postcode": "9713 AB",
        "date_of_birth": datetime.date(1980, 1, 1),
        "stage": Stage.REGISTERED,
        "registered_on": datetime.date(2009, 1, 15),
    }
    defaults.update(fields)
    resident = Resident(desk=desk, user=user, coach=coach, **defaults)
    resident.search_text = resident.build_search_text()
    resident.sort_name = resident.build_sort_name()
    resident.save()
    if consent_by is not None:
        Consent.objects.create(
            resident=resident, recorded_by=consent_by, given_on=resident.registered_on
        )
    return resident


def make_conversation(resident, *, coach, next_steps=(), **fields):
    """A conversation with a resident; ``next_steps`` as (description, due_on) pairs."""
    from intake.models import Conversation, NextStep

    defaults = {"held_on": datetime.date(2009, 2, 2), "kind": Conversation.Kind.FOLLOW_UP}
    defaults.update(fields)
    conversation = Conversation.objects.create(
        resident=resident, desk=resident.desk, coach=coach, **defaults
    )
    for description, due_on in next_steps:
        NextStep.objects.create(
            conversation=conversation, resident=resident, description=description, due_on=due_on
        )
    return conversation


def make_plan(resident, sections=None, *, version=1):
    """A resident's business plan with these parts saved (``{"investment": {...}, ...}``)."""
    from coaching.models import PlanSection
    from coaching.services import start_plan

    plan = start_plan(resident=resident)
    for key, data in (sections or {}).items():
        PlanSection.objects.filter(plan=plan, key=key).update(data=data, version=version)
    return plan


def make_revision(plan, *, number=None, sections=None, by=None, **fields):
    """A handed-in version of ``plan`` (the next number unless given), frozen from ``sections``
    (default: what the plan holds now)."""
    from coaching.models import PlanRevision

    if number is None:
        number = (
            plan.revisions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    if sections is None:
        sections = plan.section_data()
    return PlanRevision.objects.create(
        plan=plan,
        number=number,
        snapshot={
            "sections": sections,
            "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000.00"},
        },
        submitted_by=by or plan.resident.user or plan.resident.coach,
        **fields,
    )


def make_review(revision, *, coach, **fields):
    """A review of ``revision`` started by ``coach`` (through the rules: the desk's checklist,
    items the checks decide filled in); ``fields`` are then set on it directly."""
    from coaching.models import Review
    from coaching.reviews import start_review

    review = start_review(revision=revision, by=coach)
    if fields:
        Review.objects.filter(pk=review.pk).update(**fields)
        review.refresh_from_db()
    return review


# RFC 6238's test secret ("12345678901234567890"): the authenticator app of the people tests make.
TEST_SECOND_FACTOR_KEY = "3132333435363738393031323334353637383930"


def second_factor_for(user, key=TEST_SECOND_FACTOR_KEY):
    """The user's confirmed authenticator app (TOTP device), made on first use."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True)


def current_code(device) -> str:
    """The code the person's app shows now (as a phone would compute it)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def make_evening(desk, *, days_ahead=14, status=InfoEvening.Status.PUBLISHED, **fields):
    """An info evening ``days_ahead`` days from now at 19:30–21:30, registration open until the
    day before."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30)))
    values = {
        "title": "Zelf een bedrijf beginnen",
        "audience": Audience.ENTREPRENEURS,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place_name": "Buurthuis De Dissel",
        "street": "Korreweg 1",
        "postcode": "9714 AA",
        "city": "Groningen",
        "capacity": 30,
        "registration_deadline": starts - datetime.timedelta(days=1),
        "description": "Wat komt er kijken bij een eigen bedrijf?",
        "status": status,
        **fields,
    }
    return InfoEvening.objects.create(desk=desk, **values)


def make_registration(evening, *, name="Fatima Yilmaz", email=None, **fields) -> Registration:
    registration = Registration(
        evening=evening,
        kind=fields.pop("kind", Registration.Kind.ENTREPRENEUR),
        name=name,
        email=email if email is not None else f"{next(_sequence)}@bezoeker.example",
        site="http://testserver",
        **fields,
    )
    registration.fill_keys()
    registration.save()
    return registration
