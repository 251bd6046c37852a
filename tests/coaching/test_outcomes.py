"""The lender's decision and the business after it (issue 11, points 5 and 6; coaching/outcomes.py):
the stages follow, refused moves save nothing, dates and amounts are checked, the KvK number's
form, the aftercare contacts at 3, 6 and 12 months, "still trading" only from 12 months after
the start; another desk's coach and the project group get 404. And privacy: erasure, withdrawal
and the copy of her data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from coaching import outcomes
from coaching.applications import ApplicationRefused
from coaching.data_copy import export_applications, export_business_start
from coaching.models import ApplicationPack, BusinessStart, LoanApplication, Review, Upload
from intake import erasure
from intake.data_copy import render_copy_pdf
from intake.models import Conversation, DataCopy, NextStep, Resident, Stage, StageChange
from intake.services import StageChangeRefused, change_stage, complete_next_step
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import audit_text
from tests.coaching.applications import make_application
from tests.factories import make_review, make_revision
from tests.intake.test_data_copy import pdf_text

D = datetime.date
Status = LoanApplication.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


ENTERED = D(2009, 2, 2)
STARTED = D(2009, 6, 1)


def in_trajectory(cast, on=ENTERED):
    change_stage(resident=cast.resident, to_stage=Stage.IN_TRAJECTORY, on=on, by=cast.coach)
    return cast.resident


def stages(resident):
    return list(
        StageChange.objects.filter(resident=resident)
        .order_by("changed_on", "id")
        .values_list("to_stage", "changed_on")
    )


def decide(application, cast, **values):
    values.setdefault("submitted_on", D(2009, 3, 2))
    return outcomes.record_decision(
        application=application, version=application.version, by=cast.coach, **values
    )


def started_in_2009(application):
    """The tests' decisions are dated in 2009: the application was started before them."""
    day = timezone.make_aware(datetime.datetime(2009, 2, 20, 10))
    LoanApplication.objects.filter(pk=application.pk).update(created_at=day)
    application.created_at = day
    return application


@pytest.fixture
def application(cast):
    in_trajectory(cast)
    return started_in_2009(make_application(cast))


# --- The decision: the stages follow ---------------------------------------------------------
@pytest.mark.parametrize(
    ("decision", "stage"),
    [("approved", Stage.FINANCED), ("declined", Stage.DECLINED), ("withdrawn", "in_trajectory")],
)
def test_a_decision_moves_the_stage_through_submitted(cast, application, decision, stage):
    amount = Decimal("12000") if decision == "approved" else None
    decide(application, cast, decision=decision, decided_on=D(2009, 4, 1), amount_granted=amount)
    application.refresh_from_db()
    assert application.status == decision
    assert (application.submitted_on, application.decided_on) == (D(2009, 3, 2), D(2009, 4, 1))
    assert stages(cast.resident)[-2:] == [
        (Stage.SUBMITTED, D(2009, 3, 2)),
        (stage, D(2009, 4, 1)),
    ]
    cast.resident.refresh_from_db()
    assert cast.resident.stage == stage
    assert application.version == 2


def test_only_submitted_moves_to_submitted_and_leaves_it_open(cast, application):
    decide(application, cast)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert stages(cast.resident)[-1] == (Stage.SUBMITTED, D(2009, 3, 2))
    # Already submitted: the decision does not move her to submitted twice.
    decide(
        application,
        cast,
        submitted_on=None,
        decision="declined",
        decided_on=D(2009, 4, 1),
    )
    assert [s for s, _day in stages(cast.resident)].count(Stage.SUBMITTED) == 1


def test_a_draft_needs_its_submission_date(cast, application):
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(application, cast, submitted_on=None, decision="declined", decided_on=D(2009, 4, 1))
    assert refused.value.field == "submitted_on"
    assert LoanApplication.objects.get(pk=application.pk).status == "draft"


def test_a_refused_stage_move_saves_nothing(cast):
    """Registered only: she cannot go to 'submitted to Qredits'; nothing is written."""
    application = started_in_2009(make_application(cast))
    before = stages(cast.resident)
    with pytest.raises(StageChangeRefused):
        decide(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    application.refresh_from_db()
    assert (application.status, application.submitted_on, application.version) == ("draft", None, 1)
    assert stages(cast.resident) == before


def test_the_refused_move_is_shown_on_the_page(cast, client_for):
    application = started_in_2009(make_application(cast))
    response = client_for("coach").post(
        reverse("coaching:application_decision", kwargs={"pk": application.pk}),
        {
            "version": 1,
            "submitted_on": "2009-03-02",
            "decision": "declined",
            "decided_on": "2009-04-01",
        },
    )
    assert response.status_code == 200
    assert "form-problems" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert LoanApplication.objects.get(pk=application.pk).status == "draft"


# --- Dates and amounts -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"submitted_on": D(2999, 1, 1)}, "submitted_on"),
        ({"decision": "declined", "decided_on": None}, "decided_on"),
        ({"decision": "declined", "decided_on": D(2999, 1, 1)}, "decided_on"),
        ({"decision": "declined", "decided_on": D(2009, 3, 1)}, "decided_on"),  # before submitted
        ({"decision": "approved", "decided_on": D(2009, 4, 1)}, "amount_granted"),  # missing
        (
            {"decision": "approved", "decided_on": D(2009, 4, 1), "amount_granted": Decimal(0)},
            "amount_granted",
        ),
        (
            {"decision": "declined", "decided_on": D(2009, 4, 1), "amount_granted": Decimal(5)},
            "amount_granted",
        ),
        (
            {"decision": "declined", "decided_on": D(2009, 4, 1), "paid_out_on": D(2009, 4, 2)},
            "paid_out_on",
        ),
        (
            {
                "decision": "approved",
                "decided_on": D(2009, 4, 1),
                "amount_granted": Decimal(9000),
                "paid_out_on": D(2009, 3, 31),
            },
            "paid_out_on",
        ),
        (
            {
                "decision": "approved",
                "decided_on": D(2009, 4, 1),
                "amount_granted": Decimal(9000),
                "paid_out_on": D(2999, 1, 1),
            },
            "paid_out_on",
        ),
        ({"decided_on": D(2009, 4, 1)}, "decision"),  # a date without a decision
    ],
)
def test_bad_dates_and_amounts_are_refused_and_nothing_is_saved(cast, application, values, field):
    before = stages(cast.resident)
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(application, cast, **values)
    assert refused.value.field == field
    application.refresh_from_db()
    assert (application.status, application.version) == ("draft", 1)
    assert stages(cast.resident) == before


def test_a_draft_is_withdrawn_without_a_submission_and_the_stage_stays(cast, application):
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(application, cast, submitted_on=None, decision="withdrawn")
    assert refused.value.field == "decided_on"
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(application, cast, submitted_on=None, decision="withdrawn", decided_on=D(2009, 2, 1))
    assert refused.value.field == "decided_on"  # before it was started (20-02-2009)
    decide(application, cast, submitted_on=None, decision="withdrawn", decided_on=D(2009, 3, 5))
    application.refresh_from_db()
    assert (application.status, application.submitted_on) == ("withdrawn", None)
    assert application.decided_on == D(2009, 3, 5)
    assert stages(cast.resident)[-1] == (Stage.IN_TRAJECTORY, ENTERED)  # no stage moved
    withdrawn = audit_text(gettext_lazy("Qredits application withdrawn before it was submitted"))
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, what=withdrawn).exists()


def test_the_submission_day_is_after_the_start_and_stays_once_recorded(cast, application):
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(application, cast, submitted_on=D(2009, 2, 19))
    assert refused.value.field == "submitted_on"
    decide(application, cast, submitted_on=D(2009, 3, 2))
    application.refresh_from_db()
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(
            application,
            cast,
            submitted_on=D(2009, 3, 1),
            decision="declined",
            decided_on=D(2009, 4, 1),
        )
    assert refused.value.field == "submitted_on"
    application.refresh_from_db()
    assert (application.status, application.submitted_on) == ("submitted", D(2009, 3, 2))
    assert stages(cast.resident)[-1] == (Stage.SUBMITTED, D(2009, 3, 2))


def test_the_decision_page_keeps_a_recorded_submission_day(cast, application, client_for):
    decide(application, cast, submitted_on=D(2009, 3, 2))
    application.refresh_from_db()
    url = reverse("coaching:application_decision", args=[application.pk])
    client = client_for("coach")
    response = client.post(
        url,
        {
            "version": application.version,
            "submitted_on": "2009-03-01",
            "decision": "declined",
            "decided_on": "2009-04-01",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.submitted_on) == ("declined", D(2009, 3, 2))


def correct(application, cast, **values):
    application.refresh_from_db()
    values.setdefault("note", "Verkeerd aangeklikt")
    return outcomes.correct_decision(
        application=application, version=application.version, by=cast.coach, **values
    )


def test_a_decision_clicked_by_mistake_is_corrected_and_the_stage_with_it(cast, application):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=15000)
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        correct(application, cast, decision="declined", decided_on=D(2009, 4, 1), note=" ")
    assert refused.value.field == "note"
    correct(application, cast, decision="declined", decided_on=D(2009, 4, 2))
    application.refresh_from_db()
    assert (application.status, application.decided_on) == ("declined", D(2009, 4, 2))
    assert application.amount_granted is None
    cast.resident.refresh_from_db()
    assert cast.resident.stage == Stage.DECLINED
    latest = StageChange.objects.filter(resident=cast.resident).latest("id")
    # A correction that names the mistaken change and says why: the history is not rewritten.
    assert (latest.from_stage, latest.to_stage) == (Stage.FINANCED, Stage.DECLINED)
    assert latest.corrects.to_stage == Stage.FINANCED and latest.note == "Verkeerd aangeklikt"
    corrected = audit_text(
        gettext_lazy("Qredits decision corrected (was: %(before)s, now: %(after)s)"),
        {"before": Status.APPROVED.label, "after": Status.DECLINED.label},
    )
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, what=corrected).exists()


def test_a_wrong_date_or_amount_is_corrected_without_moving_the_stage(cast, application):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    before = stages(cast.resident)
    correct(
        application,
        cast,
        decision="approved",
        decided_on=D(2009, 3, 30),
        amount_granted=Decimal("9500"),
        paid_out_on=D(2009, 4, 15),
    )
    application.refresh_from_db()
    assert (application.decided_on, application.amount_granted) == (D(2009, 3, 30), 9500)
    assert application.paid_out_on == D(2009, 4, 15)
    assert stages(cast.resident) == before
    with pytest.raises(outcomes.OutcomeRefused) as refused:  # the same rules as recording it
        correct(application, cast, decision="approved", decided_on=D(2009, 3, 1), amount_granted=1)
    assert refused.value.field == "decided_on"


def test_a_draft_withdrawn_by_mistake_keeps_withdrawn_and_only_its_date_changes(cast, application):
    decide(application, cast, submitted_on=None, decision="withdrawn", decided_on=D(2009, 3, 5))
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        correct(application, cast, decision="approved", decided_on=D(2009, 3, 5))
    assert refused.value.field == "decision"
    correct(application, cast, decision="withdrawn", decided_on=D(2009, 3, 6))
    application.refresh_from_db()
    assert (application.status, application.decided_on) == ("withdrawn", D(2009, 3, 6))
    assert application.submitted_on is None


def test_a_decision_that_something_followed_stays(cast, application):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    start_business(cast)
    with pytest.raises(outcomes.OutcomeRefused, match="."):
        correct(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    application.refresh_from_db()
    assert application.status == "approved"
    assert Resident.objects.get(pk=cast.resident.pk).stage == Stage.STARTED


def test_the_decision_page_corrects_a_closed_application(cast, application, client_for):
    decide(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    application.refresh_from_db()
    url = reverse("coaching:application_decision", args=[application.pk])
    client = client_for("coach")
    assert 'id="correction-form"' in client.get(url).content.decode()
    data = {
        "action": "correct",
        "correct-version": application.version,
        "correct-decision": "approved",
        "correct-decided_on": "2009-04-01",
        "correct-amount_granted": "",
        "correct-note": "Qredits keurde goed",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert 'id="decision-correction" open' in refused.content.decode()
    assert refused.context["correction"]["note"].value() == "Qredits keurde goed"  # kept
    data["correct-amount_granted"] = "12.000"
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.amount_granted) == ("approved", 12000)
    assert Resident.objects.get(pk=cast.resident.pk).stage == Stage.FINANCED


def test_only_the_posted_form_is_checked_and_a_stale_one_can_be_sent_again(
    cast, application, client_for
):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    application.refresh_from_db()
    url = reverse("coaching:application_decision", args=[application.pk])
    client = client_for("coach")
    # A correction without its note: the correction's messages only, not the payout form's.
    page = client.post(
        url,
        {
            "action": "correct",
            "correct-version": application.version,
            "correct-decision": "approved",
            "correct-decided_on": "2009-04-02",
            "correct-amount_granted": "9000",
        },
    ).content.decode()
    assert page.count('id="form-problems"') == 1
    assert (
        'id="payout-form"' in page
        and "is-invalid" not in page.split('id="payout-form"')[1].split("</form>")[0]
    )
    # The payout posted from a page opened before someone else corrected the amount: refused,
    # and the form carries the version as it is now, so sending it again saves.
    stale = {"action": "payout", "version": application.version, "paid_out_on": "2009-04-20"}
    correct(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9500)
    refused = client.post(url, stale)
    assert refused.status_code == 200
    application.refresh_from_db()
    assert f'value="{application.version}"' in refused.content.decode()
    assert client.post(url, {**stale, "version": application.version}).status_code == 302
    application.refresh_from_db()
    assert application.paid_out_on == D(2009, 4, 20)


def test_a_draft_withdrawn_with_an_amount_is_refused_not_dropped(cast, application):
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        decide(
            application,
            cast,
            submitted_on=None,
            decision="withdrawn",
            decided_on=D(2009, 3, 5),
            amount_granted=Decimal("500"),
        )
    assert refused.value.field == "amount_granted"
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_stage_corrected_once_is_not_corrected_again_but_dates_still_are(cast, application):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    correct(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        correct(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=1)
    assert refused.value.field == "decision"
    assert correct(application, cast, decision="declined", decided_on=D(2009, 4, 3)) == "decision"
    assert correct(application, cast, decision="declined", decided_on=D(2009, 4, 3)) is False
    application.refresh_from_db()
    assert (application.status, application.decided_on) == ("declined", D(2009, 4, 3))


def test_after_the_business_start_the_decision_is_not_offered_for_correction(
    cast, application, client_for
):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    start_business(cast)
    with pytest.raises(outcomes.OutcomeRefused, match="start"), translation.override("en"):
        correct(
            application,
            cast,
            decision="approved",
            decided_on=D(2009, 4, 2),
            amount_granted=9000,
        )
    url = reverse("coaching:application_decision", args=[application.pk])
    assert 'id="correction-form"' not in client_for("coach").get(url).content.decode()


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("amount_granted", "abc"),
        ("amount_granted", "-5"),
        ("decided_on", "2009-02-31"),
        ("decision", "granted"),
        ("note", "Kap\x00salon"),
        ("note", "x" * 501),
    ],
)
def test_bad_input_in_the_correction_is_shown_at_its_field(
    cast, application, client_for, field, typed
):
    decide(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    application.refresh_from_db()
    data = {
        "action": "correct",
        "correct-version": application.version,
        "correct-decision": "approved",
        "correct-decided_on": "2009-04-01",
        "correct-amount_granted": "9000",
        "correct-note": "Verkeerd aangeklikt",
        f"correct-{field}": typed,
    }
    url = reverse("coaching:application_decision", args=[application.pk])
    response = client_for("coach").post(url, data)
    assert response.status_code == 200
    assert response.context["correction"].errors[field]
    application.refresh_from_db()
    assert application.status == "declined"  # nothing saved
    assert Resident.objects.get(pk=cast.resident.pk).stage == Stage.DECLINED


def test_qredits_may_grant_less_than_asked_and_pay_out_later(cast, application):
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=1)
    application.refresh_from_db()
    assert application.amount_granted == Decimal(1) < application.amount
    outcomes.record_payout(
        application=application,
        version=application.version,
        by=cast.coach,
        paid_out_on=D(2009, 4, 15),
    )
    application.refresh_from_db()
    assert application.paid_out_on == D(2009, 4, 15)


def test_a_stale_version_is_refused(cast, application):
    decide(application, cast)
    stale = LoanApplication.objects.get(pk=application.pk)
    with pytest.raises(outcomes.OutcomeRefused):
        outcomes.record_decision(
            application=stale,
            version=1,
            by=cast.coach,
            submitted_on=None,
            decision="withdrawn",
            decided_on=D(2009, 4, 1),
        )
    assert LoanApplication.objects.get(pk=application.pk).status == "submitted"


def test_a_decided_application_is_closed(cast, application):
    decide(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    application.refresh_from_db()
    with pytest.raises(outcomes.OutcomeRefused):
        decide(application, cast, decision="withdrawn", decided_on=D(2009, 4, 2))


def test_a_declined_plan_is_reworked_and_submitted_again(cast, application):
    decide(application, cast, decision="declined", decided_on=D(2009, 4, 1))
    plan = application.plan
    # Reworked: a new version is handed in; until a review finds it ready, no new application.
    revision = make_revision(plan, by=cast.resident_user)
    with pytest.raises(ApplicationRefused):
        make_application(cast, plan=plan)
    make_review(
        revision,
        coach=cast.coach,
        status=Review.Status.CONCLUDED,
        outcome=Review.Outcome.READY,
        concluded_at=timezone.now(),
    )
    second = started_in_2009(make_application(cast, plan=plan))
    decide(
        second,
        cast,
        submitted_on=D(2009, 5, 4),
        decision="approved",
        decided_on=D(2009, 5, 20),
        amount_granted=Decimal(15000),
    )
    assert [s for s, _day in stages(cast.resident)][-4:] == [
        Stage.SUBMITTED,
        Stage.DECLINED,
        Stage.SUBMITTED,
        Stage.FINANCED,
    ]
    assert LoanApplication.objects.get(pk=application.pk).status == "declined"


def test_the_decision_page_saves_and_redirects(cast, application, client_for):
    url = reverse("coaching:application_decision", kwargs={"pk": application.pk})
    client = client_for("coach")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": 1,
            "submitted_on": "2009-03-02",
            "decision": "approved",
            "decided_on": "2009-04-01",
            "amount_granted": "12.500",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.amount_granted == Decimal("12500")
    page = client.get(url).content.decode()
    assert 'id="payout-form"' in page


@pytest.mark.parametrize("role", ["other_coach", "project_group", "partner"])
def test_another_desk_and_the_project_group_get_404(cast, application, client_for, role):
    client = client_for(role)
    decision = reverse("coaching:application_decision", kwargs={"pk": application.pk})
    start = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    assert client.get(decision).status_code == 404
    assert client.post(decision, {"version": 1, "submitted_on": "2009-03-02"}).status_code == 404
    assert client.get(start).status_code == 404
    assert client.post(start, {"action": "start", "started_on": "2009-06-01"}).status_code == 404
    assert LoanApplication.objects.get(pk=application.pk).status == "draft"
    assert not BusinessStart.objects.exists()


# --- The business after it -------------------------------------------------------------------
def start_business(cast, started_on=STARTED, kvk="3141 5926", **kwargs):
    return outcomes.record_business_start(
        resident=cast.resident, by=cast.coach, started_on=started_on, kvk_number=kvk, **kwargs
    )


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("12345678", "12345678"), ("1234 5678", "12345678"), ("12.34.56.78", "12345678"), ("", "")],
)
def test_a_kvk_number_is_eight_digits_without_spaces_and_dots(typed, kept):
    assert outcomes.clean_kvk_number(typed) == kept


@pytest.mark.parametrize("typed", ["1234567", "123456789", "1234567a", "12-345678", "KvK 1234"])
def test_anything_else_is_refused(typed):
    with pytest.raises(outcomes.OutcomeRefused) as refused:
        outcomes.clean_kvk_number(typed)
    assert refused.value.field == "kvk_number"


def test_the_start_moves_the_stage_and_plans_three_aftercare_contacts(cast):
    in_trajectory(cast)
    start = start_business(cast, started_on=D(2009, 8, 31))
    assert start.kvk_number == "31415926"
    assert stages(cast.resident)[-1] == (Stage.STARTED, D(2009, 8, 31))
    conversation = Conversation.objects.get(resident=cast.resident)
    assert (conversation.kind, conversation.held_on) == ("follow_up", D(2009, 8, 31))
    steps = NextStep.objects.filter(conversation=conversation).order_by("due_on")
    # 31 August + 3 months: 30 November (the month's last day); + 6: 28 February.
    assert [s.due_on for s in steps] == [D(2009, 11, 30), D(2010, 2, 28), D(2010, 8, 31)]
    assert {s.owner for s in steps} == {NextStep.Owner.COACH}
    assert list(outcomes.aftercare_steps(start)) == [3, 6, 12]
    assert all(outcomes.aftercare_steps(start).values())


def test_a_start_in_the_future_or_a_refused_move_saves_nothing(cast):
    in_trajectory(cast)
    with pytest.raises(outcomes.OutcomeRefused):
        start_business(cast, started_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(outcomes.OutcomeRefused):
        start_business(cast, kvk="1234")
    # Before her last stage change: intake refuses the move.
    with pytest.raises(StageChangeRefused):
        start_business(cast, started_on=D(2009, 1, 20))
    assert not BusinessStart.objects.exists()
    assert not NextStep.objects.exists()
    assert stages(cast.resident)[-1][0] == Stage.IN_TRAJECTORY


def test_a_start_is_recorded_once(cast):
    in_trajectory(cast)
    start_business(cast)
    with pytest.raises(outcomes.OutcomeRefused):
        start_business(cast)


def test_the_business_page_records_the_start(cast, client_for):
    in_trajectory(cast)
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    client = client_for("coach")
    recent = timezone.localdate() - datetime.timedelta(days=30)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "action": "start",
            "started_on": recent.isoformat(),
            "kvk_number": "12",
            "channel": "phone",
            "duration_minutes": 15,
        },
    )
    assert bad.status_code == 200
    assert bad.context["form"].errors["kvk_number"]
    assert bad.context["form"]["started_on"].value() == recent.isoformat()  # kept
    response = client.post(
        url,
        {
            "action": "start",
            "started_on": recent.isoformat(),
            "kvk_number": "1234 5678",
            "channel": "phone",
            "duration_minutes": 15,
        },
    )
    assert response.status_code == 302
    assert BusinessStart.objects.get().kvk_number == "12345678"
    page = client.get(url).content.decode()
    assert 'id="aftercare-steps"' in page
    assert 'id="still-trading-form"' not in page  # only 12 months after the start


def test_the_kvk_number_can_be_put_right_after_the_start(cast, client_for):
    in_trajectory(cast)
    start_business(cast, kvk="")
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    client = client_for("coach")
    assert 'id="kvk-form"' in client.get(url).content.decode()
    # A wrong number: the message next to the field, what was typed kept, nothing saved.
    bad = client.post(url, {"action": "kvk", "kvk_number": "1234 567"})
    assert bad.status_code == 200
    assert bad.context["kvk"].errors["kvk_number"] == [
        "Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."
    ]
    assert bad.context["kvk"]["kvk_number"].value() == "1234 567"
    assert '<details class="mb-4" id="kvk-correction" open>' in bad.content.decode()
    assert BusinessStart.objects.get().kvk_number == ""
    # Registered since: saved as eight digits, with a line in the audit trail.
    assert client.post(url, {"action": "kvk", "kvk_number": "8765.4321"}).status_code == 302
    assert BusinessStart.objects.get().kvk_number == "87654321"
    corrected = audit_text(gettext_lazy("KvK number of the business corrected"))
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, what=corrected).count() == 1
    # The same number again changes nothing and writes no second line.
    client.post(url, {"action": "kvk", "kvk_number": "87654321"})
    assert AuditEntry.objects.filter(resident_id=cast.resident.pk, what=corrected).count() == 1
    assert "87654321" in client.get(url).content.decode()
    # Emptied (typed by mistake on the wrong business): said so, not "corrected".
    response = client.post(url, {"action": "kvk", "kvk_number": ""}, follow=True)
    assert BusinessStart.objects.get().kvk_number == ""
    assert "Het KvK-nummer is verwijderd." in response.content.decode()


def test_while_qredits_decides_the_start_is_not_offered(cast, application, client_for):
    decide(application, cast, submitted_on=D(2009, 3, 2))  # she is in *submitted* now
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    client = client_for("coach")
    page = client.get(url).content.decode()
    assert 'id="start-not-yet"' in page and 'id="start-form"' not in page
    # Nothing of a business that has not started: no facts, no KvK form, no aftercare.
    assert 'id="business-facts"' not in page and 'id="kvk-form"' not in page
    assert 'id="aftercare-steps"' not in page
    resident_page = client.get(cast.resident.get_absolute_url()).content.decode()
    assert 'id="outcome-panel"' in resident_page and 'id="record-start-link"' not in resident_page
    client.post(url, {"action": "start", "started_on": "2009-06-01", "channel": "phone"})
    assert not BusinessStart.objects.exists()
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=1)
    page = client.get(url).content.decode()
    assert 'id="start-form"' in page and 'id="start-not-yet"' not in page


def test_the_first_aftercare_contact_begins_aftercare(cast):
    in_trajectory(cast)
    start = start_business(cast)
    start.resident = cast.resident
    step = outcomes.aftercare_steps(start)[3]
    outcomes.record_aftercare_contact(start=start, step=step, on=D(2009, 9, 2), by=cast.coach)
    step.refresh_from_db()
    assert step.done_on == D(2009, 9, 2)
    assert stages(cast.resident)[-1] == (Stage.AFTERCARE, D(2009, 9, 2))
    # The next contact leaves the stage as it is.
    six = outcomes.aftercare_steps(start)[6]
    outcomes.record_aftercare_contact(start=start, step=six, on=D(2009, 12, 1), by=cast.coach)
    assert [s for s, _day in stages(cast.resident)].count(Stage.AFTERCARE) == 1


def test_an_aftercare_contact_ticked_on_the_residents_page_begins_aftercare(cast, client_for):
    in_trajectory(cast)
    start = start_business(cast)
    other = NextStep.objects.create(
        resident=cast.resident,
        conversation=cast.resident.conversations.latest("id"),
        description="Bel de boekhouder",
        due_on=timezone.localdate(),
        owner=NextStep.Owner.COACH,
    )
    client = client_for("coach")
    # Another step done leaves her stage as it is ...
    client.post(reverse("intake:next_step_done", kwargs={"pk": other.pk}))
    assert stages(cast.resident)[-1][0] == Stage.STARTED
    # ... the 3-month contact ticked on intake's page moves her, as on the business page.
    three = outcomes.aftercare_steps(start)[3]
    response = client.post(reverse("intake:next_step_done", kwargs={"pk": three.pk}))
    assert response.status_code == 302
    assert stages(cast.resident)[-1] == (Stage.AFTERCARE, timezone.localdate())
    three.refresh_from_db()
    assert three.done_on == timezone.localdate()


def test_an_aftercare_contact_done_where_the_stage_cannot_move_is_done_all_the_same(cast):
    in_trajectory(cast)
    start = start_business(cast)
    three = outcomes.aftercare_steps(start)[3]
    # Written down afterwards with a day before the start's stage change: the trajectory
    # refuses a move dated earlier, the contact is recorded all the same.
    complete_next_step(step=three, by=cast.coach, on=STARTED - datetime.timedelta(days=1))
    three.refresh_from_db()
    assert three.done_on == STARTED - datetime.timedelta(days=1)
    assert stages(cast.resident)[-1][0] == Stage.STARTED


def test_still_trading_only_from_12_months_after_the_start(cast):
    in_trajectory(cast)
    start = start_business(cast, started_on=D(2009, 6, 1))
    start.resident = cast.resident
    assert not outcomes.may_record_still_trading(start, today=D(2010, 5, 31))
    assert outcomes.may_record_still_trading(start, today=D(2010, 6, 1))
    with pytest.raises(outcomes.OutcomeRefused):
        outcomes.record_still_trading(
            start=start, still_trading=True, by=cast.coach, today=D(2010, 5, 31)
        )
    assert BusinessStart.objects.get().still_trading_at_12_months is None
    outcomes.record_still_trading(
        start=start, still_trading=True, by=cast.coach, today=D(2010, 6, 1)
    )
    assert BusinessStart.objects.get().still_trading_at_12_months is True
    # The 12-month contact is done, and she moved to aftercare.
    assert outcomes.aftercare_steps(start)[12].done_on == D(2010, 6, 1)
    assert stages(cast.resident)[-1] == (Stage.AFTERCARE, D(2010, 6, 1))


def test_the_still_trading_form_is_on_the_page_after_12_months(cast, client_for):
    in_trajectory(cast)
    start_business(cast, started_on=D(2009, 6, 1))
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    client = client_for("coach")
    assert 'id="still-trading-form"' in client.get(url).content.decode()
    response = client.post(url, {"action": "still_trading", "still_trading": "no"})
    assert response.status_code == 302
    assert BusinessStart.objects.get().still_trading_at_12_months is False


def test_the_panel_on_the_residents_page_links_both(cast, application, client_for):
    page = client_for("coach").get(cast.resident.get_absolute_url()).content.decode()
    assert 'id="outcome-panel"' in page
    assert reverse("coaching:application_decision", kwargs={"pk": application.pk}) in page
    assert reverse("coaching:business_start", kwargs={"pk": cast.resident.pk}) in page


# --- Privacy ---------------------------------------------------------------------------------
def with_documents(cast, application):
    enclosure = application.enclosures.get(kind="quotes")
    Upload.objects.create(
        enclosure=enclosure,
        name="offerte.pdf",
        stored_name="s" * 32,
        content_type="application/pdf",
        size=len(PDF),
        data=PDF,
        uploaded_by=cast.coach,
    )
    ApplicationPack.objects.create(
        application=application, number=1, status="ready", pdf=PDF, requested_by=cast.coach
    )
    return enclosure


@pytest.mark.parametrize("how", ["erase", "withdraw"])
def test_erasure_and_withdrawal_delete_uploads_and_packs(cast, application, how):
    with_documents(cast, application)
    start_business(cast)
    if how == "erase":
        erasure.erase_resident(resident=cast.resident, by=cast.coordinator)
    else:
        erasure.withdraw_consent(resident=cast.resident, by=cast.coordinator)
    assert not Upload.objects.exists()
    assert not ApplicationPack.objects.exists()
    assert not LoanApplication.objects.exists()
    # The start stays for the dashboard, without its KvK number.
    start = BusinessStart.objects.get()
    assert (start.started_on, start.kvk_number) == (D(2009, 6, 1), "")


def test_the_copy_of_her_data_lists_applications_and_the_start(cast, application):
    with_documents(cast, application)
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    start_business(cast)
    [copied] = export_applications(cast.resident)
    assert copied["amount"] == "15000.00"
    assert copied["status"] == "approved" and copied["submitted_on"] == "2009-03-02"
    assert copied["amount_granted"] == "9000.00"
    quotes = next(e for e in copied["enclosures"] if e["document"] == "quotes")
    assert quotes["files"] == [
        {
            "name": "offerte.pdf",
            "kind": "application/pdf",
            "size": len(PDF),
            "uploaded_at": quotes["files"][0]["uploaded_at"],
        }
    ]
    assert "data" not in str(copied) and "%PDF" not in str(copied)  # names, never the bytes
    assert copied["packs"][0]["version"] == 1
    assert export_business_start(cast.resident)["kvk_number"] == "31415926"
    assert export_applications(cast.other_resident) == []
    assert export_business_start(cast.other_resident) is None


def test_the_copy_reads_a_fixed_number_of_queries(cast, application, django_assert_num_queries):
    with_documents(cast, application)
    with django_assert_num_queries(4):
        export_applications(cast.resident)


def test_the_pdf_copy_shows_the_applications_and_the_start(cast, application):
    with_documents(cast, application)
    decide(application, cast, decision="approved", decided_on=D(2009, 4, 1), amount_granted=9000)
    start_business(cast)
    copy = DataCopy.objects.create(resident=cast.resident, requested_by=cast.coordinator)
    text = pdf_text(render_copy_pdf(copy))
    assert "offerte.pdf" in text
    assert "Oven en inrichting" in text
    assert "31415926" in text
    assert "€ 9.000,00" in text  # the amount granted


# --- Review findings (issue 11, second round) ------------------------------------------------
def _row(page, months):
    """The <li> of one aftercare contact on the business page."""
    start = page.index(f'data-months="{months}"')
    return page[start : page.index("</li>", start)]


@pytest.mark.parametrize("typed", ["2099-01-01", "2009-05-01"])
def test_a_refused_aftercare_contact_shows_at_its_row_and_keeps_the_date(cast, client_for, typed):
    in_trajectory(cast)
    start = start_business(cast)
    start.resident = cast.resident
    steps = outcomes.aftercare_steps(start)
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    response = client_for("coach").post(
        url, {"action": "contact", "step": steps[6].pk, "held_on": typed}
    )
    assert response.status_code == 200
    page = response.content.decode()
    row = _row(page, 6)
    error_id = f"held-on-{steps[6].pk}-error"
    assert f'value="{typed}"' in row
    assert 'aria-invalid="true"' in row
    assert f'aria-describedby="{error_id}"' in row
    assert f'id="{error_id}"' in row
    # The other rows are as they were: today's date, no error.
    today = timezone.localdate().isoformat()
    for months in (3, 12):
        other = _row(page, months)
        assert f'value="{today}"' in other
        assert "aria-invalid" not in other
    # The message is not repeated below the list.
    tail = page[page.index('id="aftercare-steps"') :]
    tail = tail[tail.index("</ul>") : tail.index("</section>")]
    assert "text-danger" not in tail
    assert not NextStep.objects.filter(done_on__isnull=False).exists()


def test_each_still_trading_answer_and_change_is_in_the_audit_trail(cast):
    from ondernemerspunt.models import AuditEntry

    in_trajectory(cast)
    start = start_business(cast, started_on=D(2009, 6, 1))
    start.resident = cast.resident
    outcomes.record_still_trading(
        start=start, still_trading=True, by=cast.coach, today=D(2010, 6, 1)
    )
    assert outcomes.still_trading_answer(start)["previous"] is None
    before = AuditEntry.objects.count()
    for answer in (False, False, True):
        outcomes.record_still_trading(
            start=start, still_trading=answer, by=cast.coach, today=D(2010, 6, 1)
        )
    # Two changes, a line each; the same answer again changes nothing.
    assert AuditEntry.objects.count() - before == 2
    answer = outcomes.still_trading_answer(start)
    assert answer["answer"] is True
    assert answer["previous"] is False
    assert answer["by"] == cast.coach
    assert answer["on"] == timezone.localdate()
    assert cast.resident.full_name not in "".join(AuditEntry.objects.values_list("what", flat=True))


def test_the_business_page_shows_when_and_by_whom_and_the_previous_answer(cast, client_for):
    in_trajectory(cast)
    start_business(cast, started_on=D(2009, 6, 1))
    url = reverse("coaching:business_start", kwargs={"pk": cast.resident.pk})
    client = client_for("coach")
    assert client.post(url, {"action": "still_trading", "still_trading": "yes"}).status_code == 302
    page = client.get(url).content.decode()
    recorded = page[page.index('id="still-trading-recorded"') :]
    recorded = recorded[: recorded.index("</")]
    assert timezone.localdate().strftime("%d-%m-%Y") in recorded
    assert cast.coach.full_name in recorded
    assert 'id="still-trading-previous"' not in page
    # The form offers the answer as it is now.
    tag = page[: page.index('value="yes"')]
    tag = page[tag.rindex("<input") : page.index(">", page.index('value="yes"'))]
    assert "checked" in tag
    assert client.post(url, {"action": "still_trading", "still_trading": "no"}).status_code == 302
    page = client.get(url).content.decode()
    previous = page[page.index('id="still-trading-previous"') :]
    previous = previous[: previous.index("</")]
    assert "yes" in previous or "ja" in previous
