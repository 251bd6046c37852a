"""The benefits route (issue 10, point 6): a resident on WW or bijstand gets a warning on her file
until the consultation with UWV or the municipality is recorded; the dashboard counts the
consultations by outcome, with small counts suppressed for the project group."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coaching import mentors
from coaching.models import BenefitsConsultation
from intake.models import Situation, Stage
from ondernemerspunt.models import Partner
from ondernemerspunt.progress.figures import desk_progress
from ondernemerspunt.progress.periods import period_of
from ondernemerspunt.progress.tables import present
from tests.factories import make_partner, make_resident

D = datetime.date
Outcome = BenefitsConsultation.Outcome
FEBRUARY = D(2009, 2, 10)
# The day the dashboard is looked at: the first quarter of 2009 has ended.
LOOKED_AT = D(2009, 6, 1)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def new_url(resident):
    return reverse("coaching:benefits_consultation_new", kwargs={"pk": resident.pk})


def on_benefits(cast, situation=Situation.BENEFITS_BIJSTAND, **fields):
    return make_resident(
        cast.desk, coach=cast.coach, consent_by=cast.coach, situation=situation, **fields
    )


def consult(resident, by, outcome=None, held_on=FEBRUARY, **fields):
    """A consultation with whom her situation says; by default with the outcome that one
    grants (the Bbz credit is the municipality's, the WW arrangement UWV's)."""
    with_whom = mentors.consults_for(resident) or BenefitsConsultation.With.MUNICIPALITY
    granted = mentors.OUTCOME_OF_WHOM
    default = next(out for out, whom in granted.items() if whom == with_whom)
    return mentors.record_benefits_consultation(
        resident=resident,
        held_on=held_on,
        with_whom=with_whom,
        outcome=outcome or default,
        by=by,
        **fields,
    )


# --- The warning ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("situation", "whom"),
    [(Situation.BENEFITS_WW, "UWV"), (Situation.BENEFITS_BIJSTAND, "the municipality")],
)
def test_a_resident_on_ww_or_bijstand_gets_a_warning_until_the_consultation(
    cast, client_for, situation, whom
):
    resident = on_benefits(cast, situation)
    client = english(client_for("coach"))
    page = client.get(resident.get_absolute_url()).content.decode()
    assert 'id="benefits-warning"' in page
    assert f"Starting a business without consulting {whom} first can cost the" in page
    assert new_url(resident) in page
    assert mentors.needs_benefits_warning(resident)

    consult(resident, cast.coach, note="Starterskrediet aangevraagd")

    page = client.get(resident.get_absolute_url()).content.decode()
    assert 'id="benefits-warning"' not in page
    assert "Starterskrediet aangevraagd" in page
    assert not mentors.needs_benefits_warning(resident)


def test_the_warning_turns_red_when_the_start_is_close(cast, client_for):
    resident = on_benefits(cast, stage=Stage.SUBMITTED)
    page = client_for("coach").get(resident.get_absolute_url()).content.decode()
    assert 'class="alert alert-danger" id="benefits-warning"' in page
    yellow = client_for("coach").get(on_benefits(cast).get_absolute_url()).content.decode()
    assert 'class="alert alert-warning" id="benefits-warning"' in yellow


@pytest.mark.parametrize("situation", [Situation.EMPLOYED, Situation.BENEFITS_OTHER, ""])
def test_no_warning_for_other_situations(cast, client_for, situation):
    resident = on_benefits(cast, situation)
    page = client_for("coach").get(resident.get_absolute_url()).content.decode()
    assert 'id="benefits-panel"' not in page


# --- Recording the consultation ---------------------------------------------------------------
def test_the_coach_records_the_consultation_with_whom_the_situation_says(cast, client_for):
    resident = on_benefits(cast, Situation.BENEFITS_WW)
    uwv = make_partner(cast.desk, "UWV Groningen", kind=Partner.Kind.UWV)
    make_partner(cast.desk, "KvK", kind=Partner.Kind.KVK)
    make_partner(cast.other_desk, "UWV elders", kind=Partner.Kind.UWV)
    client = client_for("coach")
    page = client.get(new_url(resident))
    form = page.context["form"]
    assert form["with_whom"].value() == BenefitsConsultation.With.UWV
    assert list(form.fields["partner"].queryset) == [uwv]

    response = client.post(
        new_url(resident),
        {
            "form_token": page.context["form_token"],
            "held_on": "2009-03-10",
            "with_whom": "uwv",
            "partner": uwv.pk,
            "outcome": "ww_arrangement",
            "note": "Startersregeling: zes maanden met behoud van WW.",
        },
    )

    assert response.status_code == 302 and response.url == resident.get_absolute_url()
    consultation = BenefitsConsultation.objects.get()
    assert (consultation.desk, consultation.partner, consultation.outcome) == (
        cast.desk,
        uwv,
        Outcome.WW_ARRANGEMENT,
    )
    assert consultation.recorded_by == cast.coach
    # Sent twice: recorded once.
    client.post(new_url(resident), {"form_token": page.context["form_token"], "held_on": "x"})
    assert BenefitsConsultation.objects.count() == 1


def test_the_default_for_bijstand_is_the_municipality(cast, client_for):
    resident = on_benefits(cast, Situation.BENEFITS_BIJSTAND)
    form = client_for("coach").get(new_url(resident)).context["form"]
    assert form["with_whom"].value() == BenefitsConsultation.With.MUNICIPALITY


def test_bad_input_is_refused_next_to_the_field_and_kept(cast, client_for):
    resident = on_benefits(cast)
    kvk = make_partner(cast.desk, "KvK", kind=Partner.Kind.KVK)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = client_for("coach")
    response = client.post(
        new_url(resident),
        {"held_on": tomorrow.isoformat(), "with_whom": "municipality", "note": "Bewaard"},
    )
    assert response.status_code == 200
    assert {"held_on", "outcome"} <= set(response.context["form"].errors)
    assert "Bewaard" in response.content.decode()
    response = client.post(
        new_url(resident),
        {
            "held_on": "2009-03-01",
            "with_whom": "municipality",
            "outcome": "bbz_credit",
            "partner": kvk.pk,
        },
    )
    assert "partner" in response.context["form"].errors
    # The rules refuse a partner of the wrong kind too.
    with pytest.raises(mentors.MentorError):
        consult(resident, cast.coach, partner=kvk)
    assert not BenefitsConsultation.objects.exists()


def test_without_consent_or_for_an_erased_file_nothing_is_recorded(cast, client_for):
    from intake import erasure

    resident = make_resident(cast.desk, coach=cast.coach, situation=Situation.BENEFITS_WW)
    client = english(client_for("coach"))
    assert 'id="no-consent"' in client.get(new_url(resident)).content.decode()
    client.post(
        new_url(resident), {"held_on": "2009-03-01", "with_whom": "uwv", "outcome": "other"}
    )
    assert not BenefitsConsultation.objects.exists()
    with pytest.raises(mentors.MentorError):
        consult(resident, cast.coach)
    erased = on_benefits(cast)
    erasure.erase_resident(resident=erased, by=cast.coordinator)
    assert client.get(new_url(erased)).status_code == 404
    assert client_for("other_coach").get(new_url(cast.resident)).status_code == 404


# --- The dashboard ----------------------------------------------------------------------------
def figures(desk, *, suppress, period="q1", today=LOOKED_AT):
    progress = desk_progress(desk, 2009, as_of=D(2009, 5, 31), period=period_of(2009, period))
    return present(progress, suppress=suppress, today=today).tables["benefits_consultations"]


def cells(table):
    return {row.key: row.values[0] for row in table.rows}


def test_the_dashboard_counts_the_consultations_of_the_period_by_outcome(cast):
    resident = on_benefits(cast)
    consult(resident, cast.coach, Outcome.BBZ_CREDIT, D(2009, 2, 10))
    consult(resident, cast.coach, Outcome.ADVISED_AGAINST, D(2009, 3, 10))
    consult(resident, cast.coach, Outcome.OTHER, D(2009, 4, 10))  # Q2
    other = make_resident(cast.other_desk, consent_by=cast.other_coach, situation="benefits_ww")
    consult(other, cast.other_coach, Outcome.WW_ARRANGEMENT, D(2009, 2, 10))  # another desk
    table = figures(cast.desk, suppress=False)
    assert cells(table) == {
        "bbz_credit": 1,
        "ww_arrangement": 0,
        "advised_against": 1,
        "other": 0,
        "total": 2,
    }
    assert cells(figures(cast.desk, suppress=False, period="year"))["total"] == 3


def test_the_project_group_gets_no_small_counts(cast):
    resident = on_benefits(cast)
    consult(resident, cast.coach, Outcome.BBZ_CREDIT)
    table = figures(cast.desk, suppress=True)
    assert table.withheld and table.rows == []
    # Over the year so far: per ended quarter only, whatever the counts.
    for _n in range(5):
        consult(resident, cast.coach, Outcome.BBZ_CREDIT)
    assert figures(cast.desk, suppress=True, period="year").withheld_reason == "quarters_only"
    # Six Bbz consultations and one advice against: the one is not given away.
    consult(resident, cast.coach, Outcome.ADVISED_AGAINST)
    assert figures(cast.desk, suppress=True).withheld_reason == "small_group"
    # Enough of each (or none): shown in full, zeros too.
    for _n in range(4):
        consult(resident, cast.coach, Outcome.ADVISED_AGAINST)
    shown = figures(cast.desk, suppress=True)
    assert not shown.withheld
    assert cells(shown) == {
        "bbz_credit": 6,
        "ww_arrangement": 0,
        "advised_against": 5,
        "other": 0,
        "total": 11,
    }
    # The coaches see every count.
    assert not figures(cast.desk, suppress=False, period="year").withheld


def test_the_dashboard_page_shows_the_table(cast, client_for):
    consult(on_benefits(cast), cast.coach)
    client = english(client_for("coordinator"))
    response = client.get(reverse("progress_dashboard", args=[cast.desk.slug, 2009]))
    page = response.content.decode()
    assert 'id="benefits-figures"' in page
    assert "Benefits consultations by outcome" in page


# --- Found by trying the running application (issue 10 review) -------------------------------
@pytest.mark.parametrize(
    ("data", "field"),
    [
        # 1900: a typing error that would silence the warning for good.
        (
            {"held_on": "1900-01-01", "with_whom": "municipality", "outcome": "bbz_credit"},
            "held_on",
        ),
        # The WW arrangement is UWV's, the Bbz credit the municipality's.
        (
            {"held_on": "2009-03-01", "with_whom": "municipality", "outcome": "ww_arrangement"},
            "outcome",
        ),
        ({"held_on": "2009-03-01", "with_whom": "uwv", "outcome": "bbz_credit"}, "outcome"),
    ],
)
def test_an_impossible_consultation_is_refused_next_to_the_field(cast, client_for, data, field):
    resident = on_benefits(cast, registered_on=D(2009, 1, 5))
    response = client_for("coach").post(new_url(resident), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not BenefitsConsultation.objects.exists()
