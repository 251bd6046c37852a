"""Who may see what: the one place per object kind where that is decided.

Every view loads the objects it shows through these helpers. They answer 404, not 403, for an
object the user may not see, so that another desk's or another resident's records cannot even
be shown to exist. Pages that belong to a role (not to one object) use ``role_required`` and
answer 403 to users without that role.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ondernemerspunt.models import STAFF_ROLES, Desk, Membership, Role


def memberships_of(user) -> list[Membership]:
    """The user's memberships, loaded once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("desk", "partner"))
        user._memberships_cache = cached
    return cached


def roles_of(user) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def desk_ids_for(user, roles=STAFF_ROLES) -> set[int]:
    return {m.desk_id for m in memberships_of(user) if m.role in roles}


def has_role(user, *roles) -> bool:
    return bool(roles_of(user) & set(roles))


def resident_of(user):
    """The resident file of a logged-in resident, or None for everyone else."""
    from intake.models import Resident

    if not user.is_authenticated:
        return None
    try:
        return user.resident
    except Resident.DoesNotExist:
        return None


def role_required(*roles):
    """Login required, then 403 unless the user holds one of ``roles`` at some desk."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(*STAFF_ROLES)
coordinator_required = role_required(Role.COORDINATOR)


def desk_for(request, slug: str, roles=STAFF_ROLES) -> Desk:
    """A desk by slug where the user holds one of ``roles``; 404 otherwise."""
    if not any(m.desk.slug == slug and m.role in roles for m in memberships_of(request.user)):
        raise Http404
    return get_object_or_404(Desk, slug=slug)


def resident_for(request, pk: int, *, queryset=None):
    """A resident's file for the coaches and coordinators of its desk; 404 for anyone else."""
    from intake.models import Resident

    queryset = queryset if queryset is not None else Resident.objects.all()
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        queryset.select_related("desk", "coach", "neighbourhood", "user"),
        pk=pk,
        desk_id__in=desk_ids,
    )


def next_step_for(request, pk: int):
    """A next step of a resident of the user's desks (coaches and coordinators); 404 otherwise."""
    from intake.models import NextStep

    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        NextStep.objects.select_related("resident__desk"), pk=pk, resident__desk_id__in=desk_ids
    )


def plan_for(request, pk: int, *, queryset=None):
    """A business plan for the coaches and coordinators of the resident's desk; 404 otherwise."""
    from coaching.models import BusinessPlan

    queryset = queryset if queryset is not None else BusinessPlan.objects.all()
    desk_ids = desk_ids_for(request.user)
    if not desk_ids:
        raise Http404
    return get_object_or_404(
        queryset.select_related("resident", "resident__desk", "resident__coach"),
        pk=pk,
        resident__desk_id__in=desk_ids,
    )


def own_plan_for(request):
    """The logged-in resident's own business plan (started on the first visit).

    There is no plan number in a resident's URLs, so another resident's plan cannot even be
    asked for; users who are not residents get 403, like any page of a role they do not hold.
    """
    from coaching.services import start_plan

    resident = resident_of(request.user)
    if resident is None:
        raise PermissionDenied
    return start_plan(resident=resident)
