"""An audit trail the application cannot rewrite (issue 13, finding 5; README "Database roles").

The application connects as the app role, migrations as the owner. The test runner is the owner
too (tests/conftest.py); these tests switch to the app role with ``SET LOCAL ROLE`` inside the
test's transaction and try, against the real database, what an attacker holding the
application's connection would try.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_migrate

from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit
from tests.ondernemerspunt.test_settings import A_REAL_KEY, import_settings, manage_py

AUDIT = AuditEntry._meta.db_table
INSUFFICIENT_PRIVILEGE = "42501"


@contextmanager
def as_app_role():
    """The block runs as the application's database role, inside the test's transaction."""
    role = connection.ops.quote_name(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refusal(sql: str) -> str:
    """The error code PostgreSQL answers ``sql`` with, run as the application's role."""
    with (
        as_app_role(),
        pytest.raises(DatabaseError) as error,
        transaction.atomic(),  # a savepoint: the test's transaction goes on
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return error.value.__cause__.pgcode


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE ondernemerspunt_auditentry",
        "UPDATE ondernemerspunt_auditentry SET what = 'rewritten'",
        "DELETE FROM ondernemerspunt_auditentry",
        "DROP TRIGGER ondernemerspunt_auditentry_append_only ON ondernemerspunt_auditentry",
        "DROP TRIGGER ondernemerspunt_auditentry_stamp ON ondernemerspunt_auditentry",
        "ALTER TABLE ondernemerspunt_auditentry DISABLE TRIGGER ALL",
        "CREATE OR REPLACE FUNCTION ondernemerspunt_audit_append_only() RETURNS trigger AS $$ "
        "BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
        "DROP TABLE ondernemerspunt_auditentry",
        "ALTER TABLE ondernemerspunt_auditentry RENAME TO old_trail",
        "SET session_replication_role = replica",  # would switch every trigger off
    ],
    ids=[
        "truncate",
        "update",
        "delete",
        "drop-append-only-trigger",
        "drop-time-trigger",
        "disable-triggers",
        "replace-trigger-function",
        "drop-table",
        "rename-table",
        "replica-mode",
    ],
)
def test_the_application_role_cannot_rewrite_the_trail(cast, sql):
    record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="Dossier bekeken")
    assert refusal(sql) == INSUFFICIENT_PRIVILEGE
    assert AuditEntry.objects.get().what == "Dossier bekeken"


def test_the_application_role_reads_and_adds_lines(cast):
    with as_app_role():
        entry = record_audit(by=cast.coach, resident=cast.resident, action="viewed", what="Gezien")
        assert list(AuditEntry.objects.values_list("what", flat=True)) == ["Gezien"]
    assert entry.pk


def test_a_back_dated_line_takes_the_time_of_the_database(cast):
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")  # the start of the test's transaction
        (now,) = cursor.fetchone()
    long_ago = datetime.datetime(2009, 1, 1, tzinfo=datetime.UTC)

    entry = AuditEntry.objects.create(
        at=long_ago, desk=cast.desk, actor=cast.coach, action="viewed", what="Terug in de tijd"
    )
    assert entry.at == now  # what the insert returned
    entry.refresh_from_db()
    assert entry.at == now

    with as_app_role(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AUDIT} (at, desk_id, actor_id, action, what)"  # noqa: S608
            " VALUES (%s, %s, %s, 'viewed', 'Ook in SQL') RETURNING at",
            [long_ago, cast.desk.pk, cast.coach.pk],
        )
        assert cursor.fetchone()[0] == now


def test_the_application_role_may_change_every_other_table_and_owns_nothing(db):
    role = settings.DATABASE_APP_ROLE
    owner = connection.settings_dict["USER"]
    assert role != owner
    privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    has = ", ".join(f"has_table_privilege(%(role)s, oid, '{p}')" for p in privileges)
    in_schema = "FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT relname, pg_get_userbyid(relowner), {has} {in_schema}"  # noqa: S608
            " AND relkind IN ('r', 'p')",
            {"role": role},
        )
        tables = {name: (owned_by, granted) for name, owned_by, *granted in cursor.fetchall()}
        cursor.execute(
            "SELECT relname, has_sequence_privilege(%(role)s, oid, 'USAGE')"  # noqa: S608
            f" {in_schema} AND relkind = 'S'",
            {"role": role},
        )
        sequences = dict(cursor.fetchall())
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls,"
            " pg_has_role(%(role)s, %(owner)s, 'MEMBER') FROM pg_roles WHERE rolname = %(role)s",
            {"role": role, "owner": owner},
        )
        powers = cursor.fetchone()

    assert set(connection.introspection.table_names()) <= set(tables)
    rights = {
        name: {p for p, yes in zip(privileges, granted, strict=True) if yes}
        for name, (_owner, granted) in tables.items()
    }
    everyday = {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert rights == {name: {"SELECT", "INSERT"} if name == AUDIT else everyday for name in tables}
    assert {owned_by for owned_by, _granted in tables.values()} == {owner}
    assert sequences and all(sequences.values())
    # No superuser, no maker of roles or databases, not the owner in disguise.
    assert powers == (False, False, False, False, False)


@pytest.mark.skipif(bool(settings.DATABASE_URL), reason="switches user on the local database")
@pytest.mark.django_db(transaction=True)
def test_migrate_connects_as_the_owner_and_grants_the_application_role():
    owner = connection.settings_dict["USER"]
    seen = []

    def who_migrates(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            seen.append(cursor.fetchone()[0])

    # Connected as the application is outside the tests.
    connection.close()
    connection.settings_dict["USER"] = settings.DATABASE_APP_ROLE
    sender = apps.get_app_config("ondernemerspunt")
    post_migrate.connect(who_migrates, sender=sender, dispatch_uid="who_migrates")
    try:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (afterwards,) = cursor.fetchone()
    finally:
        post_migrate.disconnect(sender=sender, dispatch_uid="who_migrates")
        connection.close()
        connection.settings_dict["USER"] = owner
    assert seen == [owner]
    assert afterwards == settings.DATABASE_APP_ROLE


def test_migrations_must_use_the_same_database():
    result = import_settings(
        show="DATABASE_OWNER",
        DEBUG="true",
        DATABASE_URL="postgres://op_app:geheim@db.example:5432/ondernemerspunt",
        MIGRATION_DATABASE_URL="postgres://op_owner:geheim@db.example:5432/iets_anders",
    )
    assert result.returncode != 0
    assert "MIGRATION_DATABASE_URL must name the same database" in result.stderr


@pytest.mark.parametrize("two_roles", [False, True])
def test_the_deploy_check_warns_when_the_application_owns_its_tables(two_roles):
    production = {
        "DEBUG": "false",
        "SECRET_KEY": A_REAL_KEY,
        "ALLOWED_HOSTS": "ondernemerspunt.example",
        "DATABASE_URL": "postgres://op_app:geheim@127.0.0.1:1/ondernemerspunt",
    }
    if two_roles:
        production["MIGRATION_DATABASE_URL"] = (
            "postgres://op_owner:geheim@127.0.0.1:1/ondernemerspunt"
        )
    result = manage_py("check", "--deploy", **production)
    assert ("ondernemerspunt.W001" in result.stdout + result.stderr) is not two_roles
