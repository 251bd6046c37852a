"""Running a desk (issue 12): the coordinator invites and deactivates people, changes their
roles, keeps the neighbourhoods, partners, yearly targets and the desk's settings.

Services take keyword-only arguments, write in one transaction with an audit line per change,
and raise ``DeskManagementError(message, field)`` for a refusal, which the view shows next to
the field. Writes that depend on the desk's people (the last coordinator) lock the desk's row
first, so that two coordinators deactivating each other at the same moment cannot leave the
desk without one.

An invitation makes the user with an unusable password; ``invitations.py`` sends the link with
which they choose one.
"""

import hashlib
import json

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ondernemerspunt.invitations import is_invited, send_staff_invitation
from ondernemerspunt.models import (
    AuditEntry,
    Desk,
    Membership,
    Neighbourhood,
    Partner,
    Role,
    User,
    YearTarget,
)
from ondernemerspunt.services import record_desk_audit

CONFLICT = gettext_lazy(
    "Someone else saved a change here while you were editing. What is saved now is shown "
    "beside your input; check it and save again if your change is still right."
)


class DeskManagementError(Exception):
    """A refusal with a message for the coordinator, next to ``field`` when it names one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class ChangedMeanwhile(DeskManagementError):
    """The record changed since the form was opened (``fingerprint`` differs)."""

    def __init__(self):
        super().__init__(CONFLICT)


# --- Versions of what a form was based on --------------------------------------------------


def fingerprint(obj, fields) -> str:
    """A short digest of the saved values a form starts from; the form sends it back, and the
    save is refused when the record no longer has those values."""
    values = [str(getattr(obj, name)) for name in fields]
    return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:20]


def _check_unchanged(obj, fields, based_on: str | None) -> None:
    if based_on is not None and not constant_time_compare(fingerprint(obj, fields), based_on):
        raise ChangedMeanwhile


def shown(field, value):
    """A value as the audit line shows it: the label of a choice, yes/no, 'empty'."""
    if value is None or value == "":
        return gettext_lazy("empty")
    if isinstance(value, bool):
        return gettext_lazy("yes") if value else gettext_lazy("no")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _audit(*, by, desk_id, what, params=None, action=AuditEntry.Action.CHANGED):
    record_desk_audit(by=by, desk_id=desk_id, action=action, what=what, params=params)


def _audit_changes(*, by, obj, desk_id, fields, before: dict, what) -> list[str]:
    """One line per field whose value changed (``what`` takes %(field)s, %(old)s, %(new)s);
    the names of those fields."""
    changed = [name for name in fields if before[name] != getattr(obj, name)]
    for name in changed:
        field = obj._meta.get_field(name)
        _audit(
            by=by,
            desk_id=desk_id,
            what=what,
            params={
                "field": field.verbose_name,
                "old": shown(field, before[name]),
                "new": shown(field, getattr(obj, name)),
            },
        )
    return changed


def saved_now(obj, fields) -> list[tuple]:
    """(label, value) of each field as saved: shown beside a form that was refused because
    someone else saved first."""
    rows = []
    for name in fields:
        field = obj._meta.get_field(name)
        rows.append((field.verbose_name, shown(field, getattr(obj, name))))
    return rows


# --- The desk's settings -------------------------------------------------------------------

SETTINGS_FIELDS = (
    "phone",
    "email",
    "min_own_funds_percent",
    "max_loan_amount",
    "small_count_threshold",
    "review_cosign",
    "retention_days",
    "retention_after",
)


def save_settings(*, desk: Desk, by, values: dict, based_on: str | None) -> list[str]:
    """Save the desk's limits and rules; the names of the fields that changed."""
    with transaction.atomic():
        locked = Desk.objects.select_for_update().get(pk=desk.pk)
        _check_unchanged(locked, SETTINGS_FIELDS, based_on)
        before = {name: getattr(locked, name) for name in SETTINGS_FIELDS}
        for name in SETTINGS_FIELDS:
            setattr(locked, name, values[name])
        changed = _audit_changes(
            by=by,
            obj=locked,
            desk_id=locked.pk,
            fields=SETTINGS_FIELDS,
            before=before,
            what=gettext_lazy("Desk setting '%(field)s' changed from %(old)s to %(new)s"),
        )
        if changed:
            locked.save(update_fields=changed)
    for name in SETTINGS_FIELDS:
        setattr(desk, name, getattr(locked, name))
    return changed


# --- Yearly targets ------------------------------------------------------------------------


def add_target(*, desk: Desk, by, year: int, participants: int) -> YearTarget:
    duplicate = DeskManagementError(
        _("There is already a target for %(year)s. Change that one instead.") % {"year": year},
        "year",
    )
    if YearTarget.objects.filter(desk=desk, year=year).exists():
        raise duplicate
    try:
        with transaction.atomic():
            target = YearTarget.objects.create(desk=desk, year=year, participants=participants)
            _audit(
                by=by,
                desk_id=desk.pk,
                action=AuditEntry.Action.CREATED,
                what=gettext_lazy("Target for %(year)s set: %(participants)s participants"),
                params={"year": year, "participants": participants},
            )
    except IntegrityError:  # added by someone else at the same moment
        raise duplicate from None
    return target


def change_target(*, target: YearTarget, by, participants: int, based_on: str | None):
    with transaction.atomic():
        locked = YearTarget.objects.select_for_update().get(pk=target.pk)
        _check_unchanged(locked, ("participants",), based_on)
        if locked.participants == participants:
            return locked
        old, locked.participants = locked.participants, participants
        locked.save(update_fields=["participants"])
        _audit(
            by=by,
            desk_id=locked.desk_id,
            what=gettext_lazy("Target for %(year)s changed from %(old)s to %(new)s participants"),
            params={"year": locked.year, "old": old, "new": participants},
        )
    return locked


# --- Neighbourhoods ------------------------------------------------------------------------

NEIGHBOURHOOD_FIELDS = ("name", "postcode_from", "postcode_to")


def save_neighbourhood(
    *, desk: Desk, by, neighbourhood: Neighbourhood | None = None, values: dict, based_on=None
) -> Neighbourhood:
    """Add a neighbourhood (``neighbourhood`` None) or change one. Names are unique per desk
    and postcode ranges do not overlap: a postcode belongs to one neighbourhood."""
    with transaction.atomic():
        Desk.objects.select_for_update().get(pk=desk.pk)  # one writer of the desk's ranges
        others = desk.neighbourhoods.all()
        if neighbourhood is not None:
            neighbourhood = Neighbourhood.objects.select_for_update().get(pk=neighbourhood.pk)
            _check_unchanged(neighbourhood, NEIGHBOURHOOD_FIELDS, based_on)
            others = others.exclude(pk=neighbourhood.pk)
        if others.filter(name__iexact=values["name"]).exists():
            raise DeskManagementError(
                _("This desk already has a neighbourhood with this name."), "name"
            )
        overlap = others.filter(
            postcode_from__lte=values["postcode_to"], postcode_to__gte=values["postcode_from"]
        ).first()
        if overlap is not None:
            raise DeskManagementError(
                _(
                    "These postcodes overlap with those of %(other)s (%(start)s–%(end)s). A "
                    "postcode can belong to one neighbourhood only."
                )
                % {
                    "other": overlap.name,
                    "start": overlap.postcode_from,
                    "end": overlap.postcode_to,
                },
                "postcode_from",
            )
        if neighbourhood is None:
            neighbourhood = Neighbourhood.objects.create(desk=desk, **values)
            _audit(
                by=by,
                desk_id=desk.pk,
                action=AuditEntry.Action.CREATED,
                what=gettext_lazy("Neighbourhood %(name)s added (%(start)s–%(end)s)"),
                params={
                    "name": neighbourhood.name,
                    "start": neighbourhood.postcode_from,
                    "end": neighbourhood.postcode_to,
                },
            )
            return neighbourhood
        before = {name: getattr(neighbourhood, name) for name in NEIGHBOURHOOD_FIELDS}
        for name, value in values.items():
            setattr(neighbourhood, name, value)
        changed = _audit_changes(
            by=by,
            obj=neighbourhood,
            desk_id=desk.pk,
            fields=NEIGHBOURHOOD_FIELDS,
            before=before,
            what=gettext_lazy("Neighbourhood: '%(field)s' changed from %(old)s to %(new)s"),
        )
        if changed:
            neighbourhood.save(update_fields=changed)
    return neighbourhood


def files_pointing_at(neighbourhood: Neighbourhood) -> int:
    """How many records (residents' files) name this neighbourhood. The foundation does not
    know the apps above it, so it asks every relation that points here."""
    count = 0
    for relation in Neighbourhood._meta.related_objects:
        count += relation.related_model._base_manager.filter(
            **{relation.field.name: neighbourhood}
        ).count()
    return count


def delete_neighbourhood(*, neighbourhood: Neighbourhood, by) -> None:
    """Residents in it keep their postcode; their neighbourhood becomes empty (SET_NULL)."""
    with transaction.atomic():
        _audit(
            by=by,
            desk_id=neighbourhood.desk_id,
            what=gettext_lazy("Neighbourhood %(name)s removed (%(start)s–%(end)s)"),
            params={
                "name": neighbourhood.name,
                "start": neighbourhood.postcode_from,
                "end": neighbourhood.postcode_to,
            },
        )
        neighbourhood.delete()


# --- Partners ------------------------------------------------------------------------------

# What they offer and how soon they answer: shown where a coach chooses a partner (issue 10).
PARTNER_FIELDS = ("name", "kind", "email", "phone", "offers", "answer_days")


def save_partner(*, desk: Desk, by, partner: Partner | None = None, values: dict, based_on=None):
    duplicate = DeskManagementError(
        _("This desk already has a partner organisation with this name."), "name"
    )
    try:
        with transaction.atomic():
            others = desk.partners.all()
            if partner is not None:
                partner = Partner.objects.select_for_update().get(pk=partner.pk)
                _check_unchanged(partner, PARTNER_FIELDS, based_on)
                others = others.exclude(pk=partner.pk)
            if others.filter(name__iexact=values["name"]).exists():
                raise duplicate
            if partner is None:
                partner = Partner.objects.create(desk=desk, **values)
                _audit(
                    by=by,
                    desk_id=desk.pk,
                    action=AuditEntry.Action.CREATED,
                    what=gettext_lazy("Partner organisation %(name)s added"),
                    params={"name": partner.name},
                )
                return partner
            before = {name: getattr(partner, name) for name in PARTNER_FIELDS}
            for name, value in values.items():
                setattr(partner, name, value)
            changed = _audit_changes(
                by=by,
                obj=partner,
                desk_id=desk.pk,
                fields=PARTNER_FIELDS,
                before=before,
                what=gettext_lazy(
                    "Partner organisation: '%(field)s' changed from %(old)s to %(new)s"
                ),
            )
            if changed:
                partner.save(update_fields=changed)
    except IntegrityError:  # the same name saved by someone else at the same moment
        raise duplicate from None
    return partner


def partners_of(desk: Desk):
    """The desk's partner organisations with the number of their active contact people."""
    return desk.partners.annotate(
        contacts_count=Count("contacts", filter=Q(contacts__is_active=True))
    ).order_by(Lower("name"))


# --- People --------------------------------------------------------------------------------


def _lock_desk(desk_id: int) -> None:
    # Every change to a desk's people takes this lock first: the check "is there another
    # active coordinator" and the write happen as one.
    Desk.objects.select_for_update().only("pk").get(pk=desk_id)


def _check_partner(desk, role, partner):
    if role == Role.PARTNER:
        if partner is None:
            raise DeskManagementError(
                _("Choose the partner organisation this contact works for."), "partner"
            )
        if partner.desk_id != desk.pk:
            raise DeskManagementError(_("Choose a partner organisation of this desk."), "partner")
        return partner
    return None


def invite(
    *, desk: Desk, by, full_name: str, email: str, role: str, partner=None, organisation="", site
) -> Membership:
    """A new login with a role at the desk, and a mail with a link to choose a password."""
    email = email.strip().lower()
    taken = DeskManagementError(
        _(
            "There is already an account with this e-mail address. One address can have one "
            "account; ask the platform admin to give that account a role at this desk."
        ),
        "email",
    )
    if User.objects.filter(email__iexact=email).exists():
        raise taken
    partner = _check_partner(desk, role, partner)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, None, full_name=full_name.strip())
            membership = Membership.objects.create(
                user=user,
                desk=desk,
                role=role,
                partner=partner,
                organisation=organisation.strip() if role == Role.PROJECT_GROUP else "",
            )
            _audit(
                by=by,
                desk_id=desk.pk,
                action=AuditEntry.Action.CREATED,
                what=gettext_lazy("%(name)s invited as %(role)s"),
                params={"name": user.full_name, "role": Role(membership.role).label},
            )
            _send_invitation_after_commit(membership, site=site, by=by)
    except IntegrityError:  # the same address invited at the same moment
        raise taken from None
    return membership


def resend_invitation(*, membership: Membership, by, site) -> None:
    if not membership.is_active or not is_invited(membership.user):
        raise DeskManagementError(
            _("%(name)s has already chosen a password, or no longer works here: no new link.")
            % {"name": membership.user.full_name}
        )
    with transaction.atomic():
        # A fresh unusable password changes what the links are made of: the earlier link (the
        # mail that went astray) stops working, only the new one does.
        membership.user.set_unusable_password()
        membership.user.save(update_fields=["password"])
        _audit(
            by=by,
            desk_id=membership.desk_id,
            what=gettext_lazy("Invitation sent again to %(name)s"),
            params={"name": membership.user.full_name},
        )
        _send_invitation_after_commit(membership, site=site, by=by)


def _send_invitation_after_commit(membership, *, site, by):
    transaction.on_commit(
        lambda: send_staff_invitation.enqueue(
            membership_id=membership.pk, site=site, invited_by_id=by.pk
        )
    )


def _last_active_coordinator(membership: Membership) -> bool:
    """Whether the desk would be left without a coordinator who can log in. Someone invited
    who has not chosen a password yet does not count: the address may be mistyped, or the
    link may expire."""
    others = (
        Membership.objects.filter(
            desk_id=membership.desk_id,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
        .select_related("user")
    )
    return (
        membership.is_active
        and membership.role == Role.COORDINATOR
        and not any(not is_invited(other.user) for other in others)
    )


def change_role(*, membership: Membership, by, role: str, partner=None, organisation="") -> None:
    desk = membership.desk
    with transaction.atomic():
        _lock_desk(desk.pk)
        locked = Membership.objects.select_related("user").get(pk=membership.pk)
        partner = _check_partner(desk, role, partner)
        organisation = organisation.strip() if role == Role.PROJECT_GROUP else ""
        if role != locked.role and _last_active_coordinator(locked):
            raise DeskManagementError(
                _(
                    "%(name)s is the only active coordinator of this desk. Make someone else "
                    "coordinator first."
                )
                % {"name": locked.user.full_name},
                "role",
            )
        if (
            role != locked.role
            and Membership.objects.filter(user=locked.user, desk=desk, role=role).exists()
        ):
            raise DeskManagementError(
                _("%(name)s already has this role at this desk (see the list of people).")
                % {"name": locked.user.full_name},
                "role",
            )
        if (locked.role, locked.partner_id, locked.organisation) == (
            role,
            partner.pk if partner else None,
            organisation,
        ):
            return
        old_role = Role(locked.role).label
        locked.role, locked.partner, locked.organisation = role, partner, organisation
        try:
            with transaction.atomic():
                locked.save(update_fields=["role", "partner", "organisation"])
        except IntegrityError:
            raise DeskManagementError(
                _("%(name)s already has this role at this desk (see the list of people).")
                % {"name": locked.user.full_name},
                "role",
            ) from None
        _audit(
            by=by,
            desk_id=desk.pk,
            what=gettext_lazy("Role of %(name)s changed from %(old)s to %(new)s%(partner)s"),
            params={
                "name": locked.user.full_name,
                "old": old_role,
                "new": Role(locked.role).label,
                "partner": f" ({partner.name})" if partner else "",
            },
        )


def deactivate(*, membership: Membership, by) -> None:
    """The membership grants nothing from now on; it stays, for the history it explains. A
    user left without any active role (and who is not a resident) can no longer log in."""
    with transaction.atomic():
        _lock_desk(membership.desk_id)
        locked = Membership.objects.select_related("user").get(pk=membership.pk)
        if not locked.is_active:
            return
        if _last_active_coordinator(locked):
            if locked.user_id == by.pk:
                message = _(
                    "You are the only active coordinator of this desk. Make someone else "
                    "coordinator before you stop."
                )
            else:
                message = _(
                    "%(name)s is the only active coordinator of this desk. Make someone else "
                    "coordinator first."
                ) % {"name": locked.user.full_name}
            raise DeskManagementError(message)
        locked.is_active, locked.ended_at = False, timezone.now()
        locked.save(update_fields=["is_active", "ended_at"])
        user = locked.user
        if user.is_active and not _keeps_a_login(user):
            user.is_active = False
            user.save(update_fields=["is_active"])
        _audit(
            by=by,
            desk_id=locked.desk_id,
            what=gettext_lazy("%(name)s deactivated as %(role)s"),
            params={"name": user.full_name, "role": Role(locked.role).label},
        )


def reactivate(*, membership: Membership, by) -> None:
    with transaction.atomic():
        _lock_desk(membership.desk_id)
        locked = Membership.objects.select_related("user").get(pk=membership.pk)
        if locked.is_active:
            return
        locked.is_active, locked.ended_at = True, None
        locked.save(update_fields=["is_active", "ended_at"])
        if not locked.user.is_active:
            locked.user.is_active = True
            locked.user.save(update_fields=["is_active"])
        _audit(
            by=by,
            desk_id=locked.desk_id,
            what=gettext_lazy("%(name)s reactivated as %(role)s"),
            params={"name": locked.user.full_name, "role": Role(locked.role).label},
        )


def _keeps_a_login(user) -> bool:
    """An active role at some desk, or a resident's own file, keeps a login open."""
    if Membership.objects.filter(user=user, is_active=True).exists():
        return True
    try:
        # intake's file points at the login as ``resident``; the foundation only names the
        # relation, it imports nothing from above.
        User._meta.get_field("resident")
    except FieldDoesNotExist:
        return False
    return User.objects.filter(pk=user.pk, resident__isnull=False).exists()


def people_of(desk: Desk):
    """The desk's memberships for the list of people: active first, by role and name."""
    return (
        Membership.objects.filter(desk=desk)
        .select_related("user", "partner")
        .order_by("-is_active", "role", Lower("user__full_name"), "pk")
    )
