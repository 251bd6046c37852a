"""Business plans, review checklists, referrals and Qredits packs.

The business plan a resident writes in parts (``BusinessPlan``,
``PlanSection``), the revisions handed in for review (``PlanRevision``) and the personal links
that invite a resident to write it (``PlanInvitation``). Reviews, referrals and Qredits packs
are added by later issues.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from coaching.budgets import plan_figures
from coaching.checks import Limits, plan_checks, summary
from coaching.sections import SectionKey, plan_completion


class PlanFiguresMixin:
    """The budgets' figures and the checks of a plan's contents.

    Shared by the live plan and its frozen revisions; each supplies ``section_data()`` (the
    sections' cleaned data) and ``limits()`` (the desk's thresholds, then or now).
    """

    @cached_property
    def figures(self):
        return plan_figures(self.section_data())

    @cached_property
    def checks(self):
        return plan_checks(self.figures, self.limits())

    @cached_property
    def checks_summary(self) -> dict:
        return summary(self.checks)


class BusinessPlan(PlanFiguresMixin, models.Model):
    """A resident's business plan: one per resident, written in parts (``PlanSection``).

    ``status`` says whether what is there now was handed in for review (``submitted``) or has
    been edited since (``draft``); every hand-in is frozen as a ``PlanRevision``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("being written")
        SUBMITTED = "submitted", _("submitted for review")

    resident = models.OneToOneField(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name=_("resident"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # The last time a part was saved (not autosaved): what "last changed" means to a coach.
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return str(_("Business plan of %(name)s") % {"name": self.resident.full_name})

    @cached_property
    def sections_by_key(self) -> dict:
        return {section.key: section for section in self.sections.all()}

    def section_data(self) -> dict:
        return {key: section.data for key, section in self.sections_by_key.items()}

    @cached_property
    def completion(self) -> int:
        """How much of the plan is filled in, in percent (see ``coaching.sections``)."""
        return plan_completion(self.section_data())

    def limits(self):
        return Limits.of_desk(self.resident.desk)


class PlanSection(models.Model):
    """One part of a plan as last saved, plus what was typed since (autosave).

    ``data`` holds the cleaned values (amounts as strings like ``"1250.50"``). ``version`` goes
    up by one on every save; a save based on an older version is refused (two tabs, two
    devices), so nobody overwrites what they have not seen. ``autosave`` holds what the resident
    typed but did not save yet, as typed (it may not even be valid), with the version it was
    typed on, so that closing the browser loses nothing.
    """

    plan = models.ForeignKey(
        BusinessPlan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    key = models.CharField(_("part"), max_length=20, choices=SectionKey.choices)
    data = models.JSONField(_("content"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    autosave = models.JSONField(_("typed, not saved yet"), null=True, blank=True)
    autosave_version = models.PositiveIntegerField(null=True, blank=True)
    autosaved_at = models.DateTimeField(_("autosaved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan part")
        verbose_name_plural = _("plan parts")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="one_section_per_key"),
        ]

    def __str__(self):
        return self.get_key_display()


class PlanRevision(PlanFiguresMixin, models.Model):
    """A plan as it was handed in for review: a frozen copy that later edits do not touch.

    ``snapshot`` holds every part's data and the desk's limits at that moment, so the figures
    and checks of a revision can be shown again exactly as they were.
    """

    plan = models.ForeignKey(
        BusinessPlan, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    feedback = models.TextField(_("feedback from the coach"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback by"),
    )
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_revision_per_number"),
        ]

    def __str__(self):
        return str(_("Version %(number)s") % {"number": self.number})

    def limits(self):
        return Limits.from_json(self.snapshot["limits"])

    def section_data(self) -> dict:
        return self.snapshot["sections"]


INVITATION_DAYS = 7


class PlanInvitation(models.Model):
    """A personal link that lets a resident choose a password and open their plan.

    Only a SHA-256 hash of the token is stored: someone who reads the database cannot use a
    link. A link works once (``used_at``), for ``INVITATION_DAYS`` days, and a newer link
    replaces the older ones (``replaced_at``).
    """

    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="plan_invitations",
        verbose_name=_("resident"),
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    # Empty when the resident asked for a new link themselves.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class State(models.TextChoices):
        VALID = "valid", _("valid")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")
        REPLACED = "replaced", _("replaced by a newer link")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d}"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.used_at:
            return self.State.USED
        if self.replaced_at:
            return self.State.REPLACED
        if now >= self.expires_at:
            return self.State.EXPIRED
        return self.State.VALID
