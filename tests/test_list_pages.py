"""Every paginated list keeps its filters on the next page and shows a page for any page number.

One case per list: rows that match a filter fill more than one page, a few that do not match
are mixed in. Following the pager's "next" link, as a coach would, must show the rest of the
filtered rows only.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from coaching.models import BusinessPlan, PlanRevision
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.pagination import page_number, paginate
from tests.factories import make_plan, make_resident


@dataclass
class ListCase:
    url: str
    role: str
    filter: dict
    per_page: int
    fill: Callable  # fill(cast, matching, other): rows that match the filter and rows that don't
    matches: Callable  # matches(row): the row shown satisfies the filter
    form: str = "form"  # the filter form's name in the page's context


def fill_audit_trail(cast, matching, other):
    rows = [("exported", "export-regel")] * matching + [("viewed", "bekeken-regel")] * other
    AuditEntry.objects.bulk_create(
        AuditEntry(desk=cast.desk, actor=cast.coach, action=action, what=what)
        for action, what in rows
    )


def fill_residents(cast, matching, other):
    """The coach's own residents: they are on both resident lists."""
    for n in range(matching):
        make_resident(cast.desk, coach=cast.coach, last_name=f"Zoek {n:02d}")
    for n in range(other):
        make_resident(cast.desk, coach=cast.coach, last_name=f"Anders {n:02d}")


def fill_plans(cast, matching, other):
    for n in range(matching + other):
        make_plan(make_resident(cast.desk, coach=cast.coach, first_name=f"Plan{n:02d}"))
    # Handed in, then written on: still waiting for review (the filter follows the queue).
    for plan in BusinessPlan.objects.order_by("pk")[:matching]:
        PlanRevision.objects.create(
            plan=plan, number=1, snapshot={"sections": {}}, submitted_by=cast.resident_user
        )


def fill_review_queue(cast, matching, other):
    """Versions waiting for review: the coach's own residents, and others of the desk."""
    from tests.factories import make_member

    colleague = make_member(cast.desk, "coach")
    for n in range(matching + other):
        coach = cast.coach if n < matching else colleague
        plan = make_plan(make_resident(cast.desk, coach=coach, first_name=f"Wacht{n:02d}"))
        PlanRevision.objects.create(
            plan=plan, number=1, snapshot={"sections": {}}, submitted_by=coach
        )


LISTS = {
    "audit trail": ListCase(
        url=reverse("audit_trail"),
        role="coordinator",
        filter={"action": "exported"},
        per_page=50,
        fill=fill_audit_trail,
        matches=lambda entry: entry.action == "exported",
    ),
    "residents of my desk": ListCase(
        url=reverse("intake:resident_list"),
        role="coach",
        filter={"q": "zoek", "sort": "-registered"},
        per_page=25,
        fill=fill_residents,
        matches=lambda resident: resident.last_name.startswith("Zoek"),
    ),
    "my residents": ListCase(
        url=reverse("intake:my_residents"),
        role="coach",
        filter={"q": "zoek"},
        per_page=25,
        fill=fill_residents,
        matches=lambda resident: resident.last_name.startswith("Zoek"),
    ),
    "business plans": ListCase(
        url=reverse("coaching:plan_list"),
        role="coach",
        filter={"status": "waiting"},
        per_page=25,
        fill=fill_plans,
        matches=lambda plan: plan.revisions.exists(),
    ),
    "plans to review": ListCase(
        url=reverse("coaching:review_queue"),
        role="coach",
        filter={"mijn": "on"},
        per_page=25,
        fill=fill_review_queue,
        matches=lambda revision: revision.plan.resident.coach.full_name == "Cees Coach",
    ),
}


def fill_referrals(cast, matching, other):
    """Drafts to the cast's partner (the filter: drafts) and sent ones."""
    from coaching.referrals import send_referral
    from tests.coaching.referral_makers import cast_partner, make_consent, make_draft

    consent = make_consent(cast.resident, cast_partner(cast), by=cast.coach)
    for n in range(matching + other):
        referral = make_draft(cast, consent=consent, question=f"Vraag {n}")
        if n >= matching:
            send_referral(referral=referral, by=cast.coach, site="http://testserver")


LISTS["referrals of the desk"] = ListCase(
    url=reverse("coaching:referral_list"),
    role="coach",
    filter={"status": "concept"},
    per_page=25,
    fill=fill_referrals,
    matches=lambda referral: referral.status == "concept",
)


def fill_mentors(cast, matching, other):
    """Mentors available for new matches (the filter) and mentors who are not."""
    from coaching.models import Mentor

    Mentor.objects.bulk_create(
        Mentor(
            desk=cast.desk, name=f"Mentor {n:02d}", expertise="detailhandel", is_active=n < matching
        )
        for n in range(matching + other)
    )


LISTS["mentor pool"] = ListCase(
    url=reverse("coaching:mentor_list"),
    role="coach",
    filter={"actief": "on"},
    per_page=25,
    fill=fill_mentors,
    matches=lambda mentor: mentor.is_active,
    form="filters",
)


def fill_inbox(cast, matching, other):
    """Referrals to the partner contact's organisation: all of them (the filter) are open or
    closed."""
    from coaching import referrals
    from tests.coaching.partner_referrals import cast_referral

    for n in range(matching + other):
        referral = cast_referral(cast, question=f"Vraag {n}")
        if n >= matching:
            referrals.answer_referral(
                referral=referral, status="declined", note="Past niet", site="http://testserver"
            )


LISTS["a partner's inbox"] = ListCase(
    url=reverse("coaching:partner_inbox"),
    role="partner",
    filter={"show": "open"},
    per_page=25,
    fill=fill_inbox,
    matches=lambda referral: referral.is_open,
)
EXTRA = 3  # matching rows on page 2


@pytest.fixture(params=LISTS.values(), ids=LISTS.keys())
def filled_list(request, cast):
    case = request.param
    case.fill(cast, matching=case.per_page + EXTRA, other=4)
    return case


def next_link(page: str) -> str:
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Volgende</a>', page)
    assert link, "no link to the next page"
    return html.unescape(link.group(1))


def test_the_next_page_keeps_the_filter(client_for, filled_list):
    client = client_for(filled_list.role)
    first = client.get(filled_list.url, filled_list.filter)
    second = client.get(filled_list.url + next_link(first.content.decode()))
    page = second.context["page"]
    assert page.number == 2
    assert len(page.object_list) == EXTRA
    assert all(filled_list.matches(row) for row in page.object_list)
    assert second.context[filled_list.form].data.dict() == {**filled_list.filter, "pagina": "2"}


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("0", 1), ("-3", 1), ("2.5", 1), ("", 1), ("1" * 5000, 1), ("999", 2)],
)
def test_a_page_that_does_not_exist_shows_the_nearest(client_for, filled_list, asked, shown):
    response = client_for(filled_list.role).get(
        filled_list.url, {**filled_list.filter, "pagina": asked}
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == shown
    assert all(filled_list.matches(row) for row in page.object_list)


def test_every_list_with_a_pager_has_a_case_here(client_for, cast):
    templates = Path(settings.BASE_DIR, "templates")
    with_pager = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if '{% include "pagination.html"' in path.read_text()
    }
    rendered = set()
    for case in LISTS.values():
        response = client_for(case.role).get(case.url)
        rendered |= {template.name for template in response.templates}
    assert "ondernemerspunt/audit_trail.html" in with_pager
    assert with_pager <= rendered


# --- The helper itself ------------------------------------------------------------------------
def page_for(query: str, items=range(60), per_page=25):
    return paginate(RequestFactory().get(f"/lijst/?{query}"), list(items), per_page=per_page)


def test_the_links_keep_every_parameter_but_the_page_once():
    page = page_for("q=de+Boer&pagina=2&support_need=a&support_need=b&pagina=3")
    assert page.number == 3
    assert page.previous_link == "?q=de+Boer&support_need=a&support_need=b&pagina=2"
    assert not page.has_next()


def test_the_links_of_an_unfiltered_list_carry_only_the_page():
    page = page_for("")
    assert (page.number, page.next_link) == (1, "?pagina=2")


def test_an_empty_list_is_one_empty_page():
    page = page_for("pagina=4", items=[])
    assert (page.number, list(page.object_list)) == (1, [])


@pytest.mark.parametrize(
    ("asked", "expected"),
    [(None, 1), ("abc", 1), ("0", 1), ("-1", 1), ("2", 2), (" 3 ", 3), ("4", 3), ("9" * 5000, 1)],
)
def test_page_numbers_are_clamped(asked, expected):
    assert page_number(asked, 3) == expected
