"""The shared cast: two desks and one person in every role, as in healthchecks' BaseTestCase.

``cast.desk`` is the desk under test; ``cast.other_desk`` belongs to nobody in the cast except
``other_coach``, whose requests for ``desk``'s objects must answer 404.
"""

from dataclasses import dataclass

import pytest

from tests.factories import (
    PASSWORD,
    make_desk,
    make_member,
    make_resident,
    make_user,
    second_factor_for,
)

ROLES = ["anonymous", "resident", "coach", "other_coach", "coordinator", "partner", "project_group"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test runner creates, migrates, empties and drops its own database: it connects as
    the owner role, as ``manage.py migrate`` does (README "Database roles"). What the
    application's role may do is tested by switching to it (test_database_roles.py)."""
    from ondernemerspunt.dbroles import use_owner

    use_owner()


@dataclass
class Cast:
    desk: object
    other_desk: object
    coordinator: object
    coach: object
    other_coach: object
    partner: object
    project_group: object
    resident_user: object
    resident: object
    other_resident: object

    def user(self, role):
        return (
            None
            if role == "anonymous"
            else {
                "resident": self.resident_user,
            }.get(role)
            or getattr(self, role)
        )


@pytest.fixture
def cast(db):
    desk = make_desk("noord", name="Ondernemerspunt Noord")
    other_desk = make_desk("zuid", name="Ondernemerspunt Zuid")
    coordinator = make_member(desk, "coordinator", full_name="Carla Coördinator")
    coach = make_member(desk, "coach", full_name="Cees Coach")
    other_coach = make_member(other_desk, "coach", full_name="Olga Andere-Coach")
    resident_user = make_user("Rana Bewoner")
    resident = make_resident(
        desk,
        user=resident_user,
        coach=coach,
        consent_by=coach,
        first_name="Rana",
        last_name="Bewoner",
    )
    other_resident = make_resident(
        other_desk, consent_by=other_coach, first_name="Otto", last_name="Elders"
    )
    return Cast(
        desk=desk,
        other_desk=other_desk,
        coordinator=coordinator,
        coach=coach,
        other_coach=other_coach,
        partner=make_member(desk, "partner", full_name="Piet Partner"),
        project_group=make_member(desk, "project_group", full_name="Paula Projectgroep"),
        resident_user=resident_user,
        resident=resident,
        other_resident=other_resident,
    )


@pytest.fixture
def client_for(client, cast):
    """A test client logged in as one role of the cast (or anonymous)."""

    def login(role):
        client.logout()
        user = cast.user(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(autouse=True)
def forced_logins_pass_the_second_factor(monkeypatch):
    """``force_login`` skips the login form, and so the second factor's form too.

    Every test client (``client``, ``client_for``, ``admin_client``, a ``Client()`` of its own)
    logs staff in as they are after both steps, with an authenticator app of their own. Tests of
    the second factor itself log in through the password form (tests/ondernemerspunt/
    test_second_factor.py).
    """
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from ondernemerspunt.second_factor import needs_second_factor

    force_login = ClientMixin.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        # A fresh copy: the rule caches the memberships on the object it is given.
        if needs_second_factor(type(user).objects.get(pk=user.pk)):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = second_factor_for(user).persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login_with_second_factor)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_queued_tasks(db):
    """Run what the background worker (``manage.py db_worker``) would pick up, the way it runs
    a task; fails the test when a task failed.

    Not ``Worker.run()``: it closes the database connection between tasks, which would end the
    test's transaction.
    """

    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    def run():
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        )
        for result in DBTaskResult.objects.ready():
            worker.run_task(result)
        assert not DBTaskResult.objects.failed().exists()

    return run
