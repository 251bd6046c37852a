"""Business plans and their reviews.

The business plan a resident writes in parts (``BusinessPlan``, ``PlanSection``), the revisions
handed in for review (``PlanRevision``), the personal links that invite a resident to write it
(``PlanInvitation``), and the coach's review of a revision (``Review``) against the desk's
checklist (``Checklist``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
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

    @property
    def waited_days(self) -> int:
        """Whole days since it was handed in (0 today): how long it has waited for review."""
        return (timezone.localdate() - timezone.localdate(self.submitted_at)).days

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


# --- Reviews --------------------------------------------------------------------------------
class Verdict(models.TextChoices):
    """What a coach says about one checklist item."""

    FINE = "fine", _("fine")
    ATTENTION = "attention", _("point of attention")
    INSUFFICIENT = "insufficient", _("insufficient")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class Topic(models.TextChoices):
    """The headings of a review checklist."""

    ENTREPRENEUR = "entrepreneur", _("The entrepreneur")
    IDEA = "idea", _("The idea")
    MARKET = "market", _("Market research")
    MARKETING = "marketing", _("Marketing plan")
    FINANCIAL = "financial", _("Financial plan")
    LEGAL = "legal", _("Legal matters")
    DOCUMENTS = "documents", _("Documents for Qredits")


class PlanCheck(models.TextChoices):
    """The plan checks (``coaching.checks``) a checklist item can be decided by."""

    BALANCE = "balance", _("Financing equals investment")
    OWN_FUNDS = "own_funds", _("Own funds")
    WITHDRAWALS = "withdrawals", _("Profit covers repayments and private withdrawals")
    LIQUIDITY = "liquidity", _("Cash never below zero")
    LOAN = "loan", _("Loan within the Qredits maximum")


class Checklist(models.Model):
    """One version of a desk's review checklist.

    A checklist is never changed once saved: the coordinator's edit makes the next version, so a
    review always shows the items it was made with. The desk's current checklist is its highest
    version.
    """

    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.CASCADE,
        related_name="checklists",
        verbose_name=_("desk"),
    )
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )

    class Meta:
        verbose_name = _("review checklist")
        verbose_name_plural = _("review checklists")
        ordering = ["desk", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "version"], name="one_checklist_per_version"),
        ]

    def __str__(self):
        return str(_("Checklist version %(version)s") % {"version": self.version})


def new_item_key() -> str:
    return uuid.uuid4().hex[:12]


class ChecklistItem(models.Model):
    """One point a coach checks. ``key`` stays the same across checklist versions, so that the
    next review can show what was said about the same point last time."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist")
    )
    key = models.CharField(max_length=12, default=new_item_key, editable=False)
    position = models.PositiveSmallIntegerField(_("position"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.CharField(_("point to check"), max_length=200)
    check_key = models.CharField(
        _("decided by the check"), max_length=20, choices=PlanCheck.choices, blank=True
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "key"], name="one_item_per_key"),
        ]

    def __str__(self):
        return self.text


class Review(models.Model):
    """A coach's review of one handed-in version of a plan.

    While ``draft`` only the coach who started it changes it, and the resident sees nothing of
    it. Concluding is final: a concluded review is never changed, a new one is made instead. At
    desks that want four eyes, *ready for Qredits* waits in ``cosign`` until a second coach
    co-signs it. ``version`` goes up on every save, so two windows cannot overwrite each other.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("being reviewed")
        COSIGN = "cosign", _("waiting for a second coach")
        CONCLUDED = "concluded", _("concluded")

    class Outcome(models.TextChoices):
        READY = "ready", _("ready for Qredits")
        REVISE = "revise", _("to be revised")
        NOT_FEASIBLE = "not_feasible", _("not feasible")

    class FollowUp(models.TextChoices):
        """What happens after *not feasible*."""

        REFERRAL = "referral", _("referred elsewhere")
        STOP = "stop", _("the trajectory stops")

    revision = models.ForeignKey(
        PlanRevision, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("version")
    )
    # Empty only for the feedback given before there were checklists.
    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("checklist"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    follow_up = models.CharField(
        _("what happens next"), max_length=10, choices=FollowUp.choices, blank=True
    )
    follow_up_note = models.TextField(_("explanation of what happens next"), blank=True)
    version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("co-signed by"),
    )
    cosigned_at = models.DateTimeField(_("co-signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-started_at", "-id"]
        constraints = [
            # Two coaches cannot review the same version at once.
            models.UniqueConstraint(
                fields=["revision"],
                condition=~Q(status="concluded"),
                name="one_open_review_per_revision",
            ),
        ]

    def __str__(self):
        return str(_("Review of version %(number)s") % {"number": self.revision.number})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CONCLUDED


class ReviewItem(models.Model):
    """The verdict on one checklist item. An item a plan check decides starts from the check's
    status (``check_status``); a different verdict needs ``overrule_reason``."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="items", verbose_name=_("review")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    check_status = models.CharField(_("status of the check"), max_length=20, blank=True)
    overrule_reason = models.TextField(_("why the check is overruled"), blank=True)

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["review", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="one_verdict_per_item"),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_verdict_display()}"


class ReviewComment(models.Model):
    """A comment for the resident, on one part of her plan (``section``) or on the whole."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="comments", verbose_name=_("review")
    )
    section = models.CharField(_("part"), max_length=20, choices=SectionKey.choices, blank=True)
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "section"], name="one_comment_per_part"),
        ]

    def __str__(self):
        return self.get_section_display() or str(_("the whole plan"))
