"""Logging in safely: who is asking (behind the proxy), the reset mail, lifting a lockout.

django-axes locks an (e-mail address, client address) pair after too many wrong passwords. Both
halves must be right: the client address is the one our own proxy saw, never one a client wrote
into a header, and the mail that lets someone set a new password must not reveal, by how long
the request takes, whether the address has an account.
"""

import ipaddress

from axes.utils import reset as reset_axes_attempts
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task
from django.utils import translation


def client_ip(request) -> str | None:
    """The address the request came from, as our own proxies saw it (``AXES_CLIENT_IP_CALLABLE``).

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    with ``TRUSTED_PROXY_COUNT`` proxies the client is that many entries from the right. Anything
    further left was written by the client and proves nothing: trusting it would let an attacker
    choose the address that gets locked, or a fresh address for every guess. Without proxies
    (development, or a header that is missing or malformed) the TCP peer is the client.
    """
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted:
        return remote  # the request did not pass through all our proxies
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote  # axes stores an IP address; "unknown" or "1.2.3.4:80" would not save


@task()
def send_password_reset_mail(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Mail a link to set a new password if an active account uses ``email``; nothing otherwise.

    The request only queues this task, for every address typed, known or not: the lookup and
    the mail (hundreds of milliseconds over SMTP) happen here, so the answer to the request takes
    the same time whether the address belongs to someone or not.
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        # Django's form finds the active accounts with a usable password and sends the mail;
        # the domain is the host the request was made to (checked against ALLOWED_HOSTS).
        form.save(domain_override=domain, use_https=use_https)


def lift_lockout(user) -> None:
    """Forget the failed logins of this account from every address.

    Called when a new password was set through a reset link: whoever did that controls the
    mailbox, and a lockout must not keep the owner out for the rest of the hour.
    """
    reset_axes_attempts(username=user.email)
