"""The audit trail as a coordinator and a data-protection officer read it: the lines of one's
desks, filtered, with the name of the resident each line is about, and as CSV.

The lines themselves point at a resident by number only (``AuditEntry.resident_id``): the
foundation does not know the resident's model, and erasing a file must leave nothing personal
in a trail that cannot be changed. Finding residents by name and naming them belong to the app
that keeps them (intake), which registers how from its ``AppConfig.ready()``
(``register_resident_lookup``), so the foundation imports nothing from above (DESIGN.md).
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.models import AuditEntry, Membership, User

# The trail's times are the desk's clock, whatever the reader's.
TRAIL_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    _("When"),
    _("Desk"),
    _("Who"),
    _("Action"),
    _("Resident number"),
    _("Resident"),
    _("What"),
]


@dataclass(frozen=True)
class ResidentLookup:
    # (desk_ids, text) -> the ids (a queryset of ``pk`` values, or a list) of the residents
    # of those desks whose name matches ``text``
    search: Callable
    # (ids) -> {id: the name to show}; erased residents get a name that says so
    names: Callable


_lookup: ResidentLookup | None = None


def register_resident_lookup(*, search: Callable, names: Callable) -> None:
    global _lookup
    _lookup = ResidentLookup(search=search, names=names)


def residents_named(desk_ids, text: str):
    """The ids of the residents of these desks whose name matches ``text``; none when no app
    has registered how to look for them."""
    if _lookup is None:
        return []
    return _lookup.search(desk_ids, text)


def resident_names(ids: Iterable[int]) -> dict[int, str]:
    """{resident id: name as known now} in one query, whatever the number of ids."""
    ids = {i for i in ids if i is not None}
    if not ids or _lookup is None:
        return {}
    return _lookup.names(ids)


def with_resident_names(entries) -> list[AuditEntry]:
    """The entries as a list, each with ``resident_name`` ("" for a line about no resident)."""
    entries = list(entries)
    names = resident_names(entry.resident_id for entry in entries)
    for entry in entries:
        entry.resident_name = names.get(entry.resident_id, "")
    return entries


def trail_of(desk_ids):
    """The lines of these desks, newest first, with who wrote them and where."""
    return AuditEntry.objects.filter(desk_id__in=desk_ids).select_related("actor", "desk")


def actors_of(desk_ids):
    """Whom the trail can be filtered on: the desks' people and anyone who wrote a line there
    (a platform admin, someone who has left the desk)."""
    members = Membership.objects.filter(user=OuterRef("pk"), desk_id__in=desk_ids)
    writers = AuditEntry.objects.filter(actor=OuterRef("pk"), desk_id__in=desk_ids)
    return User.objects.filter(Q(Exists(members)) | Q(Exists(writers))).order_by("full_name", "pk")


def lines_per_desk(entries) -> dict[int, int]:
    return dict(
        entries.order_by().values("desk_id").annotate(n=Count("id")).values_list("desk_id", "n")
    )


def csv_cell(value) -> str:
    """The value as text a spreadsheet shows and never runs: a leading ``=``, ``+``, ``-`` or
    ``@`` gets an apostrophe in front of it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def trail_csv(entries, *, chunk_size: int = 2000) -> str:
    """The lines as CSV for a data-protection officer, in Dutch (the trail's own language) and
    on the desk's clock: semicolons and a byte-order mark, which Excel with Dutch settings
    opens correctly. The names are looked up per chunk of lines, not per line."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with translation.override(settings.LANGUAGE_CODE):
        writer.writerow([str(column) for column in CSV_COLUMNS])
        chunk = []
        for entry in entries.iterator(chunk_size=chunk_size):
            chunk.append(entry)
            if len(chunk) == chunk_size:
                _write_rows(writer, chunk)
                chunk = []
        _write_rows(writer, chunk)
    return out.getvalue()


def _write_rows(writer, entries) -> None:
    for entry in with_resident_names(entries):
        at = entry.at.astimezone(TRAIL_TIMEZONE)
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    f"{at:%d-%m-%Y %H:%M}",
                    entry.desk.name,
                    str(entry.actor),
                    entry.get_action_display(),
                    entry.resident_id or "",
                    entry.resident_name,
                    entry.what,
                )
            ]
        )
