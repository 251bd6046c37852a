from io import StringIO

from django.core.management import call_command

from ondernemerspunt.models import Desk, Membership, User, YearTarget


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
