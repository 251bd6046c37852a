"""Who may use the intake screens: coaches and coordinators of the resident's desk."""

import datetime

from intake.models import Conversation, NextStep
from tests.access_matrix import REDIRECT, Row, expect

# Pages of the role: staff of any desk get them (for their own desk), others 403.
STAFF_PAGE = expect(403, coach=200, other_coach=200, coordinator=200)
# One resident's file at cast.desk: its staff only; everyone else 404, also the other desk.
RESIDENT_PAGE = expect(404, coach=200, coordinator=200)
RESIDENT_ACTION = expect(404, coach=REDIRECT, coordinator=REDIRECT)


def resident(cast):
    return {"pk": cast.resident.pk}


def open_step(cast):
    conversation = Conversation.objects.create(
        resident=cast.resident,
        desk=cast.desk,
        held_on=datetime.date(2009, 2, 1),
        coach=cast.coach,
    )
    step = NextStep.objects.create(
        conversation=conversation,
        resident=cast.resident,
        description="Offerte opvragen",
        due_on=datetime.date(2009, 3, 1),
    )
    return {"pk": step.pk}


ROWS = [
    Row("intake:resident_list", STAFF_PAGE),
    Row("intake:resident_list", STAFF_PAGE, query="q=bewoner&stage=registered&sort=stage"),
    Row("intake:my_residents", STAFF_PAGE),
    Row("intake:resident_new", STAFF_PAGE),
    # An empty form comes back with messages (200), and stores nothing.
    Row("intake:resident_new", STAFF_PAGE, method="post"),
    Row("intake:resident_detail", RESIDENT_PAGE, kwargs=resident),
    Row("intake:resident_edit", RESIDENT_PAGE, kwargs=resident),
    Row("intake:resident_edit", RESIDENT_PAGE, kwargs=resident, method="post"),
    Row("intake:conversation_new", RESIDENT_PAGE, kwargs=resident),
    Row("intake:conversation_new", RESIDENT_PAGE, kwargs=resident, method="post"),
    Row(
        "intake:consent_record",
        RESIDENT_ACTION,
        kwargs=resident,
        method="post",
        data=lambda cast: {"agreed": "on"},
    ),
    Row("intake:stage_change", RESIDENT_PAGE, kwargs=resident),
    Row("intake:stage_change", RESIDENT_PAGE, kwargs=resident, method="post"),
    Row("intake:next_step_done", RESIDENT_ACTION, kwargs=open_step, method="post"),
]


# Corrections (intake/views/corrections.py): the staff of the resident's desk only.
def a_conversation(cast):
    return {"pk": NextStep.objects.get(pk=open_step(cast)["pk"]).conversation_id}


def done_step(cast):
    pk = open_step(cast)["pk"]
    NextStep.objects.filter(pk=pk).update(done_on=datetime.date(2009, 3, 2))
    return {"pk": pk}


ROWS += [
    Row("intake:conversation_edit", RESIDENT_PAGE, kwargs=a_conversation),
    # An empty form comes back with messages (200), and stores nothing.
    Row("intake:conversation_edit", RESIDENT_PAGE, kwargs=a_conversation, method="post"),
    Row("intake:next_step_edit", RESIDENT_PAGE, kwargs=open_step),
    Row("intake:next_step_edit", RESIDENT_PAGE, kwargs=open_step, method="post"),
    Row("intake:next_step_reopen", RESIDENT_ACTION, kwargs=done_step, method="post"),
    Row("intake:coach_change", RESIDENT_PAGE, kwargs=resident),
    Row("intake:coach_change", RESIDENT_PAGE, kwargs=resident, method="post"),
    # Without a reason the page comes back with a message (200); nothing is corrected.
    Row("intake:stage_correct", RESIDENT_PAGE, kwargs=resident, method="post"),
]


# A copy of one's data (intake/views/data_copies.py): the coordinator of her desk, at her request
# (coaches too get 404: the copy holds the audit trail's lines); the resident her own (403 for
# anyone who is not a resident, as her other own pages).
COORDINATOR_PAGE = expect(404, coordinator=200)
OWN_PAGE = expect(403, resident=200)


def ready_copy(cast, by):
    from intake.models import DataCopy

    data_copy = DataCopy.objects.create(
        resident=cast.resident, requested_by=by, status=DataCopy.Status.READY, pdf=b"%PDF-1.7"
    )
    return data_copy.pk


ROWS += [
    Row("intake:data_copy", COORDINATOR_PAGE, kwargs=resident),
    Row(
        "intake:data_copy",
        expect(404, coordinator=REDIRECT),
        kwargs=resident,
        method="post",
    ),
    Row("intake:data_copy_json", COORDINATOR_PAGE, kwargs=resident),
    Row(
        "intake:data_copy_pdf",
        COORDINATOR_PAGE,
        kwargs=lambda cast: {"pk": cast.resident.pk, "copy": ready_copy(cast, cast.coordinator)},
    ),
    Row("intake:own_data_copy", OWN_PAGE),
    Row("intake:own_data_copy", expect(403, resident=REDIRECT), method="post"),
    Row("intake:own_data_copy_json", OWN_PAGE),
    Row(
        "intake:own_data_copy_pdf",
        OWN_PAGE,
        kwargs=lambda cast: {"copy": ready_copy(cast, cast.resident_user)},
    ),
]


# --- Withdrawing consent, erasure, retention (intake/views/erasure.py) -----------------------
# Pages of the coordinator role: 403 for everyone without it, the file of another desk 404.
COORDINATOR_ONLY = expect(403, coordinator=200)


def throwaway_resident(cast):
    """A file of cast.desk with consent, made for one POST that withdraws or erases, so that
    the other rows still find cast.resident as it was."""
    from tests.factories import make_resident

    return {"pk": make_resident(cast.desk, coach=cast.coach, consent_by=cast.coach).pk}


ROWS += [
    Row("intake:consent_withdraw", RESIDENT_PAGE, kwargs=resident),
    Row(
        "intake:consent_withdraw",
        RESIDENT_ACTION,
        kwargs=throwaway_resident,
        method="post",
    ),
    Row("intake:resident_erase", COORDINATOR_ONLY, kwargs=resident),
    Row(
        "intake:resident_erase",
        expect(403, coordinator=REDIRECT),
        kwargs=throwaway_resident,
        method="post",
        data=lambda cast: {"confirmed": "on"},
    ),
    Row("intake:retention_list", COORDINATOR_ONLY),
    # Nothing chosen: the page comes back with the message (200), and nothing is erased.
    Row("intake:retention_list", COORDINATOR_ONLY, method="post"),
]


# --- Info evenings (intake/views/evenings.py, intake/views/public_evenings.py) ---------------
# The staff pages: the coaches and coordinators of the evening's desk; another desk's coach 404.
EVENING_PAGE = expect(404, coach=200, coordinator=200)
EVENING_ACTION = expect(404, coach=REDIRECT, coordinator=REDIRECT)
# Anyone, logged in or not: the public pages.
PUBLIC_PAGE = expect(200, anonymous=200)


def an_evening(cast, **fields):
    from tests.factories import make_evening

    return {"pk": make_evening(cast.desk, **fields).pk}


def a_planned_evening(cast):
    from intake.models import InfoEvening

    return an_evening(cast, status=InfoEvening.Status.PLANNED)


def a_past_evening(cast):
    return an_evening(cast, days_ahead=-1)


def a_registration(cast, **fields):
    from tests.factories import make_evening, make_registration

    return {"pk": make_registration(make_evening(cast.desk), **fields).pk}


def an_intermediary(cast):
    from intake.models import Registration

    return a_registration(cast, kind=Registration.Kind.INTERMEDIARY, organisation="Rabobank")


def a_speaker(cast):
    from intake.models import Speaker
    from tests.factories import make_evening

    speaker = Speaker.objects.create(
        evening=make_evening(cast.desk), kind=Speaker.Kind.ENTREPRENEUR, name="Bakker Bas"
    )
    return {"pk": speaker.pk}


def public_evening(cast):
    from tests.factories import make_evening

    return {"slug": cast.desk.slug, "pk": make_evening(cast.desk).pk}


def cancel_link(cast):
    from intake.evening_links import cancel_token
    from tests.factories import make_evening, make_registration

    return {"token": cancel_token(make_registration(make_evening(cast.desk)))}


ROWS += [
    Row("intake:evening_list", STAFF_PAGE),
    Row("intake:evening_new", STAFF_PAGE),
    # An empty form comes back with messages (200), and stores nothing.
    Row("intake:evening_new", STAFF_PAGE, method="post"),
    Row("intake:evening_detail", EVENING_PAGE, kwargs=an_evening),
    Row("intake:evening_edit", EVENING_PAGE, kwargs=an_evening),
    Row("intake:evening_edit", EVENING_PAGE, kwargs=an_evening, method="post"),
    Row("intake:evening_publish", EVENING_ACTION, kwargs=a_planned_evening, method="post"),
    Row("intake:evening_cancel", EVENING_PAGE, kwargs=an_evening),
    Row("intake:evening_cancel", EVENING_ACTION, kwargs=an_evening, method="post"),
    Row("intake:evening_held", EVENING_ACTION, kwargs=a_past_evening, method="post"),
    Row("intake:speaker_add", EVENING_PAGE, kwargs=an_evening),
    Row("intake:speaker_add", EVENING_PAGE, kwargs=an_evening, method="post"),
    Row("intake:speaker_remove", EVENING_ACTION, kwargs=a_speaker, method="post"),
    Row("intake:evening_door", EVENING_PAGE, kwargs=an_evening),
    # A walk-in without a name comes back with a message (200).
    Row("intake:evening_door", EVENING_PAGE, kwargs=an_evening, method="post"),
    Row(
        "intake:registration_attended",
        EVENING_ACTION,
        kwargs=a_registration,
        method="post",
        data=lambda cast: {"attended": "1"},
    ),
    Row("intake:registration_to_resident", EVENING_PAGE, kwargs=a_registration),
    Row("intake:registration_to_resident", EVENING_PAGE, kwargs=a_registration, method="post"),
    # Inviting someone is the coordinator's (desk management): the desk's coach 404 too.
    Row("intake:registration_to_contact", expect(404, coordinator=200), kwargs=an_intermediary),
    Row(
        "intake:registration_to_contact",
        expect(404, coordinator=200),
        kwargs=an_intermediary,
        method="post",
    ),
    Row("intake:public_evenings", PUBLIC_PAGE, kwargs=lambda cast: {"slug": cast.desk.slug}),
    Row("intake:public_evening", PUBLIC_PAGE, kwargs=public_evening),
    # An empty form comes back with messages (200), and stores nothing.
    Row("intake:public_evening", PUBLIC_PAGE, kwargs=public_evening, method="post"),
    # Without having registered in this session: back to the evening (nobody's details shown).
    Row(
        "intake:public_registered",
        expect(REDIRECT, anonymous=REDIRECT),
        kwargs=public_evening,
    ),
    Row("intake:public_evening_ics", PUBLIC_PAGE, kwargs=public_evening),
    Row("intake:registration_cancel", PUBLIC_PAGE, kwargs=cancel_link),
    Row("intake:registration_cancel", PUBLIC_PAGE, kwargs=cancel_link, method="post"),
]
