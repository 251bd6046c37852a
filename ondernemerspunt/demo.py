"""The demo desk: the Korrewegwijk in Groningen as it stood on 31 March 2009.

Each app seeds its own part (``<app>/demo.py``); ``manage.py seed_demo`` runs them in order.
Everything is keyed on stable names, so running it again changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from ondernemerspunt.models import Desk, Membership, Neighbourhood, Partner, Role, User, YearTarget
from ondernemerspunt.second_factor import SECOND_FACTOR_ROLES

DEMO_SLUG = "korrewegwijk"
DEMO_DATE = datetime.date(2009, 3, 31)
DEMO_DOMAIN = "korrewegwijk.example"

PARTNERS = [
    ("KvK Noord-Nederland", Partner.Kind.KVK),
    ("UWV WERKbedrijf Groningen", Partner.Kind.UWV),
    ("Gemeente Groningen, afdeling Zelfstandigen", Partner.Kind.MUNICIPALITY),
    ("Qredits", Partner.Kind.QREDITS),
    ("Rabobank Groningen", Partner.Kind.BANK),
    ("Administratiekantoor Noord", Partner.Kind.ACCOUNTANT),
    ("Lefier", Partner.Kind.HOUSING),
]

NEIGHBOURHOODS = [
    ("Korrewegwijk", "9713AA", "9713ZZ"),
    ("De Hoogte", "9714AA", "9714ZZ"),
    ("Indische Buurt", "9715AA", "9715ZZ"),
]


@dataclass
class DemoDesk:
    """What the apps' seed steps share: the desk and its people, by role."""

    desk: Desk
    users: dict[str, User] = field(default_factory=dict)
    partners: dict[str, Partner] = field(default_factory=dict)


def demo_user(email_local: str, full_name: str, phone: str = "") -> User:
    email = f"{email_local}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, settings.DEMO_PASSWORD, full_name=full_name, phone=phone
        )
    return user


def seed(demo: DemoDesk | None = None) -> DemoDesk:
    desk, _created = Desk.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Ondernemerspunt Korrewegwijk",
            "city": "Groningen",
            "max_loan_amount": 35000,
            # What the public pages of the info evenings show (example.test numbers and
            # addresses only).
            "phone": "050 123 4567",
            "email": "info@korrewegwijk.example",
        },
    )
    for name, first, last in NEIGHBOURHOODS:
        Neighbourhood.objects.get_or_create(
            desk=desk, name=name, defaults={"postcode_from": first, "postcode_to": last}
        )
    YearTarget.objects.get_or_create(desk=desk, year=2009, defaults={"participants": 50})

    demo = DemoDesk(desk=desk)
    for name, kind in PARTNERS:
        demo.partners[kind], _created = Partner.objects.get_or_create(
            desk=desk, name=name, defaults={"kind": kind}
        )

    staff = [
        ("coordinator", "Marieke de Vries", Role.COORDINATOR, None, ""),
        ("coach", "Ahmed El Amrani", Role.COACH, None, ""),
        ("coach2", "Jolanda Bakker", Role.COACH, None, ""),
        ("projectgroep", "Henk Mulder", Role.PROJECT_GROUP, None, "Gemeente Groningen"),
        ("projectgroep-kvk", "Anja Kramer", Role.PROJECT_GROUP, None, "KvK Noord-Nederland"),
        ("projectgroep-lefier", "Peter Smit", Role.PROJECT_GROUP, None, "Lefier"),
        ("kvk", "Sandra Veenstra", Role.PARTNER, demo.partners[Partner.Kind.KVK], ""),
    ]
    # The coaches' numbers: a resident sees her coach's on her home page.
    phones = {"coach": "050 123 45 67", "coach2": "050 123 45 68"}
    for local, full_name, role, partner, organisation in staff:
        user = demo_user(local, full_name, phones.get(local, ""))
        Membership.objects.get_or_create(
            user=user,
            desk=desk,
            role=role,
            defaults={"partner": partner, "organisation": organisation},
        )
        demo.users[local] = user
        if role in SECOND_FACTOR_ROLES:
            demo_second_factor(user)
    return demo


def demo_second_factor(user: User) -> None:
    """The demo staff's authenticator app: one published secret, like the password (README).

    Demo only: ``seed_demo`` refuses to run with DEBUG off. The browser tests compute the
    current code from it to log in as these people.
    """
    TOTPDevice.objects.get_or_create(
        user=user,
        confirmed=True,
        defaults={"name": "demo", "key": settings.DEMO_SECOND_FACTOR_KEY},
    )


DEMO_LOGINS = [
    f"{local}@{DEMO_DOMAIN}" for local in ("coordinator", "coach", "projectgroep", "kvk", "bewoner")
]
