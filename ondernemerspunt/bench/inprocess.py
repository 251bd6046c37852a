"""One page in-process (Django's test client, the whole middleware): its time, its queries, and
where a cProfile of a few requests says the time goes (``manage.py bench``)."""

import cProfile
import pstats
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# What the summary names, each the cumulative time of its outermost function (cProfile counts a
# recursive function's time once): (label, part of the file path, function names).
PARTS = [
    ("template rendering", "django/template/backends/django.py", {"render"}),
    ("crispy forms", "crispy_forms/", {"as_crispy_form", "render_crispy_form", "render"}),
    ("form and widget rendering", "django/forms/", {"render", "render_to_string"}),
    ("SQL (sending and waiting)", "django/db/backends/utils.py", {"_execute"}),
    ("ORM (queries and rows)", "django/db/models/query.py", {"_fetch_all"}),
    ("translations", "django/utils/translation/", {"gettext", "ngettext", "pgettext"}),
    ("session, user and memberships", "django/contrib/auth/middleware.py", {"get_user"}),
]
WHOLE = ("django/core/handlers/base.py", "get_response")
WRAPPERS = {"__call__", "_view_wrapper", "wrapper", "inner", "process_view", "_wrapper_view"}


@dataclass
class Profile:
    url: str
    median_ms: float
    queries: int
    profiled_ms: float  # the whole request under the profiler (slower than without)
    parts: dict = field(default_factory=dict)  # label -> ms per request, under the profiler
    top: list = field(default_factory=list)  # (name, ms per request)

    def share(self, label: str) -> float:
        return self.parts.get(label, 0.0) / self.profiled_ms if self.profiled_ms else 0.0


def client_for(session_key: str | None) -> Client:
    client = Client()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def measure(url: str, session_key: str | None, runs: int = 20) -> Profile:
    client = client_for(session_key)
    host = next((h for h in settings.ALLOWED_HOSTS if "*" not in h), "127.0.0.1")

    def get():
        headers = {"host": host, "x-forwarded-proto": "https"}
        response = client.get(url, secure=True, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} in-process, not 200")

    for _ in range(3):
        get()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = len(captured)  # now: the next request clears the connection's log
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        get()
    profiler.disable()
    stats = pstats.Stats(profiler).stats

    def cumulative(path_part: str, names: set[str]) -> float:
        found = [
            value[3]
            for (path, _line, name), value in stats.items()
            if path_part in path and name in names
        ]
        return max(found, default=0.0) / runs * 1000

    whole = cumulative(WHOLE[0], {WHOLE[1]})
    profile = Profile(url, statistics.median(timings), queries, whole)
    profile.parts = {label: cumulative(part, names) for label, part, names in PARTS}
    # Where the time goes in our own code: its biggest functions, without the wrappers every
    # request passes through (middleware, decorators).
    entries = sorted(
        (
            (value[3] / runs * 1000, f"{short(path)}:{name}")
            for (path, _line, name), value in stats.items()
            if ours(path) and name not in WRAPPERS and value[3] / runs * 1000 < 0.9 * whole
        ),
        reverse=True,
    )
    profile.top = [(name, ms) for ms, name in entries[:6]]
    return profile


def ours(path: str) -> bool:
    """The project's own code (not the virtualenv's packages, not this benchmark)."""
    base = str(settings.BASE_DIR) + "/"
    return path.startswith(base) and "/.venv/" not in path and "/bench/" not in path


def short(path: str) -> str:
    for marker in ("site-packages/", "/work/main/", str(settings.BASE_DIR) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path
