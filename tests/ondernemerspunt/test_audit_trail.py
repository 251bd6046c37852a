import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit


def test_the_trail_refuses_updates_and_deletes(cast):
    entry = record_audit(
        actor=cast.coach,
        desk=cast.desk,
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
        actor=cast.coach,
        desk=cast.desk,
        action="viewed",
        what="Noord-regel",
        resident=cast.resident,
    )
    record_audit(
        actor=cast.other_coach,
        desk=cast.other_desk,
        action="viewed",
        what="Zuid-regel",
        resident=cast.other_resident,
    )
    page = client_for("coordinator").get(reverse("audit_trail")).content.decode()
    assert "Noord-regel" in page
    assert "Zuid-regel" not in page


def test_the_trail_filters_by_action(client_for, cast):
    record_audit(actor=cast.coach, desk=cast.desk, action="viewed", what="bekeken-regel")
    record_audit(actor=cast.coach, desk=cast.desk, action="exported", what="export-regel")
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
        record_audit(actor=cast.coach, desk=cast.desk, action="viewed", what=f"regel {n}")
    client = client_for("coordinator")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit_trail")).status_code == 200
