"""Registering someone who looks already known warns and offers the existing file."""

import datetime

import pytest

from intake.models import Resident
from tests.factories import make_resident
from tests.intake.form_data import new_url, registration_data


@pytest.fixture
def known(cast):
    return make_resident(
        cast.desk,
        first_name="Ayse",
        last_name="Ozturk",
        email="bekend@example.test",
        phone="06 87654321",
        date_of_birth=datetime.date(1985, 6, 14),
    )


def post(client_for, cast, **overrides):
    return client_for("coach").post(new_url(), registration_data(cast, **overrides))


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"email": "BEKEND@example.test", "date_of_birth": "01-01-1970"}, "zelfde e-mailadres"),
        ({"phone": "+31 6 8765 4321", "date_of_birth": "01-01-1970"}, "zelfde telefoonnummer"),
        ({}, "zelfde geboortedatum en een vergelijkbare naam"),
        ({"first_name": "Aysel", "last_name": "Öztürk"}, "vergelijkbare naam"),
    ],
)
def test_a_look_alike_is_warned_with_a_link_to_the_existing_file(
    client_for, cast, known, overrides, reason
):
    response = post(client_for, cast, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze bewoner is misschien al bekend" in page
    assert known.get_absolute_url() in page
    assert reason in page
    assert Resident.objects.filter(desk=cast.desk).count() == 2  # cast.resident and known


def test_the_same_birthday_with_another_name_is_no_duplicate(client_for, cast, known):
    response = post(client_for, cast, first_name="Pieter", last_name="Jansen")
    assert response.status_code == 302
    jansen = Resident.objects.get(desk=cast.desk, last_name="Jansen")
    assert response.url == jansen.get_absolute_url()
    assert jansen.date_of_birth == known.date_of_birth


def test_registering_anyway_is_a_deliberate_choice(client_for, cast, known):
    response = post(client_for, cast, register_anyway="on")
    assert response.status_code == 302
    registered = Resident.objects.get(desk=cast.desk, last_name="Öztürk")
    assert response.url == registered.get_absolute_url()


def test_a_look_alike_at_another_desk_is_not_shown(client_for, cast):
    make_resident(
        cast.other_desk,
        first_name="Ayşe",
        last_name="Öztürk",
        email="ayse@example.test",
        date_of_birth=datetime.date(1985, 6, 14),
    )
    response = post(client_for, cast)
    assert response.status_code == 302
    registered = Resident.objects.get(desk=cast.desk, last_name="Öztürk")
    assert response.url == registered.get_absolute_url()
