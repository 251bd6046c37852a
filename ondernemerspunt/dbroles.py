"""The two database roles (README "Database roles").

The *owner* owns the schema and every table and runs ``manage.py migrate``
(``settings.DATABASE_OWNER``, from ``MIGRATION_DATABASE_URL``). The application connects as the
*app role* (``settings.DATABASES``, from ``DATABASE_URL``), which may read and write the app's
tables but only read and add lines to the audit trail: no UPDATE, DELETE or TRUNCATE there, and
as it owns nothing it cannot drop, disable or replace the triggers that guard the trail
(migrations 0002 and 0007). After every ``migrate`` the owner grants the app role exactly that,
on every table there is by then, so a new table needs nothing extra.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections, transaction

# The connection settings that differ between the two roles. Never NAME: both roles use one
# database, and under the test runner NAME is the test database's.
ROLE_KEYS = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


def _role_settings(source: dict) -> dict:
    return {key: source.get(key) or ({} if key == "OPTIONS" else "") for key in ROLE_KEYS}


def use_owner(using: str = DEFAULT_DB_ALIAS) -> dict | None:
    """Point the connection at the owner role; the settings it had, to go back, or ``None``
    when it already was the owner (or no owner is configured: one role for everything)."""
    owner = getattr(settings, "DATABASE_OWNER", None)
    connection = connections[using]
    if using != DEFAULT_DB_ALIAS or not owner:
        return None
    current = _role_settings(connection.settings_dict)
    if current == _role_settings(owner):
        return None
    connection.close()
    connection.settings_dict.update(_role_settings(owner))
    return current


@contextmanager
def as_owner(using: str = DEFAULT_DB_ALIAS):
    """Connect as the owner inside the block, as before after it."""
    previous = use_owner(using)
    try:
        yield
    finally:
        if previous is not None:
            connection = connections[using]
            connection.close()
            connection.settings_dict.update(previous)


def append_only_tables() -> list[str]:
    from ondernemerspunt.models import AuditEntry

    return [AuditEntry._meta.db_table]


def grant_app_role(using: str = DEFAULT_DB_ALIAS) -> str:
    """Give the app role its rights on every table of the schema; what happened, in words.

    Run by the owner. Nothing happens when the app role is the connected role itself (one
    role for everything, as with only ``DATABASE_URL`` set) or does not exist.
    """
    role = settings.DATABASE_APP_ROLE
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_schema(),"
            " EXISTS (SELECT FROM pg_roles WHERE rolname = %s)",
            [role],
        )
        user, schema, exists = cursor.fetchone()
        if user == role:
            return f"Migrated as the application's own role {role}: nothing granted."
        if not exists:
            return f"The application's role {role} does not exist: nothing granted."
        statements = [
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote(schema)} "
            f"TO {quote(role)}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {quote(role)}",
        ]
        for table in append_only_tables():
            statements += [
                f"REVOKE ALL ON {quote(table)} FROM {quote(role)}",
                f"GRANT SELECT, INSERT ON {quote(table)} TO {quote(role)}",
            ]
        with transaction.atomic(using):
            for statement in statements:
                cursor.execute(statement)
    return f"Granted {role} its rights; the audit trail only to read and add to."


def grant_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, verbosity=1, **kwargs):
    """post_migrate receiver. Not after ``flush`` (no plan): nothing new to grant there."""
    if plan is None:
        return
    said = grant_app_role(using)
    if verbosity >= 1 and kwargs.get("stdout"):
        kwargs["stdout"].write(said)


@checks.register(checks.Tags.security, deploy=True)
def check_two_roles(app_configs=None, **kwargs):
    if getattr(settings, "DATABASE_OWNER", None):
        return []
    return [
        checks.Warning(
            "MIGRATION_DATABASE_URL is not set: the application connects as the owner of its "
            "tables and can rewrite the audit trail.",
            hint='Create an owner and an application role as README "Database roles" says.',
            id="ondernemerspunt.W001",
        )
    ]
