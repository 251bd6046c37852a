"""HTTP methods every view declares: anything else answers 405.

A view that took any method could be read with PUT, PATCH or OPTIONS, past the code that writes
the audit trail; ``tests/test_http_methods.py`` walks every URL with the methods no view takes.
Read-only views use Django's ``require_safe`` (GET and HEAD); pages with a form use this.
"""

from django.views.decorators.http import require_http_methods

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])  # noqa: N816
