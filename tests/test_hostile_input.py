"""Hostile input on every form of the project gets a message, never a server error (issue 13 #10).

Each page of the access matrix is opened by a role that may use it; every form on it (and the
plan's parts, all of them) is sent back with one field at a time replaced by a hostile value:
a NUL byte anywhere, hidden version numbers out of range, ``next`` that is not a URL of ours.
The answer must not be a server error, and a form shown again with a message saved nothing.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from coaching.section_forms import OUT_OF_DATE
from coaching.sections import SECTIONS
from tests.access_matrix import REDIRECT
from tests.coaching.access_rows import ROWS as COACHING_ROWS
from tests.coaching.access_rows import started_plan
from tests.intake.access_rows import ROWS as INTAKE_ROWS
from tests.intake.access_rows import open_step
from tests.intake.form_data import conversation_data, edit_data, registration_data, steps_data
from tests.ondernemerspunt.access_rows import ROWS as DESK_ROWS

NUL = "Kap\x00salon"
VERSIONS = ["-1", str(2**31), str(2**63), "abc", "\x00"]
NEXTS = ["javascript:alert(1)", "https://evil.example/", "//evil.example", "x" * 20000, "\x00"]
# Who opens a page: the first role in this order that the matrix lets in.
OPENERS = ["resident", "coach", "coordinator", "project_group", "anonymous"]
# Actions in the page frame that are not the page's own form.
FRAME_ACTIONS = {"/uitloggen/"}
# Tables whose rows a request may add although it saved nothing of the form: reads are logged,
# sessions and login attempts are kept; every try of the public evening form counts against the
# sender's address (the rate limit).
ALWAYS_WRITTEN = {"ondernemerspunt.auditentry", "sessions.session", "intake.signupattempt"}


def hostile_values(name: str) -> list[str]:
    if name in ("version", "seen"):
        return VERSIONS
    if name == "next":
        return NEXTS
    return [NUL]


class Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._field = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is None or "name" not in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form["fields"].setdefault(attrs["name"], None)
            elif kind not in ("submit", "button"):
                self._add(attrs["name"], attrs.get("value") or "")
        elif tag in ("textarea", "select"):
            self._field = (tag, attrs["name"])
            self._add(attrs["name"], "")
        elif tag == "option" and self._field and self._field[0] == "select":
            name = self._field[1]
            if "selected" in attrs or not self._form["fields"][name]:
                self._form["fields"][name] = [attrs.get("value", "")]

    def _add(self, name, value):
        fields = self._form["fields"]
        if fields.get(name):
            fields[name].append(value)
        else:
            fields[name] = [value]

    def handle_data(self, data):
        if self._field and self._field[0] == "textarea":
            self._form["fields"][self._field[1]] = [data.lstrip("\n")]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("textarea", "select"):
            self._field = None


def page_forms(html: str, url: str):
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        action = form["action"] or url
        if urlsplit(action).path in FRAME_ACTIONS:
            continue
        fields = {k: [x for x in v if x is not None] for k, v in form["fields"].items() if v}
        yield form["method"], action, fields


FORMSET_FIELD = re.compile(r"^(?P<prefix>.+)-(?P<row>\d+)-(?P<name>.+)$")


def probed(fields):
    """The fields to replace one at a time. A formset's rows are the same form repeated: its
    first and its last row (the empty one, where there is one) stand for the rows between,
    which would otherwise multiply the posts by the number of rows."""
    rows = {}
    for field in fields:
        if match := FORMSET_FIELD.match(field):
            rows.setdefault(match["prefix"], set()).add(int(match["row"]))
    for field in fields:
        match = FORMSET_FIELD.match(field)
        if not match or int(match["row"]) in (0, max(rows[match["prefix"]])):
            yield field


def opener(row):
    for role in OPENERS:
        if row.expect[role] in (200, REDIRECT):
            return role
    return None


def pages():
    """(name, role, kwargs-maker) for every page the matrix opens with GET, once each."""
    seen = set()
    for row in DESK_ROWS + INTAKE_ROWS + COACHING_ROWS:
        role = opener(row)
        if row.method != "get" or role is None or row.expect[role] != 200 or row.name in seen:
            continue
        seen.add(row.name)
        yield pytest.param(row.name, role, row.kwargs, id=row.name)
    for section in SECTIONS:
        yield pytest.param(
            "coaching:section_edit",
            "resident",
            lambda cast, slug=section.slug: {"section": slug},
            id=f"section_edit-{section.slug}",
        )


def counts():
    """Every table's row count, in one query (it runs after each of some thousands of posts)."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in ALWAYS_WRITTEN and model._meta.managed
    ]
    quote = connection.ops.quote_name
    # Table names from our own models, quoted: nothing typed by anyone reaches this SQL.
    selects = ", ".join(f"(SELECT count(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}")
        row = cursor.fetchone()
    return {model._meta.label_lower: count for model, count in zip(models, row, strict=True)}


# Forms whose empty page is not a form that would save: start from what a coach types.
def valid_start(name, cast):
    if name == "intake:resident_new":
        return {k: v if isinstance(v, list) else [v] for k, v in registration_data(cast).items()}
    if name == "intake:conversation_new":
        data = {"conversation-kind": "follow_up", **conversation_data(cast.coach), **steps_data()}
        return {k: v if isinstance(v, list) else [v] for k, v in data.items()}
    return {}


class Undo(Exception):
    pass


def answer(client, method, action, data):
    """The response and the row counts after it; then everything it wrote is undone, so each
    hostile value meets the page as it was (and a database error spoils nothing after it)."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(action, data)
            after = counts() if method == "post" and response.status_code == 200 else None
            raise Undo
    except Undo:
        return response, after


@pytest.mark.parametrize(("name", "role", "kwargs"), list(pages()))
def test_hostile_values_in_any_field_get_a_message_not_a_server_error(
    name, role, kwargs, cast, client_for
):
    client = client_for(role)
    client.raise_request_exception = False
    url = reverse(name, kwargs=kwargs(cast))
    page = client.get(url)
    assert page.status_code == 200
    failures = []
    before = counts()  # every request is undone (``answer``): the same before each of them
    for method, action, fields in page_forms(page.content.decode(), url):
        if method == "post":
            fields = {**fields, **valid_start(name, cast)}
        for field in probed(fields):
            for value in hostile_values(field):
                data = {**fields, field: [value]}
                response, after = answer(client, method, action, data)
                if response.status_code >= 500:
                    failures.append(f"{method} {action} {field}={value[:20]!r}: 500")
                elif response.status_code == 200 and method == "post" and after != before:
                    failures.append(f"{method} {action} {field}={value[:20]!r}: half-saved")
    assert not failures, "\n".join(failures)


def test_the_prober_reaches_every_form_field_of_a_plan_part(cast, client_for):
    client = client_for("resident")
    url = reverse("coaching:section_edit", kwargs={"section": "financiering"})
    forms = list(page_forms(client.get(url).content.decode(), url))
    posted = [fields for method, _action, fields in forms if method == "post"]
    assert any("version" in f and "qredits_amount" in f for f in posted)


@pytest.mark.parametrize("target", NEXTS + ["abc", "-1"])
@pytest.mark.parametrize("action", ["intake:consent_record", "intake:next_step_done"])
def test_a_next_that_is_not_a_path_of_ours_leads_back_to_the_resident(
    action, target, cast, client_for
):
    client = client_for("coach")
    kwargs = open_step(cast) if action == "intake:next_step_done" else {"pk": cast.resident.pk}
    response = client.post(reverse(action, kwargs=kwargs), {"agreed": "on", "next": target})
    assert response.status_code == 302
    assert response.url == cast.resident.get_absolute_url()


@pytest.mark.parametrize(
    "data",
    [
        {"version": "0", "motivation": "Eigen\x00 baas"},
        {"version": "0", "motiv\x00ation": "Eigen baas", "education": "Mbo"},
        *({"version": v, "motivation": "Eigen baas"} for v in VERSIONS),
    ],
    ids=repr,
)
def test_autosave_keeps_a_draft_without_nul_bytes_or_impossible_versions(data, cast, client_for):
    client = client_for("resident")
    url = reverse("coaching:section_autosave", kwargs=started_plan(cast, section="ondernemer"))
    assert client.post(url, data).status_code == 200
    section = cast.resident.plan.sections.get(key="entrepreneur")
    assert "\x00" not in str(section.autosave)
    assert section.autosave_version in (None, 0)


def test_an_impossible_version_on_save_says_the_page_is_out_of_date(cast, client_for):
    client = client_for("resident")
    url = reverse("coaching:section_edit", kwargs={"section": "ondernemer"})
    client.get(url)
    response = client.post(url, {"version": str(2**31), "motivation": "Eigen baas"})
    assert response.status_code == 200
    assert str(OUT_OF_DATE) in response.content.decode()
    assert response.context["stored"].version == 0


@pytest.mark.parametrize("version", VERSIONS)
def test_an_impossible_version_of_a_file_asks_to_check_and_save_again(version, cast, client_for):
    client = client_for("coach")
    url = reverse("intake:resident_edit", kwargs={"pk": cast.resident.pk})
    response = client.post(url, edit_data(cast.resident, version=version, city="Haren"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["version"]
    assert form["version"].value() == str(cast.resident.version)
    again = client.post(url, edit_data(cast.resident, city="Haren"))
    assert again.status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.city == "Haren"


def test_of_a_formset_the_first_and_last_rows_are_probed_and_every_other_field():
    fields = {
        "version": ["1"],
        "items-TOTAL_FORMS": ["3"],
        **{f"items-{row}-{name}": [""] for row in range(3) for name in ("text", "DELETE")},
    }
    assert list(probed(fields)) == [
        "version",
        "items-TOTAL_FORMS",
        "items-0-text",
        "items-0-DELETE",
        "items-2-text",
        "items-2-DELETE",
    ]
