"""The page benchmark of issue 15: ``make bench`` prepares the database, then runs this.

    DJANGO_SETTINGS_MODULE=bench.settings manage.py bench --scale 0.1 --seconds 15

Against a database that ``generate_national_data`` filled (``make bench`` makes a fresh one),
with production settings (DEBUG off), it

1. adds to the first generated desk the people to measure as — the desk's coach, a coordinator,
   the project group member, a partner contact (staff with their second factor passed) and
   residents with a started plan — each with a session made directly in the session store (as a
   login with password and code would leave it), and a CSRF cookie for the plan part's save;
2. starts gunicorn (production mode, ``--workers`` sync workers) and loads each page with wrk,
   ``--connections`` connections for ``--seconds`` each, after a short warm-up, between two runs
   of the trivial view (``ondernemerspunt.bench.urls``) whose mean is the denominator of every
   ratio;
3. measures the slow pages once more in-process: time, queries, and a cProfile summary;
4. rewrites the section of docs/performance.md between ``<!-- bench:start -->`` and
   ``<!-- bench:end -->``.
"""

import datetime
import importlib
import os
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import get_random_string

from ondernemerspunt.bench import inprocess, machine, report, servers
from ondernemerspunt.bench.wrk import Result, Target, parse, replace_section

LUA = Path(__file__).resolve().parents[2] / "session.lua"
# The pages of the run with two servers behind one proxy (besides the trivial view).
PROXIED = ("resident list (search + filter)", "save plan part")
SLUG = "land-001"  # the first desk generate_national_data makes
YEAR = 2009  # its last year
TARGETS = {
    "resident list (search + filter)": Target(ratio=0.08),
    "coach's home": Target(ratio=0.10),
    "resident page": Target(ratio=0.10),
    "dashboard": Target(ratio=0.05),
    "save plan part (16 connections)": Target(p95_ms=100),
}


def gunicorn_command(port: int, workers: int) -> list[str]:
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "ondernemerspunt.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--error-logfile",
        str(settings.BASE_DIR / "var" / "bench-gunicorn.log"),
    ]


@dataclass
class Page:
    name: str
    path: str
    sessions: list  # cookie header per thread; empty: anonymous
    method: str = "GET"
    expect: int = 200
    body: str = "-"
    connections: int | None = None  # None: --connections
    session_key: str | None = None  # for the in-process profile (GET pages)
    sections: tuple = ()  # POST: the plan part each session saves, by thread

    def arguments(self) -> list[str]:
        """wrk's "cookie|version" per thread: for a save, the part's version as it is now."""
        if not self.sections:
            return [f"{cookie}|" for cookie in self.sessions]
        from coaching.models import PlanSection

        def read():
            rows = PlanSection.objects.filter(pk__in=self.sections).values_list("pk", "version")
            return dict(rows)

        # Saves that wrk sent just before it stopped may still be queued in gunicorn: wait
        # until they are done, or the next run starts with versions already out of date.
        versions, deadline = read(), time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(1)
            versions, before = read(), versions
            if versions == before:
                break
        pairs = zip(self.sessions, self.sections, strict=True)
        return [f"{cookie}|{versions[pk]}" for cookie, pk in pairs]


class Command(BaseCommand):
    help = "Load each page with wrk against gunicorn in production mode (issue 15)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.1, help="as given to the generator")
        parser.add_argument("--seconds", type=int, default=15, help="per page")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--port", type=int, default=8020)
        parser.add_argument("--docs", default=str(settings.BASE_DIR / "docs" / "performance.md"))
        parser.add_argument("--command-line", default="make bench", help="for the report")

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError("Run with DEBUG=false (make bench does): production mode.")
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: `apt-get install wrk` (make bench does as root).")
        started = time.monotonic()
        pages = self.prepare(options)
        url = f"http://127.0.0.1:{options['port']}"
        server = self.start_gunicorn(options)
        self._server_pid = server.pid
        try:
            self.wait_for(url)
            results, memory = self.load(url, pages, options)
        finally:
            server.terminate()
            server.wait(30)
        self.stdout.write("Two servers behind one proxy ...")
        proxied = self.behind_one_proxy(pages, options)
        self.stdout.write("In-process profiles ...")
        profiles = [
            inprocess.measure(page.path, page.session_key)
            for page in pages
            if page.method == "GET" and page.session_key
        ]
        minutes = (time.monotonic() - started) / 60
        text = report.section(
            results=results,
            targets=TARGETS,
            profiles=profiles,
            memory=memory,
            facts=self.facts(options, minutes),
            proxied=proxied,
        )
        docs = Path(options["docs"])
        docs.write_text(replace_section(docs.read_text(), text))
        self.stdout.write(f"Written to {docs} ({minutes:.1f} min).")

    # --- The people and their sessions -------------------------------------------------------

    @transaction.atomic
    def prepare(self, options) -> list[Page]:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from coaching.models import SectionKey
        from coaching.services import start_plan
        from intake.models import Consent, Conversation, Resident, Stage
        from ondernemerspunt.models import Desk, Membership, Partner, Role, User

        desk = Desk.objects.filter(slug=SLUG).first()
        if desk is None:
            raise CommandError(f"No desk {SLUG}: fill the database with generate_national_data.")
        if User.objects.filter(email__endswith="@bench.example").exists():
            raise CommandError("This database was benchmarked before: make bench makes a new one.")
        engine = importlib.import_module(settings.SESSION_ENGINE)
        csrf = get_random_string(32)

        def session(user, *, second_factor: bool) -> str:
            store = engine.SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store["last_activity"] = time.time()
            if second_factor:
                device = TOTPDevice.objects.create(
                    user=user, name="app", key=get_random_string(40, "0123456789abcdef")
                )
                store[DEVICE_ID_SESSION_KEY] = device.persistent_id
            store.create()
            return store.session_key

        def staff(role, email=None, **membership):
            if email:
                user = User.objects.get(email=email)
            else:
                user = User.objects.create_user(f"{role}@bench.example", None, full_name=role)
                Membership.objects.create(user=user, desk=desk, role=role, **membership)
            return session(user, second_factor=role != Role.PROJECT_GROUP)

        def cookie(key: str) -> str:
            return f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={csrf}"

        coach_email = f"coach@{SLUG}.example"
        coach = staff(Role.COACH, coach_email)
        coordinator = staff(Role.COORDINATOR)
        partner = staff(Role.PARTNER, partner=Partner.objects.filter(desk=desk).first())
        project_group = staff(Role.PROJECT_GROUP, f"projectgroep@{SLUG}.example")

        # A resident with many conversations (the tenth-busiest of the desk) for her page.
        busiest = list(
            Conversation.objects.filter(desk=desk)
            .values("resident_id")
            .annotate(n=Count("id"))
            .order_by("-n", "resident_id")[:10]
        )
        shown = busiest[-1]
        self.resident_conversations = shown["n"]
        # Residents writing their plan: one each per connection of the 16-connection run.
        coach_user = User.objects.get(email=coach_email)
        writers = []
        today = timezone.localdate()
        for number, resident in enumerate(Resident.objects.filter(desk=desk).order_by("pk")[:16]):
            user = User.objects.create_user(f"resident{number}@bench.example", None)
            resident.user = user
            resident.save(update_fields=["user"])
            Consent.objects.create(resident=resident, recorded_by=coach_user, given_on=today)
            plan = start_plan(resident=resident)
            section = plan.sections.get(key=SectionKey.ENTREPRENEUR).pk
            writers.append((cookie(session(user, second_factor=False)), section))

        evening = self.coming_evenings(desk, coach_user)
        self.waiting_rows(desk, coach_user, User.objects.get(email="partner@bench.example"))

        body = (
            f"csrfmiddlewaretoken={csrf}&version=VERSION"
            "&motivation=Ik+wil+mijn+eigen+zaak.&strengths=Repareren+en+klanten+helpen."
        )
        query = f"?q=jansen&stage={Stage.IN_TRAJECTORY}"
        save = "/mijn-plan/deel/ondernemer/"
        return [
            Page("login page", "/inloggen/", []),
            Page("coach's home", "/", [cookie(coach)], session_key=coach),
            Page(
                "resident list (search + filter)",
                f"/bewoners/{query}",
                [cookie(coach)],
                session_key=coach,
            ),
            Page(
                "resident page",
                f"/bewoners/{shown['resident_id']}/",
                [cookie(coach)],
                session_key=coach,
            ),
            Page(
                "save plan part",
                save,
                [c for c, _s in writers[:8]],
                "POST",
                302,
                body,
                connections=8,
                sections=tuple(s for _c, s in writers[:8]),
            ),
            Page(
                "save plan part (16 connections)",
                save,
                [c for c, _s in writers],
                "POST",
                302,
                body,
                connections=16,
                sections=tuple(s for _c, s in writers),
            ),
            Page(
                "review queue",
                "/plannen/te-beoordelen/",
                [cookie(coordinator)],
                session_key=coordinator,
            ),
            Page(
                "partner's inbox",
                "/partner/doorverwijzingen/",
                [cookie(partner)],
                session_key=partner,
            ),
            Page(
                "dashboard",
                f"/voortgang/{SLUG}/{YEAR}/",
                [cookie(project_group)],
                session_key=project_group,
            ),
            # Info evenings: the public pages, no login (issue 14).
            Page("public evening list", f"/avonden/{SLUG}/", []),
            Page("public evening with its form", f"/avonden/{SLUG}/{evening.pk}/", []),
        ]

    @staticmethod
    def waiting_rows(desk, coach, contact, count=25) -> None:
        """Plans handed in for the review queue and referrals sent to the partner's inbox, one
        each for ``count`` residents (after the plan writers): the generator makes neither,
        and an empty page would measure only its frame."""
        from coaching.models import SectionKey, SharedField
        from coaching.referrals import create_referral, record_partner_consent, send_referral
        from coaching.services import save_section, start_plan, submit_plan
        from intake.models import Consent, Resident

        today = timezone.localdate()
        site = "https://127.0.0.1"
        partner = contact.memberships.get(role="partner").partner
        for resident in Resident.objects.filter(desk=desk).order_by("pk")[16 : 16 + count]:
            if not resident.has_consent():
                Consent.objects.create(resident=resident, recorded_by=coach, given_on=today)
            plan = start_plan(resident=resident)
            part = plan.sections.get(key=SectionKey.ENTREPRENEUR)
            content = {"motivation": "Ik wil mijn eigen zaak.", "strengths": "Klanten helpen."}
            save_section(section=part, content=content, version=part.version, by=coach)
            submit_plan(plan=plan, by=coach, site=site)
            consent = record_partner_consent(
                resident=resident,
                partner=partner,
                purpose="Inschrijving bij de KvK",
                fields=[SharedField.CONTACT, SharedField.BUSINESS_IDEA],
                valid_until=today + datetime.timedelta(days=180),
                by=coach,
            )
            referral = create_referral(
                resident=resident,
                partner=partner,
                consent=consent,
                question="Kunt u helpen met de inschrijving?",
                by=coach,
                contact=contact,
            )
            send_referral(referral=referral, by=coach, site=site)

    @staticmethod
    def coming_evenings(desk, coach, count=12):
        """A season of coming evenings with speakers and registrations; the first is shown."""
        from intake.models import Audience, InfoEvening, Registration, Speaker

        evenings = []
        for index in range(count):
            starts = timezone.now().replace(hour=18, minute=30) + datetime.timedelta(
                days=7 * (index + 1)
            )
            evening = InfoEvening.objects.create(
                desk=desk,
                title=f"Zelf een bedrijf beginnen ({index + 1})",
                audience=Audience.BOTH,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place_name="Buurthuis De Dissel",
                street="Korreweg 1",
                postcode="9714 AA",
                city="Groningen",
                capacity=40,
                registration_deadline=starts - datetime.timedelta(days=1),
                description="Wat komt er kijken bij een eigen bedrijf?",
                status=InfoEvening.Status.PUBLISHED,
            )
            Speaker.objects.create(evening=evening, kind=Speaker.Kind.COACH, coach=coach)
            Speaker.objects.create(
                evening=evening, kind=Speaker.Kind.ENTREPRENEUR, name="Bakkerij De Korrel"
            )
            Registration.objects.bulk_create(
                Registration(
                    evening=evening,
                    kind=Registration.Kind.ENTREPRENEUR,
                    name=f"Bezoeker {number}",
                    email=f"bezoeker{number}-{index}@bench.example",
                    contact_key=f"bezoeker{number}-{index}@bench.example",
                )
                for number in range(25)
            )
            evenings.append(evening)
        return evenings[0]

    # --- gunicorn and wrk ---------------------------------------------------------------------

    def start_gunicorn(self, options) -> subprocess.Popen:
        self.gunicorn_command = gunicorn_command(options["port"], options["workers"])
        return subprocess.Popen(self.gunicorn_command, env=os.environ.copy())  # noqa: S603

    def behind_one_proxy(self, pages: list[Page], options) -> list:
        """The trivial view, the resident list and the plan part's save through one nginx:
        in front of one server with two workers, then of two servers with one worker each.
        (layout, page, connections, result) rows; none when nginx is missing."""
        if servers.nginx() is None:
            self.stdout.write("nginx is missing: the run with two servers is left out.")
            return []
        chosen = [Page("trivial view", "/bench/trivial/", [])] + [
            page for page in pages if page.name in PROXIED
        ]
        proxy = options["port"] + 3
        url = f"http://127.0.0.1:{proxy}"
        rows = []
        for layout in servers.LAYOUTS:
            ports = [options["port"] + 1 + number for number in range(len(layout.workers))]
            processes = [
                subprocess.Popen(gunicorn_command(port, workers), env=os.environ.copy())  # noqa: S603
                for port, workers in zip(ports, layout.workers, strict=True)
            ]
            processes.append(servers.start_nginx(servers.write_conf(proxy, ports)))
            try:
                for port in ports:
                    self.wait_for(f"http://127.0.0.1:{port}")
                self.wait_for(url)
                for page in chosen:
                    self.wrk(url, page, 2, page.connections or options["connections"])
                for page in chosen:
                    connections = page.connections or options["connections"]
                    result = self.wrk(url, page, options["seconds"], connections)
                    self.stdout.write(
                        f"{layout.name:<28}{page.name:<34}{result.per_second:9.1f}/s  "
                        f"p95 {result.p95_ms:7.1f} ms"
                    )
                    rows.append((layout.name, page.name, connections, result))
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(30)
        return rows

    def wait_for(self, url: str, seconds: int = 60) -> None:
        deadline = time.monotonic() + seconds
        request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 address
            url + "/bench/trivial/", headers={"X-Forwarded-Proto": "https"}
        )
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as error:
                if time.monotonic() > deadline:
                    raise CommandError(f"gunicorn does not answer at {url}: {error}") from error
            time.sleep(0.5)

    def wrk(self, url, page: Page, seconds: int, connections: int) -> Result:
        command = [
            shutil.which("wrk"),
            f"-t{connections}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            url + page.path,
            "--",
            page.method,
            str(page.expect),
            page.body,
            *page.arguments(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        time.sleep(1)  # what wrk sent last is answered before the next run starts
        if done.returncode:
            raise CommandError(f"wrk failed for {page.name}: {done.stderr or done.stdout}")
        result = parse(done.stdout)
        if result.unexpected:
            raise CommandError(
                f"{page.name}: {result.unexpected} of {result.requests} answers were not "
                f"{page.expect} (the first: {result.first_unexpected}); see var/bench-gunicorn.log"
            )
        return result

    def load(self, url, pages: list[Page], options) -> tuple[list, dict]:
        trivial = Page("trivial view", "/bench/trivial/", [])
        seconds, default = options["seconds"], options["connections"]
        self.stdout.write("Warming up ...")
        for page in [trivial, *pages]:
            self.wrk(url, page, 2, page.connections or default)
        memory = {"before": machine.worker_memory(self._server_pid)}
        results = []
        for page in [trivial, *pages, trivial]:
            connections = page.connections or default
            result = self.wrk(url, page, seconds, connections)
            self.stdout.write(
                f"{page.name:<34}{result.per_second:9.1f}/s  p50 {result.p50_ms:7.1f}  "
                f"p95 {result.p95_ms:7.1f}  p99 {result.p99_ms:7.1f} ms  ({connections} conn.)"
            )
            results.append((page.name, connections, result))
        memory["after"] = machine.worker_memory(self._server_pid)
        memory["requests"] = sum(result.requests for _n, _c, result in results)
        self.example = " ".join(
            shlex.quote(part)
            for part in [
                "wrk",
                f"-t{default}",
                f"-c{default}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                "ondernemerspunt/bench/session.lua",
                url + pages[2].path,
                "--",
                "GET",
                "200",
                "-",
                "sessionid=…; csrftoken=…|",
            ]
        )
        return results, memory

    # --- What the report says about the run ---------------------------------------------------

    def facts(self, options, minutes: float) -> dict:
        from intake.models import Conversation, Resident
        from ondernemerspunt.models import Desk

        return {
            "date": timezone.now().astimezone(datetime.UTC).strftime("%d-%m-%Y %H:%M UTC"),
            "machine": machine.description(),
            "versions": machine.versions(options["workers"]),
            "scale": options["scale"],
            "data": {
                "desks": Desk.objects.filter(slug__startswith="land-").count(),
                "residents": Resident.objects.count(),
                "conversations": Conversation.objects.count(),
            },
            "resident_conversations": self.resident_conversations,
            "command": options["command_line"],
            "gunicorn": " ".join(self.gunicorn_command).replace(str(settings.BASE_DIR) + "/", ""),
            "wrk": self.example,
            "seconds": options["seconds"],
            "connections": options["connections"],
            "minutes": minutes,
        }
