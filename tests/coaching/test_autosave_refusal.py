"""The draft endpoint keeps only what the page's form sends: an empty body or JSON is refused
and the draft that is there stays (it answered 200 and wiped the draft)."""

import json

import pytest
from django.urls import reverse

from coaching.models import PlanSection
from tests.factories import make_plan

AUTOSAVE = reverse("coaching:section_autosave", kwargs={"section": "ondernemer"})


@pytest.fixture
def resident(client_for, cast):
    make_plan(cast.resident)  # she has the part open, so her plan was started
    client = client_for("resident")
    response = client.post(AUTOSAVE, {"version": "0", "motivation": "Nog aan het typen"})
    assert response.status_code == 200
    return client


def draft(cast):
    return PlanSection.objects.get(plan__resident=cast.resident, key="entrepreneur").autosave


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("", "application/x-www-form-urlencoded"),
        ("", "multipart/form-data; boundary=xyz"),
        (json.dumps({"version": "0", "motivation": "JSON"}), "application/json"),
        ("version=1", "application/x-www-form-urlencoded"),  # no field of the part at all
    ],
)
def test_a_body_that_is_not_the_parts_form_is_refused(resident, cast, body, content_type):
    response = resident.generic("POST", AUTOSAVE, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["message"]  # a short word for whoever sent it
    assert draft(cast) == {"version": "0", "motivation": "Nog aan het typen"}


def test_a_part_with_every_field_emptied_is_still_kept(resident, cast):
    # Clearing the text is typing too: a form with empty fields is not an empty body.
    response = resident.post(AUTOSAVE, {"version": "0", "motivation": ""})
    assert response.status_code == 200
    assert draft(cast) == {"version": "0", "motivation": ""}
