"""Sessions end when nobody uses them: shared computers (issue 13).

Residents often work on a computer in a library or community centre. The session cookie lives
only as long as the browser (``SESSION_EXPIRE_AT_BROWSER_CLOSE``), and a session that nobody
used for a while ends on the server: after ``SESSION_IDLE_SECONDS_RESIDENT`` (30 minutes) for a
resident, after ``SESSION_IDLE_SECONDS_STAFF`` (2 hours) for someone who works at a desk or runs
the installation: staff sit at their own computer, and a coach writing up a long conversation
should not lose the session in the middle of it.

Every request counts as activity and is noted in the session (at most once a minute). The page
learns how long the session has left (``request.idle_timeout``, data attributes in base.html);
``static/js/session.js`` warns ``SESSION_IDLE_WARNING_SECONDS`` before the end and offers a
button that calls ``keep_alive``. Nothing typed in the plan is lost when the session ends: the
plan's autosave keeps it in the browser until the same user logs in again.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ondernemerspunt.access import memberships_of

LAST_ACTIVITY = "last_activity"
clock = time.time  # seconds; tests move it forward


@dataclass(frozen=True)
class IdleTimeout:
    """What the page needs to warn in time (base.html puts it in data attributes)."""

    seconds_left: int
    warn_before: int
    short: bool  # the residents' limit: the warning also says their plan's typing is kept


def idle_limit(user) -> int:
    """Seconds without a request after which this user's session ends."""
    if user.is_staff or memberships_of(user):
        return settings.SESSION_IDLE_SECONDS_STAFF
    # Residents, and anyone without a role at a desk: the short limit is the safe default.
    return settings.SESSION_IDLE_SECONDS_RESIDENT


def start_idle_clock(sender, request, user, **kwargs):
    """At login (Django's user_logged_in): the session starts as freshly used."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = clock()


def touch(request, limit: int) -> None:
    """Note this request as activity and tell the page how long the session has left."""
    now = clock()
    request.session[LAST_ACTIVITY] = now
    _tell_the_page(request, limit, limit)


def _tell_the_page(request, limit: int, seconds_left: float) -> None:
    request.idle_timeout = IdleTimeout(
        seconds_left=int(seconds_left),
        warn_before=min(settings.SESSION_IDLE_WARNING_SECONDS, limit),
        short=limit == settings.SESSION_IDLE_SECONDS_RESIDENT,
    )


class IdleTimeoutMiddleware:
    """Log out a user whose session was idle too long; otherwise note this request's time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        now = clock()
        limit = idle_limit(request.user)
        last = request.session.get(LAST_ACTIVITY)
        if not isinstance(last, (int, float)):
            touch(request, limit)
            return
        if now - last >= limit:
            logout(request)
            # Only a page the person opens shows why; an autosave or a keep-alive call in the
            # background would swallow the message before anyone reads it.
            if request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate":
                messages.info(
                    request,
                    _(
                        "You were logged out because nothing happened for %(minutes)s minutes. "
                        "Log in again to go on."
                    )
                    % {"minutes": round(limit / 60)},
                )
            return
        # Writing the session costs queries on every request: a new time is noted only once
        # the last one is a little old (a minute for the 30-minute limit). The page is told
        # the exact time left, so its warning comes on time all the same.
        if now - last >= min(60, limit / 30):
            touch(request, limit)
        else:
            _tell_the_page(request, limit, limit - (now - last))


@login_required
@require_POST
def keep_alive(request):
    """The "Stay logged in" button: always a fresh start of the idle time."""
    limit = idle_limit(request.user)
    touch(request, limit)
    return JsonResponse({"seconds_left": limit})
