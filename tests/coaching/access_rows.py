from tests.access_matrix import LOGIN, REDIRECT, Row, expect  # noqa: F401
from tests.factories import make_plan

# Pages of the resident's own plan: only a resident gets in, everyone else is refused (403).
RESIDENT_ONLY = expect(403, resident=200)
# A plan at cast.desk: its coaches and coordinator read it; everyone else gets 404, like the
# resident's own file (a resident asking for a plan number learns nothing).
DESK_STAFF = expect(404, coach=200, coordinator=200)


def started_plan(cast, **kwargs):
    """The resident opened her plan before (her pages start it): what autosave and hand-in
    need, since ``own_plan_for`` only reads."""
    make_plan(cast.resident)
    return kwargs


def plan_pk(cast):
    return {"pk": make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}}).pk}


def revision_kwargs(cast):
    from coaching.models import PlanRevision

    plan = make_plan(cast.resident, {"entrepreneur": {"motivation": "Eigen baas"}})
    PlanRevision.objects.get_or_create(
        plan=plan,
        number=1,
        defaults={
            "snapshot": {
                "sections": {"entrepreneur": {"motivation": "Eigen baas"}},
                "limits": {"min_own_funds_percent": 30, "max_loan_amount": "35000"},
            },
            "submitted_by": cast.resident_user,
        },
    )
    return {"pk": plan.pk, "number": 1}


ROWS = [
    Row("coaching:plan_home", RESIDENT_ONLY),
    Row("coaching:own_plan_print", RESIDENT_ONLY),
    Row("coaching:section_edit", RESIDENT_ONLY, kwargs=lambda cast: {"section": "ondernemer"}),
    Row(
        "coaching:section_autosave",
        RESIDENT_ONLY,
        kwargs=lambda cast: started_plan(cast, section="investeringen"),
        method="post",
        data=lambda cast: {"version": "0", "stock": "1.250,50"},
    ),
    # Handing in an empty plan: a message and back to the plan page.
    Row(
        "coaching:plan_submit",
        expect(403, resident=REDIRECT),
        kwargs=started_plan,
        method="post",
    ),
    # A made-up token: the page says in plain words that the link does not work.
    Row(
        "coaching:invitation_accept",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"token": "verzonnen-token"},
    ),
    Row(
        "coaching:invitation_renew",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"token": "verzonnen-token"},
        method="post",
    ),
    Row(
        "coaching:resident_invite",
        expect(404, coach=REDIRECT, coordinator=REDIRECT),
        kwargs=lambda cast: {"pk": cast.resident.pk},
        method="post",
    ),
    Row("coaching:plan_list", expect(403, coach=200, coordinator=200, other_coach=200)),
    Row("coaching:plan_detail", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:plan_print", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:revision_list", DESK_STAFF, kwargs=plan_pk),
    Row("coaching:revision_detail", DESK_STAFF, kwargs=revision_kwargs),
    Row("coaching:revision_compare", DESK_STAFF, kwargs=plan_pk),
]
