"""Reads of the business plan: a plan (or a revision) laid out for reading, two revisions
compared, the plan's events for the resident's timeline, the desk's list of plans."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms as django_forms
from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.amounts import format_euro, format_rate
from coaching.fields import AmountField, RateField
from coaching.models import BusinessPlan, PlanInvitation, PlanRevision, PlanSection, Review
from coaching.reviews import waiting_revisions
from coaching.section_forms import AssetForm
from coaching.sections import SECTIONS, Section
from coaching.services import has_pending_autosave
from intake.timeline import TimelineEntry
from ondernemerspunt.models import User


# --- A plan laid out for reading ------------------------------------------------------------
def display_value(form_field, value) -> str:
    """A stored value as a person reads it: amounts in euros, dates Dutch, choices by label."""
    if value in (None, ""):
        return ""
    if isinstance(form_field, RateField):
        return format_rate(value)  # as typed: 9,75%, not 9,8%
    if isinstance(form_field, AmountField):
        return format_euro(Decimal(value))
    if isinstance(form_field, django_forms.DateField):
        return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
    if isinstance(form_field, django_forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    return str(value)


@dataclass
class SectionView:
    section: Section
    data: dict
    fields: list = field(default_factory=list)  # (label, display value), text parts only
    filled: int = 0
    total: int = 0

    @property
    def state(self) -> str:
        if self.filled == 0:
            return "empty"
        return "complete" if self.filled == self.total else "started"


def section_view(section: Section, data: dict) -> SectionView:
    data = data or {}
    fields = section.form_class.base_fields
    filled, total = section.completion(data)
    shown = [] if section.is_budget else section.form_class.field_names()
    return SectionView(
        section=section,
        data=data,
        fields=[
            (fields[name].label, display_value(fields[name], data.get(name))) for name in shown
        ],
        filled=filled,
        total=total,
    )


def section_views(sections_data: dict) -> list[SectionView]:
    return [section_view(section, sections_data.get(section.key)) for section in SECTIONS]


def unsaved_parts(plan) -> list[Section]:
    """The parts holding typing that was kept as a draft but never saved.

    Handing in freezes only what is saved, so the resident is told before they hand in.
    """
    by_key = plan.sections_by_key
    return [s for s in SECTIONS if s.key in by_key and has_pending_autosave(by_key[s.key])]


# --- Two revisions compared -----------------------------------------------------------------
@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class SectionChanges:
    section: Section
    changes: list[Change]


def _asset_lines(rows) -> str:
    years = AssetForm.base_fields["years"]
    lines = []
    for row in rows or []:
        amount = display_value(AssetForm.base_fields["amount"], row.get("amount"))
        lines.append(
            f"{row.get('description', '')}: {amount}, {row.get('years', '')} "
            f"{str(years.label).lower()}"
        )
    return "\n".join(lines)


def compare_sections(old: dict, new: dict) -> list[SectionChanges]:
    """What changed between two versions of the plan, part by part, field by field."""
    result = []
    for section in SECTIONS:
        # Older versions lack fields that came later (a loan's kind): compare them as read today.
        before = section.form_class.with_defaults(old.get(section.key) or {})
        after = section.form_class.with_defaults(new.get(section.key) or {})
        fields = section.form_class.base_fields
        changes = [
            Change(
                fields[name].label,
                display_value(fields[name], before.get(name)),
                display_value(fields[name], after.get(name)),
            )
            for name in section.form_class.field_names()
            if display_value(fields[name], before.get(name))
            != display_value(fields[name], after.get(name))
        ]
        if section.form_class.rows_prefix:
            old_rows, new_rows = (
                _asset_lines(before.get("assets")),
                _asset_lines(after.get("assets")),
            )
            if old_rows != new_rows:
                changes.insert(0, Change(_("Fixed assets"), old_rows, new_rows))
        if changes:
            result.append(SectionChanges(section, changes))
    return result


# --- The timeline of a resident -------------------------------------------------------------
@dataclass
class TimelineEvent:
    """One line on a resident's timeline: when, what, and (for coaches) where to read more."""

    at: datetime.datetime
    title: str
    url: str = ""

    @property
    def day(self) -> datetime.date:
        """The local date, as intake's ``TimelineEntry.day`` wants it."""
        return timezone.localdate(self.at)


def plan_timeline(resident) -> list[TimelineEvent]:
    """The business plan's events for the resident's timeline (newest first); three queries."""
    events = []
    for invitation in PlanInvitation.objects.filter(resident=resident).select_related("created_by"):
        if invitation.created_by_id:
            title = _("Invitation to write the business plan sent by %(name)s") % {
                "name": invitation.created_by
            }
        else:
            title = _("Resident asked for a new invitation link")
        events.append(TimelineEvent(invitation.created_at, title))
        if invitation.used_at:
            events.append(
                TimelineEvent(invitation.used_at, _("Resident chose a password and logged in"))
            )
    for revision in PlanRevision.objects.filter(plan__resident=resident).only(
        "number", "submitted_at", "plan_id"
    ):
        events.append(
            TimelineEvent(
                revision.submitted_at,
                _("Business plan version %(number)s submitted for review")
                % {"number": revision.number},
                reverse(
                    "coaching:revision_detail",
                    kwargs={"pk": revision.plan_id, "number": revision.number},
                ),
            )
        )
    events.extend(_review_events(resident))
    return sorted(events, key=lambda event: event.at, reverse=True)


def _review_events(resident) -> list[TimelineEvent]:
    """A line per concluded review and per co-signature (drafts are nobody's history yet)."""
    events = []
    for review in Review.objects.filter(
        revision__plan__resident=resident, status=Review.Status.CONCLUDED
    ).select_related("revision", "coach", "cosigned_by"):
        url = reverse(
            "coaching:review_detail", kwargs={"pk": review.revision.plan_id, "review": review.pk}
        )
        values = {
            "number": review.revision.number,
            "outcome": review.get_outcome_display(),
            "name": review.coach,
        }
        if not review.outcome:  # feedback from before there were reviews: no verdict
            title = _("Feedback on version %(number)s") % values
        elif review.coach_id:
            title = _("Review of version %(number)s concluded: %(outcome)s, by %(name)s") % values
        else:
            title = _("Review of version %(number)s concluded: %(outcome)s") % values
        events.append(TimelineEvent(review.concluded_at or review.started_at, title, url))
        if review.cosigned_at:
            title = _("Review of version %(number)s co-signed by %(name)s") % {
                "number": review.revision.number,
                "name": review.cosigned_by or _("a second coach"),
            }
            events.append(TimelineEvent(review.cosigned_at, title, url))
    return events


def plan_timeline_entries(resident) -> list[TimelineEntry]:
    """The plan's events as entries of intake's timeline (registered in ``coaching.apps``)."""
    return [
        TimelineEntry(event.day, "coaching/timeline/_plan_event.html", event, event.at)
        for event in plan_timeline(resident)
    ]


def resident_plan_panel(resident) -> dict:
    """What the business-plan panel on the resident's page shows; at most four queries."""
    plan = BusinessPlan.objects.filter(resident=resident).prefetch_related("sections").first()
    if plan is not None:
        plan.resident = resident
    invitation = PlanInvitation.objects.filter(resident=resident).first()
    login = User.objects.only("password").filter(pk=resident.user_id).first()
    # A resident who has chosen a password needs no invitation link: a new one would only
    # tell her she already has an account.
    has_password = login is not None and login.has_usable_password()
    return {"plan": plan, "invitation": invitation, "has_password": has_password}


# --- Lists ----------------------------------------------------------------------------------
def plans_of_desks(desk_ids):
    """The plans at these desks, with what the list shows, in a fixed number of queries."""
    return (
        BusinessPlan.objects.filter(resident__desk_id__in=desk_ids)
        .select_related("resident", "resident__coach", "resident__desk")
        .prefetch_related(
            Prefetch("sections", queryset=PlanSection.objects.only("plan", "key", "data"))
        )
        .annotate(revision_count=Count("revisions"), last_submitted=Max("revisions__submitted_at"))
        .order_by("-changed_at", "-id")
    )


def revisions_of(plan):
    """The plan's versions, newest first, each with its reviews (one query for all)."""
    reviews = Prefetch("reviews", queryset=Review.objects.select_related("coach"))
    return (
        plan.revisions.select_related("submitted_by").prefetch_related(reviews).order_by("-number")
    )


# --- Home page ------------------------------------------------------------------------------
def review_home_items(desk, user, *, limit: int = 10) -> dict:
    """The desk's versions waiting for review, oldest first, for the home page of its coaches
    and coordinator (registered in ``coaching.apps``): the first ``limit`` and how many wait in
    all (a window count on the same query); two queries whatever the length of the queue."""
    from django.db.models import Window

    shown = list(waiting_revisions([desk.pk]).annotate(total=Window(Count("id")))[:limit])
    return {"review_queue": {"revisions": shown, "count": shown[0].total if shown else 0}}


# --- Referrals and consent to share with partners --------------------------------------------
def referrals_of_desks(desk_ids):
    """The referrals of these desks (not of erased files), with what the list shows, in one
    query; newest first."""
    from coaching.models import Referral

    return (
        Referral.objects.filter(desk_id__in=desk_ids, resident__erased_at__isnull=True)
        .select_related("resident", "partner", "contact", "created_by")
        .order_by("-created_at", "-id")
    )


def referral_events(resident) -> list:
    """The resident's referral events, oldest first, each with its referral and partner: one
    query, kept on the resident object for the rest of the request, so that the timeline and
    the panel of the resident's page share it."""
    from coaching.models import ReferralEvent

    cached = getattr(resident, "_referral_events", None)
    if cached is None:
        cached = list(
            ReferralEvent.objects.filter(referral__resident=resident).select_related(
                "referral__partner", "referral__contact", "by"
            )
        )
        resident._referral_events = cached
    return cached


def referral_panel(resident) -> dict:
    """The "Sharing with partners" panel on the resident's page (registered in
    ``coaching.apps``): her consents (one query) and referrals, newest first (every referral
    has its draft event: read from ``referral_events``, shared with the timeline)."""
    from coaching.models import PartnerConsent

    referrals = {}
    for event in referral_events(resident):
        referrals[event.referral_id] = event.referral
    return {
        "consents": list(
            PartnerConsent.objects.filter(resident=resident).select_related("partner")
        ),
        "referrals": sorted(referrals.values(), key=lambda r: (r.created_at, r.pk), reverse=True),
        "today": timezone.localdate(),
    }


def sharing_overview(resident) -> dict:
    """What was shared with whom and when: every referral sent (partner, date, the fields of its
    consent, status) and every consent; two queries."""
    from coaching.models import PartnerConsent, Referral, SharedField

    labels = dict(SharedField.choices)
    consents = list(PartnerConsent.objects.filter(resident=resident).select_related("partner"))
    for consent in consents:
        consent.field_labels = [labels[f] for f in consent.fields if f in labels]
    referrals = list(
        Referral.objects.filter(resident=resident, sent_at__isnull=False)
        .select_related("partner", "consent")
        .order_by("-sent_at", "-id")
    )
    for referral in referrals:
        referral.field_labels = [labels[f] for f in referral.consent.fields if f in labels]
    return {"consents": consents, "referrals": referrals, "today": timezone.localdate()}


@dataclass
class SupportNeedLinks:
    """Below a conversation on the timeline: a link to refer for each of its support needs."""

    conversation: object
    needs: list  # (value, label)


def referral_timeline_entries(resident) -> list[TimelineEntry]:
    """Every change of a referral's status, and the support needs of each conversation with a
    link to refer, as entries of intake's timeline (registered in ``coaching.apps``); two
    queries (the events one shared with the panel)."""
    from intake.models import Conversation, SupportNeed

    entries = [
        TimelineEntry(
            timezone.localdate(event.at), "coaching/timeline/_referral.html", event, event.at
        )
        for event in referral_events(resident)
    ]
    if resident.erased_at is not None:
        return entries
    labels = dict(SupportNeed.choices)
    for conversation in (
        Conversation.objects.filter(resident=resident)
        .exclude(support_needs=[])
        .only("pk", "held_on", "created_at", "support_needs")
    ):
        needs = [(need, labels.get(need, need)) for need in conversation.support_needs]
        # Just below its conversation: within a day, the timeline shows the latest first.
        entries.append(
            TimelineEntry(
                conversation.held_on,
                "coaching/timeline/_support_needs.html",
                SupportNeedLinks(conversation, needs),
                conversation.created_at - datetime.timedelta(microseconds=1),
            )
        )
    return entries


def _overdue_items(desk, user, *, everyone: bool, limit: int = 10) -> dict:
    """Sent referrals whose answer is overdue (``coaching.referrals.overdue_referrals``), for a
    home page: one query, whatever their number."""
    from django.db.models import Q, Window

    from coaching.referrals import overdue_referrals

    referrals = overdue_referrals([desk.pk])
    if not everyone:
        referrals = referrals.filter(Q(resident__coach=user) | Q(created_by=user))
    shown = list(referrals.annotate(total=Window(Count("id")))[:limit])
    return {
        "overdue_referrals": {
            "referrals": shown,
            "count": shown[0].total if shown else 0,
            "everyone": everyone,
        }
    }


def overdue_referrals_for_coach(desk, user) -> dict:
    """The coach's home page: the overdue referrals of the residents she coaches or made."""
    return _overdue_items(desk, user, everyone=False)


def overdue_referrals_for_coordinator(desk, user) -> dict:
    return _overdue_items(desk, user, everyone=True)
