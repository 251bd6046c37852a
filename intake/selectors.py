"""Reads for the coach screens: the resident lists, possible duplicates, the resident's page and
its timeline, the open next steps on the coach's home page."""

import datetime
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Count, F, Func, Min, OuterRef, Prefetch, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.corrections import attach_corrections
from intake.models import NextStep, Resident, StageChange, fold_for_search
from intake.timeline import TimelineEntry, panels_for, registered_entries
from intake.validators import phone_digits
from ondernemerspunt.access import desk_ids_for

# Two names at least this alike (0–1) with the same date of birth are probably one person.
SIMILAR_NAME_RATIO = 0.8


def residents_for(user, *, mine: bool = False):
    """The residents of the user's desks (or only those they coach), with what the list shows."""
    queryset = Resident.objects.filter(desk_id__in=desk_ids_for(user)).select_related(
        "coach", "neighbourhood", "desk"
    )
    # An erased file (intake/erasure.py) is in no list and no search.
    queryset = queryset.filter(erased_at__isnull=True)
    if mine:
        queryset = queryset.filter(coach=user)
    next_due = (
        NextStep.objects.filter(resident=OuterRef("pk"), done_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return queryset.annotate(next_due_on=Subquery(next_due))


def search_terms(query: str) -> list[str]:
    """What to look for in ``Resident.search_text``: folded words; phone numbers as digits,
    with +31 written as 0 the way the file stores Dutch numbers."""
    terms = []
    for word in fold_for_search(query).split():
        if re.fullmatch(r"[\d+()\-.]+", word) and any(ch.isdigit() for ch in word):
            word = re.sub(r"^(\+|00)31", "0", word)
            word = phone_digits(word)
        terms.append(word)
    return terms


def matching(queryset, query: str):
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


@dataclass
class Duplicate:
    resident: Resident
    reasons: list


def similar_names(a: str, b: str) -> bool:
    a, b = fold_for_search(a), fold_for_search(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO


def possible_duplicates(
    *,
    desk,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    date_of_birth: datetime.date | None = None,
    exclude_pk=None,
    **_other,
) -> list[Duplicate]:
    """Residents of the same desk who look like this person: the same e-mail address or phone
    number, or the same date of birth and a similar name."""
    digits = phone_digits(phone)
    conditions = Q()
    if email:
        conditions |= Q(email__iexact=email)
    if digits:
        conditions |= Q(phone_digits=digits)
    if date_of_birth:
        conditions |= Q(date_of_birth=date_of_birth)
    if not conditions:
        return []
    candidates = (
        Resident.objects.filter(desk=desk)
        .exclude(pk=exclude_pk)
        .annotate(
            phone_digits=Func(
                F("phone"), Value(r"\D"), Value(""), Value("g"), function="regexp_replace"
            )
        )
        .filter(conditions)
        .select_related("coach")[:20]
    )
    name = f"{first_name} {last_name}"
    found = []
    for candidate in candidates:
        reasons = []
        if email and candidate.email.lower() == email.lower():
            reasons.append(_("same e-mail address"))
        if digits and candidate.phone_digits == digits:
            reasons.append(_("same phone number"))
        if (
            date_of_birth
            and candidate.date_of_birth == date_of_birth
            and similar_names(name, candidate.full_name)
        ):
            reasons.append(_("same date of birth and a similar name"))
        if reasons:
            found.append(Duplicate(candidate, reasons))
    return found


def resident_page(resident: Resident) -> dict:
    """Everything the resident's page shows, in a fixed number of queries."""
    conversations = list(
        resident.conversations.select_related("coach").prefetch_related(
            Prefetch("next_steps", queryset=NextStep.objects.order_by("due_on", "id"))
        )
    )
    stage_changes = list(
        resident.stage_changes.select_related("changed_by", "corrected_by__changed_by", "corrects")
    )
    # Edited conversations and steps carry their earlier versions; coach changes are entries.
    coach_changes = attach_corrections(resident, conversations)
    consent = resident.consents.filter(withdrawn_at__isnull=True).first()
    open_steps = [
        step
        for conversation in conversations
        for step in conversation.next_steps.all()
        if step.done_on is None
    ]
    open_steps.sort(key=lambda step: (step.due_on, step.pk))
    timeline = (
        [
            TimelineEntry(c.held_on, "intake/timeline/_conversation.html", c, c.created_at)
            for c in conversations
        ]
        + [
            TimelineEntry(s.changed_on, "intake/timeline/_stage_change.html", s, s.recorded_at)
            for s in stage_changes
        ]
        + [
            TimelineEntry(timezone.localdate(c.at), "intake/timeline/_coach_change.html", c, c.at)
            for c in coach_changes
        ]
        + registered_entries(resident)
    )
    timeline.sort(key=lambda entry: (entry.day, entry.recorded_at), reverse=True)
    return {
        "consent": consent,
        # Withdrawn consent (intake/erasure.py): one more query, only for a file without consent.
        "withdrawn_consent": None
        if consent
        else resident.consents.filter(withdrawn_at__isnull=False).first(),
        "conversations": conversations,
        "stage_changes": stage_changes,
        "open_steps": open_steps,
        "timeline": timeline,
        "panels": panels_for(resident),
        "today": timezone.localdate(),
    }


def open_next_steps(*, desk_ids, coach=None):
    """Next steps not yet done, earliest first, with their resident."""
    queryset = NextStep.objects.filter(
        resident__desk_id__in=desk_ids, done_on__isnull=True
    ).select_related("resident")
    if coach is not None:
        queryset = queryset.filter(resident__coach=coach)
    return queryset.order_by("due_on", "id")


def coach_home_items(
    desk, user, *, everyone: bool = False, limit: int = 10, overdue_limit: int = 3
) -> dict:
    """The open next steps at one desk: the coach's own residents', or (for the coordinator,
    ``everyone``) all residents'.

    Overdue steps are counted, with the date of the oldest, and only the oldest few are
    listed, before the steps still to come: a home page that opens on a wall of "overdue" (a
    desk that has not marked its steps done for a while, the demo's steps of 2009) hides what
    is due next. The full list is the resident list sorted by the first next step.
    """
    coach = None if everyone else user
    today = timezone.localdate()
    steps = open_next_steps(desk_ids=[desk.pk], coach=coach)
    counts = steps.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_on__lt=today)),
        oldest_overdue=Min("due_on", filter=Q(due_on__lt=today)),
    )
    overdue_steps = list(steps.filter(due_on__lt=today)[:overdue_limit])
    upcoming_steps = list(steps.filter(due_on__gte=today)[: limit - len(overdue_steps)])
    return {
        "open_steps": overdue_steps + upcoming_steps,
        "overdue_steps": overdue_steps,
        "upcoming_steps": upcoming_steps,
        "open_count": counts["open"],
        "overdue_count": counts["overdue"],
        "oldest_overdue": counts["oldest_overdue"],
        "more_overdue": counts["overdue"] - len(overdue_steps),
        "more_upcoming": counts["open"] - counts["overdue"] - len(upcoming_steps),
        "everyone": everyone,
        "today": today,
    }


def residents_named_for_audit(desk_ids, text: str):
    """The audit trail's search by name (registered in ``apps.py``): the ids of the residents
    of these desks whose name matches, as a subquery. 'Ozturk' finds 'Öztürk'; an erased
    resident has no name left to find."""
    residents = Resident.objects.filter(desk_id__in=desk_ids, erased_at__isnull=True)
    return matching(residents, text).values("pk")


def resident_names_for_audit(ids) -> dict[int, str]:
    """{id: name} for the audit trail, in one query; an erased resident is named by number."""
    names = {}
    for pk, first_name, last_name, erased_at in Resident.objects.filter(pk__in=ids).values_list(
        "pk", "first_name", "last_name", "erased_at"
    ):
        if erased_at is not None:
            names[pk] = _("erased resident")  # the trail shows the number beside it
        else:
            names[pk] = f"{first_name} {last_name}".strip()
    return names


def coordinator_home_items(desk, user) -> dict:
    return coach_home_items(desk, user, everyone=True)


def stage_history(resident: Resident) -> list[StageChange]:
    """Newest first, each with the change that corrected it (if any) and the one it corrects."""
    return list(
        resident.stage_changes.select_related(
            "changed_by", "corrected_by__changed_by", "corrects"
        ).order_by("-changed_on", "-id")
    )
