"""Referrals to partners, the consent they rest on, mentors, and the benefits consultation.

A referral (``Referral``) sends a resident's question to a partner of the desk (KvK, UWV, the
municipality, a bank, …) and shares what she consented to share with that partner for that
purpose (``PartnerConsent``): which fields, until when. The partner answers in the app or
through a personal link (``ReferralLink``); every change of status is an event
(``ReferralEvent``) on the resident's timeline. Mentors (``Mentor``) are matched with residents
(``MentorMatch``) and meet them (``MentorMeeting``). A resident on WW or bijstand needs the
consultation with UWV or the municipality before starting (``BenefitsConsultation``).
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SharedField(models.TextChoices):
    """What a resident may agree to share with a partner, besides her name (which a referral
    always carries). Never her financial figures."""

    CONTACT = "contact", _("phone and e-mail address")
    ADDRESS = "address", _("address")
    DATE_OF_BIRTH = "date_of_birth", _("date of birth")
    SITUATION = "situation", _("current situation (work, benefits)")
    BUSINESS_IDEA = "business_idea", _("business idea and sector")
    LANGUAGES = "languages", _("languages spoken")
    STAGE = "stage", _("stage in the trajectory")


class PartnerConsent(models.Model):
    """The resident agreed that the desk shares these fields with this partner, for this
    purpose, until ``valid_until``. Withdrawing stops all further sharing at once."""

    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="partner_consents",
        verbose_name=_("resident"),
    )
    partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("partner organisation"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    fields = ArrayField(
        models.CharField(max_length=20, choices=SharedField.choices),
        default=list,
        blank=True,
        verbose_name=_("what may be shared"),
    )
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("consent to share with a partner")
        verbose_name_plural = _("consents to share with partners")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("given_on")),
                name="partner_consent_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.given_on} – {self.valid_until})"

    def is_valid(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.withdrawn_at is None and self.given_on <= today <= self.valid_until


class Referral(models.Model):
    """A resident's question sent to a partner, followed until it is closed."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("draft")
        SENT = "sent", _("sent")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("completed")
        DECLINED = "declined", _("declined")

    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("resident"),
    )
    # Carried from the resident so that counts per desk need no join.
    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("desk"),
    )
    partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("partner organisation"),
    )
    # The partner's contact person (a partner-contact login), if the coach chose one.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_received",
        verbose_name=_("contact person"),
    )
    consent = models.ForeignKey(
        PartnerConsent,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("consent"),
    )
    # The conversation whose support needs it came from, if any.
    conversation = models.ForeignKey(
        "intake.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("conversation"),
    )
    support_need = models.CharField(_("support need"), max_length=20, blank=True)
    question = models.TextField(_("question"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONCEPT, db_index=True
    )
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The partner's answer is due on this day: sent plus the partner's number of working days.
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    # The partner's first reaction (taken up, completed or declined).
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Raised on every change: a change based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["desk", "status"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["desk", "sent_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_referral_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(outcome=""),
                name="completed_referral_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.partner} ({self.get_status_display()})"

    @property
    def was_taken_back(self) -> bool:
        """Declined by the desk itself (the coach took it back), not by the partner."""
        return self.status == self.Status.DECLINED and self.answered_at is None

    @property
    def status_label(self) -> str:
        if self.was_taken_back:
            return _("taken back by the desk")
        return self.get_status_display()

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.IN_PROGRESS)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Sent and not yet answered after the partner's number of working days."""
        today = today or timezone.localdate()
        return (
            self.status == self.Status.SENT
            and self.answer_due_on is not None
            and self.answer_due_on < today
        )


class ReferralEvent(models.Model):
    """One change of a referral's status, by a coach, a partner contact or through the link."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("referral")
    )
    status = models.CharField(_("status"), max_length=12, choices=Referral.Status.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Answered through the personal link in the e-mail (nobody logged in).
    through_link = models.BooleanField(_("through the e-mail link"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_status_display()} ({self.at:%Y-%m-%d})"


class ReferralLink(models.Model):
    """A personal link in the partner's e-mail: it opens this one referral, for a limited time,
    and is used up by the answer. Only a hash of the token is stored."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="links", verbose_name=_("referral")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("sent to"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer link")
        verbose_name_plural = _("answer links")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.referral_id} → {self.email}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at


class Mentor(models.Model):
    """A mentor of the desk's pool (most come through the KvK)."""

    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.CASCADE,
        related_name="mentors",
        verbose_name=_("desk"),
    )
    partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentors",
        verbose_name=_("through partner"),
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    expertise = models.CharField(_("expertise"), max_length=300)
    sector = models.CharField(_("sector"), max_length=80, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    is_active = models.BooleanField(_("available for new matches"), default=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class MentorMatch(models.Model):
    """A resident and a mentor, from the match until it ends with both sides' evaluation."""

    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="mentor_matches",
        verbose_name=_("resident"),
    )
    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="matches", verbose_name=_("mentor")
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("matched by"),
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    goal = models.CharField(_("what the mentor helps with"), max_length=300, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    resident_evaluation = models.TextField(
        _("evaluation by the resident"), max_length=2000, blank=True
    )
    mentor_evaluation = models.TextField(_("evaluation by the mentor"), max_length=2000, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("how useful (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("mentor match")
        verbose_name_plural = _("mentor matches")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "mentor"],
                condition=Q(ended_on__isnull=True),
                name="one_running_match_per_mentor_and_resident",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} ({self.started_on})"


class MentorMeeting(models.Model):
    match = models.ForeignKey(
        MentorMatch, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("match")
    )
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor meeting")
        verbose_name_plural = _("mentor meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return str(self.held_on)


class BenefitsConsultation(models.Model):
    """Before starting, a resident on WW or bijstand consults UWV or the municipality; without
    it, starting a business can cost her the benefit."""

    class With(models.TextChoices):
        UWV = "uwv", _("UWV-Werkbedrijf")
        MUNICIPALITY = "municipality", _("the municipality (self-employed desk, Bbz)")

    class Outcome(models.TextChoices):
        BBZ_CREDIT = "bbz_credit", _("Bbz start-up credit")
        WW_ARRANGEMENT = "ww_arrangement", _("WW start-up arrangement")
        ADVISED_AGAINST = "advised_against", _("advised against starting")
        OTHER = "other", _("other")

    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="benefits_consultations",
        verbose_name=_("resident"),
    )
    # Carried from the resident so that counts per desk need no join.
    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="benefits_consultations",
        verbose_name=_("desk"),
    )
    held_on = models.DateField(_("date"))
    with_whom = models.CharField(_("with"), max_length=20, choices=With.choices)
    partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("benefits consultation")
        verbose_name_plural = _("benefits consultations")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["desk", "held_on"])]

    def __str__(self):
        return f"{self.get_with_whom_display()} {self.held_on}"
