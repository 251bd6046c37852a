"""``manage.py progress``, the bulk generator and the dashboard benchmark."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from intake.models import Conversation, Resident, StageChange
from ondernemerspunt.models import Desk, YearTarget
from tests.factories import make_desk


def progress(*args) -> str:
    out = StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def test_the_demo_desk_on_31_march_2009(db):
    """The intake issue's demo: 20 intake conversations since 1 January, 6 residents in the
    trajectory and 1 submitted to Qredits (7 participants), against a target of 50."""
    call_command("seed_demo", stdout=StringIO())
    data = json.loads(
        progress("--desk", "korrewegwijk", "--year", "2009", "--as-of", "2009-03-31", "--json")
    )
    assert data["target"] == 50
    assert data["intake_conversations"] == 20
    assert data["participants"] == 7
    assert data["submitted_to_qredits"] == 1


def test_with_one_desk_the_as_of_day_is_enough(db):
    """`manage.py progress --as-of 2009-03-31`, as issue 12 asks: the one desk, that year."""
    call_command("seed_demo", stdout=StringIO())
    short = progress("--as-of", "2009-03-31")
    assert short == progress("--desk", "korrewegwijk", "--year", "2009", "--as-of", "2009-03-31")
    assert "tot en met 31-03-2009" in short


def test_with_several_desks_the_command_asks_which(db):
    make_desk("noord")
    make_desk("zuid")
    with pytest.raises(CommandError, match="noord, zuid"):
        progress("--as-of", "2009-03-31")


def test_the_command_has_every_key_figure(db):
    make_desk("leeg")
    data = json.loads(progress("--desk", "leeg", "--year", "2009", "--json"))
    for key in [
        "target",
        "residents_registered",
        "intake_conversations",
        "participants",
        "in_trajectory_now",
        "submitted_to_qredits",
        "financing_granted",
        "businesses_started",
        "dropped_out",
    ]:
        assert key in data
    assert data["as_of"] == "2009-12-31"  # a past year counts to its end by default


def test_a_desk_without_a_target_says_so(db):
    make_desk("leeg")
    text = progress("--desk", "leeg", "--year", "2010")
    assert "Geen streefcijfer vastgesteld voor 2010." in text
    assert json.loads(progress("--desk", "leeg", "--year", "2010", "--json"))["target"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--desk", "bestaat-niet", "--year", "2009"], "No desk with slug 'bestaat-niet'"),
        (["--desk", "leeg", "--year", "1850"], "--year must lie between 2000 and 2100"),
        (
            ["--desk", "leeg", "--year", "2009", "--as-of", "2008-12-31"],
            "--as-of 2008-12-31 lies before the year 2009 starts (2009-01-01)",
        ),
        (["--desk", "leeg", "--year", "2009", "--as-of", "2999-01-01"], "is in the future"),
        (["--desk", "leeg", "--year", "2009", "--as-of", "31-03-2009"], "not a date like"),
    ],
)
def test_bad_arguments_get_a_clear_message(db, args, message):
    make_desk("leeg")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        progress(*args)


def test_the_generator_fills_desks_residents_history_and_conversations(db):
    out = StringIO()
    call_command("generate_national_data", "--scale", "0.0005", stdout=out)
    desks = Desk.objects.filter(slug__startswith="land-")
    # 100 x 0.0005 rounds to 0 -> at least 2 desks; 100,000 x 0.0005 = 50; 1,000,000 -> 500.
    assert desks.count() == 2
    assert Resident.objects.filter(desk__in=desks).count() == 50
    assert Conversation.objects.filter(desk__in=desks).count() == 500
    assert YearTarget.objects.filter(desk__in=desks, year=2009).count() == 2
    # The contract: every resident's first change is to registered, on their registration day.
    for resident in Resident.objects.filter(desk__in=desks):
        first = StageChange.objects.filter(resident=resident).order_by("changed_on", "id")[0]
        assert (first.to_stage, first.changed_on) == ("registered", resident.registered_on)
        latest = StageChange.objects.filter(resident=resident).order_by("-changed_on", "-id")[0]
        assert resident.stage == latest.to_stage
    with pytest.raises(CommandError, match="already has generated desks"):
        call_command("generate_national_data", "--scale", "0.0005", stdout=StringIO())


def test_the_benchmark_measures_the_dashboard(db):
    call_command("generate_national_data", "--scale", "0.0005", stdout=StringIO())
    out = StringIO()
    call_command(
        "benchmark_dashboard", "--desk", "land-001", "--runs", "3", "--warm-up", "0", "--explain",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    text = out.getvalue()
    assert "3 runs: median" in text
    assert "queries per request" in text
    assert "Bitmap" in text or "Index" in text or "Seq Scan" in text  # the query plans


def test_the_benchmark_refuses_an_unknown_desk(db):
    with pytest.raises(CommandError, match="No desk"):
        call_command("benchmark_dashboard", "--desk", "nergens", stdout=StringIO())
