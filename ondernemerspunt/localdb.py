"""The project-local PostgreSQL, for machines where DATABASE_URL is not set.

``python -m ondernemerspunt.localdb`` makes sure a database is there before Django starts:

* with ``DATABASE_URL`` set, it only checks that the server answers, and says so clearly when
  it does not (instead of a traceback from the first migration);
* without it, it starts PostgreSQL from the ``pgserver`` wheel with its data under ``var/pgdata``
  (created the first time, reused afterwards) and sets up the two roles of README "Database
  roles": ``ondernemerspunt_owner`` owns the ``ondernemerspunt`` database and its tables and runs
  the migrations; the application connects as ``ondernemerspunt_app``, which ``migrate`` grants
  what it needs (``ondernemerspunt/dbroles.py``). A database that an older version of this file
  made as the superuser is handed over to the owner.

Settings point at the same socket directory (see ``local_database_settings``), so importing the
settings never starts a server as a side effect.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "ondernemerspunt"
SUPERUSER = "postgres"  # pgserver's; only this file uses it, to set up the two roles
OWNER_ROLE = "ondernemerspunt_owner"
APP_ROLE = "ondernemerspunt_app"

# Run as the superuser, every time the server is started: each statement leaves what is already
# right alone. The owner may create databases (the test runner makes its own) and may switch to
# the application's role (the tests check that role's rights with SET ROLE); the application's
# role may do neither and owns nothing.
ROLES_SQL = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
        CREATE ROLE {OWNER_ROLE} LOGIN CREATEDB;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE} LOGIN;
    END IF;
    IF NOT pg_has_role('{OWNER_ROLE}', '{APP_ROLE}', 'MEMBER') THEN
        GRANT {APP_ROLE} TO {OWNER_ROLE};
    END IF;
END
$$;
"""  # noqa: S608 - our own constants

# Inside the project's database: what the superuser created there before the owner role
# existed (tables with their indexes and sequences, the trigger functions) goes to the owner.
HAND_OVER_SQL = f"""
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN
        SELECT oid::regclass AS name FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relowner = '{SUPERUSER}'::regrole
            AND relkind IN ('r', 'p', 'v', 'm', 'f')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT oid::regclass AS name FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relowner = '{SUPERUSER}'::regrole
            AND relkind = 'S'
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT oid::regprocedure AS name FROM pg_proc
        WHERE pronamespace = 'public'::regnamespace AND proowner = '{SUPERUSER}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
END
$$;
"""  # noqa: S608 - our own constants


def local_database_settings(role: str = APP_ROLE) -> dict:
    """Connection settings for the project-local database as ``role`` (the owner or the app)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": role,
        "PASSWORD": "",
        # pgserver listens on a Unix socket inside its data directory only: no TCP port to
        # collide with another PostgreSQL on the machine.
        "HOST": str(DATA_DIR),
        "PORT": "",
    }


def start_local_server() -> None:
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI); pgserver does not need it.
    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running after this process ends, so `make run` and
    # `make test` share it; `make db-stop` stops it.
    pgserver.get_server(DATA_DIR, cleanup_mode=None)
    set_up_roles()


def set_up_roles() -> None:
    """The owner and the application's role, and the project's database owned by the owner."""
    import psycopg2

    def connect(dbname):
        connection = psycopg2.connect(dbname=dbname, user=SUPERUSER, host=str(DATA_DIR))
        # CREATE DATABASE runs outside a transaction (and psycopg2's `with connection` would
        # open one): autocommit, and closed by hand.
        connection.autocommit = True
        return connection

    connection = connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute(ROLES_SQL)
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {DATABASE_NAME} OWNER {OWNER_ROLE}")
            # The project's database, and test databases a killed test run left behind (the
            # test runner, now the owner, must be able to drop them).
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datdba = %s::regrole"
                " AND (datname = %s OR datname LIKE 'test\\_%%')",
                [SUPERUSER, DATABASE_NAME],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'ALTER DATABASE "{name}" OWNER TO {OWNER_ROLE}')
    finally:
        connection.close()
    connection = connect(DATABASE_NAME)
    try:
        with connection.cursor() as cursor:
            cursor.execute(HAND_OVER_SQL)
    finally:
        connection.close()


def stop_local_server() -> None:
    import pgserver

    if DATA_DIR.exists():
        pgserver.get_server(DATA_DIR, cleanup_mode="stop").cleanup()


def check_database_url(url: str, name: str = "DATABASE_URL") -> bool:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    try:
        psycopg2.connect(
            dbname=config["NAME"],
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            connect_timeout=5,
        ).close()
    except psycopg2.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        print(
            f"De database uit {name} is niet bereikbaar / "
            f"the database in {name} cannot be reached:\n"
            f"  {first_line}\n"
            "Check the host, port, user and database name, or unset DATABASE_URL to use the "
            "project-local PostgreSQL under var/.",
            file=sys.stderr,
        )
        return False
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    url = os.environ.get("DATABASE_URL", "").strip()
    if command == "stop":
        stop_local_server()
        return 0
    if url:
        # The owner's connection too, when migrations use one (README "Database roles").
        migration_url = os.environ.get("MIGRATION_DATABASE_URL", "").strip()
        reachable = check_database_url(url) and (
            not migration_url or check_database_url(migration_url, "MIGRATION_DATABASE_URL")
        )
        return 0 if reachable else 1
    start_local_server()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
