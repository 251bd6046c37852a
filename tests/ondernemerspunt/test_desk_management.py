"""The coordinator runs her own desk (issue 12): people and their roles, invitations,
neighbourhoods, yearly targets, partners and the desk's settings; every change in the trail."""

import datetime
import re
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ondernemerspunt.access import memberships_of
from ondernemerspunt.desk_management import PARTNER_FIELDS, SETTINGS_FIELDS, fingerprint
from ondernemerspunt.invitations import invitation_tokens
from ondernemerspunt.models import AuditEntry, Desk, Membership, Neighbourhood, Partner, Role, User
from ondernemerspunt.services import audit_text
from tests.factories import PASSWORD, make_member, make_partner, make_resident

CHOSEN = "een-goed-wachtwoord-2009"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, cast, **kwargs):
    return reverse(name, kwargs={"slug": cast.desk.slug, **kwargs})


def membership_of(user, desk):
    return Membership.objects.get(user=user, desk=desk)


def audit_lines(desk):
    return list(AuditEntry.objects.filter(desk=desk).values_list("what", flat=True))


def line(what, **params):
    """An audit line as the trail writes it (in the desk's language, Dutch)."""
    return audit_text(gettext_lazy(what), params)


def invite_data(**fields):
    data = {
        "full_name": "Nina Nieuw",
        "email": "Nina@Example.test",
        "role": "coach",
        "partner": "",
        "organisation": "",
    }
    data.update(fields)
    return data


def link_in(mail):
    return re.search(r"https?://[^/]+(/uitnodiging/bureau/[^/\s]+/[^/\s]+/)", mail.body).group(1)


@pytest.fixture
def coordinator(client_for):
    return english(client_for("coordinator"))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A POST whose on-commit work (queueing the mail) runs, as it does outside tests."""

    def post(client, address, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(address, data or {})

    return post


# --- Who may manage -------------------------------------------------------------------------


def test_the_coordinator_reaches_the_management_from_home_and_menu(coordinator, cast):
    page = coordinator.get(reverse("home")).content.decode()
    assert "data-home-desk-manage" in page
    assert "data-menu-desk-manage" in page
    assert url("desk_manage", cast) in page


@pytest.mark.parametrize("role", ["coach", "partner", "project_group", "resident"])
def test_others_see_no_management_link(client_for, cast, role):
    page = client_for(role).get(reverse("home")).content.decode()
    assert url("desk_manage", cast) not in page


def test_another_desks_slug_answers_404_even_to_a_coordinator(client_for, cast):
    make_member(cast.other_desk, "coach")
    client = client_for("coordinator")
    for name in ("desk_manage", "desk_people", "desk_settings", "desk_targets"):
        assert client.get(reverse(name, kwargs={"slug": cast.other_desk.slug})).status_code == 404
    other = Membership.objects.get(user=cast.other_coach)
    edit = reverse("desk_membership_edit", kwargs={"slug": cast.desk.slug, "pk": other.pk})
    assert client.get(edit).status_code == 404
    deactivate = reverse(
        "desk_membership_deactivate", kwargs={"slug": cast.desk.slug, "pk": other.pk}
    )
    assert client.post(deactivate).status_code == 404
    assert Membership.objects.get(pk=other.pk).is_active


# --- The list of people ---------------------------------------------------------------------


def test_the_people_list_shows_roles_partners_and_states(coordinator, cast):
    invited = make_member(cast.desk, "coach", full_name="Ina Uitgenodigd")
    invited.set_unusable_password()
    invited.save()
    gone = make_member(cast.desk, "coach", full_name="Gert Gestopt")
    Membership.objects.filter(user=gone).update(is_active=False)
    page = coordinator.get(url("desk_people", cast)).content.decode()
    partner = membership_of(cast.partner, cast.desk).partner
    assert f"partner contact – {partner.name}" in page
    assert cast.coach.email in page
    status = dict(re.findall(r'data-membership="(\d+)" data-status="(\w+)"', page))
    assert status[str(membership_of(invited, cast.desk).pk)] == "invited"
    assert status[str(membership_of(gone, cast.desk).pk)] == "deactivated"
    assert status[str(membership_of(cast.coach, cast.desk).pk)] == "active"
    assert "Invited, not yet accepted" in page
    assert cast.other_coach.full_name not in page


@pytest.mark.parametrize("extra", [1, 30])
def test_the_people_list_takes_a_fixed_number_of_queries(
    client_for, cast, extra, django_assert_max_num_queries
):
    for n in range(extra):
        make_member(cast.desk, "partner" if n % 3 == 0 else "coach")
    client = client_for("coordinator")
    with django_assert_max_num_queries(8):
        response = client.get(url("desk_people", cast))
    assert response.content.decode().count("data-membership=") == 4 + extra


@pytest.mark.parametrize("extra", [1, 30])
def test_the_partner_list_takes_a_fixed_number_of_queries(
    client_for, cast, extra, django_assert_max_num_queries
):
    for _n in range(extra):
        make_partner(cast.desk)
    client = client_for("coordinator")
    with django_assert_max_num_queries(8):
        response = client.get(url("desk_partners", cast))
    assert response.content.decode().count("data-partner=") == 1 + extra


# --- Invitations ----------------------------------------------------------------------------


def test_an_invitation_makes_the_login_and_role_and_mails_a_link_after_commit(
    coordinator, cast, mailoutbox, run_queued_tasks, committed
):
    response = committed(coordinator, url("desk_invite", cast), invite_data())
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.test")
    assert not user.has_usable_password()
    membership = membership_of(user, cast.desk)
    assert membership.role == "coach" and membership.is_active
    assert line("%(name)s invited as %(role)s", name="Nina Nieuw", role=Role.COACH.label) in (
        audit_lines(cast.desk)
    )
    assert mailoutbox == []  # the worker sends it
    run_queued_tasks()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nina@example.test"]
    assert mail.reply_to == [cast.coordinator.email]
    assert "Hallo Nina" in mail.body  # Dutch, whatever language the coordinator reads
    assert "Carla Coördinator" in mail.body
    assert link_in(mail)


def test_the_token_is_not_stored_in_the_task_queue(coordinator, cast, committed):
    from django_tasks_db.models import DBTaskResult

    committed(coordinator, url("desk_invite", cast), invite_data())
    (task,) = DBTaskResult.objects.all()
    assert set(task.args_kwargs["kwargs"]) == {"membership_id", "site", "invited_by_id"}


def test_the_link_sets_a_password_once_and_logs_in(
    client, cast, mailoutbox, run_queued_tasks, committed
):
    client.force_login(cast.coordinator)
    committed(english(client), url("desk_invite", cast), invite_data())
    client.logout()
    run_queued_tasks()
    link = link_in(mailoutbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "choose-password" in page.content.decode()
    response = client.post(link, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert response.status_code == 302
    user = User.objects.get(email="nina@example.test")
    assert user.check_password(CHOSEN)
    # Logged in, and sent on to set up the second factor before anything else.
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("second_factor_setup"))
    accepted = line("%(name)s accepted the invitation and chose a password", name="Nina Nieuw")
    assert accepted in audit_lines(cast.desk)
    # A second use changes nothing.
    client.logout()
    again = client.post(link, {"new_password1": "iets-heel-anders-77", "new_password2": "x"})
    assert again.status_code == 200
    assert 'data-invitation-state="unknown"' in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(CHOSEN)


def test_the_password_rules_apply_on_the_invitation_page(client, cast):
    user = make_member(cast.desk, "coach", full_name="Nina Nieuw", email="nina@example.test")
    user.set_unusable_password()
    user.save()
    link = _link_for(user)
    response = client.post(link, {"new_password1": "nina12345", "new_password2": "nina12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert not user.has_usable_password()


def _link_for(user, token=None):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return reverse(
        "invitation_accept_staff",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": token or invitation_tokens.make_token(user),
        },
    )


def test_an_invitation_link_expires_after_seven_days(client, cast):
    user = make_member(cast.desk, "coach", email="nina@example.test")
    user.set_unusable_password()
    user.save()
    link = _link_for(user)
    later = datetime.datetime.now() + datetime.timedelta(days=7, hours=1)
    with mock.patch.object(invitation_tokens, "_now", return_value=later):
        page = client.get(link)
    assert 'data-invitation-state="expired"' in page.content.decode()
    sooner = datetime.datetime.now() + datetime.timedelta(days=6)
    with mock.patch.object(invitation_tokens, "_now", return_value=sooner):
        assert "choose-password" in client.get(link).content.decode()


def test_a_password_reset_token_is_no_invitation(client, cast):
    from django.contrib.auth.tokens import default_token_generator

    user = make_member(cast.desk, "coach", email="nina@example.test")
    user.set_unusable_password()
    user.save()
    page = client.get(_link_for(user, default_token_generator.make_token(user)))
    assert 'data-invitation-state="unknown"' in page.content.decode()


def test_inviting_an_address_with_an_account_is_refused_next_to_the_field(coordinator, cast):
    response = coordinator.post(
        url("desk_invite", cast), invite_data(email=cast.other_coach.email.upper())
    )
    assert response.status_code == 200
    assert "already an account" in str(response.context["form"].errors["email"])
    assert response.context["form"]["full_name"].value() == "Nina Nieuw"
    assert Membership.objects.filter(desk=cast.desk).count() == 4


def test_a_partner_contact_needs_a_partner_of_this_desk(coordinator, cast):
    response = coordinator.post(url("desk_invite", cast), invite_data(role="partner"))
    assert "partner" in response.context["form"].errors
    elsewhere = make_partner(cast.other_desk)
    response = coordinator.post(
        url("desk_invite", cast), invite_data(role="partner", partner=elsewhere.pk)
    )
    assert "partner" in response.context["form"].errors
    assert not User.objects.filter(email="nina@example.test").exists()
    partner = make_partner(cast.desk, name="KvK Noord")
    coordinator.post(url("desk_invite", cast), invite_data(role="partner", partner=partner.pk))
    assert membership_of(User.objects.get(email="nina@example.test"), cast.desk).partner == partner


def test_a_project_group_member_gets_an_organisation(coordinator, cast):
    coordinator.post(
        url("desk_invite", cast), invite_data(role="project_group", organisation="Gemeente")
    )
    membership = Membership.objects.get(user__email="nina@example.test")
    assert membership.organisation == "Gemeente"


def test_the_invitation_can_be_sent_again_until_accepted(
    coordinator, cast, mailoutbox, run_queued_tasks, committed
):
    committed(coordinator, url("desk_invite", cast), invite_data())
    membership = Membership.objects.get(user__email="nina@example.test")
    resend = url("desk_invitation_resend", cast, pk=membership.pk)
    assert committed(coordinator, resend).status_code == 302
    run_queued_tasks()
    assert len(mailoutbox) == 2
    assert line("Invitation sent again to %(name)s", name="Nina Nieuw") in audit_lines(cast.desk)
    # Someone who logs in already gets no new link.
    coach = membership_of(cast.coach, cast.desk)
    response = coordinator.post(url("desk_invitation_resend", cast, pk=coach.pk), follow=True)
    assert "no new link" in response.content.decode()


# --- Roles ----------------------------------------------------------------------------------


def test_changing_a_role_is_saved_and_audited(coordinator, cast):
    coach = membership_of(cast.coach, cast.desk)
    edit = url("desk_membership_edit", cast, pk=coach.pk)
    response = coordinator.post(edit, {"role": "coordinator", "partner": "", "organisation": ""})
    assert response.status_code == 302
    coach.refresh_from_db()
    assert coach.role == "coordinator"
    assert line(
        "Role of %(name)s changed from %(old)s to %(new)s%(partner)s",
        name="Cees Coach",
        old=Role.COACH.label,
        new=Role.COORDINATOR.label,
        partner="",
    ) in audit_lines(cast.desk)


def test_a_role_the_person_already_has_gives_a_message(coordinator, cast):
    Membership.objects.create(user=cast.coach, desk=cast.desk, role="project_group")
    coach = Membership.objects.get(user=cast.coach, desk=cast.desk, role="coach")
    edit = url("desk_membership_edit", cast, pk=coach.pk)
    response = coordinator.post(edit, {"role": "project_group", "partner": "", "organisation": ""})
    assert response.status_code == 200
    assert "already has this role" in str(response.context["form"].errors["role"])
    coach.refresh_from_db()
    assert coach.role == "coach"


def test_the_last_active_coordinator_cannot_be_demoted_or_deactivated(coordinator, cast):
    own = membership_of(cast.coordinator, cast.desk)
    edit = url("desk_membership_edit", cast, pk=own.pk)
    response = coordinator.post(edit, {"role": "coach", "partner": "", "organisation": ""})
    assert "only active coordinator" in str(response.context["form"].errors["role"])
    response = coordinator.post(url("desk_membership_deactivate", cast, pk=own.pk), follow=True)
    assert "You are the only active coordinator" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active and own.role == "coordinator"
    # With a second coordinator it can be done.
    second = make_member(cast.desk, "coordinator", full_name="Tweede Coördinator")
    assert coordinator.post(url("desk_membership_deactivate", cast, pk=own.pk)).status_code == 302
    own.refresh_from_db()
    assert not own.is_active
    # ... and the second one is now the last.
    from ondernemerspunt.desk_management import DeskManagementError, deactivate

    with pytest.raises(DeskManagementError):
        deactivate(membership=membership_of(second, cast.desk), by=second)


# --- Deactivating ---------------------------------------------------------------------------


def test_a_deactivated_coach_loses_access_at_once_and_cannot_log_in(client, coordinator, cast):
    from django.test import Client

    coach_client = Client()
    coach_client.force_login(cast.coach)
    resident_url = reverse("intake:resident_detail", kwargs={"pk": cast.resident.pk})
    assert coach_client.get(resident_url).status_code == 200
    coach = membership_of(cast.coach, cast.desk)
    assert coordinator.post(url("desk_membership_deactivate", cast, pk=coach.pk)).status_code == 302
    coach.refresh_from_db()
    assert not coach.is_active and coach.ended_at is not None
    cast.coach.refresh_from_db()
    assert not cast.coach.is_active
    # The open session no longer gets in, and the password no longer works.
    response = coach_client.get(resident_url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    login = Client().post(reverse("login"), {"username": cast.coach.email, "password": PASSWORD})
    assert login.status_code == 200  # the form again, with its message
    assert "_auth_user_id" not in login.client.session
    assert line(
        "%(name)s deactivated as %(role)s", name="Cees Coach", role=Role.COACH.label
    ) in audit_lines(cast.desk)
    # The history stays: the resident still names her coach.
    cast.resident.refresh_from_db()
    assert cast.resident.coach_id == cast.coach.pk


def test_a_deactivated_role_grants_nothing_while_another_role_stays(cast):
    Membership.objects.create(user=cast.coach, desk=cast.other_desk, role="coach")
    from ondernemerspunt.desk_management import deactivate

    deactivate(membership=membership_of(cast.coach, cast.desk), by=cast.coordinator)
    cast.coach.refresh_from_db()
    assert cast.coach.is_active  # still a coach elsewhere
    fresh = User.objects.get(pk=cast.coach.pk)
    assert [m.desk for m in memberships_of(fresh)] == [cast.other_desk]


def test_a_deactivated_coach_is_no_longer_offered_as_coach(client_for, cast):
    from intake.forms import staff_of

    assert cast.coach in staff_of([cast.desk])
    Membership.objects.filter(user=cast.coach).update(is_active=False)
    assert cast.coach not in staff_of([cast.desk])


def test_reactivating_gives_access_and_the_login_back(coordinator, cast):
    coach = membership_of(cast.coach, cast.desk)
    coordinator.post(url("desk_membership_deactivate", cast, pk=coach.pk))
    response = coordinator.post(url("desk_membership_reactivate", cast, pk=coach.pk))
    assert response.status_code == 302
    coach.refresh_from_db()
    cast.coach.refresh_from_db()
    assert coach.is_active and coach.ended_at is None and cast.coach.is_active
    assert line(
        "%(name)s reactivated as %(role)s", name="Cees Coach", role=Role.COACH.label
    ) in audit_lines(cast.desk)


def test_a_resident_who_was_also_staff_keeps_her_login(coordinator, cast):
    Membership.objects.create(user=cast.resident_user, desk=cast.desk, role="project_group")
    membership = Membership.objects.get(user=cast.resident_user)
    coordinator.post(url("desk_membership_deactivate", cast, pk=membership.pk))
    cast.resident_user.refresh_from_db()
    assert cast.resident_user.is_active


# --- Settings, with two coordinators at once ------------------------------------------------


def settings_data(desk, **fields):
    data = {
        "min_own_funds_percent": desk.min_own_funds_percent,
        "max_loan_amount": str(desk.max_loan_amount),
        "small_count_threshold": desk.small_count_threshold,
        "review_cosign": "on" if desk.review_cosign else "",
        "retention_days": desk.retention_days or "",
        "retention_after": desk.retention_after,
        "based_on": fingerprint(desk, SETTINGS_FIELDS),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v != "" or k != "review_cosign"}


def test_the_settings_are_saved_with_an_audit_line_per_change(coordinator, cast):
    desk = Desk.objects.get(pk=cast.desk.pk)
    response = coordinator.post(
        url("desk_settings", cast),
        settings_data(desk, max_loan_amount="35000", retention_days=730, review_cosign="on"),
    )
    assert response.status_code == 302
    desk.refresh_from_db()
    assert desk.max_loan_amount == 35000 and desk.retention_days == 730 and desk.review_cosign
    lines = audit_lines(cast.desk)
    assert any("maximaal microkrediet" in text and "35000" in text for text in lines), lines
    assert len(lines) == 3


@pytest.mark.parametrize("days", ["0", "29", "3651", "abc"])
def test_a_retention_outside_30_to_3650_days_is_refused(coordinator, cast, days):
    desk = Desk.objects.get(pk=cast.desk.pk)
    response = coordinator.post(
        url("desk_settings", cast), settings_data(desk, retention_days=days)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["retention_days"]
    assert response.context["form"]["retention_days"].value() == days
    desk.refresh_from_db()
    assert desk.retention_days is None
    assert audit_lines(cast.desk) == []


def test_an_empty_retention_means_no_rule(coordinator, cast):
    Desk.objects.filter(pk=cast.desk.pk).update(retention_days=365)
    desk = Desk.objects.get(pk=cast.desk.pk)
    coordinator.post(url("desk_settings", cast), settings_data(desk, retention_days=""))
    desk.refresh_from_db()
    assert desk.retention_days is None


def test_two_coordinators_do_not_overwrite_each_other(client_for, coordinator, cast):
    desk = Desk.objects.get(pk=cast.desk.pk)
    opened = settings_data(desk)  # both opened the page now
    second = make_member(cast.desk, "coordinator", full_name="Tweede Coördinator")
    other = english(client_for("coordinator"))
    other.force_login(second)
    assert (
        other.post(url("desk_settings", cast), {**opened, "min_own_funds_percent": 40}).status_code
        == 302
    )
    response = coordinator.post(url("desk_settings", cast), {**opened, "max_loan_amount": "50000"})
    assert response.status_code == 200
    assert "Someone else saved a change" in response.content.decode()
    assert 'id="saved-now"' in response.content.decode()
    desk.refresh_from_db()
    assert desk.min_own_funds_percent == 40 and desk.max_loan_amount == 250000
    # Saving again, knowing both, goes through.
    form = response.context["form"]
    again = {**opened, "max_loan_amount": "50000", "based_on": form["based_on"].value()}
    assert coordinator.post(url("desk_settings", cast), again).status_code == 302
    desk.refresh_from_db()
    assert desk.max_loan_amount == 50000


# --- Targets --------------------------------------------------------------------------------


def test_a_target_is_added_and_a_duplicate_year_gets_a_message(coordinator, cast):
    response = coordinator.post(url("desk_targets", cast), {"year": 2010, "participants": 55})
    assert response.status_code == 302
    assert cast.desk.targets.get(year=2010).participants == 55
    assert line(
        "Target for %(year)s set: %(participants)s participants", year=2010, participants=55
    ) in audit_lines(cast.desk)
    response = coordinator.post(url("desk_targets", cast), {"year": 2009, "participants": 60})
    assert response.status_code == 200
    assert "already a target for 2009" in str(response.context["form"].errors["year"])
    assert cast.desk.targets.get(year=2009).participants == 50


def test_a_target_is_changed(coordinator, cast):
    target = cast.desk.targets.get(year=2009)
    edit = url("desk_target_edit", cast, year=2009)
    data = {"participants": 45, "based_on": fingerprint(target, ("participants",))}
    assert coordinator.post(edit, data).status_code == 302
    target.refresh_from_db()
    assert target.participants == 45
    assert line(
        "Target for %(year)s changed from %(old)s to %(new)s participants",
        year=2009,
        old=50,
        new=45,
    ) in audit_lines(cast.desk)


# --- Neighbourhoods -------------------------------------------------------------------------


def test_a_neighbourhood_is_added_with_normalised_postcodes(coordinator, cast):
    data = {"name": "De Hoogte", "postcode_from": "9714 aa", "postcode_to": "9714ZZ"}
    assert coordinator.post(url("desk_neighbourhoods", cast), data).status_code == 302
    added = cast.desk.neighbourhoods.get(name="De Hoogte")
    assert (added.postcode_from, added.postcode_to) == ("9714AA", "9714ZZ")
    assert any("De Hoogte" in text for text in audit_lines(cast.desk))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "X", "postcode_from": "97AB", "postcode_to": "9714ZZ"}, "postcode_from"),
        ({"name": "X", "postcode_from": "9715AA", "postcode_to": "9714ZZ"}, "postcode_to"),
        ({"name": "wijk NOORD", "postcode_from": "9714AA", "postcode_to": "9714ZZ"}, "name"),
        ({"name": "X", "postcode_from": "9713KA", "postcode_to": "9714ZZ"}, "postcode_from"),
    ],
)
def test_a_wrong_neighbourhood_gets_a_message_next_to_the_field(coordinator, cast, data, field):
    response = coordinator.post(url("desk_neighbourhoods", cast), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert cast.desk.neighbourhoods.count() == 1


def test_removing_a_neighbourhood_leaves_its_residents_without_one(coordinator, cast):
    neighbourhood = cast.desk.neighbourhoods.get()
    type(cast.resident).objects.filter(pk=cast.resident.pk).update(neighbourhood=neighbourhood)
    delete = url("desk_neighbourhood_delete", cast, pk=neighbourhood.pk)
    page = coordinator.get(delete).content.decode()
    assert 'data-files="1"' in page
    assert "becomes empty" in page
    assert coordinator.post(delete).status_code == 302
    assert not Neighbourhood.objects.filter(pk=neighbourhood.pk).exists()
    cast.resident.refresh_from_db()
    assert cast.resident.neighbourhood is None and cast.resident.postcode


def test_a_neighbourhood_is_changed(coordinator, cast):
    neighbourhood = cast.desk.neighbourhoods.get()
    data = {
        "name": "Korrewegwijk",
        "postcode_from": neighbourhood.postcode_from,
        "postcode_to": neighbourhood.postcode_to,
        "based_on": fingerprint(neighbourhood, ("name", "postcode_from", "postcode_to")),
    }
    edit = url("desk_neighbourhood_edit", cast, pk=neighbourhood.pk)
    assert coordinator.post(edit, data).status_code == 302
    neighbourhood.refresh_from_db()
    assert neighbourhood.name == "Korrewegwijk"


# --- Partners -------------------------------------------------------------------------------


def test_a_partner_is_added_and_changed(coordinator, cast):
    data = {"name": "Rabobank Groningen", "kind": "bank", "email": "Info@Rabo.test", "phone": ""}
    assert coordinator.post(url("desk_partners", cast), data).status_code == 302
    partner = Partner.objects.get(desk=cast.desk, name="Rabobank Groningen")
    assert partner.email == "info@rabo.test"
    assert (partner.offers, partner.answer_days) == ("", 10)  # left empty: ten working days
    edit = url("desk_partner_edit", cast, pk=partner.pk)
    changed = {
        **data,
        "phone": "050 123 4567",
        "offers": "Zakelijke rekening, starterslening",
        "answer_days": "5",
        "based_on": fingerprint(partner, PARTNER_FIELDS),
    }
    assert coordinator.post(edit, changed).status_code == 302
    partner.refresh_from_db()
    assert partner.phone == "050 123 4567"
    assert (partner.offers, partner.answer_days) == ("Zakelijke rekening, starterslening", 5)
    lines = audit_lines(cast.desk)
    assert line("Partner organisation %(name)s added", name="Rabobank Groningen") in lines
    assert len(lines) == 4  # added; phone, offers and answer days changed


def test_a_partner_answering_in_more_than_sixty_working_days_gets_a_message(coordinator, cast):
    data = {"name": "Traag BV", "kind": "other", "email": "", "phone": "", "answer_days": "61"}
    response = coordinator.post(url("desk_partners", cast), data)
    assert response.status_code == 200
    assert response.context["form"].errors["answer_days"]
    assert not Partner.objects.filter(name="Traag BV").exists()


def test_a_partner_name_twice_gets_a_message(coordinator, cast):
    existing = membership_of(cast.partner, cast.desk).partner
    data = {"name": existing.name.upper(), "kind": "kvk", "email": "", "phone": ""}
    response = coordinator.post(url("desk_partners", cast), data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]


def test_another_desks_partner_answers_404(client_for, cast):
    elsewhere = make_partner(cast.other_desk)
    edit = reverse("desk_partner_edit", kwargs={"slug": cast.desk.slug, "pk": elsewhere.pk})
    assert client_for("coordinator").get(edit).status_code == 404


def test_residents_never_appear_in_the_trail_lines(coordinator, cast):
    make_resident(cast.desk, first_name="Geheim", last_name="Bewoner")
    coordinator.post(url("desk_targets", cast), {"year": 2011, "participants": 40})
    assert all("Geheim" not in text for text in audit_lines(cast.desk))


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deactivating_each_other_at_once_leave_one(cast):
    from ondernemerspunt.desk_management import DeskManagementError, deactivate
    from tests.concurrency import at_once

    second = make_member(cast.desk, "coordinator", full_name="Tweede Coördinator")
    first_role, second_role = (
        membership_of(cast.coordinator, cast.desk),
        membership_of(second, cast.desk),
    )
    results = at_once(
        lambda: deactivate(membership=second_role, by=cast.coordinator),
        lambda: deactivate(membership=first_role, by=second),
    )
    assert sum(isinstance(r, DeskManagementError) for r in results) == 1
    assert cast.desk.memberships.filter(role="coordinator", is_active=True).count() == 1


def test_a_coordinator_who_stops_herself_goes_home(coordinator, cast):
    make_member(cast.desk, "coordinator", full_name="Tweede Coördinator")
    own = membership_of(cast.coordinator, cast.desk)
    response = coordinator.post(url("desk_membership_deactivate", cast, pk=own.pk))
    assert response.url == reverse("home")
    assert coordinator.get(url("desk_people", cast)).status_code == 302  # no longer logged in


@pytest.mark.parametrize(
    ("name", "kwargs", "data"),
    [
        ("desk_target_edit", lambda cast: {"year": 2009}, {"participants": 70}),
        (
            "desk_neighbourhood_edit",
            lambda cast: {"pk": cast.desk.neighbourhoods.get().pk},
            {"name": "Nieuw", "postcode_from": "9713AA", "postcode_to": "9713ZZ"},
        ),
        (
            "desk_partner_edit",
            lambda cast: {"pk": membership_of(cast.partner, cast.desk).partner_id},
            {"name": "Nieuwe naam", "kind": "bank", "email": "", "phone": ""},
        ),
    ],
)
def test_an_edit_based_on_old_values_is_refused_and_shows_what_is_saved(
    coordinator, cast, name, kwargs, data
):
    address = url(name, cast, **kwargs(cast))
    response = coordinator.post(address, {**data, "based_on": "opened-long-ago"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="saved-now"' in page and "Someone else saved a change" in page
    assert audit_lines(cast.desk) == []
    again = {**data, "based_on": response.context["form"]["based_on"].value()}
    assert coordinator.post(address, again).status_code == 302
    assert audit_lines(cast.desk)  # one line per field that changed


# --- Found by trying the running application (issue 12 review) ------------------------------


def test_a_resent_invitation_cancels_the_earlier_link(
    coordinator, cast, mailoutbox, run_queued_tasks, committed
):
    """The first mail may have gone astray: only the newest link works."""
    committed(coordinator, url("desk_invite", cast), invite_data())
    run_queued_tasks()
    first = link_in(mailoutbox[0])
    membership = Membership.objects.get(user__email="nina@example.test")
    committed(coordinator, url("desk_invitation_resend", cast, pk=membership.pk))
    run_queued_tasks()
    second = link_in(mailoutbox[1])

    from django.test import Client

    invited = Client()  # not logged in, as the invited person is
    assert 'data-invitation-state="unknown"' in invited.get(first).content.decode()
    assert "choose-password" in invited.get(second).content.decode()


def test_a_coordinator_who_never_accepted_the_invitation_does_not_count(
    coordinator, cast, committed
):
    """Her address may be mistyped or her link expire: the desk would have nobody to run it."""
    committed(coordinator, url("desk_invite", cast), invite_data(role="coordinator"))
    own = membership_of(cast.coordinator, cast.desk)
    response = coordinator.post(url("desk_membership_deactivate", cast, pk=own.pk), follow=True)
    assert "You are the only active coordinator" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active


@pytest.mark.parametrize(
    ("field", "value"),
    [("max_loan_amount", "-1"), ("max_loan_amount", "0"), ("small_count_threshold", "1")],
)
def test_a_limit_that_would_break_the_checks_or_the_privacy_is_refused(
    coordinator, cast, field, value
):
    desk = Desk.objects.get(pk=cast.desk.pk)
    before = getattr(desk, field)
    response = coordinator.post(url("desk_settings", cast), settings_data(desk, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    desk.refresh_from_db()
    assert getattr(desk, field) == before


def test_an_invitation_opened_while_logged_in_as_someone_else_asks_to_log_out_first(
    client_for, coordinator, cast, mailoutbox, run_queued_tasks, committed
):
    """Setting the password would silently swap this browser's login for the invited one's."""
    committed(coordinator, url("desk_invite", cast), invite_data())
    run_queued_tasks()
    link = link_in(mailoutbox[0])
    someone = client_for("coach")
    page = someone.get(link).content.decode()
    assert 'data-invitation-state="logged_in"' in page
    someone.post(link, {"new_password1": CHOSEN, "new_password2": CHOSEN})
    assert not User.objects.get(email="nina@example.test").has_usable_password()
