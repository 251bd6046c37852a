"""The empty option of a select reads Dutch on a Dutch page.

Django 6.1 labels it "- Select an option -", which its Dutch catalogue does not translate: the
resident form showed English for the coach and the referring partner. The project sets its own
label once (``ondernemerspunt/apps.py``); these tests render pages with Dutch active, and check
every form of the project, so that a form built before that label was set is found too.
"""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

import ondernemerspunt.urls  # noqa: F401  (imports every view and so every form of the project)
from tests.factories import make_partner

DJANGO_LABEL = "Select an option"
PROJECT_APPS = ("ondernemerspunt.", "intake.", "coaching.")


def empty_option(page: str, name: str) -> str:
    """The text of the empty option of the select named ``name``."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.DOTALL)
    assert select, f"no select named {name}"
    option = re.search(r'<option value=""[^>]*>([^<]*)</option>', select.group(0))
    assert option, f"the select {name} has no empty option"
    return option.group(1).strip()


def test_the_new_resident_form_is_dutch_throughout(client_for, cast):
    make_partner(cast.desk, name="KvK Noord")
    page = client_for("coach").get(reverse("intake:resident_new")).content.decode()
    for name in ("coach", "source_partner", "situation", "source"):
        assert empty_option(page, name) == "kies", name
    assert DJANGO_LABEL not in page


def test_the_edit_form_of_a_resident_without_coach_is_dutch(client_for, cast):
    cast.resident.coach = None
    cast.resident.save()
    url = reverse("intake:resident_edit", kwargs={"pk": cast.resident.pk})
    page = client_for("coach").get(url).content.decode()
    assert empty_option(page, "coach") == "kies"
    assert DJANGO_LABEL not in page


def test_the_admin_forms_are_dutch(admin_client, cast):
    page = admin_client.get("/beheer/ondernemerspunt/membership/add/").content.decode()
    assert empty_option(page, "role") == "kies"
    assert DJANGO_LABEL not in page


def test_the_english_page_says_choose(client_for, cast, settings):
    client = client_for("coach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("intake:resident_new")).content.decode()
    assert empty_option(page, "coach") == "choose"
    assert DJANGO_LABEL not in page


def project_forms():
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(PROJECT_APPS) and hasattr(cls, "base_fields"):
            found.append(cls)
    return found


def empty_labels(field) -> list:
    if isinstance(field, forms.ModelChoiceField):
        return [field.empty_label]
    if isinstance(field, forms.ChoiceField):
        return [label for value, label in field.choices if value == ""]
    return []


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda cls: cls.__qualname__)
def test_no_form_of_the_project_keeps_djangos_label(form_class):
    with translation.override("nl"):
        labels = {
            name: str(label)
            for name, field in form_class.base_fields.items()
            for label in empty_labels(field)
            if label is not None
        }
    assert not {name: label for name, label in labels.items() if DJANGO_LABEL in label}


def test_the_check_of_every_form_sees_the_resident_forms():
    names = {cls.__name__ for cls in project_forms()}
    assert {"NewResidentForm", "EditResidentForm", "ResidentFilterForm", "AuditFilterForm"} <= names
