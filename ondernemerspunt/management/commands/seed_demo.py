from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coaching import demo as coaching_demo
from intake import demo as intake_demo
from ondernemerspunt import demo as desk_demo


class Command(BaseCommand):
    help = "Create the demo desk of the Korrewegwijk as on 31-03-2009 (safe to run again)."

    def handle(self, *args, **options):
        # Every demo login has the same published password: in production they would be open
        # doors. Checked before anything touches the database.
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo is only for development (DEBUG=true): the demo logins share a "
                "published password."
            )
        self.seed()

    @transaction.atomic
    def seed(self):
        demo = desk_demo.seed()
        intake_demo.seed(demo)
        coaching_demo.seed(demo)
        self.stdout.write(self.style.SUCCESS(f"Demo desk '{demo.desk.slug}' is ready."))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for email in desk_demo.DEMO_LOGINS:
            self.stdout.write(f"  {email}")
