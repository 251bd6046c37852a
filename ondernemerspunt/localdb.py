"""The project-local PostgreSQL, for machines where DATABASE_URL is not set.

``python -m ondernemerspunt.localdb`` makes sure a database is there before Django starts:

* with ``DATABASE_URL`` set, it only checks that the server answers, and says so clearly when
  it does not (instead of a traceback from the first migration);
* without it, it starts PostgreSQL from the ``pgserver`` wheel with its data under ``var/pgdata``
  (created the first time, reused afterwards) and creates the ``ondernemerspunt`` database.

Settings point at the same socket directory (see ``local_database_settings``), so importing the
settings never starts a server as a side effect.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var" / "pgdata"
DATABASE_NAME = "ondernemerspunt"


def local_database_settings() -> dict:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
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
    server = pgserver.get_server(DATA_DIR, cleanup_mode=None)
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'ondernemerspunt';")
    if "(1 row)" not in exists:
        server.psql("CREATE DATABASE ondernemerspunt;")


def stop_local_server() -> None:
    import pgserver

    if DATA_DIR.exists():
        pgserver.get_server(DATA_DIR, cleanup_mode="stop").cleanup()


def check_database_url(url: str) -> bool:
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
            "De database uit DATABASE_URL is niet bereikbaar / "
            "the database in DATABASE_URL cannot be reached:\n"
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
        return 0 if check_database_url(url) else 1
    start_local_server()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
