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
