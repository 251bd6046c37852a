from tests.access_matrix import LOGIN, REDIRECT, Row, expect

ROWS = [
    Row("home", expect(200)),
    Row("login", expect(REDIRECT, anonymous=200)),
    # Logging out lands on the login page, also for someone who was not logged in.
    Row("logout", expect(LOGIN, anonymous=LOGIN), method="post"),
    Row("password_reset", expect(200, anonymous=200)),
    Row("password_reset_done", expect(200, anonymous=200)),
    # A made-up token: the page says the link no longer works (and answers 200).
    Row(
        "password_reset_confirm",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
    ),
    Row("password_reset_complete", expect(200, anonymous=200)),
    Row(
        "set_language",
        expect(REDIRECT, anonymous=REDIRECT),
        method="post",
        data=lambda cast: {"language": "en", "next": "/"},
    ),
    Row("audit_trail", expect(403, coordinator=200)),
    # The CSV of the trail for a data-protection officer (issue 12): the coordinator only.
    Row("audit_trail_csv", expect(403, coordinator=200)),
    # "Stay logged in" (issue 13): anyone logged in may keep their own session.
    Row("session_keep_alive", expect(200), method="post"),
    Row("session_keep_alive", expect(405)),
    # The second factor (issue 13): the cast's staff have passed it and residents and the project
    # group need none, so each page sends them on; the recovery codes only show right after
    # setting up (tests/ondernemerspunt/test_second_factor.py walks the pages themselves).
    Row("second_factor_verify", expect(REDIRECT)),
    Row("second_factor_verify", expect(REDIRECT), method="post", data=lambda cast: {"token": "1"}),
    Row("second_factor_setup", expect(REDIRECT)),
    Row("second_factor_setup", expect(REDIRECT), method="post", data=lambda cast: {"token": "1"}),
    Row("second_factor_codes", expect(REDIRECT)),
    Row("second_factor_codes", expect(REDIRECT), method="post"),
    Row("second_factor_codes_download", expect(REDIRECT)),
]

# --- Progress (issue 5): coordinators, coaches and the project group of the desk only --------


def _ready_report(cast):
    from ondernemerspunt.models import ProgressReport

    report = ProgressReport.objects.create(
        desk=cast.desk,
        year=2009,
        quarter=1,
        as_of="2009-03-31",
        suppressed=True,
        status=ProgressReport.Status.READY,
        pdf=b"%PDF-1.7 test",
    )
    return {"slug": cast.desk.slug, "pk": report.pk}


def _desk_year(cast):
    return {"slug": cast.desk.slug, "year": 2009}


# Someone who follows one desk is sent straight to its dashboard.
_FOLLOWERS = {"coach": REDIRECT, "other_coach": REDIRECT, "coordinator": REDIRECT}
_OF_THE_DESK = {"coach": 200, "coordinator": 200, "project_group": 200}
_SENT_ON = {"coach": REDIRECT, "coordinator": REDIRECT, "project_group": REDIRECT}

ROWS += [
    Row("progress_index", expect(403, project_group=REDIRECT, **_FOLLOWERS)),
    Row("progress_desk", expect(404, **_SENT_ON), kwargs=lambda cast: {"slug": cast.desk.slug}),
    Row("progress_dashboard", expect(404, **_OF_THE_DESK), kwargs=_desk_year),
    Row("progress_json", expect(404, **_OF_THE_DESK), kwargs=_desk_year),
    Row("progress_csv", expect(404, **_OF_THE_DESK), kwargs=_desk_year),
    Row("progress_reports", expect(404, **_OF_THE_DESK), kwargs=_desk_year),
    Row(
        "progress_reports",
        expect(404, **_SENT_ON),
        kwargs=_desk_year,
        method="post",
        data=lambda cast: {"quarter": 1},
    ),
    Row("progress_report_pdf", expect(404, **_OF_THE_DESK), kwargs=_ready_report),
]


# --- Desk management (issue 12): the desk's coordinator only; everyone else 404 -------------


def _desk_slug(cast):
    return {"slug": cast.desk.slug}


def _coach_membership(cast):
    from ondernemerspunt.models import Membership

    membership = Membership.objects.get(user=cast.coach, desk=cast.desk)
    return {"slug": cast.desk.slug, "pk": membership.pk}


def _first_neighbourhood(cast):
    return {"slug": cast.desk.slug, "pk": cast.desk.neighbourhoods.first().pk}


def _first_partner(cast):
    from ondernemerspunt.models import Membership

    partner = Membership.objects.get(user=cast.partner, desk=cast.desk).partner
    return {"slug": cast.desk.slug, "pk": partner.pk}


def _invited_coach(cast):
    """A coach who has not chosen a password yet (made once per test)."""
    from ondernemerspunt.models import Membership, User

    user = User.objects.filter(email="ina@example.test").first()
    if user is None:
        user = User.objects.create_user("ina@example.test", None, full_name="Ina Uitgenodigd")
    membership, _created = Membership.objects.get_or_create(user=user, desk=cast.desk, role="coach")
    return {"slug": cast.desk.slug, "pk": membership.pk}


_MANAGER = {"coordinator": 200}
# After a POST action the coordinator is led back to the list of people.
_MANAGER_ACTS = {"coordinator": REDIRECT}

ROWS += [
    Row("desk_manage", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_people", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_invite", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_invite", expect(404, **_MANAGER), kwargs=_desk_slug, method="post"),
    Row("desk_membership_edit", expect(404, **_MANAGER), kwargs=_coach_membership),
    Row(
        "desk_membership_deactivate",
        expect(404, **_MANAGER_ACTS),
        kwargs=_coach_membership,
        method="post",
    ),
    Row("desk_membership_deactivate", expect(405), kwargs=_coach_membership),
    Row(
        "desk_membership_reactivate",
        expect(404, **_MANAGER_ACTS),
        kwargs=_coach_membership,
        method="post",
    ),
    Row("desk_membership_reactivate", expect(405), kwargs=_coach_membership),
    Row(
        "desk_invitation_resend",
        expect(404, **_MANAGER_ACTS),
        kwargs=_invited_coach,
        method="post",
    ),
    Row("desk_invitation_resend", expect(405), kwargs=_invited_coach),
    Row("desk_settings", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_targets", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row(
        "desk_target_edit",
        expect(404, **_MANAGER),
        kwargs=lambda cast: {"slug": cast.desk.slug, "year": 2009},
    ),
    Row("desk_neighbourhoods", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_neighbourhood_edit", expect(404, **_MANAGER), kwargs=_first_neighbourhood),
    Row("desk_neighbourhood_delete", expect(404, **_MANAGER), kwargs=_first_neighbourhood),
    Row(
        "desk_neighbourhood_delete",
        expect(404, **_MANAGER_ACTS),
        kwargs=_first_neighbourhood,
        method="post",
    ),
    Row("desk_partners", expect(404, **_MANAGER), kwargs=_desk_slug),
    Row("desk_partner_edit", expect(404, **_MANAGER), kwargs=_first_partner),
    # A made-up link: the page says the link does not work (and answers 200), to anyone.
    Row(
        "invitation_accept_staff",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "abc-def"},
    ),
    Row(
        "invitation_accept_staff",
        expect(200, anonymous=200),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "abc-def"},
        method="post",
    ),
]
