from django.urls import reverse

from ondernemerspunt.models import Membership


def home_page(client_for, role):
    response = client_for(role).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coach_sees_the_coach_section_of_their_desk(client_for, cast):
    page = home_page(client_for, "coach")
    assert "Coach bij Ondernemerspunt Noord" in page
    assert "Ondernemerspunt Zuid" not in page


def test_a_coordinator_sees_the_audit_trail_link(client_for, cast):
    page = home_page(client_for, "coordinator")
    assert reverse("audit_trail") in page


def test_a_partner_contact_sees_their_organisation(client_for, cast):
    partner = Membership.objects.get(user=cast.partner).partner
    assert f"{partner.name} bij Ondernemerspunt Noord" in home_page(client_for, "partner")


def test_a_resident_gets_their_own_page_in_plain_words(client_for, cast):
    page = home_page(client_for, "resident")
    assert "Hallo Rana" in page
    assert "Cees Coach" in page
    assert reverse("audit_trail") not in page


def test_someone_with_two_roles_sees_both(client, cast):
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coach")
    client.force_login(cast.coach, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "Coach bij Ondernemerspunt Noord" in page
    assert "Coach bij Ondernemerspunt Zuid" in page


def test_a_user_without_a_role_is_told_what_to_do(client, cast):
    from tests.factories import make_user

    client.force_login(make_user("Zonder Rol"), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("home")).content.decode()
    assert "coördinator" in page.lower()


def test_the_menu_follows_the_role(client_for, cast):
    assert reverse("audit_trail") in home_page(client_for, "coordinator")
    assert reverse("audit_trail") not in home_page(client_for, "coach")
