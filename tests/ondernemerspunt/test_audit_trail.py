import re

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit


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
    with django_assert_max_num_queries(8):
        page = client.get(reverse("audit_trail")).content.decode()
    # The lines are on the page (50 to a page), each with who wrote it: no query was saved by
    # leaving them out.
    assert len(re.findall(r">regel \d+<", page)) == min(lines, 50)
    assert f">regel {lines - 1}<" in page  # the newest first
    assert page.count(">Cees Coach<") == min(lines, 50)


def test_a_line_takes_the_desk_and_the_number_of_the_resident_it_is_about(cast):
    entry = record_audit(
        by=cast.other_coach, resident=cast.other_resident, action="viewed", what="Zuid bekeken"
    )
    entry.refresh_from_db()
    assert entry.desk == cast.other_desk
    assert entry.resident_id == cast.other_resident.pk
