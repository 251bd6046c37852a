"""The coach's lists: residents of my desk and my residents, with search, filters, sorting and
pagination, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Resident
from tests.factories import make_conversation, make_resident

LIST = reverse("intake:resident_list")


def names(response):
    return [r.last_name for r in response.context["page"].object_list]


@pytest.fixture
def ozturk(cast):
    return make_resident(
        cast.desk,
        coach=cast.coordinator,
        first_name="Mehmet",
        last_name="Öztürk",
        email="m.ozturk@example.test",
        phone="06 28765432",
        postcode="9713 HV",
        stage="intake",
        situation="benefits_ww",
    )


@pytest.mark.parametrize(
    "query",
    [
        "ozturk",
        "ÖZTÜRK",
        "Öztü",
        "mehmet oz",
        "9713hv",
        "9713 HV",
        "06-28765432",
        "+31 6 28765432",
        "m.ozturk@example",
    ],
)
def test_search_finds_by_name_postcode_phone_and_email_ignoring_case_and_accents(
    client_for, cast, ozturk, query
):
    response = client_for("coach").get(LIST, {"q": query})
    assert names(response) == ["Öztürk"]


def test_the_list_shows_only_the_own_desk(client_for, cast, ozturk):
    response = client_for("coach").get(LIST)
    assert sorted(names(response)) == ["Bewoner", "Öztürk"]
    assert "Elders" not in response.content.decode()


def test_my_residents_are_those_i_coach(client_for, cast, ozturk):
    response = client_for("coach").get(reverse("intake:my_residents"))
    assert names(response) == ["Bewoner"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "intake"}, ["Öztürk"]),
        ({"situation": "benefits_ww"}, ["Öztürk"]),
        ({"coach": "none"}, []),
        ({"support_need": "financing"}, ["Bewoner"]),
        ({"sort": "-registered"}, ["Öztürk", "Bewoner"]),
        ({"sort": "name"}, ["Bewoner", "Öztürk"]),
    ],
)
def test_filters_and_sorting(client_for, cast, ozturk, params, expected):
    ozturk.registered_on = datetime.date(2009, 3, 1)
    ozturk.save()
    make_conversation(cast.resident, coach=cast.coach, support_needs=["financing"])
    response = client_for("coach").get(LIST, params)
    assert names(response) == expected


def test_the_coach_filter_offers_the_desks_staff_only(client_for, cast):
    response = client_for("coach").get(LIST, {"coach": str(cast.coach.pk)})
    choices = dict(response.context["form"].fields["coach"].choices)
    assert str(cast.coordinator.pk) in choices
    assert str(cast.other_coach.pk) not in choices
    assert names(response) == ["Bewoner"]


def test_a_filter_that_makes_no_sense_is_ignored_with_a_message(client_for, cast):
    response = client_for("coach").get(LIST, {"stage": "nonsense"})
    assert response.status_code == 200
    assert "stage" in response.context["form"].errors
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page  # beside the field
    assert names(response) == ["Bewoner"]  # and the list is shown unfiltered


def test_pages_of_25_keep_the_filters(client_for, cast):
    for n in range(30):
        make_resident(cast.desk, last_name=f"Zoek {n:02d}")
    response = client_for("coach").get(LIST, {"q": "zoek", "pagina": "2"})
    assert len(names(response)) == 5
    assert "q=zoek&amp;pagina=1" in response.content.decode()


def count_queries(client, n, cast):
    for index in range(n):
        resident = make_resident(cast.desk, coach=cast.coach, last_name=f"Telling {index}")
        make_conversation(
            resident, coach=cast.coach, next_steps=[("Bellen", datetime.date(2009, 4, 1))]
        )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST, {"sort": "next_step"}).content.decode()
    # The rows are on the page with their first next step: nothing was left out to save queries.
    total = Resident.objects.filter(desk=cast.desk).count()
    assert f"{total} bewoners" in page
    assert page.count("<td>01-04-2009</td>") == min(total - 1, 25)
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_1_and_200_residents(
    client_for, cast, django_assert_max_num_queries
):
    client = client_for("coach")
    one = count_queries(client, 1, cast)
    many = count_queries(client, 199, cast)
    assert one == many
    with django_assert_max_num_queries(10):
        client.get(LIST)


def test_names_sort_the_dutch_way(client_for, cast):
    for last_name in ("de Boer", "van der Veen", "Öztürk", "Bakker", "Zijlstra"):
        make_resident(cast.desk, first_name="Test", last_name=last_name)
    response = client_for("coach").get(LIST, {"sort": "name"})
    assert names(response) == ["Bakker", "Bewoner", "de Boer", "Öztürk", "van der Veen", "Zijlstra"]


@pytest.mark.parametrize(
    ("first_name", "last_name", "query"),
    [
        ("Fatma", "Yıldız", "yildiz"),
        ("Łukasz", "Kowalski", "lukasz"),
        ("Søren", "Ødegaard", "odegaard"),
    ],
)
def test_letters_without_an_accent_mark_are_found_by_their_plain_letter(
    client_for, cast, first_name, last_name, query
):
    make_resident(cast.desk, first_name=first_name, last_name=last_name, email="")
    response = client_for("coach").get(LIST, {"q": query})
    assert names(response) == [last_name]


def test_a_filter_value_not_on_offer_leaves_the_search_in_place(client_for, cast, ozturk):
    response = client_for("coach").get(LIST, {"q": "ozturk", "coach": "999999"})
    assert "coach" in response.context["form"].errors
    assert names(response) == ["Öztürk"]


def test_sorting_by_stage_follows_the_trajectory(client_for, cast):
    for last_name, stage in (
        ("Gestopt", "dropped_out"),
        ("Traject", "in_trajectory"),
        ("Intake", "intake"),
        ("Ingediend", "submitted"),
    ):
        make_resident(cast.desk, last_name=last_name, stage=stage)
    response = client_for("coach").get(LIST, {"sort": "stage"})
    # cast.resident is registered.
    assert names(response) == ["Bewoner", "Intake", "Traject", "Ingediend", "Gestopt"]
