import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ondernemerspunt.models import Desk, Membership, User, YearTarget
from tests.ondernemerspunt.test_settings import manage_py


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_desk_is_the_korrewegwijk_with_its_target_and_people(db):
    output = seed()
    desk = Desk.objects.get(slug="korrewegwijk")
    assert desk.city == "Groningen"
    assert YearTarget.objects.get(desk=desk, year=2009).participants == 50
    roles = {
        m.user.email: m.role for m in Membership.objects.filter(desk=desk).select_related("user")
    }
    assert roles["coordinator@korrewegwijk.example"] == "coordinator"
    assert roles["coach@korrewegwijk.example"] == "coach"
    assert roles["projectgroep@korrewegwijk.example"] == "project_group"
    assert roles["kvk@korrewegwijk.example"] == "partner"
    assert list(desk.partners.values_list("kind", flat=True).order_by("kind")) == sorted(
        ["kvk", "uwv", "municipality", "qredits", "bank", "accountant", "housing"]
    )
    assert User.objects.get(email="bewoner@korrewegwijk.example").resident.desk == desk
    assert "bewoner@korrewegwijk.example" in output


def test_seeding_twice_changes_nothing(db):
    seed()
    counts = (User.objects.count(), Membership.objects.count(), Desk.objects.count())
    seed()
    assert (User.objects.count(), Membership.objects.count(), Desk.objects.count()) == counts


def test_demo_passwords_work(db, settings):
    seed()
    user = User.objects.get(email="coach@korrewegwijk.example")
    assert user.check_password(settings.DEMO_PASSWORD)


def test_it_refuses_outside_development_and_creates_nothing(db, settings):
    # The demo logins share one published password: in production they would be open doors.
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="only for development"):
        seed()
    assert not User.objects.exists()
    assert not Desk.objects.exists()


def test_a_production_environment_refuses_it_before_touching_the_database():
    result = manage_py(
        "seed_demo",
        DEBUG="false",
        SECRET_KEY="n7Q-0vJ2kX_pW9sLr4TzY1bHc8GmE5aUfD3iKo6VqRxNw-ZtyPj",
        # Unreachable on purpose: the refusal must come before any connection.
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing",
    )
    assert result.returncode == 1
    assert "CommandError: seed_demo is only for development" in result.stderr
    assert "Traceback" not in result.stderr


def english_patterns():
    """Every English source string that Dutch translates differently, as a pattern in which
    each %(placeholder)s stands for any text."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("nl")._catalog
    patterns = []
    for msgid, msgstr in catalog.items():
        if not isinstance(msgid, str) or not msgid or msgid == msgstr:
            continue
        parts = re.split(r"%\(\w+\)[sd]", msgid)
        patterns.append(re.compile(".+".join(re.escape(part) for part in parts), re.DOTALL))
    return patterns


def test_the_demo_writes_its_audit_lines_in_dutch(db):
    """The trail is kept in the desk's language whoever or whatever writes it (issue 12): the
    seeding used to leave English lines."""
    from django.utils import translation

    from ondernemerspunt.models import AuditEntry

    with translation.override("en"):  # as if seeded by someone reading English
        seed()
    lines = set(AuditEntry.objects.values_list("what", flat=True))
    assert lines  # the demo's reviews leave lines
    patterns = english_patterns()
    assert len(patterns) > 100
    english = [line for line in lines if any(p.fullmatch(line) for p in patterns)]
    assert english == []
