"""Who may see a resident's file and its next steps: the one place where that is decided.

Coaches and coordinators see the residents of their own desks; anyone else gets 404, not 403,
so that another desk's residents cannot even be shown to exist. A resident sees only her own
file, reached without a number in the URL.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from intake.models import Conversation, InfoEvening, NextStep, Registration, Resident, Speaker
from ondernemerspunt.access import desk_ids_for
from ondernemerspunt.models import STAFF_ROLES, Role


def resident_of(user) -> Resident | None:
    """The resident file of a logged-in resident, or None for everyone else."""
    if not user.is_authenticated:
        return None
    try:
        return user.resident
    except Resident.DoesNotExist:
        return None


def own_resident_for(request: HttpRequest) -> Resident:
    """The logged-in resident's own file; 403 for users who are not residents (a page of a
    role they do not hold)."""
    resident = resident_of(request.user)
    if resident is None:
        raise PermissionDenied
    return resident


def resident_for(
    request: HttpRequest,
    pk: int,
    *,
    queryset: QuerySet[Resident] | None = None,
    include_erased: bool = False,
) -> Resident:
    """A resident's file for the coaches and coordinators of its desk; 404 for anyone else.

    An erased file (AVG art. 17) is an anonymous row kept for the desk's counts: it answers 404
    everywhere but on the pages that say it was erased (``include_erased``), so that nobody
    types a name back into it or adds to its history."""
    queryset = queryset if queryset is not None else Resident.objects.all()
    if not include_erased:
        queryset = queryset.filter(erased_at__isnull=True)
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        queryset.select_related("desk", "coach", "neighbourhood", "user"),
        pk=pk,
        desk_id__in=desk_ids,
    )


def coordinated_resident_for(
    request: HttpRequest, pk: int, *, include_erased: bool = False
) -> Resident:
    """A resident's file for the coordinators of its desk: to erase it, or to make her a copy of
    her data (AVG art. 15, which holds the audit trail's lines that only a coordinator sees).
    404 for anyone else, the desk's coaches too, and for an erased file unless
    ``include_erased`` (the erase page says it is done)."""
    desk_ids = desk_ids_for(request.user, roles=(Role.COORDINATOR,))
    if not desk_ids:
        raise Http404
    queryset = Resident.objects.select_related("desk", "user")
    if not include_erased:
        queryset = queryset.filter(erased_at__isnull=True)
    return get_object_or_404(queryset, pk=pk, desk_id__in=desk_ids)


def next_step_for(request: HttpRequest, pk: int) -> NextStep:
    """A next step of a resident of the user's desks (coaches and coordinators); 404 otherwise."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        NextStep.objects.select_related("resident__desk"), pk=pk, resident__desk_id__in=desk_ids
    )


def conversation_for(request: HttpRequest, pk: int) -> Conversation:
    """A conversation with a resident of the user's desks (coaches and coordinators); 404
    otherwise."""
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        Conversation.objects.select_related("resident__desk"),
        pk=pk,
        resident__desk_id__in=desk_ids,
    )


# --- Info evenings ------------------------------------------------------------------------------
def evening_for(request: HttpRequest, pk: int, *, roles=STAFF_ROLES) -> InfoEvening:
    """An info evening of the user's desks, for its coaches and coordinators (``roles``); 404
    for anyone else."""
    desk_ids = desk_ids_for(request.user, roles=roles)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        InfoEvening.objects.select_related("desk"), pk=pk, desk_id__in=desk_ids
    )


def registration_for(request: HttpRequest, pk: int, *, roles=STAFF_ROLES) -> Registration:
    """A registration for an evening of the user's desks, not erased; 404 otherwise."""
    desk_ids = desk_ids_for(request.user, roles=roles)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("evening__desk", "resident"),
        pk=pk,
        evening__desk_id__in=desk_ids,
        erased_at__isnull=True,
    )


def speaker_for(request: HttpRequest, pk: int) -> Speaker:
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        Speaker.objects.select_related("evening__desk"), pk=pk, evening__desk_id__in=desk_ids
    )


def public_evening_for(slug: str, pk: int) -> InfoEvening:
    """An evening as anyone may see it, logged in or not: published (open or full), held or
    cancelled — never one still being planned, and only under its own desk's address."""
    return get_object_or_404(
        InfoEvening.objects.select_related("desk").exclude(status=InfoEvening.Status.PLANNED),
        pk=pk,
        desk__slug=slug,
    )
