"""Who may see what at a desk: memberships, roles and desks.

The foundation's part of access: each app keeps the helpers for its own objects beside them
(``intake/access.py``, ``coaching/access.py``) and builds them on these. Every view loads the
objects it shows through such a helper. They answer 404, not 403, for an
object the user may not see, so that another desk's or another resident's records cannot even
be shown to exist. Pages that belong to a role (not to one object) use ``role_required`` and
answer 403 to users without that role.
"""

from functools import wraps

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ondernemerspunt.models import STAFF_ROLES, Desk, Membership, Role


def memberships_of(user: AbstractBaseUser | AnonymousUser) -> list[Membership]:
    """The user's active memberships, loaded once per request (cached on the user object).
    A deactivated membership (``is_active`` off) grants nothing."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True).select_related("desk", "partner")
        )
        user._memberships_cache = cached
    return cached


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def desk_ids_for(user: AbstractBaseUser | AnonymousUser, roles=STAFF_ROLES) -> set[int]:
    return {m.desk_id for m in memberships_of(user) if m.role in roles}


def staff_desks(user) -> list[Desk]:
    """The desks where the user coaches or coordinates, by name: what her forms offer. From
    the memberships already loaded, so no query of its own."""
    desks = {m.desk_id: m.desk for m in memberships_of(user) if m.role in STAFF_ROLES}
    return sorted(desks.values(), key=lambda desk: desk.name)


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


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


def desk_for(request: HttpRequest, slug: str, roles=STAFF_ROLES) -> Desk:
    """A desk by slug where the user holds one of ``roles``; 404 otherwise."""
    if not any(m.desk.slug == slug and m.role in roles for m in memberships_of(request.user)):
        raise Http404
    return get_object_or_404(Desk, slug=slug)
