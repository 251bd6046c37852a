"""Measure how fast one desk's progress dashboard answers: the median of many full requests.

Each run is a complete GET through the middleware, the view, the queries and the template, as a
project group member of the desk (the slowest viewer: suppression on). Run it with production
settings — DEBUG off, collected static files — against a database filled by
``generate_national_data``; docs/performance.md has the exact commands and the figures.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ondernemerspunt.models import Desk, Membership, Role


class Command(BaseCommand):
    help = "Time the progress dashboard of one desk over many requests (median, p90)."

    def add_arguments(self, parser):
        parser.add_argument("--desk", required=True, help="slug of the desk")
        parser.add_argument("--year", type=int, default=2009)
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument("--warm-up", type=int, default=3, help="runs not counted")
        parser.add_argument("--query", default="", help="query string, e.g. period=q2")
        parser.add_argument("--target-ms", type=float, default=150.0)
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print EXPLAIN (ANALYZE, BUFFERS) of every query of one request",
        )

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        desk = Desk.objects.filter(slug=options["desk"]).first()
        if desk is None:
            raise CommandError(f"No desk with slug {options['desk']!r}.")
        member = (
            Membership.objects.filter(desk=desk, role=Role.PROJECT_GROUP)
            .select_related("user")
            .first()
        )
        if member is None:
            raise CommandError(f"Desk {desk.slug} has no project group member to measure as.")
        if settings.DEBUG:
            self.stderr.write(
                "Warning: DEBUG is on; measure with DEBUG=false for production-like figures."
            )

        client = Client()
        client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("progress_dashboard", kwargs={"slug": desk.slug, "year": options["year"]})
        if options["query"]:
            url += f"?{options['query']}"
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "testserver")
        host = host.lstrip(".")

        def get():
            response = client.get(url, secure=not settings.DEBUG, headers={"host": host})
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}, not 200.")
            return response

        started = time.perf_counter()
        first = get()
        cold_ms = (time.perf_counter() - started) * 1000
        for _ in range(options["warm_up"]):
            get()
        timings = []
        for _ in range(options["runs"]):
            started = time.perf_counter()
            get()
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            get()

        timings.sort()
        median = statistics.median(timings)
        p90 = timings[min(len(timings) - 1, int(round(0.9 * len(timings))) - 1)]
        self.stdout.write(f"desk {desk.slug}, year {options['year']}, url {url}")
        self.stdout.write(
            f"DEBUG={settings.DEBUG}, database {connection.settings_dict['NAME']}, "
            f"{len(first.content)} bytes, {len(queries.captured_queries)} queries per request"
        )
        self.stdout.write(f"first request (cold): {cold_ms:.1f} ms")
        self.stdout.write(
            f"{len(timings)} runs: median {median:.1f} ms, p90 {p90:.1f} ms, "
            f"min {timings[0]:.1f} ms, max {timings[-1]:.1f} ms"
        )
        verdict = "within" if median <= options["target_ms"] else "OVER"
        self.stdout.write(f"{verdict} the target of {options['target_ms']:.0f} ms (median)")
        if options["explain"]:
            self.explain(queries.captured_queries)

    def explain(self, captured):
        """The plan of every query that reads residents' records (the ones that grow)."""
        with connection.cursor() as cursor:
            for query in captured:
                sql = query["sql"]
                if "intake_" not in sql:
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
                self.stdout.write(f"\n-- {query['time']} s\n{sql}\n")
                self.stdout.write("\n".join(row[0] for row in cursor.fetchall()))
