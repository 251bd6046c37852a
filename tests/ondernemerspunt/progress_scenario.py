"""A desk whose 2009 figures were counted by hand, for the progress tests.

Desk "telling" (target 50 for 2009, threshold 5), counted up to 30-06-2009. Every resident's
history below; the expected figures are written out in ``EXPECTED`` with how they were counted.

    A  reg 2008-11-10, intake 2008-12-01, traject 2009-01-10, submitted 2009-03-02,
       financed 2009-04-01, started 2009-05-01          bijstand, info evening, Wijk telling
    B  reg 2009-01-05, intake 2009-01-20, traject 2009-02-10
                                                          employed, partner "UWV Noord", Wijk
    C  reg 2009-02-01, intake 2009-02-15, traject 2009-03-01, dropped out 2009-04-15 (found job)
                                                          WW, word of mouth, no neighbourhood
    D  reg 2009-03-01, intake 2009-03-20, dropped out 2009-05-10 (not feasible)
                                                          student, flyer
    E  reg 2009-04-01
    F  reg 2009-05-01, intake 2009-05-16, traject 2009-06-02
                                                          bijstand, info evening, Wijk telling
    G  reg 2009-06-10, intake 2009-07-05, traject 2009-07-20      (the last two after as-of)
    H  reg 2008-03-01, intake 2008-03-15, traject 2008-04-01      (still in it in 2009)
    I  reg 2008-05-01, intake 2008-05-10, traject 2008-06-01, submitted 2009-02-01,
       declined 2009-03-01, traject again 2009-03-15    self-employed, no source, none

Conversations: intake B 2009-01-20, C 2009-02-15, D 2009-03-20, F 2009-05-16, G 2009-07-05,
A 2008-12-01; follow-up A 2009-01-05, A 2009-02-20, B 2009-03-10, I 2009-06-30, H 2009-07-01;
and one at another desk on 2009-03-10 that must not count.
"""

import datetime

from intake.models import Conversation, Situation, Source, Stage, StageChange
from ondernemerspunt.models import Neighbourhood
from tests.factories import make_desk, make_member, make_partner, make_resident

D = datetime.date
AS_OF = D(2009, 6, 30)

# Counted from the table above, window 01-01-2009 .. 30-06-2009:
EXPECTED = {
    "target": 50,
    "residents_registered": 6,  # B C D E F G (A, H, I registered in 2008)
    "intake_conversations": 4,  # B C D F (A in 2008, G after the as-of date)
    "participants": 5,  # A B C F and I (re-entered 15-03); G after as-of, H in 2008
    "in_trajectory_now": 4,  # B F H I (A started, C D stopped, E G not yet)
    "submitted_to_qredits": 2,  # A I
    "financing_granted": 1,  # A
    "businesses_started": 1,  # A
    "dropped_out": 2,  # C D
    "conversations_held": 8,  # the 4 intakes + follow-ups A A B I (H after as-of)
}


def build():
    desk = make_desk("telling", name="Ondernemerspunt Telling")
    wijk = Neighbourhood.objects.get(desk=desk)
    coach = make_member(desk, "coach", full_name="Teller Coach")
    uwv = make_partner(desk, name="UWV Noord")
    other = make_desk("elders-telling")
    other_coach = make_member(other, "coach")

    def resident(letter, history, **fields):
        r = make_resident(desk, coach=coach, first_name=f"Bewoner {letter}", **fields)
        r.stage_changes.all().delete()  # whatever a maker records, only this history counts
        previous = ""
        for to_stage, day, *reason in history:
            StageChange.objects.create(
                resident=r,
                desk=desk,
                from_stage=previous,
                to_stage=to_stage,
                changed_on=day,
                changed_by=coach,
                reason=reason[0] if reason else "",
            )
            previous = to_stage
        r.stage = previous
        r.save(update_fields=["stage"])
        return r

    def talk(r, kind, day, on_desk=None):
        Conversation.objects.create(
            resident=r,
            desk=on_desk or desk,
            kind=kind,
            held_on=day,
            coach=other_coach if on_desk else coach,
        )

    reg, intake, traject = Stage.REGISTERED, Stage.INTAKE, Stage.IN_TRAJECTORY
    a = resident(
        "A",
        [
            (reg, D(2008, 11, 10)),
            (intake, D(2008, 12, 1)),
            (traject, D(2009, 1, 10)),
            (Stage.SUBMITTED, D(2009, 3, 2)),
            (Stage.FINANCED, D(2009, 4, 1)),
            (Stage.STARTED, D(2009, 5, 1)),
        ],
        situation=Situation.BENEFITS_BIJSTAND,
        source=Source.INFO_EVENING,
        neighbourhood=wijk,
    )
    b = resident(
        "B",
        [(reg, D(2009, 1, 5)), (intake, D(2009, 1, 20)), (traject, D(2009, 2, 10))],
        situation=Situation.EMPLOYED,
        source=Source.PARTNER,
        source_partner=uwv,
        neighbourhood=wijk,
    )
    c = resident(
        "C",
        [
            (reg, D(2009, 2, 1)),
            (intake, D(2009, 2, 15)),
            (traject, D(2009, 3, 1)),
            (Stage.DROPPED_OUT, D(2009, 4, 15), "found_job"),
        ],
        situation=Situation.BENEFITS_WW,
        source=Source.WORD_OF_MOUTH,
    )
    d = resident(
        "D",
        [
            (reg, D(2009, 3, 1)),
            (intake, D(2009, 3, 20)),
            (Stage.DROPPED_OUT, D(2009, 5, 10), "not_feasible"),
        ],
        situation=Situation.STUDENT,
        source=Source.FLYER,
    )
    resident("E", [(reg, D(2009, 4, 1))])
    f = resident(
        "F",
        [(reg, D(2009, 5, 1)), (intake, D(2009, 5, 16)), (traject, D(2009, 6, 2))],
        situation=Situation.BENEFITS_BIJSTAND,
        source=Source.INFO_EVENING,
        neighbourhood=wijk,
    )
    g = resident("G", [(reg, D(2009, 6, 10)), (intake, D(2009, 7, 5)), (traject, D(2009, 7, 20))])
    h = resident("H", [(reg, D(2008, 3, 1)), (intake, D(2008, 3, 15)), (traject, D(2008, 4, 1))])
    i = resident(
        "I",
        [
            (reg, D(2008, 5, 1)),
            (intake, D(2008, 5, 10)),
            (traject, D(2008, 6, 1)),
            (Stage.SUBMITTED, D(2009, 2, 1)),
            (Stage.DECLINED, D(2009, 3, 1)),
            (traject, D(2009, 3, 15)),
        ],
        situation=Situation.SELF_EMPLOYED,
        source="",
    )

    kind_intake, follow = Conversation.Kind.INTAKE, Conversation.Kind.FOLLOW_UP
    for r, day in [
        (b, D(2009, 1, 20)),
        (c, D(2009, 2, 15)),
        (d, D(2009, 3, 20)),
        (f, D(2009, 5, 16)),
        (g, D(2009, 7, 5)),
        (a, D(2008, 12, 1)),
    ]:
        talk(r, kind_intake, day)
    for r, day in [
        (a, D(2009, 1, 5)),
        (a, D(2009, 2, 20)),
        (b, D(2009, 3, 10)),
        (i, D(2009, 6, 30)),
        (h, D(2009, 7, 1)),
    ]:
        talk(r, follow, day)
    stranger = make_resident(other, first_name="Elders")
    talk(stranger, kind_intake, D(2009, 3, 10), on_desk=other)
    return desk
