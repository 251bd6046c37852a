"""Info evenings (outreach): an evening of a desk, who speaks, and who registered or came.

A registration is not a resident's file: it holds only what the public form asks, is erased a
set time after the evening unless it became a file (``intake/evenings.py``), and keeps what the
figures count (kind, attendance, how they heard of it) once the person's details are gone.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# How many days after the evening the details of those who did not become a resident are
# erased, at a desk without a retention rule of its own (Desk.retention_days).
DEFAULT_REGISTRATION_DAYS = 90

NAME_MAX = 120


class Audience(models.TextChoices):
    ENTREPRENEURS = "entrepreneurs", _("entrepreneurs")
    INTERMEDIARIES = "intermediaries", _("intermediaries")
    BOTH = "both", _("entrepreneurs and intermediaries")


class InfoEvening(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")  # being prepared; not on the public page yet
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", pgettext_lazy("an evening", "cancelled")
        HELD = "held", _("held")

    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="info_evenings",
        verbose_name=_("desk"),
    )
    title = models.CharField(_("title"), max_length=120)
    audience = models.CharField(_("for whom"), max_length=20, choices=Audience.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place_name = models.CharField(
        _("building"), max_length=120, help_text=_("For example: Buurthuis De Dissel.")
    )
    street = models.CharField(_("street and number"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("city"), max_length=80)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    registration_deadline = models.DateTimeField(_("registration closes at"))
    description = models.TextField(
        _("short text"),
        max_length=2000,
        blank=True,
        help_text=_("Plain words: what people will hear, and what they can ask."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Raised on every save: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("info evening")
        verbose_name_plural = _("info evenings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["desk", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="evening_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline__lte=models.F("starts_at")),
                name="evening_deadline_before_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("intake:evening_detail", kwargs={"pk": self.pk})

    @property
    def for_intermediaries(self) -> bool:
        return self.audience in (Audience.INTERMEDIARIES, Audience.BOTH)

    @property
    def for_entrepreneurs(self) -> bool:
        return self.audience in (Audience.ENTREPRENEURS, Audience.BOTH)


class Speaker(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("a partner organisation")
        COACH = "coach", _("a coach of the desk")
        ENTREPRENEUR = "entrepreneur", _("an entrepreneur from the neighbourhood")

    evening = models.ForeignKey(
        InfoEvening, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("evening")
    )
    kind = models.CharField(_("who"), max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coach"),
    )
    # The entrepreneur's name and business, or the partner's speaker: shown on the public page.
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    topic = models.CharField(_("talks about"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["evening", "created_at", "id"]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self) -> str:
        if self.kind == self.Kind.PARTNER and self.partner is not None:
            return f"{self.name} ({self.partner.name})" if self.name else self.partner.name
        if self.kind == self.Kind.COACH and self.coach is not None:
            return self.coach.full_name
        return self.name


class Registration(models.Model):
    class Kind(models.TextChoices):
        ENTREPRENEUR = "entrepreneur", _("(future) entrepreneur")
        INTERMEDIARY = "intermediary", _("intermediary")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("on the waiting list")
        # "afgemeld" in Dutch, where a cancelled evening is "gaat niet door".
        CANCELLED = "cancelled", pgettext_lazy("a registration", "cancelled")

    class OrganisationKind(models.TextChoices):
        BANK = "bank", _("bank")
        ACCOUNTANT = "accountant", _("accountant or bookkeeper")
        CONSULTANT = "consultant", _("consultant or coach")
        GOVERNMENT = "government", _("municipality or UWV")
        HOUSING = "housing", _("housing corporation")
        WELFARE = "welfare", _("welfare or neighbourhood work")
        OTHER = "other", _("other")

    class HeardFrom(models.TextChoices):
        FLYER = "flyer", _("a flyer or poster")
        NEWSPAPER = "newspaper", _("the neighbourhood paper")
        WEBSITE = "website", _("a website or social media")
        ORGANISATION = "organisation", _("an organisation (bank, municipality, UWV, …)")
        WORD_OF_MOUTH = "word_of_mouth", _("someone I know")
        OTHER = "other", _("other")

    evening = models.ForeignKey(
        InfoEvening,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("evening"),
    )
    kind = models.CharField(_("comes as"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The e-mail address in lower case, else the phone's digits; and the phone's digits: one
    # live registration per person per evening, whichever of the two she gives the second
    # time. Empty for a walk-in who left neither, and once erased.
    contact_key = models.CharField(max_length=254, blank=True, editable=False)
    phone_key = models.CharField(max_length=20, blank=True, editable=False)
    # The language of the page she registered on: the language of the mails she gets.
    language = models.CharField(max_length=8, default="nl", editable=False)
    organisation = models.CharField(_("organisation"), max_length=NAME_MAX, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices, blank=True
    )
    role = models.CharField(_("your role"), max_length=80, blank=True)
    heard_from = models.CharField(
        _("heard of it through"), max_length=20, choices=HeardFrom.choices, blank=True
    )
    may_contact = models.BooleanField(_("may be contacted about the desk"), default=False)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    attended = models.BooleanField(_("came"), default=False)
    resident = models.ForeignKey(
        "intake.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evening_registrations",
        verbose_name=_("resident's file"),
    )
    # The partner contact this intermediary was invited as (desk management's invitation).
    contact_membership = models.ForeignKey(
        "ondernemerspunt.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited as partner contact"),
    )
    # The scheme and host the person registered on: where the links in later mails (the
    # reminder the worker sends, a place freed up) point.
    site = models.CharField(max_length=200, blank=True, editable=False)
    moved_up_at = models.DateTimeField(_("moved up from the waiting list at"), null=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the details were erased: the row stays for the figures, without the person.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        # The waiting list moves up in the order people joined it.
        ordering = ["evening", "created_at", "id"]
        indexes = [models.Index(fields=["evening", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["evening", "contact_key"],
                condition=models.Q(status__in=["registered", "waiting"])
                & ~models.Q(contact_key=""),
                name="one_live_registration_per_person",
            ),
            models.UniqueConstraint(
                fields=["evening", "phone_key"],
                condition=models.Q(status__in=["registered", "waiting"]) & ~models.Q(phone_key=""),
                name="one_live_registration_per_phone",
            ),
        ]

    def __str__(self):
        return self.name

    def build_contact_key(self) -> str:
        return self.email.strip().lower() if self.email else self.build_phone_key()

    def build_phone_key(self) -> str:
        return "".join(ch for ch in self.phone if ch.isdigit())

    def fill_keys(self) -> None:
        self.contact_key = self.build_contact_key()
        self.phone_key = self.build_phone_key()


class SignUpAttempt(models.Model):
    """One try at the public registration form, by a keyed hash of the client's address (never
    the address itself): what the per-address rate limit counts. Kept for a day."""

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "at"])]

    def __str__(self):
        return f"{self.address_hash[:8]} {self.at:%Y-%m-%d %H:%M}"
