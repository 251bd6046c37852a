"""The key progress figures of a desk and year, for whoever runs the installation.

    manage.py progress --desk korrewegwijk --year 2009 --as-of 2009-03-31 --json
    manage.py progress --as-of 2009-03-31       (one desk: its slug may be left out; the year
                                                 is the as-of day's)

Counted as on the dashboard (definitions in ``ondernemerspunt/progress/figures.py``), but never
suppressed: the operator already has the database.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ondernemerspunt.models import Desk
from ondernemerspunt.progress.figures import FIGURE_LABELS, KEY_FIGURES, desk_progress
from ondernemerspunt.progress.periods import FIRST_YEAR, LAST_YEAR, default_as_of, year_bounds
from ondernemerspunt.progress.reports import figures_json
from ondernemerspunt.progress.tables import present


class Command(BaseCommand):
    help = "Print a desk's key progress figures for a year (unsuppressed), optionally as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--desk", help="slug of the desk (may be left out with one desk)")
        parser.add_argument(
            "--year", type=int, help="default: the year of --as-of, otherwise this year"
        )
        parser.add_argument(
            "--as-of",
            help="count up to and including this day, yyyy-mm-dd (default: today, or 31 "
            "December of a past year)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        today = timezone.localdate()
        year = options["year"] or self.parsed(options["as_of"], today).year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"--year must lie between {FIRST_YEAR} and {LAST_YEAR}.")
        desk = self.desk(options["desk"])
        as_of = self.as_of(options["as_of"], year, today)
        progress = desk_progress(desk, year, as_of=as_of)
        figures = present(progress, suppress=False)
        if options["json"]:
            self.stdout.write(json.dumps(figures_json(figures), ensure_ascii=False, indent=2))
            return
        # In the desk's language, like the figures' labels.
        self.stdout.write(
            _("%(desk)s – %(year)s, up to and including %(day)s")
            % {"desk": desk, "year": year, "day": f"{progress.window.end:%d-%m-%Y}"}
        )
        if progress.target is None:
            self.stdout.write(_("No target set for %(year)s.") % {"year": year})
        for name in KEY_FIGURES:
            value = figures.key[name]
            shown = _("no target set") if value is None else value
            self.stdout.write(f"  {FIGURE_LABELS[name]}: {shown}")

    @staticmethod
    def desk(slug) -> Desk:
        if slug:
            desk = Desk.objects.filter(slug=slug).first()
            if desk is None:
                raise CommandError(f"No desk with slug {slug!r}.")
            return desk
        desks = list(Desk.objects.order_by("slug")[:2])
        if len(desks) != 1:
            slugs = ", ".join(Desk.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"Name the desk with --desk (one of: {slugs or 'none yet'}).")
        return desks[0]

    @staticmethod
    def parsed(text, today) -> datetime.date:
        if not text:
            return today
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as error:
            raise CommandError(f"--as-of {text!r} is not a date like 2009-03-31.") from error

    @classmethod
    def as_of(cls, text, year, today) -> datetime.date:
        if not text:
            return default_as_of(year, today)
        as_of = cls.parsed(text, today)
        first, _last = year_bounds(year)
        if as_of < first:
            raise CommandError(f"--as-of {as_of} lies before the year {year} starts ({first}).")
        if as_of > today:
            raise CommandError(f"--as-of {as_of} is in the future (today is {today}).")
        return as_of
