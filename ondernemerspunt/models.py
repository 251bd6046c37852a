"""The desk itself: people, desks, partners, memberships and roles, yearly targets, the audit
trail."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: staff of a desk, partner contacts, project group members, residents.

    What a user may do follows from their memberships (staff) or their resident file (a
    resident), never from flags on this model; ``is_staff`` only opens the Django admin.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    # Staff only: a resident sees her coach's number on her home page.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Desk(models.Model):
    """An entrepreneur desk (ondernemerspunt) serving one or more neighbourhoods."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    city = models.CharField(_("city"), max_length=80)
    # How residents and visitors reach the desk: shown on the public pages (info evenings),
    # where someone without e-mail is told to call.
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()-]{6,20}$",
                _("Write a phone number with digits, such as 050 313 4567."),
            )
        ],
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    small_count_threshold = models.PositiveSmallIntegerField(
        _("suppress counts below"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Counts from 1 up to this number minus one are shown to the project group as '< N'."
        ),
    )
    min_own_funds_percent = models.PositiveSmallIntegerField(
        _("minimum own funds (%)"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "A business plan whose own funds are a smaller share of the financing is flagged."
        ),
    )
    max_loan_amount = models.DecimalField(
        _("maximum microloan (€)"),
        max_digits=12,
        decimal_places=2,
        default=250000,
        help_text=_("The highest loan Qredits grants; €35.000 in 2009."),
    )
    # Privacy (AVG art. 5 and 17): a resident's file is proposed for erasure this many days
    # after the moment ``retention_after`` names; the coordinator confirms the list first.
    retention_days = models.PositiveIntegerField(
        _("keep files for (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_("Empty: no retention rule. At least 30 days, at most ten years."),
    )
    retention_after = models.CharField(
        _("counted from"),
        max_length=20,
        choices=[
            ("last_contact", _("the last contact")),
            ("aftercare_end", _("the end of aftercare")),
        ],
        default="last_contact",
    )
    review_cosign = models.BooleanField(
        _("four eyes on 'ready for Qredits'"),
        default=False,
        help_text=_(
            "A review that concludes 'ready for Qredits' counts only once a second coach has "
            "co-signed it."
        ),
    )

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def neighbourhood_for_postcode(self, postcode: str):
        """The neighbourhood whose postcode range holds this (normalised) postcode, if any."""
        for neighbourhood in self.neighbourhoods.all():
            if neighbourhood.covers(postcode):
                return neighbourhood
        return None


class Neighbourhood(models.Model):
    """A neighbourhood (wijk) a desk serves, with the postcodes that lie in it."""

    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="neighbourhoods", verbose_name=_("desk")
    )
    name = models.CharField(_("name"), max_length=120)
    postcode_from = models.CharField(
        _("first postcode"), max_length=6, help_text=_("For example 9713AA.")
    )
    postcode_to = models.CharField(
        _("last postcode"), max_length=6, help_text=_("For example 9713ZZ.")
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["desk", "name"]

    def __str__(self):
        return self.name

    def covers(self, postcode: str) -> bool:
        # Normalised Dutch postcodes (four digits, two capitals) sort as plain strings.
        return self.postcode_from <= postcode.replace(" ", "").upper() <= self.postcode_to


class YearTarget(models.Model):
    """How many participants (residents entering the trajectory) a desk aims for in a year."""

    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="targets", verbose_name=_("desk")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    participants = models.PositiveIntegerField(_("participants"))

    class Meta:
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        ordering = ["desk", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "year"], name="one_target_per_desk_year"),
        ]

    def __str__(self):
        return f"{self.desk} {self.year}: {self.participants}"


class Partner(models.Model):
    """A partner organisation a desk works with (KvK, UWV, gemeente, Qredits, bank, …)."""

    class Kind(models.TextChoices):
        KVK = "kvk", _("Chamber of Commerce (KvK)")
        UWV = "uwv", _("UWV-Werkbedrijf")
        MUNICIPALITY = "municipality", _("municipality")
        QREDITS = "qredits", _("Qredits")
        BANK = "bank", _("bank")
        ACCOUNTANT = "accountant", _("accountant")
        HOUSING = "housing", _("housing corporation")
        OTHER = "other", _("other")

    desk = models.ForeignKey(
        Desk,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("desk"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    offers = models.TextField(
        _("what they offer"),
        max_length=2000,
        blank=True,
        help_text=_("For example: mentors, starters' workshops, the Bbz start-up credit."),
    )
    # A referral not answered within this many working days is flagged on the coach's home page.
    answer_days = models.PositiveSmallIntegerField(
        _("answers within (working days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["desk", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "name"], name="partner_name_unique_per_desk"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    COACH = "coach", _("coach")
    PROJECT_GROUP = "project_group", _("project group member")
    PARTNER = "partner", _("partner contact")


# Roles that work with residents' files.
STAFF_ROLES = (Role.COORDINATOR, Role.COACH)


class Membership(models.Model):
    """A user's role at a desk. A partner contact also names their partner organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("desk")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partner organisation"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=120,
        blank=True,
        help_text=_("For project group members: KvK, gemeente, Lefier, …"),
    )
    # A deactivated membership grants nothing, but stays: the history it explains (who coached,
    # who reviewed) keeps pointing at a person with a role.
    is_active = models.BooleanField(_("active"), default=True)
    ended_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["desk", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "desk", "role"], name="one_role_per_desk"),
            models.CheckConstraint(
                condition=models.Q(role="partner", partner__isnull=False)
                | (~models.Q(role="partner") & models.Q(partner__isnull=True)),
                name="partner_contact_names_partner",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.desk}"


class AuditEntry(models.Model):
    """Who viewed, changed or exported a resident's personal data, and when.

    Append-only: the app never updates or deletes a row, the admin shows them read-only and a
    database trigger (migration 0002) refuses UPDATE and DELETE outright. The time is the
    database's: a trigger (migration 0007) sets it on every insert, whatever the insert says.
    The application's database role may only read and add lines (README "Database roles").
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("viewed")
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        EXPORTED = "exported", _("exported")
        ERASED = "erased", _("erased")

    at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)
    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, related_name="audit_entries", verbose_name=_("desk")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # A plain number, not a foreign key: the trail must outlive the file it speaks of, and the
    # foundation points at nothing in the apps above it.
    resident_id = models.BigIntegerField(_("resident"), null=True, blank=True, db_index=True)
    what = models.CharField(_("what"), max_length=200)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["desk", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.what}"


class ProgressReport(models.Model):
    """A quarterly progress report as PDF, rendered in the background (``progress/reports.py``).

    ``suppressed`` reports are the project group's: small counts hidden. A project group member
    only ever gets those; coordinators and coaches may get either.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    desk = models.ForeignKey(
        Desk, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("desk")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    as_of = models.DateField(_("as of"))
    suppressed = models.BooleanField(_("small counts hidden"), default=True)
    language = models.CharField(_("language"), max_length=8, default="nl")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # In the database, not under MEDIA_ROOT: a report is some 50 kB, is backed up with the
    # figures it shows, and needs no storage shared between app servers.
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # How long WeasyPrint took, so that docs/performance.md can quote real figures.
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["desk", "year", "-requested_at"])]

    def __str__(self):
        return f"{self.desk} {self.year} Q{self.quarter}"

    # A report takes seconds; one still pending after this long is stuck, most likely because
    # no task worker (``manage.py run_worker``) is running, and the page says so.
    LATE_AFTER = datetime.timedelta(minutes=5)

    @property
    def is_late(self) -> bool:
        return (
            self.status == self.Status.PENDING
            and timezone.now() - self.requested_at > self.LATE_AFTER
        )


class FormSubmission(models.Model):
    """A form that was saved, by the one-time token the page carried (``ondernemerspunt.once``):
    a double click or a resent POST finds its row and is led to what the first one made."""

    token = models.CharField(max_length=64, unique=True)
    result_url = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved form")
        verbose_name_plural = _("saved forms")

    def __str__(self):
        return self.token
