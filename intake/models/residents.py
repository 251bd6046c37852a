"""Residents, their consent, conversations, next steps and the trajectory stage with history."""

import unicodedata

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The version of the consent text (templates/intake/consent_text.html) a resident agreed to.
CONSENT_TEXT_VERSION = "2009-01"


# Letters that Unicode does not write as a base letter plus an accent, so that stripping accents
# leaves them as they are: 'Yildiz' must find 'Yıldız' and 'Lukasz' must find 'Łukasz'.
_PLAIN_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold_for_search(text: str) -> str:
    """Lower case without accents, so that 'Ozturk' finds 'Öztürk' and 'Yildiz' 'Yıldız'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold().translate(_PLAIN_LETTERS)


# Dutch surname prefixes (tussenvoegsels): "de Boer" is sorted as "Boer, de", under B.
NAME_PREFIXES = sorted(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "ten",
        "ter",
        "te",
        "in",
        "op",
        "'s",
        "d'",
        "la",
        "le",
    ],
    key=len,
    reverse=True,
)


def sort_key_for_name(first_name: str, last_name: str) -> str:
    """'Saskia de Boer' -> 'boer de saskia'; 'Mehmet Öztürk' -> 'ozturk mehmet'."""
    words = fold_for_search(last_name).split()
    prefixes = []
    while len(words) > 1 and words[0] in NAME_PREFIXES:
        prefixes.append(words.pop(0))
    return " ".join([*words, *prefixes, *fold_for_search(first_name).split()])[:200]


class Stage(models.TextChoices):
    REGISTERED = "registered", _("registered")
    INTAKE = "intake", _("intake held")
    IN_TRAJECTORY = "in_trajectory", _("in the trajectory")
    SUBMITTED = "submitted", _("submitted to Qredits")
    FINANCED = "financed", _("financing granted")
    DECLINED = "declined", _("financing declined")
    STARTED = "started", _("business started")
    AFTERCARE = "aftercare", _("aftercare")
    DROPPED_OUT = "dropped_out", _("dropped out")
    REFERRED_OUT = "referred_out", _("referred elsewhere")


# Where a resident can go from each stage. Dropping out and being referred elsewhere are possible
# from every stage (DESIGN.md: "at any point"; Resident.next_stages() adds them); someone who
# dropped out or was referred can come back.
STAGE_MOVES: dict[str, tuple[str, ...]] = {
    Stage.REGISTERED: (Stage.INTAKE, Stage.IN_TRAJECTORY),
    Stage.INTAKE: (Stage.IN_TRAJECTORY,),
    Stage.IN_TRAJECTORY: (Stage.SUBMITTED, Stage.STARTED),
    # A plan that Qredits sends back, or that is declined, is reworked in the trajectory.
    Stage.SUBMITTED: (Stage.FINANCED, Stage.DECLINED, Stage.IN_TRAJECTORY),
    Stage.FINANCED: (Stage.STARTED,),
    Stage.DECLINED: (Stage.IN_TRAJECTORY, Stage.SUBMITTED, Stage.STARTED),
    Stage.STARTED: (Stage.AFTERCARE,),
    Stage.AFTERCARE: (),
    Stage.DROPPED_OUT: (Stage.INTAKE, Stage.IN_TRAJECTORY),
    Stage.REFERRED_OUT: (Stage.INTAKE, Stage.IN_TRAJECTORY),
}
LEAVING_STAGES = (Stage.DROPPED_OUT, Stage.REFERRED_OUT)


class Situation(models.TextChoices):
    SELF_EMPLOYED = "self_employed", _("already self-employed")
    EMPLOYED = "employed", _("employed")
    BENEFITS_WW = "benefits_ww", _("on benefits: unemployment benefit (WW)")
    BENEFITS_BIJSTAND = "benefits_bijstand", _("on benefits: social assistance (bijstand)")
    BENEFITS_OTHER = "benefits_other", _("on benefits: other")
    STUDENT = "student", _("student")
    CRISIS_JOB_LOSS = "crisis_job_loss", _("lost work in the crisis")
    OTHER = "other", _("other")


class Source(models.TextChoices):
    INFO_EVENING = "info_evening", _("info evening")
    PARTNER = "partner", _("a partner organisation")
    LEFIER = "lefier", _("housing corporation (Lefier)")
    WORD_OF_MOUTH = "word_of_mouth", _("word of mouth")
    FLYER = "flyer", _("flyer")
    WEBSITE = "website", _("website")
    OTHER = "other", _("other")


class SupportNeed(models.TextChoices):
    BUSINESS_PLAN = "business_plan", _("business plan")
    FINANCING = "financing", _("financing")
    BOOKKEEPING = "bookkeeping", _("bookkeeping")
    MARKETING = "marketing", _("marketing")
    LEGAL = "legal", _("legal matters and permits")
    FROM_BENEFITS = "from_benefits", _("starting from benefits (UWV/Bbz)")
    MENTORING = "mentoring", _("mentoring")
    OTHER = "other", _("other")


class DropOutReason(models.TextChoices):
    FOUND_JOB = "found_job", _("found a job")
    NOT_FEASIBLE = "not_feasible", _("idea not feasible")
    NO_FINANCING = "no_financing", _("no financing possible")
    HEALTH = "health", _("health")
    PERSONAL = "personal", _("personal circumstances")
    LOST_CONTACT = "lost_contact", _("no longer reachable")
    OTHER = "other", _("other")


class Resident(models.Model):
    """A resident's file at a desk. There is deliberately no BSN field: it is never stored."""

    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("desk"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
        verbose_name=_("login"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_residents",
        verbose_name=_("coach"),
    )

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    neighbourhood = models.ForeignKey(
        "ondernemerspunt.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("neighbourhood"),
    )

    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    situation = models.CharField(
        _("current situation"), max_length=20, choices=Situation.choices, blank=True
    )
    business_idea = models.CharField(_("business idea"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=80, blank=True)
    source = models.CharField(
        _("found the desk through"), max_length=20, choices=Source.choices, blank=True
    )
    source_partner = models.ForeignKey(
        "ondernemerspunt.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner that referred"),
    )
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)

    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED, db_index=True
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    # Set when the file was erased (AVG art. 17): the row stays, without anything personal, so
    # that the desk's past counts do not change.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    # Lower case, accents removed: what the coach's search box matches against.
    search_text = models.TextField(editable=False, default="")
    # The name as lists sort it: lower case, no accents, surname prefixes after the surname.
    sort_name = models.CharField(max_length=200, editable=False, default="")
    # Raised on every save of the file: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["desk", "stage"]),
            models.Index(fields=["desk", "registered_on"]),
            models.Index(fields=["desk", "sort_name"]),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("intake:resident_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def build_search_text(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        parts = [
            self.first_name,
            self.last_name,
            self.postcode.replace(" ", ""),
            self.email,
            digits,
        ]
        return fold_for_search(" ".join(p for p in parts if p))

    def build_sort_name(self) -> str:
        return sort_key_for_name(self.first_name, self.last_name)

    def has_consent(self) -> bool:
        return self.consents.filter(withdrawn_at__isnull=True).exists()

    def next_stages(self) -> list[str]:
        """The stages this resident can move to now, in trajectory order."""
        allowed = set(STAGE_MOVES[self.stage])
        if self.stage not in LEAVING_STAGES:
            allowed.update(LEAVING_STAGES)
        return [stage for stage in Stage.values if stage in allowed]


class Consent(models.Model):
    """The resident agreed that the desk processes their data, on this text version."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="consents", verbose_name=_("resident")
    )
    given_on = models.DateField(_("given on"), default=timezone.localdate)
    text_version = models.CharField(_("text version"), max_length=20, default=CONSENT_TEXT_VERSION)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.resident} {self.given_on} ({self.text_version})"


class Conversation(models.Model):
    """An intake conversation or a later contact with a resident."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("intake conversation")
        FOLLOW_UP = "follow_up", _("follow-up conversation")

    class Channel(models.TextChoices):
        DESK = "desk", _("at the desk")
        PHONE = "phone", _("by phone")
        HOME = "home", _("at home")
        BUSINESS = "business", _("at the business")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("resident")
    )
    # Carried from the resident so that counts per desk and period need no join.
    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("desk"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FOLLOW_UP)
    held_on = models.DateField(_("date"))
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("coach"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.DESK
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    notes = models.TextField(_("notes"), blank=True)
    support_needs = ArrayField(
        models.CharField(max_length=20, choices=SupportNeed.choices),
        default=list,
        blank=True,
        verbose_name=_("support needs"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["desk", "held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def support_need_labels(self) -> list[str]:
        return [SupportNeed(need).label for need in self.support_needs if need in SupportNeed]


class NextStep(models.Model):
    """An agreed next step from a conversation, with who does it and by when."""

    class Owner(models.TextChoices):
        RESIDENT = "resident", _("the resident")
        COACH = "coach", _("the coach")
        PARTNER = "partner", _("a partner")

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="next_steps",
        verbose_name=_("conversation"),
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="next_steps", verbose_name=_("resident")
    )
    description = models.CharField(_("next step"), max_length=300)
    due_on = models.DateField(_("due date"))
    owner = models.CharField(
        _("who does it"), max_length=10, choices=Owner.choices, default=Owner.RESIDENT
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class StageChange(models.Model):
    """One move of a resident through the trajectory: the history behind ``Resident.stage``."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("resident")
    )
    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.PROTECT,
        related_name="stage_changes",
        verbose_name=_("desk"),
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    reason = models.CharField(
        _("reason for dropping out"), max_length=20, choices=DropOutReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # A stage set by mistake is corrected by a new change that names it (and says why in
    # ``note``); the mistaken one stays in the history.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_on", "-id"]
        indexes = [models.Index(fields=["desk", "to_stage", "changed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(to_stage="dropped_out") | ~models.Q(reason=""),
                name="dropping_out_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage} ({self.changed_on})"


class Correction(models.Model):
    """A change to something already recorded: a conversation or next step edited, "done"
    undone, the resident moved to another coach. ``before`` and ``after`` keep the values, so
    the page can show what was changed, by whom and when."""

    class Kind(models.TextChoices):
        CONVERSATION_EDITED = "conversation_edited", _("conversation changed")
        STEP_EDITED = "step_edited", _("next step changed")
        STEP_REOPENED = "step_reopened", _("next step no longer done")
        COACH_CHANGED = "coach_changed", _("other coach")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("resident")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("conversation"),
    )
    next_step = models.ForeignKey(
        NextStep,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("next step"),
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"


class DataCopy(models.Model):
    """A copy of everything stored about a resident (AVG art. 15 and 20) as PDF, rendered in the
    background. Deleted with the file's erasure; a copy is kept only a short while."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="data_copies", verbose_name=_("resident")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    language = models.CharField(_("language"), max_length=8, default="nl")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("copy of personal data")
        verbose_name_plural = _("copies of personal data")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.resident_id} {self.requested_at:%Y-%m-%d}"


class PlannedErasure(models.Model):
    """A resident's file to be erased: on request (confirmed at once) or proposed by the daily
    retention task for the coordinator to confirm. The worker erases confirmed rows one file per
    transaction and marks each done, so a run that stops resumes where it was."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("at the resident's request")
        RETENTION = "retention", _("retention period passed")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="planned_erasures",
        verbose_name=_("resident"),
    )
    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.CASCADE,
        related_name="planned_erasures",
        verbose_name=_("desk"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    listed_at = models.DateTimeField(_("listed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("planned erasure")
        verbose_name_plural = _("planned erasures")
        ordering = ["listed_at", "id"]
        constraints = [
            # One open plan per file: the daily task and a request cannot list it twice.
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(done_at__isnull=True),
                name="one_open_erasure_per_resident",
            ),
        ]

    def __str__(self):
        return f"{self.resident_id} ({self.get_reason_display()})"
