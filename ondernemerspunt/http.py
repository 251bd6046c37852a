"""What a request may carry: the HTTP methods every view declares (anything else answers 405),
the version numbers that pages send back with a form, a form's posted data, and the site a
request came in on.

A view that took any method could be read with PUT, PATCH or OPTIONS, past the code that writes
the audit trail; ``tests/test_http_methods.py`` walks every URL with the methods no view takes.
Read-only views use Django's ``require_safe`` (GET and HEAD); pages with a form use this.
"""

from django.views.decorators.http import require_http_methods

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])  # noqa: N816

# The largest number a version column (PositiveIntegerField) holds: a hidden version field
# beyond it is not one a page of ours sent, and the database would refuse it.
MAX_VERSION = 2**31 - 1


def bounded_version(value) -> int | None:
    """A version number as a page sent it, or None when it cannot be one (not a whole number,
    below 0, or beyond what the database column holds)."""
    try:
        version = int(value)
    except (TypeError, ValueError):
        return None
    return version if 0 <= version <= MAX_VERSION else None


def posted(request):
    """The data a form is bound to: the POST on a POST, else None (an unbound form). Not
    ``request.POST or None``: an empty POST is a submitted empty form, and gets messages."""
    return request.POST if request.method == "POST" else None


def site_of(request) -> str:
    """Scheme and host the request came in on, for links in e-mails: they point where the user
    was (the host is checked against ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


def add_refusal(form, error) -> None:
    """A service's refusal (an error with ``message`` and ``field``) next to its field, or above
    the form when the form has no such field."""
    field = error.field if getattr(error, "field", None) in form.fields else None
    form.add_error(field, str(error.message))
