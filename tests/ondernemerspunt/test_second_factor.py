"""A second factor before anyone sees residents' data (issue 13, finding 8).

These tests log in through the password form, as people do: ``force_login`` passes the second
factor too (tests/conftest.py).
"""

import base64
import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ondernemerspunt.second_factor import OPEN_BEFORE_SECOND_FACTOR, finish_enrolment
from tests.access_matrix import url_names
from tests.factories import PASSWORD, current_code, make_plan, make_user, second_factor_for
from tests.test_access_matrix import ALL_ROWS

SETUP = reverse("second_factor_setup")
VERIFY = reverse("second_factor_verify")


def log_in_with_password(client, user, *, english=False):
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def sent_to(response, page):
    return response.status_code == 302 and response.url.split("?")[0] == page


def app_code(user):
    return current_code(TOTPDevice.objects.get(user=user))


def test_every_url_sends_a_coach_without_a_second_factor_to_set_one_up(client, cast):
    """Not a chosen list: every row of the access matrix, which has a row for every URL."""
    log_in_with_password(client, cast.coach)
    checked = set()
    for row in ALL_ROWS:
        if row.name in OPEN_BEFORE_SECOND_FACTOR:
            continue
        url = reverse(row.name, kwargs=row.kwargs(cast)) + (f"?{row.query}" if row.query else "")
        response = getattr(client, row.method)(url, row.data(cast))
        assert sent_to(response, SETUP), f"{row}: {response.status_code}"
        checked.add(row.name)
    assert checked | OPEN_BEFORE_SECOND_FACTOR >= url_names()
    assert not StaticDevice.objects.exists()  # nothing was set up along the way


@pytest.mark.parametrize(
    "page",
    [
        lambda cast: reverse("home"),
        lambda cast: reverse("intake:resident_list"),
        lambda cast: reverse("intake:resident_detail", args=[cast.resident.pk]),
        lambda cast: reverse("coaching:plan_list"),
        lambda cast: reverse("coaching:plan_detail", args=[make_plan(cast.resident).pk]),
        lambda cast: "/beheer/",
    ],
    ids=["home", "resident_list", "resident_detail", "plan_list", "plan_detail", "admin"],
)
def test_a_coach_with_an_app_is_asked_for_a_code_first_and_then_sent_on(client, cast, page):
    second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach)
    url = page(cast)
    response = client.get(url)
    assert sent_to(response, VERIFY)
    assert cast.resident.last_name not in client.get(response.url).content.decode()
    response = client.post(response.url, {"token": app_code(cast.coach)})
    assert response.status_code == 302 and response.url == url


def test_setting_up_the_app_with_a_real_code_then_the_recovery_codes_once(client, cast):
    log_in_with_password(client, cast.coordinator)
    wanted = reverse("intake:resident_list")
    response = client.get(wanted)
    assert sent_to(response, SETUP)

    page = client.get(response.url)
    device = TOTPDevice.objects.get(user=cast.coordinator, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    html = page.content.decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # The QR code is drawn here: an inline image, no request to any other site.
    assert 'id="second-factor-qr"' in html and 'src="data:image/svg+xml;base64,' in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert client.get(response.url).context["secret"] == page.context["secret"]  # same on reload

    response = client.post(response.url, {"token": current_code(device)})
    assert sent_to(response, reverse("second_factor_codes"))
    codes = client.get(response.url)
    shown = codes.context["codes"]
    assert len(shown) == 10 and len(set(shown)) == 10
    assert all(code in codes.content.decode() for code in shown)
    download = client.get(reverse("second_factor_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in shown)

    response = client.post(response.url)  # "I have kept my codes"
    assert response.status_code == 302 and response.url == wanted
    assert client.get(wanted).status_code == 200
    # Shown once: afterwards neither the page nor the download gives them again.
    assert client.get(reverse("second_factor_codes")).url == reverse("home")
    assert client.get(reverse("second_factor_codes_download")).url == reverse("home")
    assert TOTPDevice.objects.get(user=cast.coordinator).confirmed


def test_a_recovery_code_works_once(client, cast):
    finish_enrolment(device=TOTPDevice.objects.create(user=cast.partner, confirmed=False))
    code = StaticToken.objects.filter(device__user=cast.partner).first().token
    log_in_with_password(client, cast.partner)
    response = client.post(VERIFY + "?next=/", {"recovery_code": code.upper()})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=cast.partner).count() == 9

    client.post(reverse("logout"))
    log_in_with_password(client, cast.partner)
    response = client.post(VERIFY, {"recovery_code": code})
    assert response.status_code == 200
    assert response.context["recovery_form"].errors["recovery_code"]
    assert sent_to(client.get(reverse("home")), VERIFY)


@pytest.mark.parametrize("role", ["resident", "project_group"])
def test_residents_and_the_project_group_are_not_asked(client, cast, role):
    log_in_with_password(client, cast.user(role))
    assert client.get(reverse("home")).status_code == 200
    if role == "project_group":
        dashboard = reverse("progress_dashboard", args=[cast.desk.slug, 2009])
        assert client.get(dashboard).status_code == 200
    assert client.get(SETUP).url == reverse("home")
    assert client.get(VERIFY).url == reverse("home")
    assert not TOTPDevice.objects.exists()


def test_the_admin_asks_a_platform_admin_for_the_second_factor(client, cast):
    admin = make_user("Beheerder", "beheer@example.test", is_staff=True, is_superuser=True)
    log_in_with_password(client, admin)
    response = client.get("/beheer/")
    assert sent_to(response, SETUP)
    assert sent_to(client.get("/beheer/auth/group/"), SETUP)
    second_factor_for(admin)
    response = client.get("/beheer/")
    assert sent_to(response, VERIFY)
    response = client.post(response.url, {"token": app_code(admin)})
    assert response.url == "/beheer/"
    assert client.get("/beheer/").status_code == 200


def test_a_platform_admin_removes_a_coachs_app_and_the_coach_sets_up_a_new_one(
    client, admin_client, cast
):
    device = second_factor_for(cast.coach)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.coach).exists()
    log_in_with_password(client, cast.coach)
    assert sent_to(client.get(reverse("home")), SETUP)


def test_the_admin_never_shows_the_secret(admin_client, cast):
    device = second_factor_for(cast.coach)
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200
    assert device.key not in page.content.decode()


def test_a_wrong_code_gets_a_clear_message_and_tries_slow_down(client, cast):
    device = second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach, english=True)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "This code is not right" in response.context["form"].errors["token"][0]

    # The right code straight after a wrong one waits its turn.
    response = client.post(VERIFY, {"token": current_code(device)})
    assert "Too many wrong codes. Wait" in response.context["form"].errors["token"][0]
    assert sent_to(client.get(reverse("home")), VERIFY)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # Each wrong code in a row doubles the wait.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5,
        throttling_failure_timestamp=timezone.now(),
    )
    response = client.post(VERIFY, {"token": current_code(device)})
    # 2^(5-1) = 16 seconds from the last wrong code (a slow test run may have used one up).
    assert re.search(r"Wait 1[56] seconds", response.context["form"].errors["token"][0])

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=17)
    )
    response = client.post(VERIFY, {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("token", ["", "12ab56", "1234567", "12\x0034", "١٢٣٤٥٦"])
def test_a_code_that_cannot_be_one_gets_a_message_and_costs_no_try(client, cast, token):
    device = second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach)
    response = client.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_code_typed_with_a_space_works(client, cast):
    device = second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach)
    code = current_code(device)
    assert client.post(VERIFY, {"token": f"{code[:3]} {code[3:]}"}).status_code == 302


def test_only_the_password_cannot_add_an_app_of_ones_own(client, cast):
    second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach)
    assert sent_to(client.get(SETUP), VERIFY)
    assert sent_to(client.post(SETUP, {"token": "123456"}), VERIFY)
    assert TOTPDevice.objects.filter(user=cast.coach).count() == 1


@pytest.mark.parametrize("target", ["https://elders.example/", "//elders.example/", "javascript:x"])
def test_after_the_code_it_never_goes_to_another_site(client, cast, target):
    device = second_factor_for(cast.coach)
    log_in_with_password(client, cast.coach)
    response = client.post(VERIFY + "?next=" + target, {"token": current_code(device)})
    assert response.url == reverse("home")


def test_the_demo_staff_share_one_published_app_secret_and_the_others_have_none(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with_app = set(
        TOTPDevice.objects.filter(confirmed=True, key=settings.DEMO_SECOND_FACTOR_KEY).values_list(
            "user__email", flat=True
        )
    )
    assert {"coordinator@korrewegwijk.example", "coach@korrewegwijk.example"} <= with_app
    assert "kvk@korrewegwijk.example" in with_app
    assert "projectgroep@korrewegwijk.example" not in with_app
    assert "bewoner@korrewegwijk.example" not in with_app
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert TOTPDevice.objects.count() == len(with_app)
