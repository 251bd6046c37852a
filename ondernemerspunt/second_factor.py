"""A second factor for everyone who sees residents' data (issue 13): an authenticator app (TOTP)
with ten recovery codes, from django-otp.

Coordinators, coaches, partner contacts and platform admins (``is_staff``) need it; residents
and project-group members (aggregates only) do not. After the password, such a user without a
confirmed app is sent to ``second_factor_setup`` (scan the QR code or type the secret, confirm
with a code, then see the recovery codes once); a user with one is asked for a code, or a
recovery code, which is then used up, at ``second_factor_verify``.

``SecondFactorMiddleware`` sends every request of a user who has not passed the second factor
to those pages, whatever the URL, the Django admin's too: only the second-factor pages, logging
out, the language switch and "Stay logged in" are open before it. Passing it is kept in the
server-side session (django-otp's ``otp_device_id``; the session key changes at that moment),
so a verified request costs no query; a device that a platform admin deletes in the admin is
asked for again at the next login.

Wrong codes are throttled by django-otp, per device: after n wrong codes in a row the next try
waits 2^(n-1) seconds (``OTP_TOTP_THROTTLE_FACTOR``, ``OTP_STATIC_THROTTLE_FACTOR``); django-axes
covers the password.
"""

import base64
import math
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ondernemerspunt.access import has_role
from ondernemerspunt.http import require_GET_or_POST
from ondernemerspunt.models import Role

RECOVERY_CODE_COUNT = 10
# Set in the session right after enrolment: the recovery codes may be shown (and downloaded)
# until the person says they kept them.
SHOW_CODES = "second_factor_show_codes"
# What an unverified user may still reach (URL names); everything else sends them here.
OPEN_BEFORE_SECOND_FACTOR = {
    "second_factor_verify",
    "second_factor_setup",
    "second_factor_codes",
    "second_factor_codes_download",
    "logout",
    "set_language",
    "session_keep_alive",
}


SECOND_FACTOR_ROLES = (Role.COORDINATOR, Role.COACH, Role.PARTNER)


def needs_second_factor(user) -> bool:
    """Whether this user sees residents' data (or runs the installation)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or has_role(user, *SECOND_FACTOR_ROLES)


def is_verified(request) -> bool:
    return bool(request.session.get(django_otp.DEVICE_ID_SESSION_KEY))


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# --- The rule on every request -------------------------------------------------------------


class SecondFactorMiddleware:
    """Until the second factor is passed, every page answers with a redirect to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.second_factor_pending = needs_second_factor(request.user) and not is_verified(
            request
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.second_factor_pending:
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = "second_factor_verify" if app_device(request.user) else "second_factor_setup"
        # Back to the page asked for afterwards; a form sent before the second factor is not
        # replayed.
        query = (
            "?" + urlencode({"next": request.get_full_path()})
            if request.method in ("GET", "HEAD")
            else ""
        )
        return redirect(reverse(target) + query)


# --- Services ------------------------------------------------------------------------------


def start_enrolment(user) -> TOTPDevice:
    """The app being set up: the same secret on every reload until it is confirmed."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device


@transaction.atomic
def finish_enrolment(*, device: TOTPDevice) -> StaticDevice:
    """Confirm the app and give the person fresh recovery codes (old ones stop working)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    codes = StaticDevice.objects.create(user=device.user, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=codes, token=StaticToken.random_token())
        for _ in range(RECOVERY_CODE_COUNT)
    )
    return codes


def check_code(request, device, code: str) -> str | None:
    """Verify ``code`` with ``device``; None when it is right, else what to tell the person."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        seconds = math.ceil((details["locked_until"] - timezone.now()).total_seconds())
        return _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {
            "seconds": max(seconds, 1)
        }
    # django-otp locks the device row while it checks: two tries at once count as two.
    if django_otp.verify_token(request.user, device.persistent_id, code) is None:
        if isinstance(device, StaticDevice):
            return _("This recovery code is not right, or it was used before.")
        return _(
            "This code is not right. Enter the code your app shows now; if it keeps failing, "
            "check that the time on your phone is right."
        )
    return None


def pass_second_factor(request, device) -> None:
    # A new session key, as at the password: a key seen before this moment is worth nothing.
    request.session.cycle_key()
    django_otp.login(request, device)


def safe_next(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The app's set-up link as a QR code: an SVG drawn here, shown as a data: image."""
    svg = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=12
    ).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def readable_secret(device: TOTPDevice) -> str:
    """The secret in base32 as apps ask for it, in groups of four for typing over."""
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- Forms ---------------------------------------------------------------------------------


class AppCodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your app"),
        help_text=gettext_lazy("Six digits. A new code appears every 30 seconds."),
        max_length=20,
        error_messages={"required": gettext_lazy("Enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        RegexValidator(r"^[0-9]{6}\Z", gettext_lazy("Enter the six digits your app shows."))(token)
        return token


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Recovery code"),
        help_text=gettext_lazy("One of the ten codes you printed or saved. Each works once."),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter one of your recovery codes.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_recovery_code(self):
        code = "".join(self.cleaned_data["recovery_code"].split()).replace("-", "").lower()
        RegexValidator(r"^[a-z2-7]{8}\Z", gettext_lazy("A recovery code has eight characters."))(
            code
        )
        return code


# --- Views ---------------------------------------------------------------------------------


def _not_for_this_user(request):
    """Where the set-up and verify pages send someone they are not for, or None."""
    if not needs_second_factor(request.user):
        return redirect("home")
    if is_verified(request):
        return redirect(safe_next(request))
    return None


@login_required
@require_GET_or_POST
def setup(request):
    """Set up the app: scan or type the secret, then confirm with a code it shows."""
    if (elsewhere := _not_for_this_user(request)) is not None:
        return elsewhere
    if app_device(request.user) is not None:
        # Someone who knows only the password must not add an app of their own.
        return redirect(reverse("second_factor_verify") + _next_query(request))
    device = start_enrolment(request.user)
    form = AppCodeForm(request.POST or None)
    if form.is_valid():
        problem = check_code(request, device, form.cleaned_data["token"])
        if problem is None:
            finish_enrolment(device=device)
            pass_second_factor(request, app_device(request.user))
            request.session[SHOW_CODES] = True
            return redirect(reverse("second_factor_codes") + _next_query(request))
        form.add_error("token", problem)
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "secret": readable_secret(device),
    }
    return render(request, "registration/second_factor_setup.html", context)


@login_required
@require_GET_or_POST
def verify(request):
    """Ask for a code from the app, or one recovery code."""
    if (elsewhere := _not_for_this_user(request)) is not None:
        return elsewhere
    device = app_device(request.user)
    if device is None:
        return redirect(reverse("second_factor_setup") + _next_query(request))
    using_recovery = "recovery_code" in request.POST
    form = AppCodeForm(None if using_recovery else request.POST or None)
    recovery_form = RecoveryCodeForm(request.POST if using_recovery else None)
    if form.is_valid():
        if (problem := check_code(request, device, form.cleaned_data["token"])) is None:
            pass_second_factor(request, device)
            return redirect(safe_next(request))
        form.add_error("token", problem)
    if recovery_form.is_valid():
        recovery = recovery_device(request.user)
        code = recovery_form.cleaned_data["recovery_code"]
        problem = (
            check_code(request, recovery, code)
            if recovery is not None
            else _("This recovery code is not right, or it was used before.")
        )
        if problem is None:
            pass_second_factor(request, recovery)
            left = recovery.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You logged in with a recovery code; %(left)s code is left. Lost your "
                    "phone? Ask the platform admin to remove your second factor, then set up "
                    "a new one at your next login.",
                    "You logged in with a recovery code; %(left)s codes are left. Lost your "
                    "phone? Ask the platform admin to remove your second factor, then set up "
                    "a new one at your next login.",
                    left,
                )
                % {"left": left},
            )
            return redirect(safe_next(request))
        recovery_form.add_error("recovery_code", problem)
    context = {"form": form, "recovery_form": recovery_form, "using_recovery": using_recovery}
    return render(request, "registration/second_factor_verify.html", context)


@login_required
@require_GET_or_POST
def codes(request):
    """The recovery codes, once: right after set-up, until the person says they kept them."""
    if not request.session.get(SHOW_CODES) or not is_verified(request):
        return redirect("home")
    if request.method == "POST":
        del request.session[SHOW_CODES]
        return redirect(safe_next(request))
    context = {"codes": _codes_of(request.user), "next": safe_next(request)}
    return render(request, "registration/second_factor_codes.html", context)


@login_required
@require_safe
def codes_download(request):
    if not request.session.get(SHOW_CODES) or not is_verified(request):
        return redirect("home")
    lines = [
        _("Ondernemerspunt: recovery codes for %(email)s") % {"email": request.user.email},
        _("Each code works once, instead of a code from your app."),
        "",
        *_codes_of(request.user),
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ondernemerspunt-herstelcodes.txt"'
    return response


def _codes_of(user) -> list[str]:
    device = recovery_device(user)
    if device is None:
        return []
    return list(device.token_set.order_by("pk").values_list("token", flat=True))


def _next_query(request) -> str:
    target = request.GET.get("next")
    return "?" + urlencode({"next": target}) if target else ""
