"""A load test: simulated coaches and residents against a running server (issue 13).

    manage.py loadtest --url http://127.0.0.1:8010 --users 50 --minutes 10

Run it against a database of its own (``make loadtest`` makes one): before it starts it adds a
load-test desk to the database this command is pointed at, with coaches (each an account and an
authenticator app of its own: a TOTP code works once per time step per device) and residents
with logins. Then every simulated user works as a person would, with think times between pages:

* a coach logs in with the password and the code of the app, opens the home page, searches the
  resident list, opens a resident, registers a new resident with the intake conversation, logs
  a follow-up conversation and opens the review queue;
* a resident logs in, opens her plan, saves a part (with the version from the page), keeps a
  draft by autosave and hands the plan in.

Forms are read from the pages as a browser reads them (CSRF token, version, one-time form
token), then filled in. Every name the test writes carries a marker of the run, so that at the
end the database is asked whether every save that got a success answer is there exactly once.

By default each request carries what the TLS proxy of a deployment (README "Deploy") adds:
``X-Forwarded-Proto: https`` and the simulated user's own address in ``X-Forwarded-For``, and
the browser side keeps its secure cookies as over https. So gunicorn runs with the production
settings unchanged. ``--direct`` talks plain http without those headers (a development server).

The exit code is 1 when any request failed (HTTP 5xx, a connection error or time-out, or a status
the page should not give) or a row was lost or duplicated.
"""

import http.cookiejar
import json
import math
import random
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp

RELOGIN_EVERY = 5  # iterations between a logout and a fresh login
TIMEOUT = 30  # seconds for one request, as gunicorn's own worker timeout


# --- Reading forms as a browser does -------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, value) pairs, in page order

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}

    def value(self, name: str, default: str = "") -> str:
        return next((value for key, value in self.fields if key == name), default)

    def filled(self, values: dict) -> list:
        """What the browser sends: the page's own values, with ``values`` typed over them (a
        list is several values of one name, like checkboxes)."""
        data = [(name, value) for name, value in self.fields if name not in values]
        for name, value in values.items():
            for item in value if isinstance(value, list | tuple) else [value]:
                data.append((name, str(item)))
        return data


class FormReader(HTMLParser):
    """Every ``<form>`` of a page with what it would send unchanged: inputs with their value
    (checkboxes and radios only when checked), the selected option of a select (else its first),
    the text of a textarea."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select = None  # [name, chosen value, first value]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
            return
        if not self.forms or "name" not in attrs or "disabled" in attrs:
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        form, name = self.forms[-1], attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
                form.fields.append((name, value))
        elif tag == "select":
            self._select = [name, None, None]
        elif tag == "textarea":
            self._textarea = [name, ""]

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select[2] is None:
            self._select[2] = value
        if "selected" in attrs:
            self._select[1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            name, chosen, first = self._select
            self.forms[-1].fields.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            name, text = self._textarea
            self.forms[-1].fields.append((name, text.removeprefix("\n")))
            self._textarea = None


def form_with(html: str, name: str, action: str = "") -> Form | None:
    """The page's first form that has a field ``name`` (and whose action contains ``action``)."""
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        if name in form.names() and action in form.action:
            return form
    return None


# --- Counting ------------------------------------------------------------------------------


class Failed(Exception):
    """A request failed; the simulated user starts again with a fresh browser.

    ``refused``: the server answered that it did not save (a form shown again, a 4xx). Without
    an answer, or after a 5xx, nobody knows whether a save went through."""

    def __init__(self, message: str, *, refused: bool = False):
        super().__init__(message)
        self.refused = refused


class Stopped(Exception):
    """The time is up."""


class Stats:
    """Every request by kind of page: its time, and the failures with a few examples."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = Counter()
        self.examples = []

    def record(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 20:
                    self.examples.append(f"{kind}: {error}")

    @property
    def requests(self) -> int:
        return sum(len(times) for times in self.times.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def table(self) -> list[dict]:
        rows = []
        for kind in sorted(self.times):
            times = sorted(self.times[kind])
            rows.append(
                {
                    "kind": kind,
                    "requests": len(times),
                    "errors": self.errors[kind],
                    "p50": percentile(times, 50),
                    "p95": percentile(times, 95),
                    "p99": percentile(times, 99),
                    "max": times[-1],
                }
            )
        return rows


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1] * 1000


class Ledger:
    """What the server said it saved, by marker; and saves whose answer never came (timed
    out: saved or not, nobody knows — they may be found once, never twice)."""

    KINDS = ("resident", "conversation", "section", "hand-in")

    def __init__(self):
        self.lock = threading.Lock()
        self.saved = {kind: [] for kind in self.KINDS}
        self.unsure = {kind: [] for kind in self.KINDS}
        self.saves_per_section = Counter()  # PlanSection pk -> successful saves

    def add(self, kind: str, marker: str, *, sure: bool = True) -> None:
        with self.lock:
            (self.saved if sure else self.unsure)[kind].append(marker)


# --- A browser -----------------------------------------------------------------------------


class KeepResponses(urllib.request.HTTPErrorProcessor):
    """Hand every answer back as it is: redirects are followed by the simulated user (each is
    a request of its own), and a 4xx or 5xx is counted, not raised."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """The browser talks https to the proxy: it sends its secure cookies (the proxy passes
    them on to gunicorn over plain http on the same machine)."""

    def return_ok_secure(self, cookie, request):
        return True


@dataclass
class Answer:
    status: int
    location: str
    text: str


class Browser:
    def __init__(self, base_url: str, stats: Stats, *, client_ip: str, direct: bool):
        self.base_url = base_url.rstrip("/")
        self.stats = stats
        self.client_ip = client_ip
        self.direct = direct
        host = urllib.parse.urlsplit(self.base_url).netloc
        # What the page's address is in the browser: https behind the proxy.
        self.origin = self.base_url if direct else f"https://{host}"
        policy = None if direct else BehindTlsProxy()
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), KeepResponses()
        )
        self.page = "/"  # the path of the page the browser shows (its Referer)

    def get(self, kind: str, path: str, *, expect=(200,)) -> Answer:
        answer = self._send(kind, path, None, expect)
        if answer.status == 200:
            self.page = path
        return answer

    def post(self, kind: str, path: str, data: list, *, expect=(302,)) -> Answer:
        return self._send(kind, path, urllib.parse.urlencode(data).encode(), expect)

    def _send(self, kind, path, body, expect) -> Answer:
        path = self._path(path)
        # The scheme was checked in handle(): http or https only.
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310
        request.add_header("Referer", self.origin + self.page)
        request.add_header("Accept-Language", "nl")
        if body is not None:
            request.add_header("Origin", self.origin)
        if not self.direct:
            request.add_header("X-Forwarded-Proto", "https")
            request.add_header("X-Forwarded-For", self.client_ip)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                text = response.read().decode("utf-8", "replace")
                status, location = response.status, response.headers.get("Location", "")
        except (urllib.error.URLError, OSError, TimeoutError) as error:
            self.stats.record(kind, time.perf_counter() - started, f"{type(error).__name__}")
            raise Failed(f"{kind}: {error}") from error
        seconds = time.perf_counter() - started
        if status not in expect:
            problem = f"HTTP {status} for {path}" + (f" -> {location}" if location else "")
            if status == 200:
                problem += f" ({form_errors(text)})"
            self.stats.record(kind, seconds, problem)
            raise Failed(problem, refused=status < 500)
        self.stats.record(kind, seconds)
        return Answer(status, self._path(location) if location else "", text)

    def _path(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def form_errors(html: str) -> str:
    """The names of the fields a refused form marks invalid, for the error examples."""
    names = re.findall(r'<(?:input|select|textarea)[^>]*class="[^"]*is-invalid[^"]*"[^>]*>', html)
    found = sorted({m for tag in names for m in re.findall(r'name="([^"]+)"', tag)})
    return "invalid: " + ", ".join(found) if found else "no redirect"


# --- The simulated people ------------------------------------------------------------------


@dataclass
class Account:
    email: str
    password: str
    key: str = ""  # the authenticator app's key (hex), coaches only
    user_pk: int = 0
    section_pk: int = 0  # residents: the plan part they write in


class SimulatedUser(threading.Thread):
    kind = "user"

    def __init__(self, run, account: Account, number: int):
        super().__init__(name=f"{self.kind}-{number}", daemon=True)
        self.run_ = run
        self.account = account
        self.number = number
        self.iterations = 0
        self.logged_in = False
        self.browser = self._new_browser()

    def _new_browser(self) -> Browser:
        return Browser(
            self.run_.url,
            self.run_.stats,
            client_ip=f"10.{self.number // 250}.{self.number % 250}.{1 + (self.kind == 'coach')}",
            direct=self.run_.direct,
        )

    def run(self):
        try:
            while not self.run_.done(self):
                try:
                    if self.logged_in and self.iterations % RELOGIN_EVERY == 0:
                        self.log_out()
                    if not self.logged_in:
                        self.log_in()
                    self.iteration()
                except Failed:
                    # Start over as a person would: a fresh browser, a fresh login.
                    self.browser, self.logged_in = self._new_browser(), False
                    self.think()
                self.iterations += 1
        except Stopped:
            pass

    def think(self) -> None:
        low, high = self.run_.think
        if self.run_.stop.wait(random.uniform(low, high)):
            raise Stopped

    def marker(self, what: str) -> str:
        return f"LT{self.run_.run_id}{what}{self.number}x{self.iterations}"

    def log_in(self) -> None:
        page = self.browser.get("login form", "/inloggen/")
        form = form_with(page.text, "password")
        data = form.filled({"username": self.account.email, "password": self.account.password})
        answer = self.browser.post("login", form.action or "/inloggen/", data)
        self.after_password(answer)
        self.logged_in = True

    def after_password(self, answer: Answer) -> None:
        self.browser.get("home", answer.location)

    def log_out(self) -> None:
        page = self.browser.get("home", "/")
        form = form_with(page.text, "csrfmiddlewaretoken", "uitloggen")
        self.browser.post("logout", form.action, form.filled({}))
        self.logged_in = False
        self.think()

    def iteration(self) -> None:
        raise NotImplementedError


class Coach(SimulatedUser):
    kind = "coach"
    last_step = 0  # the time step of the last code used: the app shows a new one each 30 s

    def after_password(self, answer: Answer) -> None:
        if "/tweede-stap/" not in answer.location:
            # Every page sends a coach without the second step to it.
            answer = self.browser.get("home (to 2nd step)", answer.location, expect=(302,))
        if "/tweede-stap/" not in answer.location:
            raise Failed(f"after the password: {answer.location}")
        page = self.browser.get("second factor form", answer.location)
        self.think()
        while (step := int(time.time()) // 30) <= self.last_step:
            # This code was used at the last login: wait for the next, as a person would.
            if self.run_.stop.wait(0.5):
                raise Stopped
        code = totp(bytes.fromhex(self.account.key))
        self.last_step = step
        form = form_with(page.text, "token")
        data = form.filled({"token": f"{code:06d}"})
        verified = self.browser.post("second factor", answer.location, data)
        self.browser.get("home", verified.location)

    def iteration(self) -> None:
        self.think()
        self.browser.get("home", "/")
        self.think()
        search = "?" + urllib.parse.urlencode({"q": "Loadtest"})
        found = self.browser.get("resident list (search)", "/bewoners/" + search)
        pks = re.findall(r'href="/bewoners/(\d+)/"', found.text)
        if pks:
            self.think()
            self.browser.get("resident page", f"/bewoners/{random.choice(pks)}/")
        self.think()
        resident_page = self.register()
        self.think()
        self.log_conversation(resident_page)
        self.think()
        self.browser.get("review queue", "/plannen/te-beoordelen/")

    def register(self) -> str:
        page = self.browser.get("register form", "/bewoners/nieuw/")
        form = form_with(page.text, "form_token")
        marker = self.marker("R")
        today = timezone.localdate().isoformat()
        data = form.filled(
            {
                "first_name": "Loadtest",
                "last_name": marker,
                "phone": f"061{self.number:03d}{self.iterations % 10**4:04d}",
                "email": f"{marker.lower()}@loadtest.example",
                "street": "Korreweg 1",
                "postcode": "9713 AB",
                "city": "Groningen",
                "consent": "on",
                "registered_on": today,
                "situation": "benefits_ww",
                "business_idea": "Een fietsenmaker",
                "sector": "Reparatie",
                "source": "flyer",
                "languages": "Nederlands",
                "coach": self.account.user_pk,
                "with_intake": "now",
                "conversation-held_on": today,
                "conversation-coach": self.account.user_pk,
                "conversation-channel": "desk",
                "conversation-duration_minutes": "45",
                "conversation-notes": "Intake tijdens de belastingtest.",
                "conversation-support_needs": ["business_plan"],
                "steps-0-description": "Ondernemingsplan beginnen",
                "steps-0-due_on": today,
                "steps-0-owner": "resident",
            }
        )
        answer = self._saving("register", "resident", marker, "/bewoners/nieuw/", data)
        if not re.fullmatch(r"/bewoners/\d+/", answer.location):
            raise Failed(f"register: redirected to {answer.location}")
        self.browser.get("resident page", answer.location)
        return answer.location

    def log_conversation(self, resident_page: str) -> None:
        url = resident_page + "gesprek/"
        page = self.browser.get("conversation form", url)
        form = form_with(page.text, "form_token")
        marker = self.marker("C")
        data = form.filled(
            {
                "conversation-kind": "follow_up",
                "conversation-held_on": timezone.localdate().isoformat(),
                "conversation-coach": self.account.user_pk,
                "conversation-channel": "phone",
                "conversation-duration_minutes": "20",
                "conversation-notes": f"Vervolggesprek {marker}",
            }
        )
        answer = self._saving("conversation", "conversation", marker, url, data)
        if answer.location != resident_page:
            raise Failed(f"conversation: redirected to {answer.location}")
        self.browser.get("resident page", answer.location)

    def _saving(self, kind, ledger_kind, marker, url, data) -> Answer:
        """A POST that saves: in the ledger as saved on a redirect, as unsure without answer."""
        try:
            answer = self.browser.post(kind, url, data)
        except Failed as failed:
            if not failed.refused:
                self.run_.ledger.add(ledger_kind, marker, sure=False)
            raise
        self.run_.ledger.add(ledger_kind, marker)
        return answer


class Resident(SimulatedUser):
    kind = "resident"
    section = "ondernemer"

    def iteration(self) -> None:
        self.think()
        self.browser.get("plan", "/mijn-plan/")
        self.think()
        url = f"/mijn-plan/deel/{self.section}/"
        page = self.browser.get("plan part form", url)
        form = form_with(page.text, "version")
        marker = self.marker("S")
        data = form.filled(
            {
                "motivation": f"Ik wil mijn eigen zaak. {marker}",
                "strengths": "Repareren en klanten helpen.",
            }
        )
        ledger = self.run_.ledger
        try:
            saved = self.browser.post("plan part save", url, data)
        except Failed as failed:
            if not failed.refused:
                ledger.add("section", marker, sure=False)
            raise
        ledger.add("section", marker)
        with ledger.lock:
            ledger.saves_per_section[self.account.section_pk] += 1
        page = self.browser.get("plan part form", saved.location)
        self.think()
        # The page keeps what she types next as a draft (autosave), with the version it shows.
        form = form_with(page.text, "version")
        draft = [
            ("csrfmiddlewaretoken", form.value("csrfmiddlewaretoken")),
            ("version", form.value("version")),
            ("experience", f"Tien jaar in een werkplaats. {self.marker('D')}"),
        ]
        kept = self.browser.post("plan part autosave", url + "concept/", draft, expect=(200,))
        if "saved_at" not in json.loads(kept.text):
            raise Failed("autosave: no saved_at")
        self.think()
        plan = self.browser.get("plan", "/mijn-plan/")
        form = form_with(plan.text, "csrfmiddlewaretoken", "indienen")
        try:
            handed_in = self.browser.post("hand in", form.action, form.filled({}))
        except Failed as failed:
            if not failed.refused:
                ledger.add("hand-in", marker, sure=False)
            raise
        ledger.add("hand-in", marker)
        self.browser.get("plan", handed_in.location)


# --- The run -------------------------------------------------------------------------------


class LoadTest:
    """Prepare the accounts, run the simulated users, check the database."""

    def __init__(self, url, *, users, seconds, think=(1.0, 3.0), direct=False, iterations=None):
        self.url = url
        self.users = users
        self.seconds = seconds
        self.think = think
        self.direct = direct
        self.iterations = iterations  # stop after this many per user (tests), else the time
        self.run_id = secrets.token_hex(3)
        self.stats = Stats()
        self.ledger = Ledger()
        self.stop = threading.Event()
        self.people: list[SimulatedUser] = []
        self.desk = None
        self.elapsed = 0.0

    def done(self, person=None) -> bool:
        """Time is up (or, with ``iterations``, this person did as many)."""
        if person is not None and self.iterations is not None:
            return person.iterations >= self.iterations
        return self.stop.is_set()

    @transaction.atomic
    def prepare(self) -> None:
        """A desk of its own with coaches (each with an app) and residents with a login."""
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from coaching.models import SectionKey
        from coaching.services import start_plan
        from intake.models import Consent, Stage
        from intake.models import Resident as ResidentFile
        from ondernemerspunt.models import Desk, Membership, Neighbourhood, Role, User

        run = self.run_id
        self.desk = Desk.objects.create(slug=f"loadtest-{run}", name=f"Loadtest {run}", city="X")
        Neighbourhood.objects.create(
            desk=self.desk, name="Loadtestwijk", postcode_from="9713AA", postcode_to="9713ZZ"
        )
        coaches = max(1, round(self.users * 0.4))
        today = timezone.localdate()
        coach_users = []
        for number in range(coaches):
            account = Account(f"coach{number}-{run}@loadtest.example", secrets.token_urlsafe(16))
            account.key = secrets.token_hex(20)
            user = User.objects.create_user(
                account.email, account.password, full_name=f"Coach {number}"
            )
            Membership.objects.create(user=user, desk=self.desk, role=Role.COACH)
            TOTPDevice.objects.create(user=user, name="app", key=account.key, confirmed=True)
            account.user_pk = user.pk
            coach_users.append(user)
            self.people.append(Coach(self, account, number))
        for number in range(self.users - coaches):
            account = Account(f"bewoner{number}-{run}@loadtest.example", secrets.token_urlsafe(16))
            user = User.objects.create_user(
                account.email, account.password, full_name=f"Bewoner {number}"
            )
            coach = coach_users[number % coaches]
            resident = ResidentFile(
                desk=self.desk,
                user=user,
                coach=coach,
                first_name="Bewoner",
                last_name=f"Loadtest {run} {number}",
                email=account.email,
                registered_on=today,
                stage=Stage.REGISTERED,
            )
            resident.search_text = resident.build_search_text()
            resident.sort_name = resident.build_sort_name()
            resident.save()
            Consent.objects.create(resident=resident, recorded_by=coach, given_on=today)
            plan = start_plan(resident=resident)
            account.user_pk = user.pk
            account.section_pk = plan.sections.get(key=SectionKey.ENTREPRENEUR).pk
            self.people.append(Resident(self, account, coaches + number))

    def run(self) -> None:
        started = time.perf_counter()
        for person in self.people:
            person.start()
            time.sleep(min(0.2, 2.0 / max(1, len(self.people))))  # not all at the same instant
        deadline = started + self.seconds
        while any(p.is_alive() for p in self.people) and time.perf_counter() < deadline:
            time.sleep(0.2)
        self.stop.set()
        for person in self.people:
            person.join(TIMEOUT + 5)
        self.elapsed = time.perf_counter() - started

    def verify(self) -> list[dict]:
        """Every save that got a success answer is in the database exactly once."""
        from coaching.models import PlanRevision, PlanSection
        from intake.models import Conversation
        from intake.models import Resident as ResidentFile

        pattern = re.compile(rf"LT{self.run_id}[RCS]\d+x\d+")

        def markers(texts) -> Counter:
            return Counter(m for text in texts for m in pattern.findall(text))

        found = {
            "resident": markers(
                ResidentFile.objects.filter(desk=self.desk).values_list("last_name", flat=True)
            ),
            "conversation": markers(
                Conversation.objects.filter(desk=self.desk).values_list("notes", flat=True)
            ),
            "hand-in": markers(
                json.dumps(snapshot["sections"]["entrepreneur"].get("motivation", ""))
                for snapshot in PlanRevision.objects.filter(
                    plan__resident__desk=self.desk
                ).values_list("snapshot", flat=True)
            ),
        }
        rows = [self._check(kind, found[kind]) for kind in ("resident", "conversation", "hand-in")]
        # A part holds only its last save: each save raised its version by one, exactly once.
        versions = dict(
            PlanSection.objects.filter(pk__in=self.ledger.saves_per_section).values_list(
                "pk", "version"
            )
        )
        unsure = Counter()
        for marker in self.ledger.unsure["section"]:
            unsure[self._section_of(marker)] += 1
        lost = duplicated = 0
        for pk, saves in self.ledger.saves_per_section.items():
            extra = versions.get(pk, 0) - saves
            if extra < 0:
                lost += -extra
            elif extra > unsure[pk]:
                duplicated += extra - unsure[pk]
        rows.append(
            {
                "kind": "section save",
                "saved": sum(self.ledger.saves_per_section.values()),
                "found": sum(versions.values()),
                "lost": lost,
                "duplicated": duplicated,
                "unsure": len(self.ledger.unsure["section"]),
            }
        )
        return rows

    def _section_of(self, marker: str) -> int:
        number = int(re.search(r"S(\d+)x", marker).group(1))
        person = next(p for p in self.people if p.number == number)
        return person.account.section_pk

    def _check(self, kind: str, found: Counter) -> dict:
        saved = self.ledger.saved[kind]
        unsure = set(self.ledger.unsure[kind])
        return {
            "kind": kind,
            "saved": len(saved),
            "found": sum(found.values()),
            "lost": sum(1 for marker in saved if found[marker] == 0),
            "duplicated": sum(count - 1 for count in found.values() if count > 1),
            "unsure": len(unsure),
            "unexplained": sum(1 for m in found if m not in set(saved) and m not in unsure),
        }


class Command(BaseCommand):
    help = "Simulated coaches and residents against a running server; checks the rows they saved."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8010")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--minutes", type=float, default=10)
        parser.add_argument(
            "--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX")
        )
        parser.add_argument(
            "--direct",
            action="store_true",
            help="plain http without the TLS proxy's headers (a development server)",
        )

    def handle(self, *args, url, users, minutes, think, direct, **options):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise CommandError("--url must be an http:// or https:// address.")
        if users < 2:
            raise CommandError("At least 2 users: a coach and a resident.")
        self.check_server(url)
        test = LoadTest(url, users=users, seconds=minutes * 60, think=tuple(think), direct=direct)
        test.prepare()
        coaches = sum(isinstance(p, Coach) for p in test.people)
        self.stdout.write(
            f"run {test.run_id}: {coaches} coaches and {users - coaches} residents against {url} "
            f"for {minutes:g} min, think time {think[0]:g}-{think[1]:g} s"
        )
        test.run()
        failed = self.report(test, test.verify())
        if failed:
            raise CommandError("the load test failed: errors, or lost or duplicated rows")

    def check_server(self, url, wait=30):
        """Wait until the server answers at all (any status: in production mode a plain http
        request is redirected to https)."""
        opener = urllib.request.build_opener(KeepResponses())
        deadline = time.monotonic() + wait
        while True:
            try:
                opener.open(url.rstrip("/") + "/inloggen/", timeout=5).close()
                return
            except OSError as error:
                if time.monotonic() > deadline:
                    raise CommandError(f"No server answers at {url}: {error}") from error
                time.sleep(0.5)

    def report(self, test: LoadTest, checks: list[dict]) -> bool:
        stats, out = test.stats, self.stdout.write
        out(
            f"\n{stats.requests} requests in {test.elapsed:.0f} s "
            f"({stats.requests / test.elapsed:.1f} requests/s), {stats.error_count} errors, "
            f"{sum(p.iterations for p in test.people)} iterations"
        )
        out(
            f"{'page':<24}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'max ms':>9}"
        )
        for row in stats.table():
            out(
                f"{row['kind']:<24}{row['requests']:>9}{row['errors']:>7}{row['p50']:>9.0f}"
                f"{row['p95']:>9.0f}{row['p99']:>9.0f}{row['max'] * 1000:>9.0f}"
            )
        for example in stats.examples:
            out(f"  error: {example}")
        # unsure: no answer came (saved or not, it may be there once); unexplained: in the
        # database without a success answer (saved although the answer was an error).
        out(
            f"\n{'rows':<16}{'saved':>7}{'found':>7}{'lost':>6}{'dupl.':>6}{'unsure':>7}"
            f"{'unexplained':>12}"
        )
        for check in checks:
            out(
                f"{check['kind']:<16}{check['saved']:>7}{check['found']:>7}{check['lost']:>6}"
                f"{check['duplicated']:>6}{check['unsure']:>7}{check.get('unexplained', 0):>12}"
            )
        bad_rows = sum(check["lost"] + check["duplicated"] for check in checks)
        failed = stats.error_count > 0 or bad_rows > 0
        out(
            "\nFAILED" if failed else "\nPASSED: 0 errors, no lost or duplicated rows",
        )
        return failed
