"""The shared cast: two desks and one person in every role, as in healthchecks' BaseTestCase.

``cast.desk`` is the desk under test; ``cast.other_desk`` belongs to nobody in the cast except
``other_coach``, whose requests for ``desk``'s objects must answer 404.
"""

from dataclasses import dataclass

import pytest

from tests.factories import PASSWORD, make_desk, make_member, make_resident, make_user

ROLES = ["anonymous", "resident", "coach", "other_coach", "coordinator", "partner", "project_group"]


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
