"""The rules of referrals: consent per partner and purpose, what a partner may see, and the
moves of a referral from draft to closed.

A referral shares a resident's data only under a recorded, valid consent for that partner
(``PartnerConsent``): the fields it names, until it expires or is withdrawn. What a partner sees
is read from the consent *now* (``shared_with_partner``), never copied, so withdrawing it hides
the fields at once, on every page and link. Every change of status is a ``ReferralEvent`` (the
resident's timeline shows them) and an audit line; a change based on an older version of the
referral is refused.

    concept ──send──▶ verstuurd ──take up──▶ in behandeling ──▶ afgerond (outcome)
                         │                        └──────────▶ afgewezen (reason)
                         └──▶ afgerond / afgewezen

The coach may withdraw a draft or a referral that was not answered yet (it is then closed as
declined, with her reason).
"""

import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import PartnerConsent, Referral, ReferralEvent, ReferralLink, SharedField
from coaching.notifications import notify_referral_answered, notify_referral_sent
from ondernemerspunt.access import memberships_of
from ondernemerspunt.models import AuditEntry, Membership, Role
from ondernemerspunt.services import record_audit

# The longest a consent to share may run.
MAX_CONSENT_DAYS = 365

Status = Referral.Status

# Who may move a referral where: the partner's moves and the coach's.
PARTNER_MOVES = {
    Status.SENT: (Status.IN_PROGRESS, Status.DONE, Status.DECLINED),
    Status.IN_PROGRESS: (Status.DONE, Status.DECLINED),
}


class ReferralError(Exception):
    """A refusal a person can act on, with the form field it belongs to (if any)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleReferral(ReferralError):
    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this referral in the meantime. Nothing was saved; "
                "the page now shows what is stored. Look at it and try again."
            )
        )


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """``days`` working days (Monday to Friday) after ``day``. Public holidays are not left
    out: a partner answering on the day after Easter is one day early, not late."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- Consent per partner --------------------------------------------------------------------
def valid_consents(resident, partner=None, today=None) -> QuerySet[PartnerConsent]:
    today = today or timezone.localdate()
    consents = resident.partner_consents.filter(
        withdrawn_at__isnull=True, given_on__lte=today, valid_until__gte=today
    )
    return consents.filter(partner=partner) if partner is not None else consents


@transaction.atomic
def record_partner_consent(
    *, resident, partner, purpose: str, fields, valid_until: datetime.date, by, given_on=None
) -> PartnerConsent:
    given_on = given_on or timezone.localdate()
    if partner.desk_id != resident.desk_id:
        raise ReferralError(_("This partner does not work with the resident's desk."), "partner")
    if not resident.has_consent():
        raise ReferralError(
            _("Record the resident's consent for the desk first; then consent to share."),
            "partner",
        )
    if valid_until < given_on:
        raise ReferralError(_("The end date lies before the start."), "valid_until")
    if valid_until > given_on + datetime.timedelta(days=MAX_CONSENT_DAYS):
        raise ReferralError(_("Consent to share runs for a year at the most."), "valid_until")
    unknown = set(fields) - set(SharedField.values)
    if unknown:
        raise ReferralError(_("Choose what may be shared from the list."), "fields")
    consent = PartnerConsent.objects.create(
        resident=resident,
        partner=partner,
        purpose=purpose,
        fields=[f for f in SharedField.values if f in set(fields)],
        given_on=given_on,
        valid_until=valid_until,
        recorded_by=by,
    )
    record_audit(
        by=by,
        resident=resident,
        action=AuditEntry.Action.CREATED,
        what=gettext_lazy("Consent to share with %(partner)s recorded, until %(until)s"),
        params={"partner": partner.name, "until": valid_until.strftime("%d-%m-%Y")},
    )
    return consent


@transaction.atomic
def withdraw_partner_consent(*, consent: PartnerConsent, by) -> PartnerConsent:
    """One click: from now on nothing more is shared with the partner under this consent."""
    locked = PartnerConsent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise ReferralError(_("This consent was already withdrawn."))
    locked.withdrawn_at, locked.withdrawn_by = timezone.now(), by
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record_audit(
        by=by,
        resident=locked.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("Consent to share with %(partner)s withdrawn"),
        params={"partner": locked.partner.name},
    )
    return locked


def withdraw_all_partner_consents(resident, *, by=None) -> int:
    """When the resident withdraws her consent for the desk, sharing stops everywhere."""
    return resident.partner_consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by
    )


# --- What a partner sees --------------------------------------------------------------------
def shared_with_partner(referral: Referral, today=None) -> list[tuple[str, str]]:
    """(label, value) of what the partner may see of the resident now: her name, and the fields
    of a consent that is still valid; nothing but the name once it was withdrawn or expired.
    Needs ``referral.consent`` and ``referral.resident`` loaded."""
    resident = referral.resident
    rows = [(str(_("Name")), resident.full_name)]
    consent = referral.consent
    if not consent.is_valid(today):
        return rows
    chosen = set(consent.fields)
    values = {
        SharedField.CONTACT: " · ".join(v for v in (resident.phone, resident.email) if v),
        SharedField.ADDRESS: ", ".join(
            v for v in (resident.street, f"{resident.postcode} {resident.city}".strip()) if v
        ),
        SharedField.DATE_OF_BIRTH: resident.date_of_birth.strftime("%d-%m-%Y")
        if resident.date_of_birth
        else "",
        SharedField.SITUATION: resident.get_situation_display(),
        SharedField.BUSINESS_IDEA: " – ".join(
            v for v in (resident.business_idea, resident.sector) if v
        ),
        SharedField.LANGUAGES: resident.languages,
        SharedField.STAGE: resident.get_stage_display(),
    }
    for field in SharedField:
        if field in chosen:
            rows.append((str(field.label), values[field] or "–"))
    return rows


# --- Referrals: the coach's side ------------------------------------------------------------
def _event(referral, status, *, by=None, through_link=False, note="") -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral, status=status, by=by, through_link=through_link, note=note
    )


def _audit(referral, by, what, params=None):
    record_audit(
        by=by,
        resident=referral.resident,
        action=AuditEntry.Action.CHANGED,
        what=what,
        params={"partner": referral.partner.name, **(params or {})},
    )


def _check_consent(resident, partner, consent, contact) -> None:
    if partner.desk_id != resident.desk_id:
        raise ReferralError(_("This partner does not work with the resident's desk."), "partner")
    if consent is None or consent.partner_id != partner.pk or consent.resident_id != resident.pk:
        raise ReferralError(
            _("Record the resident's consent to share with this partner first."), "consent"
        )
    if not consent.is_valid():
        raise ReferralError(
            _(
                "The consent to share with this partner was withdrawn or has expired. Ask the "
                "resident again and record a new consent."
            ),
            "consent",
        )
    if (
        contact is not None
        and not Membership.objects.filter(
            user=contact, partner=partner, role=Role.PARTNER, is_active=True
        ).exists()
    ):
        raise ReferralError(_("This person is not a contact of the partner."), "contact")


@transaction.atomic
def create_referral(
    *,
    resident,
    partner,
    consent,
    question: str,
    by,
    contact=None,
    conversation=None,
    support_need: str = "",
) -> Referral:
    """A draft referral: nothing is shared until it is sent."""
    _check_consent(resident, partner, consent, contact)
    referral = Referral.objects.create(
        resident=resident,
        desk_id=resident.desk_id,
        partner=partner,
        contact=contact,
        consent=consent,
        conversation=conversation,
        support_need=support_need,
        question=question,
        created_by=by,
    )
    _event(referral, Status.CONCEPT, by=by)
    _audit(referral, by, gettext_lazy("Referral to %(partner)s drafted"))
    return referral


def _locked(referral: Referral, version: int | None) -> Referral:
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("consent", "partner", "resident")
        .get(pk=referral.pk)
    )
    if version is not None and locked.version != version:
        raise StaleReferral()
    return locked


def _move(locked: Referral, status: str, **fields) -> Referral:
    fields.setdefault("status", status)
    Referral.objects.filter(pk=locked.pk).update(version=F("version") + 1, **fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    return locked


@transaction.atomic
def send_referral(*, referral: Referral, by, version: int | None = None, site: str) -> Referral:
    """Send a draft: checks the consent again (it may have expired since), sets the day the
    answer is due, and queues the e-mail to the partner after commit."""

    locked = _locked(referral, version)
    if locked.status != Status.CONCEPT:
        raise ReferralError(_("This referral has already been sent."))
    if not locked.consent.is_valid():
        # The draft's consent ended, and the coach recorded a new one as she was told to: the
        # referral is sent under the consent that holds now.
        newer = valid_consents(locked.resident, locked.partner).order_by("-given_on", "-id").first()
        if newer is not None:
            Referral.objects.filter(pk=locked.pk).update(consent=newer)
            locked.consent = newer
    _check_consent(locked.resident, locked.partner, locked.consent, locked.contact)
    if locked.contact is None and not locked.partner.email:
        raise ReferralError(
            _(
                "%(partner)s has no e-mail address and you chose no contact person, so nobody "
                "would receive it. Choose a contact person, or ask the coordinator to add the "
                "partner's e-mail address."
            )
            % {"partner": locked.partner.name},
            "contact",
        )
    now = timezone.now()
    _move(
        locked,
        Status.SENT,
        sent_at=now,
        answer_due_on=add_working_days(timezone.localdate(now), locked.partner.answer_days),
    )
    _event(locked, Status.SENT, by=by)
    _audit(locked, by, gettext_lazy("Referral to %(partner)s sent"))
    notify_referral_sent(locked, site=site)
    return locked


@transaction.atomic
def withdraw_referral(*, referral: Referral, by, reason: str, version: int | None = None):
    """The coach takes back a draft or an unanswered referral (the resident changed her mind,
    or it went to the wrong partner): closed as declined, with her reason."""
    locked = _locked(referral, version)
    if locked.status not in (Status.CONCEPT, Status.SENT):
        raise ReferralError(_("Only a draft or an unanswered referral can be taken back."))
    if not reason.strip():
        raise ReferralError(_("Say why the referral is taken back."), "reason")
    _move(locked, Status.DECLINED, decline_reason=reason, closed_at=timezone.now())
    _event(locked, Status.DECLINED, by=by, note=reason)
    _audit(locked, by, gettext_lazy("Referral to %(partner)s taken back"))
    return locked


@transaction.atomic
def resend_referral(*, referral: Referral, by, site: str) -> Referral:
    """A new personal link to the partner for an open referral (the mail went astray, or the
    link expired); the older link stops working when the new one is made."""
    locked = _locked(referral, None)
    if not locked.is_open:
        raise ReferralError(_("Only an open referral can be sent again."))
    _check_consent(locked.resident, locked.partner, locked.consent, locked.contact)
    _audit(locked, by, gettext_lazy("Referral to %(partner)s sent again with a new link"))
    notify_referral_sent(locked, site=site)
    return locked


# --- Referrals: the partner's side ----------------------------------------------------------
def partners_of(user) -> list[int]:
    """The partner organisations a logged-in partner contact answers for (her active
    memberships, loaded once per request)."""
    return [m.partner_id for m in memberships_of(user) if m.role == Role.PARTNER]


def inbox_of(user) -> QuerySet[Referral]:
    """The referrals a partner contact may see: sent to her own organisation(s); never a
    draft."""
    return (
        Referral.objects.filter(partner_id__in=partners_of(user))
        .exclude(status=Status.CONCEPT)
        .select_related("partner", "resident", "consent", "contact")
    )


@transaction.atomic
def answer_referral(
    *,
    referral: Referral,
    status: str,
    note: str = "",
    by=None,
    link: ReferralLink | None = None,
    version: int | None = None,
    site: str,
) -> Referral:
    """The partner's answer: taken up, completed (with the outcome) or declined (with the
    reason), by a logged-in contact (``by``) or through the personal link (``link``, used up
    here). The coach is told by e-mail after commit."""
    locked = _locked(referral, version)
    if status not in PARTNER_MOVES.get(locked.status, ()):
        raise ReferralError(_("This referral cannot be moved to that status now."), "status")
    note = note.strip()
    fields = {}
    if status == Status.DONE:
        if not note:
            raise ReferralError(_("Describe the outcome."), "note")
        fields.update(outcome=note, closed_at=timezone.now())
    elif status == Status.DECLINED:
        if not note:
            raise ReferralError(_("Give the reason for declining."), "note")
        fields.update(decline_reason=note, closed_at=timezone.now())
    if locked.answered_at is None:
        fields["answered_at"] = timezone.now()
    if link is not None:
        # Taking it up keeps the link working, so that a partner without a login can still
        # close the referral with it; the closing answer uses it up.
        usable = ReferralLink.objects.filter(
            pk=link.pk, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        closing = status in (Status.DONE, Status.DECLINED)
        if not (usable.update(used_at=timezone.now()) if closing else usable.exists()):
            raise ReferralError(_("This link has been used or has expired."))
    _move(locked, status, **fields)
    _event(locked, status, by=by, through_link=link is not None, note=note)
    record_audit(
        by=by or locked.created_by,
        resident=locked.resident,
        action=AuditEntry.Action.CHANGED,
        what=gettext_lazy("%(partner)s answered the referral: %(status)s")
        if link is None
        else gettext_lazy("%(partner)s answered the referral through the e-mail link: %(status)s"),
        params={"partner": locked.partner.name, "status": Status(status).label},
    )
    notify_referral_answered(locked, site=site)
    return locked


# --- The coach's home: referrals nobody answered ---------------------------------------------
def overdue_referrals(desk_ids, today=None) -> QuerySet[Referral]:
    today = today or timezone.localdate()
    return (
        Referral.objects.filter(desk_id__in=desk_ids, status=Status.SENT, answer_due_on__lt=today)
        .filter(Q(resident__erased_at__isnull=True))
        .select_related("partner", "resident")
        .order_by("answer_due_on", "id")
    )
