"""List the files past their desk's retention period for the coordinator (what the worker does
once a day): ``manage.py list_retention``. Safe to run as often as you like."""

from django.core.management.base import BaseCommand

from intake.erasure import list_retention_candidates


class Command(BaseCommand):
    help = "Propose for erasure the files past their desk's retention period (run once)."

    def handle(self, *args, **options):
        listed = list_retention_candidates()
        self.stdout.write(f"{listed} file(s) proposed for erasure.")
