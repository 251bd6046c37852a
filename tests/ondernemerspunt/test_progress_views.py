"""The progress dashboard, its JSON and CSV, as each role sees them."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Conversation, Stage, StageChange
from ondernemerspunt.models import Membership, Role
from tests.factories import make_desk, make_member, make_resident
from tests.ondernemerspunt import progress_scenario

AS_OF = "as_of=2009-06-30"


@pytest.fixture
def desk(db):
    return progress_scenario.build()


@pytest.fixture
def as_role(client, desk):
    """A client logged in as a new member of the scenario desk in ``role``."""

    def login(role):
        client.force_login(
            make_member(desk, role), backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return login


def dashboard(desk, query=AS_OF):
    return reverse("progress_dashboard", args=[desk.slug, 2009]) + (f"?{query}" if query else "")


def test_the_project_group_sees_the_target_bar_and_suppressed_counts(as_role, desk):
    page = as_role("project_group").get(dashboard(desk)).content.decode()
    assert "5 van 50 deelnemers" in page
    assert '<progress class="target-progress" max="50" value="5"' in page
    assert "&lt; 5" in page
    assert "Bewoner A" not in page
    assert "Teller Coach" not in page


def test_a_coordinator_sees_the_same_dashboard_unsuppressed(as_role, desk):
    response = as_role("coordinator").get(dashboard(desk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "5 van 50 deelnemers" in page
    assert "&lt; 5" not in page


def test_the_dashboard_defines_its_figures(as_role, desk):
    page = as_role("coach").get(dashboard(desk)).content.decode()
    assert "Zo worden deze cijfers geteld" in page
    # Recorded since issue 11: still trading after 12 months is counted, and defined.
    assert "nog niet vastgelegd" not in page
    assert "12 maanden" in page


def test_the_json_for_the_project_group_is_suppressed(as_role, desk):
    url = reverse("progress_json", args=[desk.slug, 2009]) + f"?{AS_OF}"
    data = as_role("project_group").get(url).json()
    assert data["participants"] == 5
    assert data["dropped_out"] == "<5"
    assert data["target"] == 50
    assert data["as_of"] == "2009-06-30"


def test_the_json_for_a_coordinator_is_not(as_role, desk):
    url = reverse("progress_json", args=[desk.slug, 2009]) + f"?{AS_OF}"
    data = as_role("coordinator").get(url).json()
    assert {k: data[k] for k in progress_scenario.EXPECTED} == progress_scenario.EXPECTED


def test_the_json_answers_a_bad_date_with_400(as_role, desk):
    url = reverse("progress_json", args=[desk.slug, 2009]) + "?as_of=2008-12-31"
    response = as_role("project_group").get(url)
    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


def test_the_csv_holds_every_figure_and_suppresses_for_the_project_group(as_role, desk):
    url = reverse("progress_csv", args=[desk.slug, 2009]) + f"?{AS_OF}"
    response = as_role("project_group").get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    key = {row[1]: row[3] for row in rows if row[0] == "key_figures"}
    assert key["participants"] == "5"
    assert key["dropped_out"] == "<5"
    assert key["target"] == "50"
    assert ["funnel", "na 12 maanden nog actief", "bewoners", "0"] in rows
    assert not [row for row in rows if row[0] == "referrals" and row[3] == "nog niet vastgelegd"]


def test_the_period_filter_narrows_the_funnel(as_role, desk):
    response = as_role("coordinator").get(dashboard(desk, f"{AS_OF}&period=q1"))
    funnel = response.context["figures"].tables["funnel"]
    assert [row.values[0] for row in funnel.rows][:4] == [3, 3, 4, 2]
    assert 'value="q1" selected' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=2008-12-31", "het jaar begint op 1 januari"),
        ("as_of=2999-01-01", "niet in de toekomst"),
        ("as_of=gisteren", "Voer een geldige datum in"),
        ("period=q9", "Selecteer een geldige keuze"),
    ],
)
def test_bad_filter_input_gets_a_message_and_the_defaults(as_role, desk, query, message):
    response = as_role("project_group").get(dashboard(desk, query))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # The default for a past year: its end, or here the end of the month the desk's records
    # stop in (July 2009; nothing was recorded after, see periods.records_end).
    assert response.context["figures"].progress.window.end.isoformat() == "2009-07-31"


def test_the_typed_date_is_kept(as_role, desk):
    page = as_role("coach").get(dashboard(desk, "as_of=2008-12-31")).content.decode()
    assert 'value="2008-12-31"' in page


def test_a_desk_without_a_target_says_so(as_role, desk):
    desk.targets.all().delete()
    page = as_role("project_group").get(dashboard(desk)).content.decode()
    assert "Geen streefcijfer vastgesteld voor 2009" in page
    assert "<progress" not in page


def test_a_year_without_data_answers_with_zeros(as_role, desk):
    url = reverse("progress_dashboard", args=[desk.slug, 2015])
    response = as_role("project_group").get(url)
    assert response.status_code == 200
    assert response.context["figures"].key["participants"] == 0


def test_a_year_that_has_not_started_says_so(as_role, desk):
    url = reverse("progress_dashboard", args=[desk.slug, 2099])
    page = as_role("coordinator").get(url).content.decode()
    assert "Het jaar 2099 is nog niet begonnen" in page


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_a_year_out_of_range_is_not_found(as_role, desk, year):
    url = reverse("progress_dashboard", args=[desk.slug, year])
    assert as_role("coordinator").get(url).status_code == 404


@pytest.mark.parametrize("name", ["progress_dashboard", "progress_json", "progress_csv"])
def test_another_desk_is_not_found(client_for, cast, name):
    url = reverse(name, args=[cast.other_desk.slug, 2009])
    assert client_for("project_group").get(url).status_code == 404
    assert client_for("coach").get(url).status_code == 404


def test_a_desk_that_does_not_exist_is_not_found(client_for, cast):
    url = reverse("progress_dashboard", args=["bestaat-niet", 2009])
    assert client_for("coordinator").get(url).status_code == 404


def test_the_index_sends_a_member_of_one_desk_to_its_target_year(as_role, desk):
    response = as_role("project_group").get(reverse("progress_index"))
    assert response.url == reverse("progress_dashboard", args=[desk.slug, 2009])


def test_the_index_lists_the_desks_of_a_member_of_several(client, desk):
    user = make_member(desk, "project_group")
    other = make_desk("tweede", name="Ondernemerspunt Tweede")
    Membership.objects.create(user=user, desk=other, role=Role.COORDINATOR)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("progress_index")).content.decode()
    assert reverse("progress_dashboard", args=["telling", 2009]) in page
    assert reverse("progress_dashboard", args=["tweede", 2009]) in page


def test_the_menu_and_home_lead_to_progress(client_for, cast):
    for role in ("coordinator", "coach", "project_group"):
        page = client_for(role).get(reverse("home")).content.decode()
        assert reverse("progress_index") in page, role
    assert reverse("progress_desk", args=[cast.desk.slug]) in (
        client_for("project_group").get(reverse("home")).content.decode()
    )
    assert reverse("progress_index") not in client_for("partner").get("/").content.decode()


def add_busy_residents(desk, n):
    coach = make_member(desk, "coach")
    for i in range(n):
        resident = make_resident(desk, coach=coach, first_name=f"Extra {i}")
        for stage, day in [(Stage.REGISTERED, 2), (Stage.INTAKE, 9), (Stage.IN_TRAJECTORY, 20)]:
            StageChange.objects.create(
                resident=resident,
                desk=desk,
                to_stage=stage,
                changed_on=f"2009-0{1 + i % 6}-{day:02d}",
                changed_by=coach,
            )
        Conversation.objects.create(
            resident=resident, desk=desk, held_on="2009-03-03", coach=coach, kind="intake"
        )


def test_the_dashboard_runs_the_same_queries_for_little_and_much_data(as_role, desk):
    client = as_role("project_group")
    client.get(dashboard(desk))  # session and caches settle
    with CaptureQueriesContext(connection) as few:
        client.get(dashboard(desk))
    add_busy_residents(desk, 40)
    with CaptureQueriesContext(connection) as many:
        page = client.get(dashboard(desk)).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries) <= 19  # 19 since issue 11
    assert "Deelnemers" in page


def test_the_json_and_csv_run_a_fixed_number_of_queries(
    as_role, desk, django_assert_max_num_queries
):
    client = as_role("project_group")
    before = client.get(reverse("progress_json", args=[desk.slug, 2009])).json()
    add_busy_residents(desk, 20)
    responses = {}
    for name in ("progress_json", "progress_csv"):
        with django_assert_max_num_queries(18):  # 18 since issue 11
            responses[name] = client.get(reverse(name, args=[desk.slug, 2009]))
    # The twenty residents entered the trajectory in 2009: every one of them is counted.
    assert responses["progress_json"].json()["participants"] == before["participants"] + 20
    assert responses["progress_csv"]["Content-Type"].startswith("text/csv")
    assert str(before["participants"] + 20) in responses["progress_csv"].content.decode()


def test_a_small_breakdown_is_left_out_of_the_project_groups_page_and_csv(as_role, desk):
    """In Q2 two residents stopped (C: found a job, D: not feasible): their reasons stay out."""
    client = as_role("project_group")
    page = client.get(dashboard(desk, f"{AS_OF}&period=q2")).content.decode()
    assert "Minder dan 5 bewoners: niet uitgesplitst" in page
    assert "werk gevonden" not in page
    assert 'id="chart-dropouts-title"' not in page  # no chart either
    url = reverse("progress_csv", args=[desk.slug, 2009]) + f"?{AS_OF}&period=q2"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))
    assert ["dropouts", "totaal", "", "<5"] in rows
    assert not [row for row in rows if row[0] == "dropouts" and row[1] == "werk gevonden"]
    coordinator = as_role("coordinator").get(dashboard(desk, f"{AS_OF}&period=q2"))
    assert "werk gevonden" in coordinator.content.decode()


def test_the_privacy_note_names_the_largest_hidden_count(as_role, desk):
    page = as_role("project_group").get(dashboard(desk)).content.decode()
    assert 'aantallen van 1 tot en met 4 hier als "&lt; 5"' in page


def csv_rows(client, url):
    return list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_writes_the_pace_the_dutch_way_and_no_target_as_such(as_role, desk):
    client = as_role("coordinator")
    rows = csv_rows(client, reverse("progress_csv", args=[desk.slug, 2009]) + f"?{AS_OF}")
    pace = {
        row[1]: row[3] for row in rows if row[0] == "participants_by_month" and "nodig" in row[2]
    }
    assert pace["jan"] == "4,2"  # a number to Dutch Excel, where "4.2" is not
    assert pace["dec"] == "50,0"
    desk.targets.all().delete()
    rows = csv_rows(client, reverse("progress_csv", args=[desk.slug, 2009]))
    key = {row[1]: row[3] for row in rows if row[0] == "key_figures"}
    assert key["target"] == "geen streefcijfer vastgesteld"  # not "not yet recorded"


def test_the_csv_of_a_year_that_has_not_started_has_no_as_of_date(as_role, desk):
    rows = csv_rows(as_role("coordinator"), reverse("progress_csv", args=[desk.slug, 2099]))
    assert ["", "as_of", "", ""] in rows


def test_the_conversations_of_the_chosen_period_are_on_the_page(as_role, desk):
    """The definitions say conversations count the chosen period: the page must show them."""
    page = as_role("coordinator").get(dashboard(desk, f"{AS_OF}&period=q2")).content.decode()
    assert "Gehouden gesprekken in de periode" in page
    assert "Kwartaal 2" in page
