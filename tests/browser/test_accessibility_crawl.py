"""Every page a demo role can reach passes axe (WCAG 2.1 A and AA).

Not a chosen list of pages: each role logs in on the demo desk and follows every same-origin link
from the home page, breadth first, so a page is checked from the day a link to it appears. The
resident crawls in a phone-sized window (360 px), the others at desktop width. Print views are
ordinary links; a page with a print button ([data-print]) is checked twice, as the screen shows
it and as the printer gets it.

To stay fast the crawl opens at most ``PER_PATTERN`` URLs of one shape (the same path up to the
numbers in it, the same query parameters): the twentieth resident's page comes from the same
template as the first. Downloads (PDF, CSV, JSON) are recognised by their content type and left
out; links are followed with GET only, so logging out and the language switch (forms that POST)
are never used.
"""

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_PATTERN = 2
MAX_PAGES = 120  # a link that keeps making new links fails the crawl instead of hanging it

# Never followed: the platform admin's screens (Django's own, and no demo role may use them)
# and static files. Logging out and the language switch are forms, not links, but a link to
# them must not end the crawl either.
NOT_FOLLOWED = ("/beheer/", "/static/", "/uitloggen/", "/taal/")


@dataclass
class Role:
    email: str | None
    # A working login reaches at least this many pages: fewer means the crawl went wrong, and a
    # broken login or menu cannot make the test pass by checking next to nothing.
    minimum: int
    must_reach: tuple[str, ...] = ()  # URL names whose pages the crawl has to find
    phone: bool = False


DESK = "korrewegwijk"

ROLES = {
    "coordinator": Role(
        "coordinator@korrewegwijk.example",
        minimum=25,
        must_reach=(
            "audit_trail",
            "intake:resident_new",
            "intake:resident_edit",
            "coaching:plan_print",
            "coaching:revision_compare",
            "coaching:review_queue",
            "coaching:review_detail",
            "coaching:checklist_edit",
            "progress_reports",
            "desk_manage",
            "desk_people",
            "desk_settings",
            "intake:data_copy",
            "intake:consent_withdraw",
            "intake:retention_list",
        ),
    ),
    "coach": Role(
        "coach@korrewegwijk.example",
        minimum=24,
        must_reach=(
            "intake:resident_new",
            "intake:stage_change",
            "coaching:plan_print",
            "coaching:revision_detail",
            "coaching:review_queue",
            "coaching:review_start",
            "coaching:review_detail",
            "progress_dashboard",
            "intake:conversation_edit",
            "intake:coach_change",
            "coaching:referral_detail",
            "coaching:referral_new",
            "coaching:resident_sharing",
        ),
    ),
    "project_group": Role(
        "projectgroep@korrewegwijk.example",
        minimum=4,
        must_reach=("progress_dashboard", "progress_reports"),
    ),
    # A partner contact: her home page, the inbox and the referrals to her organisation.
    "partner": Role(
        "kvk@korrewegwijk.example",
        minimum=3,
        must_reach=("coaching:partner_inbox", "coaching:partner_referral"),
    ),
    "resident": Role(
        "bewoner@korrewegwijk.example",
        minimum=10,
        must_reach=(
            "coaching:plan_home",
            "coaching:section_edit",
            "coaching:own_plan_print",
            "coaching:own_reviews",
            "intake:own_data_copy",
        ),
        phone=True,
    ),
    # Before logging in: the login page and what it links to.
    "anonymous": Role(None, minimum=2, must_reach=("login", "password_reset")),
}

# Example arguments, to turn the URL names above into the patterns the crawl records.
EXAMPLE_ARGS = {
    "intake:resident_edit": [1],
    "intake:stage_change": [1],
    "coaching:plan_print": [1],
    "coaching:revision_compare": [1],
    "coaching:revision_detail": [1, 1],
    "coaching:review_start": [1, 1],
    "coaching:review_detail": [1, 1],
    "coaching:checklist_edit": [DESK],
    "coaching:section_edit": ["ondernemer"],
    "progress_dashboard": [DESK, 2009],
    "progress_reports": [DESK, 2009],
    "desk_manage": [DESK],
    "desk_people": [DESK],
    "desk_settings": [DESK],
    "intake:data_copy": [1],
    "intake:consent_withdraw": [1],
    "intake:conversation_edit": [1],
    "intake:coach_change": [1],
    "coaching:partner_referral": [1],
    "coaching:referral_detail": [1],
    "coaching:referral_new": [1],
    "coaching:resident_sharing": [1],
    "coaching:mentor_list": [],
}


def pattern_for_name(name):
    return number_free(reverse(name, args=EXAMPLE_ARGS.get(name, [])))


def number_free(path):
    return re.sub(r"/\d+(?=[/.]|$)", "/{n}", path)


def pattern_of(url):
    """The shape of a URL: its path up to the numbers in it, and its query parameters' names."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return number_free(parts.path) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)  # the HTML pages opened
    checked: int = 0  # of those, the pages axe ran on (see same_as_before)
    downloads: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    print_checked: set[str] = field(default_factory=set)
    layouts: dict[str, set[str]] = field(default_factory=dict)

    def patterns(self):
        return {pattern_of(path).split("?")[0] for path in self.pages}

    def same_as_before(self, page, path):
        """Whether a page of this shape with exactly the same elements was checked already.

        The elements' tags, ids and classes (and which of them are empty) decide what axe finds;
        the names and amounts in them do not. A resident without a plan, a plan whose checks
        fail, an empty year: each differs in its elements, and is checked.
        """
        layout = page.evaluate(
            "Array.from(document.body.querySelectorAll('*'), e => e.tagName + '#' + e.id + '.'"
            " + e.className + (e.childElementCount || e.textContent.trim() ? '' : '!')).join(' ')"
        )
        seen = self.layouts.setdefault(pattern_of(path), set())
        if layout in seen:
            return True
        seen.add(layout)
        return False


def check_page(page, path, crawl, *, phone):
    crawl.checked += 1
    crawl.problems += [f"{path}: {violation}" for violation in axe_violations(page)]
    if phone and page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    ):
        crawl.problems.append(f"{path}: wider than a 360 px phone screen")
    # A print view also as the printer gets it (once per kind): its stylesheet hides and recolours.
    kind = number_free(urlsplit(path).path)
    if page.locator("[data-print]").count() and kind not in crawl.print_checked:
        crawl.print_checked.add(kind)
        page.emulate_media(media="print")
        crawl.problems += [f"{path} (print): {violation}" for violation in axe_violations(page)]
        page.emulate_media(media="screen")


def open_page(page, path, crawl):
    """Go to the path; False when it is no HTML page (a download, an error)."""
    try:
        response = page.goto(path)
    except PlaywrightError as error:
        if "Download is starting" not in error.message:
            raise
        crawl.downloads.append(path)
        return False
    if not response.ok:
        crawl.problems.append(f"{path}: HTTP {response.status}")
        return False
    if not response.headers.get("content-type", "").startswith("text/html"):
        crawl.downloads.append(path)
        return False
    return True


def crawl_from_home(page, origin, *, phone=False):
    crawl = Crawl()
    queue, queued = deque(["/"]), {"/"}
    per_pattern = Counter()
    while queue and len(crawl.pages) < MAX_PAGES:
        path = queue.popleft()
        if not open_page(page, path, crawl):
            continue
        final = page.url.removeprefix(origin)
        if final in crawl.pages:  # a redirect to a page opened before
            continue
        crawl.pages.append(final)
        if not crawl.same_as_before(page, final):
            check_page(page, final, crawl, phone=phone)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urldefrag(urljoin(page.url, href)).url
            target = url.removeprefix(origin)
            if target == url or target in queued or target.startswith(NOT_FOLLOWED):
                continue  # another site, seen before, or not to be followed
            queued.add(target)
            if per_pattern[pattern_of(target)] < PER_PATTERN:
                per_pattern[pattern_of(target)] += 1
                queue.append(target)
    if queue:
        crawl.problems.append(f"more than {MAX_PAGES} pages: does a link keep making new links?")
    return crawl


@pytest.fixture
def demo_desk(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_demo_role_can_reach_passes_axe(role, demo_desk, request, live_server):
    spec = ROLES[role]
    window = request.getfixturevalue("phone_page" if spec.phone else "page")
    if spec.email:
        log_in(window, spec.email, settings.DEMO_PASSWORD)
        window.wait_for_url(live_server.url + "/")
    started = time.monotonic()
    crawl = crawl_from_home(window, live_server.url, phone=spec.phone)
    print(
        f"\n{role}: {len(crawl.pages)} pages ({crawl.checked} checked by axe)"
        f" in {time.monotonic() - started:.1f} s,"
        f" downloads left out: {crawl.downloads}"
    )
    assert crawl.problems == []
    if spec.email:  # the session held: no page sent the crawl back to the login page
        assert not [path for path in crawl.pages if path.startswith(reverse("login"))]
    assert len(crawl.pages) >= spec.minimum, crawl.pages
    missing = [name for name in spec.must_reach if pattern_for_name(name) not in crawl.patterns()]
    assert missing == [], crawl.pages
