"""The info evenings on the progress dashboard (issue 14): what is counted, for whom it is
suppressed, and that it costs one query however many evenings there are.

The hand-counted desk (``evenings``): in the first quarter of 2009 two evenings were held.

- 10 February: Anna (came; her intake 92 days later), Bram (came; his intake 93 days later),
  Cor (had a place, did not come, though his intake came soon after), Dirk (on the waiting
  list, did not come), Els (cancelled), a walk-in from a bank, Frits from an accountant (came),
  Gea from an accountant (did not come);
- 5 March: Henk from a bank (came), Ina as intermediary without a kind of organisation (came).

Not counted in the quarter: a cancelled evening, an evening published but never marked held,
another desk's evening, and an evening held on 2 April.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from intake.evenings import erase_registration
from intake.models import Conversation, InfoEvening, Registration
from ondernemerspunt.progress.figures import INTAKE_WITHIN_DAYS, desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.reports import figures_csv
from ondernemerspunt.progress.tables import Small, present
from tests.factories import make_conversation, make_evening, make_registration, make_resident

D = datetime.date
HELD = InfoEvening.Status.HELD
BANK = Registration.OrganisationKind.BANK
ACCOUNTANT = Registration.OrganisationKind.ACCOUNTANT
INTERMEDIARY = Registration.Kind.INTERMEDIARY


def evening_on(desk, day, status=HELD, **fields) -> InfoEvening:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(19, 30)))
    return make_evening(
        desk,
        status=status,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        registration_deadline=starts - datetime.timedelta(days=1),
        **fields,
    )


def resident_with_intake(cast, day) -> object:
    resident = make_resident(cast.desk, consent_by=cast.coach)
    make_conversation(resident, coach=cast.coach, kind=Conversation.Kind.INTAKE, held_on=day)
    return resident


def came(evening, name, **fields) -> Registration:
    return make_registration(evening, name=name, attended=True, **fields)


@pytest.fixture
def evenings(cast):
    feb = evening_on(cast.desk, D(2009, 2, 10), title="Zelf een bedrijf beginnen")
    day = D(2009, 2, 10)
    came(feb, "Anna", resident=resident_with_intake(cast, day + datetime.timedelta(days=92)))
    came(feb, "Bram", resident=resident_with_intake(cast, day + datetime.timedelta(days=93)))
    make_registration(feb, name="Cor", resident=resident_with_intake(cast, D(2009, 2, 20)))
    make_registration(feb, name="Dirk", status=Registration.Status.WAITING)
    make_registration(feb, name="Els", status=Registration.Status.CANCELLED)
    came(feb, "Binnenloper", walk_in=True, kind=INTERMEDIARY, organisation_kind=BANK)
    came(feb, "Frits", kind=INTERMEDIARY, organisation_kind=ACCOUNTANT)
    make_registration(feb, name="Gea", kind=INTERMEDIARY, organisation_kind=ACCOUNTANT)

    march = evening_on(cast.desk, D(2009, 3, 5), title="Voor banken en adviseurs")
    came(march, "Henk", kind=INTERMEDIARY, organisation_kind=BANK)
    came(march, "Ina", kind=INTERMEDIARY)

    # Not counted in the first quarter.
    cancelled = evening_on(cast.desk, D(2009, 2, 20), status=InfoEvening.Status.CANCELLED)
    came(cancelled, "Jan")
    never_marked = evening_on(cast.desk, D(2009, 2, 25), status=InfoEvening.Status.PUBLISHED)
    came(never_marked, "Kim")
    came(evening_on(cast.other_desk, D(2009, 2, 12)), "Lot")
    came(evening_on(cast.desk, D(2009, 4, 2)), "Mies")
    return cast.desk


AS_OF = D(2009, 6, 30)


def shown(desk, period="q1", suppress=False):
    progress = desk_progress(desk, 2009, as_of=AS_OF, period=period_of(2009, period))
    return present(progress, suppress=suppress, today=D(2009, 7, 1))


def column(table):
    return {row.key: row.values[0] for row in table.rows}


def test_the_evening_figures_of_the_first_quarter(evenings):
    assert column(shown(evenings).tables["evenings"]) == {
        "held": 2,
        "registrations": 8,  # Anna Bram Cor Dirk Frits Gea; Henk Ina (not Els, not walk-ins)
        "with_a_place": 7,  # all but Dirk, who waited
        "came": 5,  # Anna Bram Frits; Henk Ina
        "attendance_rate": 71,  # 5 of 7
        "walk_ins": 1,
        "intake_within": 1,  # Anna: 92 days in; Bram's 93 is out; Cor did not come
    }


def test_intermediaries_reached_by_kind_of_organisation(evenings):
    kinds = column(shown(evenings).tables["evening_intermediaries"])
    assert kinds["bank"] == 2  # the walk-in and Henk
    assert kinds["accountant"] == 1  # Frits; Gea did not come
    assert kinds["consultant"] == 0
    assert kinds["unknown"] == 1  # Ina
    assert kinds["total"] == 4


def test_the_whole_year_counts_the_april_evening_too(evenings):
    figures = column(shown(evenings, period="year").tables["evenings"])
    assert (figures["held"], figures["registrations"], figures["came"]) == (3, 9, 6)


def test_the_window_is_the_92nd_day_in_and_the_93rd_out_and_never_before(cast):
    evening = evening_on(cast.desk, D(2009, 2, 10))
    for days in (0, 92, 93, -1):
        resident = resident_with_intake(cast, D(2009, 2, 10) + datetime.timedelta(days=days))
        came(evening, f"Na {days} dagen", resident=resident)
    # A follow-up conversation in the window is no intake.
    resident = make_resident(cast.desk, consent_by=cast.coach)
    make_conversation(resident, coach=cast.coach, held_on=D(2009, 2, 12))
    came(evening, "Geen intake", resident=resident)
    assert INTAKE_WITHIN_DAYS == 92
    assert column(shown(cast.desk).tables["evenings"])["intake_within"] == 2  # day 0 and day 92


def test_erased_registrations_still_count(evenings):
    before = shown(evenings).tables
    for registration in Registration.objects.all():
        erase_registration(registration)
    after = shown(evenings).tables
    assert column(after["evenings"]) == column(before["evenings"])
    assert column(after["evening_intermediaries"]) == column(before["evening_intermediaries"])


def test_the_project_group_sees_small_counts_as_below_the_threshold(evenings):
    figures = column(shown(evenings, suppress=True).tables["evenings"])
    assert figures["held"] == 2  # evenings are no people, and on the public page anyway
    assert (figures["registrations"], figures["with_a_place"], figures["came"]) == (8, 7, 5)
    assert figures["attendance_rate"] == 71
    assert figures["walk_ins"] == Small(5)
    assert figures["intake_within"] == Small(5)
    # Four intermediaries in all: fewer than the threshold, so not broken down at all.
    table = shown(evenings, suppress=True).tables["evening_intermediaries"]
    assert table.withheld and table.rows == []


def test_no_rate_from_small_counts(evenings):
    march = column(shown(evenings, period="m3").tables["evenings"])
    assert march["attendance_rate"] == 100
    hidden = column(shown(evenings, period="m3", suppress=True).tables["evenings"])
    assert hidden["came"] == Small(5) and hidden["with_a_place"] == Small(5)
    assert hidden["attendance_rate"] == ""


def test_the_threshold_is_the_desks_own(evenings):
    evenings.small_count_threshold = 2
    evenings.save()
    figures = column(shown(evenings, suppress=True).tables["evenings"])
    assert figures["walk_ins"] == Small(2)
    table = shown(evenings, suppress=True).tables["evening_intermediaries"]
    # Four intermediaries are not fewer than 2, but a kind of one is: see below.
    assert table.withheld_reason == "small_group"


def test_a_small_kind_withholds_the_breakdown_as_the_other_breakdowns(evenings):
    """Four intermediaries with a threshold of 2: bank 2, accountant 1, not filled in 1. Kinds
    hidden as "×" beside zeros and the total 4 would still say that the three hidden kinds hold
    4 between them, one at least each: a breakdown with a small kind is not given at all, as
    situation, source and neighbourhood (``_protect_breakdowns``)."""
    evenings.small_count_threshold = 2
    evenings.save()
    table = shown(evenings, suppress=True).tables["evening_intermediaries"]
    assert table.withheld and table.rows == []
    assert "2" in table.withheld_message  # the desk's threshold


def test_the_project_group_cannot_narrow_small_kinds_down(cast, client_for):
    """Bank 2, accountant 2, consultant 1: a total of 5 is at the threshold, but no kind is.
    The project group gets no "×" beside zeros and a total, nor any count of a kind."""
    evening = evening_on(cast.desk, D(2009, 2, 10))
    for name, kind in [
        ("A", BANK),
        ("B", BANK),
        ("C", ACCOUNTANT),
        ("D", ACCOUNTANT),
        ("E", Registration.OrganisationKind.CONSULTANT),
    ]:
        came(evening, name, kind=INTERMEDIARY, organisation_kind=kind)
    table = shown(cast.desk, suppress=True).tables["evening_intermediaries"]
    assert table.withheld and table.withheld_reason == "small_group" and table.rows == []
    page = client_for("project_group").get(dashboard(cast.desk)).content.decode()
    section = page.split('id="evening-intermediaries-heading"')[1].split("</section>")[0]
    assert "×" not in section and "&lt; 5" not in section and "withheld" in section
    # The legend says what the page does: no zeros shown as "< 5" beside hidden kinds.
    assert "zeros beside it" not in page and "nullen ernaast" not in page
    # Over the year so far as for the other breakdowns: only per quarter that has ended.
    year = shown(cast.desk, period="year", suppress=True).tables["evening_intermediaries"]
    assert year.withheld_reason == "quarters_only"
    # The desk's own staff see every kind.
    kinds = column(shown(cast.desk).tables["evening_intermediaries"])
    assert (kinds["bank"], kinds["accountant"], kinds["consultant"], kinds["total"]) == (2, 2, 1, 5)


def test_with_no_small_kind_the_project_group_sees_every_kind_and_the_total(evenings):
    evenings.small_count_threshold = 2
    evenings.save()
    march = InfoEvening.objects.get(title="Voor banken en adviseurs")
    came(march, "Jos", kind=INTERMEDIARY, organisation_kind=ACCOUNTANT)
    came(march, "Kees", kind=INTERMEDIARY)
    kinds = column(shown(evenings, suppress=True).tables["evening_intermediaries"])
    assert (kinds["bank"], kinds["accountant"], kinds["unknown"], kinds["total"]) == (2, 2, 2, 6)


def test_below_the_threshold_the_intermediaries_are_not_given_at_all(evenings):
    table = shown(evenings, suppress=True).tables["evening_intermediaries"]  # 4 < 5
    assert table.withheld and table.rows == []


def test_the_csv_writes_them_suppressed(evenings):
    with translation.override("en"):
        text = figures_csv(shown(evenings, suppress=True))
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    evening_rows = {row[1]: row[3] for row in rows if row[0] == "evenings"}
    assert evening_rows["walk-ins"] == "<5"
    assert evening_rows["registrations"] == "8"
    assert [row[1:] for row in rows if row[0] == "evening_intermediaries"] == [["total", "", "<5"]]


@pytest.mark.parametrize("evening_count", [1, 10])
def test_a_fixed_number_of_queries_whatever_the_number_of_evenings(
    cast, django_assert_num_queries, evening_count
):
    for n in range(evening_count):
        evening = evening_on(cast.desk, D(2009, 2, 1) + datetime.timedelta(days=n))
        came(evening, "Aanwezig", resident=resident_with_intake(cast, D(2009, 3, 1)))
        make_registration(evening, name="Afwezig", kind=INTERMEDIARY, organisation_kind=BANK)
    with django_assert_num_queries(13):  # 13 since issue 11: still trading after 12 months
        year = desk_progress(cast.desk, 2009, as_of=D(2009, 6, 30))
    with django_assert_num_queries(14):  # another period than the year: one more count
        desk_progress(cast.desk, 2009, as_of=D(2009, 6, 30), period=period_of(2009, "q1"))
    assert year.evenings.held == evening_count
    assert year.evenings.intake_within == evening_count


def dashboard(desk, query="period=q1&as_of=2009-03-31"):
    return reverse("progress_dashboard", args=[desk.slug, 2009]) + f"?{query}"


def test_the_dashboard_shows_the_evenings_to_the_coach(evenings, client_for):
    page = client_for("coach").get(dashboard(evenings)).content.decode()
    assert 'id="evening-figures"' in page and 'id="no-evenings"' not in page
    assert "71" in page


def test_the_project_group_page_hides_small_counts(evenings, client_for):
    response = client_for("project_group").get(dashboard(evenings))
    assert response.status_code == 200
    section = response.content.decode().split('id="evening-figures"')[1].split("</section>")[0]
    assert "&lt; 5" in section
    assert "Binnenloper" not in section and "Anna" not in section


def test_a_desk_without_evenings_says_so(cast, client_for):
    evening_on(cast.desk, D(2009, 2, 10), status=InfoEvening.Status.CANCELLED)
    page = client_for("coordinator").get(dashboard(cast.desk)).content.decode()
    assert 'id="no-evenings"' in page
    assert 'id="evening-intermediaries-heading"' not in page


def test_the_page_reads_as_many_queries_for_one_evening_as_for_ten(cast, client_for):
    def page_queries():
        client = client_for("project_group")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(dashboard(cast.desk)).status_code == 200
        return len(queries)

    came(evening_on(cast.desk, D(2009, 2, 2)), "Eerste")
    one = page_queries()
    for n in range(9):
        came(evening_on(cast.desk, D(2009, 2, 3) + datetime.timedelta(days=n)), "Volgende")
    assert page_queries() == one
