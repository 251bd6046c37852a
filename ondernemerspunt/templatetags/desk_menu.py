"""The menu's "Manage the desk" item: the desks the user coordinates (from the memberships
already loaded for the request, so it costs no query)."""

from django import template

from ondernemerspunt.access import memberships_of
from ondernemerspunt.models import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def managed_desks(context) -> list:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if getattr(request, "second_factor_pending", False):
        return []  # nothing else opens before the second factor
    desks = {m.desk for m in memberships_of(user) if m.role == Role.COORDINATOR}
    return sorted(desks, key=lambda desk: desk.name)
