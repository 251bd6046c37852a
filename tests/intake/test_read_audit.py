"""Every read of a resident's file, plan or history is in the audit trail, whatever the method,
including searches of the list and the admin (issue 13, finding 4)."""

from django.urls import reverse

from ondernemerspunt.models import AuditEntry
from tests.factories import make_plan, make_review, make_revision, make_user


def viewed(resident, what_contains=""):
    return AuditEntry.objects.filter(
        resident_id=resident.pk, action="viewed", what__contains=what_contains
    )


def test_a_head_request_for_the_edit_page_is_logged(client_for, cast):
    client_for("coach").head(reverse("intake:resident_edit", args=[cast.resident.pk]))
    assert viewed(cast.resident).count() == 1


def test_a_refused_save_shows_the_file_again_and_is_logged_as_a_read(client_for, cast):
    response = client_for("coach").post(
        reverse("intake:resident_edit", args=[cast.resident.pk]), {"first_name": ""}
    )
    assert response.status_code == 200
    assert viewed(cast.resident).count() == 1


def test_the_stage_history_is_a_read(client_for, cast):
    client_for("coach").get(reverse("intake:stage_change", args=[cast.resident.pk]))
    assert viewed(cast.resident, "Fasegeschiedenis bekeken").count() == 1


def test_a_review_shown_again_after_a_refused_post_is_logged(client_for, cast):
    """Someone else's draft review: a POST to it is refused and the page is shown again, with
    the resident's plan in it — a read like any other."""
    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    review = make_review(make_revision(plan), coach=cast.coordinator)
    url = reverse("coaching:review_detail", args=[plan.pk, review.pk])
    response = client_for("coach").post(url, {"version": review.version, "save": "1"})
    assert response.status_code == 200
    assert viewed(cast.resident, "versie 1").count() == 1


def test_a_search_of_the_list_is_logged_with_what_it_found_not_what_was_asked(client_for, cast):
    """What was typed may be a resident's name, and the trail cannot be changed: erasing her
    file could not remove it (issue 12)."""
    client = client_for("coach")
    client.get(reverse("intake:resident_list"))
    assert not AuditEntry.objects.exists()  # browsing is not a search
    client.get(reverse("intake:resident_list"), {"q": "Rana"})
    client.get(reverse("intake:resident_list"), {"q": "Jansen"})
    found, not_found = AuditEntry.objects.order_by("id")
    assert (found.desk, found.resident_id, found.action) == (cast.desk, None, "viewed")
    assert "(1 " in found.what and "(0 " in not_found.what
    assert "Rana" not in found.what and "Jansen" not in not_found.what


def test_a_search_with_a_filter_that_is_not_on_offer_is_still_logged(client_for, cast):
    client_for("coach").get(reverse("intake:resident_list"), {"q": "Bewoner", "stage": "nonsense"})
    assert AuditEntry.objects.filter(resident_id__isnull=True).count() == 1


def test_the_admin_logs_the_files_it_opens_and_what_is_searched(client, cast):
    admin = make_user("Beheerder", "beheer@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:intake_resident_change", args=[cast.resident.pk]))
    assert page.status_code == 200
    assert viewed(cast.resident).filter(actor=admin).count() == 1
    client.get(reverse("admin:intake_resident_changelist"), {"q": "bewoner"})
    # One line per desk it found someone in (the factory's e-mail addresses hold "bewoner"),
    # with how many, not what was typed.
    searched = AuditEntry.objects.filter(actor=admin, resident_id__isnull=True)
    assert sorted(searched.values_list("desk__slug", flat=True)) == ["noord", "zuid"]
    assert all("(1 " in line.what for line in searched)
    assert not any("bewoner" in line.what.lower().replace("bewoners", "") for line in searched)


def test_the_admins_history_and_delete_pages_are_reads_too(client, cast):
    admin = make_user("Beheerder", "beheer@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("admin:intake_resident_history", "admin:intake_resident_delete"):
        assert client.get(reverse(name, args=[cast.resident.pk])).status_code == 200
    assert viewed(cast.resident).filter(actor=admin).count() == 2
