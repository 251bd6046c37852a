import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ondernemerspunt.audit import csv_cell
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit, record_desk_audit
from tests.factories import make_resident
from tests.intake.form_data import conversation_data, steps_data


def test_the_trail_refuses_updates_and_deletes(cast):
    entry = record_audit(
        by=cast.coach,
        action="viewed",
        what="Dossier bekeken",
        resident=cast.resident,
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(what="iets anders")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).what == "Dossier bekeken"


def test_the_coordinator_sees_only_their_desks_lines(client_for, cast):
    record_audit(
        by=cast.coach,
        action="viewed",
        what="Noord-regel",
        resident=cast.resident,
    )
    record_audit(
        by=cast.other_coach,
        action="viewed",
        what="Zuid-regel",
        resident=cast.other_resident,
    )
    page = client_for("coordinator").get(reverse("audit_trail")).content.decode()
    assert "Noord-regel" in page
    assert "Zuid-regel" not in page


def test_the_trail_filters_by_action(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="bekeken-regel")
    record_audit(by=cast.coach, resident=cast.resident, action="exported", what="export-regel")
    page = client_for("coordinator").get(reverse("audit_trail"), {"action": "exported"})
    assert "export-regel" in page.content.decode()
    assert "bekeken-regel" not in page.content.decode()


def test_a_nonsense_filter_is_a_message_not_an_error(client_for, cast):
    response = client_for("coordinator").get(reverse("audit_trail"), {"resident": "abc"})
    assert response.status_code == 200
    assert "Voer een geheel getal in" in response.content.decode()


@pytest.mark.parametrize("lines", [1, 60])
def test_the_trail_runs_a_fixed_number_of_queries(
    client_for, cast, lines, django_assert_max_num_queries
):
    for n in range(lines):
        record_audit(by=cast.coach, resident=cast.resident, action="viewed", what=f"regel {n}")
    client = client_for("coordinator")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("audit_trail")).content.decode()
    # The lines are on the page (50 to a page), each with who wrote it: no query was saved by
    # leaving them out.
    assert len(re.findall(r">regel \d+<", page)) == min(lines, 50)
    assert f">regel {lines - 1}<" in page  # the newest first
    assert page.count("<td>Cees Coach</td>") == min(lines, 50)


def test_a_line_takes_the_desk_and_the_number_of_the_resident_it_is_about(cast):
    entry = record_audit(
        by=cast.other_coach, resident=cast.other_resident, action="viewed", what="Zuid bekeken"
    )
    entry.refresh_from_db()
    assert entry.desk == cast.other_desk
    assert entry.resident_id == cast.other_resident.pk


# --- Issue 12 part 6: searching by resident, staff member, action and dates; CSV; Dutch -------


def trail(client, **params):
    return client.get(reverse("audit_trail"), params).content.decode()


def rows(page):
    """The table's rows as plain text, one string per line of the trail."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in body.split("</tr>")
        if "<td" in row
    ]


def test_each_line_shows_the_residents_name_and_an_erased_one_by_number(client_for, cast):
    erased = make_resident(cast.desk, first_name="Weg", last_name="Gewist")
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="over-rana")
    record_audit(by=cast.coach, resident=erased, action="viewed", what="over-gewist")
    record_desk_audit(by=cast.coach, desk_id=cast.desk.pk, action="viewed", what="over-niemand")
    erased.__class__.objects.filter(pk=erased.pk).update(
        first_name="", last_name="", search_text="", erased_at=timezone.now()
    )
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lines = rows(trail(client))
    assert any("Rana Bewoner" in line and "over-rana" in line for line in lines)
    # Named once, with its number beside it (not "#24 #24").
    erased_lines = [line for line in lines if "over-gewist" in line]
    assert erased_lines and f"erased resident #{erased.pk} " in erased_lines[0]
    assert erased_lines[0].count(f"#{erased.pk}") == 1
    assert any("over-niemand" in line and "–" in line for line in lines)


def test_a_search_by_name_finds_that_residents_lines_accents_or_not(client_for, cast):
    mehmet = make_resident(cast.desk, first_name="Mehmet", last_name="Öztürk")
    record_audit(by=cast.coach, resident=mehmet, action="viewed", what="over-mehmet")
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="over-rana")
    record_audit(by=cast.other_coach, resident=cast.other_resident, action="viewed", what="zuid")
    page = trail(client_for("coordinator"), name="ozturk")
    assert "over-mehmet" in page
    assert "over-rana" not in page
    assert "zuid" not in page
    assert 'value="ozturk"' in page  # the filter keeps its value


def test_a_name_search_does_not_find_an_erased_resident_or_another_desks(client_for, cast):
    record_audit(by=cast.other_coach, resident=cast.other_resident, action="viewed", what="zuid")
    page = trail(client_for("coordinator"), name="Elders")
    assert "zuid" not in page
    assert "Geen regels" in page or "No lines" in page or "<tbody>" not in page


def test_the_trail_filters_by_staff_member_and_offers_only_the_desks_people(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="door-cees")
    record_audit(by=cast.coordinator, resident=cast.resident, action="viewed", what="door-carla")
    page = trail(client_for("coordinator"), actor=str(cast.coach.pk))
    assert "door-cees" in page
    assert "door-carla" not in page
    assert f'<option value="{cast.coach.pk}" selected>Cees Coach</option>' in page
    assert "Olga Andere-Coach" not in page  # the other desk's coach is no choice here


def test_someone_not_on_offer_is_a_message_not_an_error(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="regel")
    response = client_for("coordinator").get(
        reverse("audit_trail"), {"actor": str(cast.other_coach.pk)}
    )
    assert response.status_code == 200
    assert "actor" in response.context["form"].errors


def test_the_trail_filters_by_dates_on_the_desks_clock(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="vandaag-regel")
    today = timezone.localdate()
    client = client_for("coordinator")
    assert "vandaag-regel" in trail(client, date_from=f"{today:%d-%m-%Y}", date_to=today)
    tomorrow = today + datetime.timedelta(days=1)
    assert "vandaag-regel" not in trail(client, date_from=f"{tomorrow:%d-%m-%Y}")
    yesterday = today - datetime.timedelta(days=1)
    page = trail(client, date_to=f"{yesterday:%d-%m-%Y}", action="viewed")
    assert "vandaag-regel" not in page
    assert f'value="{yesterday:%Y-%m-%d}"' in page  # kept, in the date picker's format
    assert '<option value="viewed" selected>' in page


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date_from": "31-02-2009"}, "date_from"),
        ({"date_to": "gisteren"}, "date_to"),
        ({"date_from": "01-04-2009", "date_to": "31-03-2009"}, "date_to"),
        # Found by trying it: the day after 31-12-9999 ended in a server error.
        ({"date_to": "31-12-9999"}, "date_to"),
        ({"date_from": "01-01-0001"}, "date_from"),
    ],
)
def test_a_bad_date_is_a_message_next_to_the_field(client_for, cast, params, field):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="regel")
    response = client_for("coordinator").get(reverse("audit_trail"), params)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page or f"id_{field}" in page
    assert "invalid-feedback" in page
    assert "Dit is geen bestaande datum" in page or field == "date_to" or "2100" in page


@pytest.mark.parametrize("lines", [1, 60])
def test_the_names_cost_one_query_whatever_the_number_of_residents(
    client_for, cast, lines, django_assert_max_num_queries
):
    for n in range(lines):
        resident = make_resident(cast.desk, first_name="Naam", last_name=f"Nummer{n}")
        record_audit(by=cast.coach, resident=resident, action="viewed", what=f"regel {n}")
    client = client_for("coordinator")
    with django_assert_max_num_queries(9):
        page = client.get(reverse("audit_trail"), {"name": "naam"}).content.decode()
    assert len(re.findall(r"Naam Nummer\d+", page)) == min(lines, 50)
    assert f"Naam Nummer{lines - 1}" in page


def csv_of(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_holds_the_filtered_lines_in_dutch_and_is_itself_a_line(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="bekeken-regel")
    record_audit(by=cast.coach, resident=cast.resident, action="exported", what="=HYPERLINK(1)")
    record_audit(by=cast.other_coach, resident=cast.other_resident, action="viewed", what="zuid")
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the file is Dutch all the same
    response = client.get(reverse("audit_trail_csv"), {"action": "viewed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="logboek-')
    table = csv_of(response)
    assert table[0] == [
        "Wanneer",
        "Ondernemerspunt",
        "Wie",
        "Actie",
        "Bewonersnummer",
        "Bewoner",
        "Wat",
    ]
    assert len(table) == 2  # the header and the one line that was asked for
    when, desk, who, action, number, name, what = table[1]
    entry = AuditEntry.objects.get(what="bekeken-regel")
    assert when == timezone.localtime(entry.at, datetime.UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Amsterdam")
    ).strftime("%d-%m-%Y %H:%M")
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", when)
    assert (desk, who, action) == ("Ondernemerspunt Noord", "Cees Coach", "bekeken")
    assert (number, name, what) == (str(cast.resident.pk), "Rana Bewoner", "bekeken-regel")
    export = AuditEntry.objects.get(action="exported", actor=cast.coordinator)
    assert export.desk == cast.desk
    assert export.resident_id is None
    assert "1" in export.what


def test_a_cell_that_would_run_as_a_formula_gets_an_apostrophe(client_for, cast):
    for what in ("=1+1", "+31 6", "-2", "@SUM(A1)", "gewoon"):
        record_audit(by=cast.coach, resident=cast.resident, action="viewed", what=what)
    table = csv_of(client_for("coordinator").get(reverse("audit_trail_csv")))
    whats = {row[6] for row in table[1:]}
    assert {"'=1+1", "'+31 6", "'-2", "'@SUM(A1)", "gewoon"} <= whats
    assert csv_cell("=") == "'=" and csv_cell(None) == "" and csv_cell(12) == "12"


def test_the_csv_of_a_name_search_finds_the_lines_by_name(client_for, cast):
    mehmet = make_resident(cast.desk, first_name="Mehmet", last_name="Öztürk")
    record_audit(by=cast.coach, resident=mehmet, action="viewed", what="over-mehmet")
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="over-rana")
    table = csv_of(client_for("coordinator").get(reverse("audit_trail_csv"), {"name": "Ozturk"}))
    assert [row[5:] for row in table[1:]] == [["Mehmet Öztürk", "over-mehmet"]]


def test_only_the_desks_coordinator_may_export(client_for, cast):
    for role in ("coach", "project_group", "partner", "resident"):
        assert client_for(role).get(reverse("audit_trail_csv")).status_code == 403
    # A coordinator of one desk exports only that desk's lines.
    record_audit(by=cast.other_coach, resident=cast.other_resident, action="viewed", what="zuid")
    table = csv_of(client_for("coordinator").get(reverse("audit_trail_csv")))
    assert all("zuid" not in row for row in table)


def test_the_trail_page_links_to_the_csv_with_the_same_filters(client_for, cast):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="regel")
    page = trail(client_for("coordinator"), action="viewed")
    assert f"{reverse('audit_trail_csv')}?action=viewed" in page


def test_every_line_is_dutch_whatever_the_language_of_who_caused_it(client_for, cast):
    """A coach reading English pages leaves Dutch lines: the data-protection officer reads one
    language (the msgids here have Dutch translations in locale/nl)."""
    client = client_for("coach")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("intake:resident_detail", args=[cast.resident.pk]))
    client.post(
        reverse("intake:conversation_new", args=[cast.resident.pk]),
        {"conversation-kind": "follow_up", **conversation_data(cast.coach), **steps_data()},
    )
    client.post(
        reverse("intake:stage_change", args=[cast.resident.pk]),
        {"to_stage": "intake", "on": "2009-02-01", "note": "Gesprek"},
    )
    client.get(reverse("intake:resident_list"), {"q": "Rana"})
    lines = list(AuditEntry.objects.order_by("id").values_list("what", flat=True))
    assert lines[:3] == [
        "Bewonerspagina bekeken",
        "Gesprek vastgelegd (vervolggesprek, 02-03-2009)",
        "Fase gewijzigd: aangemeld → intakegesprek gehouden",
    ]
    # The search line is the same text as a Dutch-speaking coach's search leaves, and holds
    # nothing of what was typed.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    client.get(reverse("intake:resident_list"), {"q": "Rana"})
    searched_en, searched_nl = lines[3], AuditEntry.objects.latest("id").what
    assert searched_en == searched_nl
    assert "Rana" not in searched_en
    assert len(lines) == 4


def test_a_line_written_in_english_is_stored_in_dutch(cast, settings):
    from django.utils import translation

    with translation.override("en"):
        entry = record_audit(
            by=cast.coach,
            resident=cast.resident,
            action="viewed",
            what=gettext_lazy("Resident's page viewed"),
        )
    assert entry.what == "Bewonerspagina bekeken"


def test_a_csv_with_a_filter_that_cannot_be_used_exports_nothing(client_for, cast):
    """Never more lines than were asked for: the page shows a message, the download refuses."""
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="regel")
    response = client_for("coordinator").get(
        reverse("audit_trail_csv"), {"date_from": "31-02-2009"}
    )
    assert response.status_code == 400
    assert "31-03-2009" in response.content.decode()  # the message says how to write a date
    assert not AuditEntry.objects.filter(action="exported").exists()
