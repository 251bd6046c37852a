"""Benchmark of the Qredits pack (issue 11): "rendering a 15-page pack takes at most 1.3× a plain
``write_pdf()`` of the same HTML".

Run it from the project's root::

    DEBUG=true .venv/bin/python -m ondernemerspunt.bench.pack --runs 5

It makes a database of its own (``test_pack_bench``, as the test runner does: migrated, kept
for the next run, never the development database), and in a transaction that is rolled back at
the end a desk, a coach, a resident with the demo salon's plan whose texts are made long, a
concluded review that found it ready, and an application. Then, alternating, a few runs of

- **the service**: the task ``coaching.packs.render_pack`` as the worker runs it — reading the
  application, rendering the templates, WeasyPrint through our static-only fetcher, counting
  the pages from the rendered document and storing the PDF;
- **plain**: ``HTML(string=html).write_pdf()`` with WeasyPrint's default settings of the same
  HTML (``pack_html``), its stylesheet put inline: without a base URL a ``<link>`` could not be
  loaded, and a page without its stylesheet is a different, shorter layout.

It prints the medians and the ratio and writes them into docs/performance.md, in the section
between the ``pack-bench`` markers (after the page benchmark's, which ``make bench`` rewrites).
"""

import argparse
import os
import re
import statistics
import time
from pathlib import Path

SECTION_START = "<!-- pack-bench:start -->"
SECTION_END = "<!-- pack-bench:end -->"
TARGET = 1.3
BENCH_DATABASE = "test_pack_bench"

# Long answers, as a resident who writes a lot: the plan's text parts fill several pages.
LONG = (
    "Ik heb hier lang over nagedacht en met veel mensen over gesproken: met klanten van de salon "
    "waar ik werkte, met mijn coach, met de KvK en met andere ondernemers in de wijk. "
    "Wat ik heb geleerd schrijf ik hier op, zodat de lezer ziet waarom ik denk dat dit lukt. "
)


def long_text(base: str, paragraphs: int) -> str:
    return base + "\n\n" + "\n\n".join(LONG for _ in range(paragraphs))


def bench_sections():
    import copy
    from decimal import Decimal

    from coaching.demo import SALON

    sections = copy.deepcopy(SALON)
    for key in ("entrepreneur", "business"):
        for name, value in sections[key].items():
            if isinstance(value, str) and len(value) > 60:
                sections[key][name] = long_text(value, 1)
    # One loan: the family's 2,500 becomes her own money, so that the schedules take five
    # pages rather than eight and the long texts fill the rest.
    financing = sections["financing"]
    financing["own_funds"] = str(
        Decimal(financing["own_funds"]) + Decimal(financing["family_amount"])
    )
    financing.update(family_amount=None, family_rate=None, family_months=None)
    return sections


def make_application():
    """Everything a pack needs, as the pages would have made it."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from coaching.applications import start_application
    from coaching.models import PlanSection, Review, ReviewItem
    from coaching.models.plans import Verdict
    from coaching.reviews import start_review
    from coaching.services import start_plan, submit_plan
    from intake.models import Resident, Stage
    from ondernemerspunt.models import Desk, Membership, User

    desk = Desk.objects.create(slug="pack-bench", name="Ondernemerspunt Bench", city="Groningen")
    coach = User.objects.create_user("coach@pack-bench.invalid", None, full_name="Cees Coach")
    Membership.objects.create(user=coach, desk=desk, role="coach")
    resident = Resident(
        desk=desk,
        coach=coach,
        first_name="Fatma",
        last_name="Yilmaz",
        city="Groningen",
        date_of_birth=datetime.date(1978, 4, 12),
        business_idea="Kapsalon Fatma",
        sector="Kappers",
        stage=Stage.IN_TRAJECTORY,
        registered_on=datetime.date(2009, 1, 15),
    )
    resident.search_text = resident.build_search_text()
    resident.sort_name = resident.build_sort_name()
    resident.save()
    plan = start_plan(resident=resident)
    for key, data in bench_sections().items():
        PlanSection.objects.filter(plan=plan, key=key).update(data=data, version=1)
    revision, _created = submit_plan(plan=plan, by=coach, site="https://pack-bench.invalid")
    review = start_review(revision=revision, by=coach)
    ReviewItem.objects.filter(review=review).update(
        verdict=Verdict.FINE, comment="Goed onderbouwd, met bronnen."
    )
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now() - datetime.timedelta(days=1),
    )
    return start_application(
        plan=plan,
        by=coach,
        values={
            "amount": Decimal("18000.00"),
            "purpose": "Verbouwing, inrichting en voorraad van de kapsalon",
            "term_months": 60,
            "repayment_free_months": 0,
            "recommendation": long_text("Ik raad deze aanvraag aan.", 2),
        },
    ), coach


def plain_html(html: str) -> str:
    """The same HTML with its stylesheet inline, for a plain ``HTML(string=…)``."""
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/pack.css")).read_text()
    return re.sub(r'<link rel="stylesheet" href="[^"]*pack\.css">', f"<style>{css}</style>", html)


def measure(runs: int) -> dict:
    from django.db import transaction
    from weasyprint import HTML

    from coaching import packs
    from coaching.models import ApplicationPack

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    with transaction.atomic():
        application, coach = make_application()
        pack = packs.request_pack(application, coach)
        html = packs.pack_html(pack)
        plain = plain_html(html)
        assert plain != html, "the stylesheet was put inline"
        plain_pages = len(HTML(string=plain).render().pages)

        def service():
            ApplicationPack.objects.filter(pk=pack.pk).update(
                status=ApplicationPack.Status.QUEUED, pdf=None, pages=None
            )
            started = time.perf_counter()
            packs.render_pack.call(pack.pk)
            return time.perf_counter() - started

        def baseline():
            started = time.perf_counter()
            HTML(string=plain).write_pdf()
            return time.perf_counter() - started

        service(), baseline()  # warm-up: imports, fonts, the template cache
        times = {"service": [], "plain": []}
        for _run in range(runs):
            times["service"].append(service())
            times["plain"].append(baseline())
        pack.refresh_from_db()
        result = {
            "runs": runs,
            "load": load,
            "pages": pack.pages,
            "plain_pages": plain_pages,
            "bytes": len(bytes(pack.pdf)),
            "plain_bytes": len(HTML(string=plain).write_pdf()),
            "service": times["service"],
            "plain": times["plain"],
        }
        transaction.set_rollback(True)
    result["service_median"] = statistics.median(result["service"])
    result["plain_median"] = statistics.median(result["plain"])
    result["ratio"] = result["service_median"] / result["plain_median"]
    return result


def report(result: dict) -> str:
    import platform

    import django
    import pydyf
    import weasyprint

    from ondernemerspunt.bench.machine import description
    from ondernemerspunt.pdf import harfbuzz_subset_available

    def seconds(values):
        return ", ".join(f"{value:.2f}" for value in values)

    met = "met" if result["ratio"] <= TARGET else "**not met**"
    plain_kb = result["plain_bytes"] / 1024
    today = time.strftime("%d-%m-%Y %H:%M UTC", time.gmtime())
    return f"""{SECTION_START}
## The Qredits pack (issue 11)

Issue 11: "Rendering a 15-page pack takes at most 1.3× a plain `write_pdf()` of the same HTML."
Written by `DEBUG=true .venv/bin/python -m ondernemerspunt.bench.pack --runs {result["runs"]}`
(`ondernemerspunt/bench/pack.py`) on {today}. Do not edit by hand: the next run rewrites
everything between the `pack-bench` markers.

- **Machine**: {description()}; Python {platform.python_version()}, Django {django.get_version()},
  WeasyPrint {weasyprint.__version__}, pydyf {pydyf.__version__}; HarfBuzz's subsetting library
  {"installed" if harfbuzz_subset_available() else "**missing**"} (fonts are subset with it).
- **The pack**: the demo salon's plan (coaching/demo.py) with its text answers made long, a
  concluded review with a verdict and a comment on every point, the standard enclosures:
  **{result["pages"]} pages**, {result["bytes"] / 1024:.0f} KB.
- **Service**: the task `coaching.packs.render_pack` as the worker runs it — reading the
  application, rendering the templates in Dutch, WeasyPrint through our static-only fetcher,
  the page count from the rendered document and storing the PDF.
- **Plain**: `HTML(string=html).write_pdf()` of the same HTML with WeasyPrint's defaults, its
  stylesheet inline (without a base URL the `<link>` could not load, and a page without its
  stylesheet is another layout): {result["plain_pages"]} pages, {plain_kb:.0f} KB.
- One warm-up of each, then {result["runs"]} runs each, alternating; load average
  {result["load"]} when it started (other work on the machine makes single runs vary).

| | median s | runs (s) |
|---|---:|---|
| service (`render_pack`) | {result["service_median"]:.2f} | {seconds(result["service"])} |
| plain `write_pdf()` | {result["plain_median"]:.2f} | {seconds(result["plain"])} |

**Ratio: {result["ratio"]:.2f}×** (target at most {TARGET}×: {met}). The service renders the
document once and writes it (`HTML(...).render()`, `len(document.pages)`,
`document.write_pdf()`), which is what `write_pdf()` does inside; the rest is the database
and the templates.
{SECTION_END}"""


def write_section(text: str, path: Path) -> None:
    """Replace the section between the markers, or add it at the end; the page benchmark's
    section (``bench:start``/``bench:end``) is never touched."""
    document = path.read_text()
    if SECTION_START in document and SECTION_END in document:
        before, rest = document.split(SECTION_START, 1)
        _old, after = rest.split(SECTION_END, 1)
        document = before + text + after
    else:
        document = document.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(document)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondernemerspunt.settings")
    os.environ["TEST_DATABASE_NAME"] = BENCH_DATABASE
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from ondernemerspunt.dbroles import use_owner

    use_owner()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    result = measure(args.runs)
    text = report(result)
    print(text)
    if not args.no_write:
        write_section(text, Path(settings.BASE_DIR) / "docs" / "performance.md")


if __name__ == "__main__":
    main()
