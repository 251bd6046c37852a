"""The Qredits application (issue 11): what the coach assembles once a plan is *ready for
Qredits* — the request, the enclosures with their uploads, the pack as numbered PDF versions —
the lender's decision, and the business after it.

Uploads and packs are stored in the database (``BinaryField``), never under a public folder:
every server of the desk reads them from there, and they go with the application.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Uploads: at most this many bytes each (10 MB), and these kinds, recognised by their content.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_TERM_MONTHS = 120
MAX_REPAYMENT_FREE_MONTHS = 12


class LoanApplication(models.Model):
    """One application to Qredits for a plan, built on the version a concluded review found
    *ready for Qredits*. A declined plan is reworked and applied for again: a new application,
    the earlier one stays as it was."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being assembled")
        SUBMITTED = "submitted", _("submitted to Qredits")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    plan = models.ForeignKey(
        "coaching.BusinessPlan",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("business plan"),
    )
    # The concluded review that found this version ready: the pack shows its verdicts.
    review = models.ForeignKey(
        "coaching.Review",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("review"),
    )
    amount = models.DecimalField(
        _("amount requested (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(6), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    repayment_free_months = models.PositiveSmallIntegerField(
        _("repayment-free months"),
        default=0,
        validators=[MaxValueValidator(MAX_REPAYMENT_FREE_MONTHS)],
    )
    recommendation = models.TextField(_("the coach's recommendation"), max_length=5000, blank=True)
    # Proof of identity is seen by the coach, never stored: only that and when it was seen.
    identity_seen_on = models.DateField(_("proof of identity seen on"), null=True, blank=True)
    identity_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proof of identity seen by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount_granted = models.DecimalField(
        _("amount granted (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_out_on = models.DateField(_("paid out on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assembled by"),
    )
    # Raised on every save: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Qredits application")
        verbose_name_plural = _("Qredits applications")
        ordering = ["plan", "-created_at", "-id"]
        constraints = [
            # One application in progress per plan: a new one once the last was decided.
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status__in=["draft", "submitted"]),
                name="one_open_application_per_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(repayment_free_months__lt=models.F("term_months")),
                name="repayment_free_within_term",
            ),
        ]

    def __str__(self):
        return str(_("Qredits application of %(date)s") % {"date": f"{self.created_at:%d-%m-%Y}"})


class Enclosure(models.Model):
    """One line of the application's checklist: present, not needed, or missing."""

    class Kind(models.TextChoices):
        BUSINESS_PLAN = "business_plan", _("business plan with financial plan")
        QUOTES = "quotes", _("quotes for the investments")
        KVK_EXTRACT = "kvk_extract", _("KvK extract")
        ANNUAL_FIGURES = "annual_figures", _("annual figures of the last two years")
        INTERIM_FIGURES = "interim_figures", _("interim figures")
        BKR = "bkr", _("BKR statement")
        OTHER = "other", _("other document")

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        NOT_NEEDED = "not_needed", _("not needed")
        MISSING = "missing", _("missing")

    application = models.ForeignKey(
        LoanApplication,
        on_delete=models.CASCADE,
        related_name="enclosures",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    # The name of a document the coach adds (kind "other").
    title = models.CharField(_("name of the document"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.MISSING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("enclosure")
        verbose_name_plural = _("enclosures")
        ordering = ["application", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~models.Q(kind="other"),
                name="one_enclosure_per_kind",
            ),
        ]

    def __str__(self):
        return self.title or self.get_kind_display()


class Upload(models.Model):
    """A file for an enclosure: PDF, JPEG or PNG by its content, at most ``MAX_UPLOAD_BYTES``,
    kept in the database under a generated name; the name it had is kept only to show."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    enclosure = models.ForeignKey(
        Enclosure, on_delete=models.CASCADE, related_name="uploads", verbose_name=_("enclosure")
    )
    # What the resident or coach called it, cleaned of paths and odd characters.
    name = models.CharField(_("file name"), max_length=120)
    # The name it is stored and downloaded under: random, never derived from what was sent.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(max_length=40, choices=ContentType.choices, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    data = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["enclosure", "uploaded_at", "id"]

    def __str__(self):
        return self.name


class ApplicationPack(models.Model):
    """One numbered version of the application as a PDF, rendered by the background worker.
    A version that was sent is never overwritten: a change makes a new version."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RENDERING = "rendering", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    application = models.ForeignKey(
        LoanApplication,
        on_delete=models.CASCADE,
        related_name="packs",
        verbose_name=_("application"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    pdf = models.BinaryField(null=True, editable=False)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    rendered_at = models.DateTimeField(_("made at"), null=True, editable=False)
    sent_at = models.DateTimeField(_("sent to Qredits at"), null=True, blank=True)
    # SHA-256 of the HTML the PDF was made from: marking the version sent compares it with the
    # HTML of the application as it is now, so a version made before a change is not sent.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("application pack")
        verbose_name_plural = _("application packs")
        ordering = ["application", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_pack_per_number"),
        ]

    def __str__(self):
        return str(_("Version %(number)s") % {"number": self.number})


class BusinessStart(models.Model):
    """The business started (with or without a loan), and how it fares after: the aftercare
    contacts at 3, 6 and 12 months are planned as next steps; the one at 12 months says
    whether it still trades."""

    resident = models.OneToOneField(
        "intake.Resident",
        on_delete=models.CASCADE,
        related_name="business_start",
        verbose_name=_("resident"),
    )
    started_on = models.DateField(_("started on"))
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    # Filled in at the aftercare contact a year after the start; empty until then.
    still_trading_at_12_months = models.BooleanField(
        _("still trading after 12 months"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("business start")
        verbose_name_plural = _("business starts")

    def __str__(self):
        return str(_("Started on %(date)s") % {"date": f"{self.started_on:%d-%m-%Y}"})
