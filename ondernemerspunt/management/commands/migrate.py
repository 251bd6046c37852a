"""Django's ``migrate``, connected as the owner role (README "Database roles").

The application's own connection (``DATABASE_URL``) may not change tables; migrations connect to
the same database as the role that owns them (``MIGRATION_DATABASE_URL``, or the project-local
database's owner), and grant the application's role its rights at the end
(``ondernemerspunt/dbroles.py``).
"""

from django.core.management.commands import migrate

from ondernemerspunt.dbroles import as_owner


class Command(migrate.Command):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
