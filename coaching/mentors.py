"""The rules of mentors and the benefits route (issue 10, points 5 and 6).

A desk keeps a pool of mentors (most come through the KvK). A coach matches a resident with an
active mentor of her own desk; the match logs its meetings and ends with a short evaluation
from both sides (the coach types what each said). A resident on WW or bijstand needs the
consultation with UWV or the municipality before she starts: her file warns until one is
recorded (``needs_benefits_warning``).

Every refusal is a ``MentorError`` with the form field it belongs to. Audit lines name the
mentor and the match by number only: the trail holds nothing an erasure would have to remove.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import BenefitsConsultation, Mentor, MentorMatch, MentorMeeting
from intake.models import Situation, Stage
from intake.timeline import TimelineEntry
from ondernemerspunt.models import AuditEntry, Partner
from ondernemerspunt.services import record_audit, record_desk_audit

MENTOR_FIELDS = (
    "name",
    "email",
    "phone",
    "expertise",
    "sector",
    "languages",
    "availability",
    "partner",
    "is_active",
)
# The situations for which starting a business without the consultation can cost the benefit,
# and whom to consult for each.
BENEFITS_SITUATIONS = {
    Situation.BENEFITS_WW: BenefitsConsultation.With.UWV,
    Situation.BENEFITS_BIJSTAND: BenefitsConsultation.With.MUNICIPALITY,
}
# From these stages on the start is close: the warning is red, not yellow.
URGENT_STAGES = (Stage.SUBMITTED, Stage.FINANCED, Stage.STARTED, Stage.AFTERCARE)
PARTNER_KIND_OF = {
    BenefitsConsultation.With.UWV: Partner.Kind.UWV,
    BenefitsConsultation.With.MUNICIPALITY: Partner.Kind.MUNICIPALITY,
}


class MentorError(Exception):
    """A refusal a person can act on, with the form field it belongs to (if any)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _check_resident(resident) -> None:
    if resident.erased_at is not None:
        raise MentorError(_("This file has been erased."))
    if not resident.has_consent():
        raise MentorError(
            _("Record the resident's consent for the desk first; without it nothing is added.")
        )


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise MentorError(_("This date lies in the future."), field)


# --- The pool -------------------------------------------------------------------------------
def mentors_of(desk_ids) -> QuerySet[Mentor]:
    """The mentors of these desks, with what the list shows (one query)."""
    return (
        Mentor.objects.filter(desk_id__in=desk_ids)
        .select_related("partner", "desk")
        .annotate(running=Count("matches", filter=Q(matches__ended_on__isnull=True), distinct=True))
        .order_by("-is_active", "name", "id")
    )


def kvk_partners(desk_ids) -> QuerySet[Partner]:
    return Partner.objects.filter(desk_id__in=desk_ids).order_by("name")


@transaction.atomic
def save_mentor(*, desk, values: dict, by, mentor: Mentor | None = None) -> Mentor:
    partner = values.get("partner")
    if partner is not None and partner.desk_id != desk.pk:
        raise MentorError(_("This partner does not work with the desk."), "partner")
    created = mentor is None
    mentor = mentor or Mentor(desk=desk)
    for name in MENTOR_FIELDS:
        if name in values:
            setattr(mentor, name, values[name])
    mentor.save()
    record_desk_audit(
        by=by,
        desk_id=desk.pk,
        action=AuditEntry.Action.CREATED if created else AuditEntry.Action.CHANGED,
        what=gettext_lazy("Mentor %(number)s added to the pool")
        if created
        else gettext_lazy("Mentor %(number)s changed"),
        params={"number": mentor.pk},
    )
    return mentor


# --- Matches ----------------------------------------------------------------------------------
def matches_of(resident) -> list[MentorMatch]:
    """The resident's matches, running first, each with its meetings (two queries, once per
    resident object: the panel and the timeline of one page share them)."""
    cached = getattr(resident, "_mentor_matches", None)
    if cached is not None:
        return cached
    meetings = Prefetch(
        "meetings",
        queryset=MentorMeeting.objects.select_related("recorded_by").order_by("-held_on", "-id"),
    )
    matches = list(
        MentorMatch.objects.filter(resident=resident)
        .select_related("mentor", "mentor__partner", "matched_by")
        .prefetch_related(meetings)
    )
    matches.sort(key=lambda m: (m.ended_on is not None, -m.started_on.toordinal(), -m.pk))
    resident._mentor_matches = matches
    return matches


def consultations_of(resident) -> list[BenefitsConsultation]:
    """The resident's benefits consultations, newest first (one query, once per resident
    object)."""
    cached = getattr(resident, "_benefits_consultations", None)
    if cached is None:
        cached = list(
            BenefitsConsultation.objects.filter(resident=resident).select_related("partner")
        )
        resident._benefits_consultations = cached
    return cached


def available_mentors(resident) -> QuerySet[Mentor]:
    """The active mentors of the resident's desk, without those she is matched with now."""
    running = MentorMatch.objects.filter(resident=resident, ended_on__isnull=True)
    return (
        Mentor.objects.filter(desk_id=resident.desk_id, is_active=True)
        .exclude(pk__in=running.values("mentor_id"))
        .select_related("partner")
        .order_by("name", "id")
    )


@transaction.atomic
def start_match(
    *, resident, mentor: Mentor, by, goal: str = "", started_on: datetime.date | None = None
) -> MentorMatch:
    _check_resident(resident)
    started_on = started_on or timezone.localdate()
    if mentor.desk_id != resident.desk_id:
        raise MentorError(_("This mentor is not in the pool of the resident's desk."), "mentor")
    if not mentor.is_active:
        raise MentorError(_("This mentor takes no new matches at the moment."), "mentor")
    _not_in_future(started_on, "started_on")
    if MentorMatch.objects.filter(resident=resident, mentor=mentor, ended_on__isnull=True).exists():
        raise MentorError(_("The resident is already matched with this mentor."), "mentor")
    try:
        with transaction.atomic():
            match = MentorMatch.objects.create(
                resident=resident,
                mentor=mentor,
                matched_by=by,
                started_on=started_on,
                goal=goal.strip(),
            )
    except IntegrityError:  # two clicks at once: the database holds one running match
        raise MentorError(
            _("The resident is already matched with this mentor."), "mentor"
        ) from None
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Matched with mentor %(number)s"),
        params={"number": mentor.pk},
    )
    return match


def _locked_match(match: MentorMatch) -> MentorMatch:
    return (
        MentorMatch.objects.select_for_update(of=("self",))
        .select_related("resident", "mentor")
        .get(pk=match.pk)
    )


@transaction.atomic
def add_meeting(*, match: MentorMatch, held_on: datetime.date, notes: str, by) -> MentorMeeting:
    locked = _locked_match(match)
    _check_resident(locked.resident)
    if locked.ended_on is not None:
        raise MentorError(_("This match has ended; no meetings can be added."))
    _not_in_future(held_on, "held_on")
    if held_on < locked.started_on:
        raise MentorError(_("The match started later than this date."), "held_on")
    meeting = MentorMeeting.objects.create(
        match=locked, held_on=held_on, notes=notes.strip(), recorded_by=by
    )
    record_audit(
        by=by,
        resident=locked.resident,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Meeting with mentor %(number)s recorded"),
        params={"number": locked.mentor_id},
    )
    return meeting


@transaction.atomic
def end_match(
    *,
    match: MentorMatch,
    ended_on: datetime.date,
    resident_evaluation: str,
    mentor_evaluation: str,
    rating: int | None,
    by,
) -> MentorMatch:
    """End the match with both sides' words (the coach types them); the rating is optional."""
    locked = _locked_match(match)
    _check_resident(locked.resident)
    if locked.ended_on is not None:
        raise MentorError(_("This match has already ended."))
    _not_in_future(ended_on, "ended_on")
    if ended_on < locked.started_on:
        raise MentorError(_("The match started later than this date."), "ended_on")
    if not resident_evaluation.strip():
        raise MentorError(
            _("Write down what the resident said about the match."), "resident_evaluation"
        )
    if not mentor_evaluation.strip():
        raise MentorError(
            _("Write down what the mentor said about the match."), "mentor_evaluation"
        )
    if rating is not None and not 1 <= rating <= 5:
        raise MentorError(_("Choose a rating from 1 to 5."), "rating")
    locked.ended_on = ended_on
    locked.resident_evaluation = resident_evaluation.strip()
    locked.mentor_evaluation = mentor_evaluation.strip()
    locked.rating = rating
    locked.save(update_fields=["ended_on", "resident_evaluation", "mentor_evaluation", "rating"])
    record_audit(
        by=by,
        resident=locked.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Match with mentor %(number)s ended"),
        params={"number": locked.mentor_id},
    )
    return locked


# --- The benefits route -----------------------------------------------------------------------
def consults_for(resident) -> str:
    """Whom a resident on these benefits consults (UWV for WW, the municipality for bijstand);
    "" for any other situation."""
    return BENEFITS_SITUATIONS.get(resident.situation, "")


def benefits_partners(resident) -> QuerySet[Partner]:
    """The desk's UWV and municipality partners, to say with whom the consultation was."""
    return Partner.objects.filter(
        desk_id=resident.desk_id, kind__in=[Partner.Kind.UWV, Partner.Kind.MUNICIPALITY]
    ).order_by("name")


# How long before her registration a consultation can have been held.
CONSULTED_BEFORE_DAYS = 365
# Who grants what: the Bbz credit is the municipality's, the WW start-up arrangement UWV's.
OUTCOME_OF_WHOM = {
    BenefitsConsultation.Outcome.BBZ_CREDIT: BenefitsConsultation.With.MUNICIPALITY,
    BenefitsConsultation.Outcome.WW_ARRANGEMENT: BenefitsConsultation.With.UWV,
}


@transaction.atomic
def record_benefits_consultation(
    *,
    resident,
    held_on: datetime.date,
    with_whom: str,
    outcome: str,
    by,
    partner: Partner | None = None,
    note: str = "",
) -> BenefitsConsultation:
    _check_resident(resident)
    _not_in_future(held_on, "held_on")
    # A consultation is about starting from the benefit she has now: not long before she came
    # to the desk (a typing error like 1900 would silence the warning for good).
    if held_on < resident.registered_on - datetime.timedelta(days=CONSULTED_BEFORE_DAYS):
        raise MentorError(
            _("This date lies more than a year before she registered. Check the year."), "held_on"
        )
    if with_whom not in BenefitsConsultation.With.values:
        raise MentorError(_("Choose UWV or the municipality."), "with_whom")
    if outcome not in BenefitsConsultation.Outcome.values:
        raise MentorError(_("Choose the outcome from the list."), "outcome")
    if OUTCOME_OF_WHOM.get(outcome, with_whom) != with_whom:
        raise MentorError(
            _("The Bbz start-up credit comes from the municipality, the WW arrangement from UWV."),
            "outcome",
        )
    if partner is not None and (
        partner.desk_id != resident.desk_id or partner.kind != PARTNER_KIND_OF[with_whom]
    ):
        raise MentorError(
            _("Choose a partner of the desk of the kind the consultation was with."), "partner"
        )
    consultation = BenefitsConsultation.objects.create(
        resident=resident,
        desk_id=resident.desk_id,
        held_on=held_on,
        with_whom=with_whom,
        partner=partner,
        outcome=outcome,
        note=note.strip(),
        recorded_by=by,
    )
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Benefits consultation recorded: %(outcome)s"),
        params={"outcome": BenefitsConsultation.Outcome(outcome).label},
    )
    return consultation


# --- On the resident's page -------------------------------------------------------------------
def mentor_panel(resident) -> dict:
    """What the mentor panel on the resident's page shows (two queries, shared with the
    timeline)."""
    matches = matches_of(resident)
    return {
        "running": [m for m in matches if m.ended_on is None],
        "ended": [m for m in matches if m.ended_on is not None],
    }


def benefits_panel(resident) -> dict:
    """The warning for a resident on WW or bijstand until a consultation is recorded, then the
    consultations (one query; none for a resident the route is not about)."""
    consults = consults_for(resident)
    consultations = consultations_of(resident)
    return {
        "consults": consults,
        "consults_label": BenefitsConsultation.With(consults).label if consults else "",
        "consultations": consultations,
        "warning": bool(consults) and not consultations,
        # Red once the plan went to Qredits or later (the start is close), yellow before.
        "urgent": resident.stage in URGENT_STAGES,
    }


def needs_benefits_warning(resident) -> bool:
    return bool(consults_for(resident)) and not resident.benefits_consultations.exists()


def _start_of(day: datetime.date) -> datetime.datetime:
    """A day as a moment (the timeline sorts the entries of one day by moment)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def mentor_timeline_entries(resident) -> list[TimelineEntry]:
    """Matches, their meetings and endings, and benefits consultations on the resident's
    timeline (registered in ``coaching.apps``); the three queries of the panels."""
    entries = []
    template = "coaching/timeline/_mentor_event.html"
    for match in matches_of(resident):
        entries.append(
            TimelineEntry(
                match.started_on,
                template,
                {"kind": "started", "match": match},
                _start_of(match.started_on),
            )
        )
        for meeting in match.meetings.all():
            entries.append(
                TimelineEntry(
                    meeting.held_on,
                    template,
                    {"kind": "meeting", "match": match, "meeting": meeting},
                    meeting.recorded_at,
                )
            )
        if match.ended_on:
            entries.append(
                TimelineEntry(
                    match.ended_on,
                    template,
                    {"kind": "ended", "match": match},
                    # At the end of its day: after the meetings of that day.
                    _start_of(match.ended_on + datetime.timedelta(days=1))
                    - datetime.timedelta(seconds=1),
                )
            )
    for consultation in consultations_of(resident):
        entries.append(
            TimelineEntry(
                consultation.held_on,
                template,
                {"kind": "benefits", "consultation": consultation},
                consultation.recorded_at,
            )
        )
    return entries
