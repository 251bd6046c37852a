"""A newcomer's first look (issue 12 part 7): the demo shows the Korrewegwijk desk on
31-03-2009 and is opened years later. The dashboard counts a past year only as far as the
desk's records go, a year without records says so instead of "behind the pace", and the
31-03-2009 figures stay what ``manage.py progress --as-of 2009-03-31`` has always printed."""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from intake.models import StageChange
from ondernemerspunt.models import Desk, User, YearTarget
from ondernemerspunt.progress.figures import desk_progress, last_recorded_day
from ondernemerspunt.progress.periods import records_end
from ondernemerspunt.progress.reports import figures_json
from ondernemerspunt.progress.tables import present
from tests.factories import make_conversation, make_desk, make_member, make_resident

D = datetime.date

# What `manage.py progress --desk korrewegwijk --year 2009 --as-of 2009-03-31` printed before
# issue 12 (and must go on printing; only the first line is now in Dutch too).
DEMO_ON_31_MARCH_2009 = """\
Ondernemerspunt Korrewegwijk – 2009, tot en met 31-03-2009
  Streefcijfer (deelnemers dit jaar): 50
  Aangemelde bewoners: 22
  Gehouden intakegesprekken: 20
  Deelnemers (in traject gekomen): 7
  In traject op de peildatum: 6
  Plannen ingediend bij Qredits: 1
  Financiering verstrekt: 0
  Bedrijven gestart: 0
  Gestopt: 1
  Gehouden gesprekken (intake en vervolg): 28
"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return Desk.objects.get(slug="korrewegwijk")


def login(client, email, language=None):
    client.force_login(User.objects.get(email=email))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def command(*args):
    out = StringIO()
    call_command("progress", "--desk", "korrewegwijk", "--year", "2009", *args, stdout=out)
    return out.getvalue()


def test_the_31_march_2009_figures_are_reproducible(demo):
    assert command("--as-of", "2009-03-31") == DEMO_ON_31_MARCH_2009
    direct = present(desk_progress(demo, 2009, as_of=D(2009, 3, 31)), suppress=False)
    printed = json.loads(command("--as-of", "2009-03-31", "--json"))
    assert printed == figures_json(direct)


def test_the_demo_dashboard_opens_on_2009_counted_to_where_the_records_stop(client, demo):
    login(client, "coordinator@korrewegwijk.example", "en")
    response = client.get(reverse("progress_desk", args=[demo.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("progress_dashboard", args=[demo.slug, 2009])
    figures = response.context["figures"]
    assert figures.progress.window.end == D(2009, 3, 31)
    # The same figures as the command prints for 31-03-2009.
    printed = json.loads(command("--as-of", "2009-03-31", "--json"))
    assert figures_json(figures) == printed
    page = response.content.decode()
    assert 'id="records-end"' in page
    assert "The records of this desk stop in March 2009" in page
    # Against the pace of 31 March (12 of 50 by then), not of 31 December (50 of 50).
    assert "the desk needed 12 participants by 31-03-2009" in page


def test_the_csv_and_json_count_the_same_default_and_any_day_can_still_be_chosen(client, demo):
    login(client, "coordinator@korrewegwijk.example")
    data = client.get(reverse("progress_json", args=[demo.slug, 2009])).json()
    assert data["as_of"] == "2009-03-31"
    url = reverse("progress_dashboard", args=[demo.slug, 2009])
    response = client.get(url, {"as_of": "2009-12-31"})
    assert response.context["figures"].progress.window.end == D(2009, 12, 31)
    assert 'id="records-end"' not in response.content.decode()


def test_the_project_group_gets_a_month_end_and_no_day(client, demo):
    login(client, "projectgroep@korrewegwijk.example", "en")
    response = client.get(reverse("progress_dashboard", args=[demo.slug, 2009]))
    assert response.context["figures"].progress.window.end == D(2009, 3, 31)
    page = response.content.decode()
    assert "stop in March 2009" in page
    assert (
        last_recorded_day(demo).strftime("%d-%m-%Y") not in page.split('id="records-end"')[1][:400]
    )


def test_a_year_without_records_says_no_data_yet_not_behind(client, demo):
    login(client, "coordinator@korrewegwijk.example", "en")
    year = datetime.date.today().year
    page = client.get(reverse("progress_dashboard", args=[demo.slug, year])).content.decode()
    assert f"No data yet for {year}." in page
    assert "Behind the pace" not in page
    assert reverse("progress_dashboard", args=[demo.slug, 2009]) in page  # where the data is
    # With a target too: no records is no data yet, not a year behind.
    YearTarget.objects.create(desk=demo, year=year, participants=50)
    page = client.get(reverse("progress_dashboard", args=[demo.slug, year])).content.decode()
    assert f"No data yet for {year}." in page
    assert "Behind the pace" not in page


def test_a_desk_with_current_records_counts_as_before(client, db):
    """Only a past year whose records stop early changes: this year counts to today."""
    desk = make_desk("levend")
    coordinator = make_member(desk, "coordinator")
    resident = make_resident(desk, consent_by=coordinator, registered_on=datetime.date.today())
    make_conversation(resident, coach=coordinator, held_on=datetime.date.today())
    client.force_login(coordinator)
    year = datetime.date.today().year
    response = client.get(reverse("progress_dashboard", args=[desk.slug, year]))
    assert response.context["figures"].progress.window.end == datetime.date.today()
    page = response.content.decode()
    assert 'id="records-end"' not in page and 'id="no-records"' not in page


@pytest.mark.parametrize(
    ("year", "last", "expected"),
    [
        (2009, D(2009, 3, 14), D(2009, 3, 31)),  # records stop mid-March: to March's end
        (2009, D(2009, 3, 31), D(2009, 3, 31)),
        (2009, D(2009, 12, 5), None),  # they run into December: to the year's end as before
        (2009, D(2010, 2, 1), None),  # they go on into the next year
        (2009, D(2008, 6, 1), None),  # none in 2009: "no data yet", counted to the end
        (2009, None, None),
        (2026, D(2026, 3, 14), None),  # the running year counts to today, records or not
    ],
)
def test_records_end(year, last, expected):
    assert records_end(year, D(2026, 12, 1), last) == expected


def test_the_demo_coachs_home_is_not_a_wall_of_overdue(client, demo):
    login(client, "coach@korrewegwijk.example", "en")
    page = client.get(reverse("home")).content.decode()
    assert page.count('badge text-bg-danger">overdue<') <= 3
    assert "The oldest was due on" in page


def test_once_this_year_has_records_the_dashboard_opens_on_it(client, demo):
    """Found by trying it: one registration today turned the demo's first look into 2009
    counted to December, "behind the pace". A year being recorded is the one to look at; without
    a target yet the page says so, and the coordinator can set one."""
    coordinator = User.objects.get(email="coordinator@korrewegwijk.example")
    resident = make_resident(demo, consent_by=coordinator, registered_on=datetime.date.today())
    StageChange.objects.create(
        resident=resident,
        desk=demo,
        to_stage="registered",
        changed_on=datetime.date.today(),
        changed_by=coordinator,
    )
    login(client, "coordinator@korrewegwijk.example", "en")
    response = client.get(reverse("progress_desk", args=[demo.slug]), follow=True)
    year = datetime.date.today().year
    assert response.redirect_chain[-1][0] == reverse("progress_dashboard", args=[demo.slug, year])
    page = response.content.decode()
    assert f"No target set for {year}" in page
    assert "Behind the pace" not in page


def test_a_missing_target_links_the_coordinator_to_setting_one(client, demo):
    login(client, "coordinator@korrewegwijk.example", "en")
    year = datetime.date.today().year
    page = client.get(reverse("progress_dashboard", args=[demo.slug, year])).content.decode()
    assert reverse("desk_targets", args=[demo.slug]) in page
    login(client, "projectgroep@korrewegwijk.example", "en")
    page = client.get(reverse("progress_dashboard", args=[demo.slug, year])).content.decode()
    assert 'id="set-target"' not in page
