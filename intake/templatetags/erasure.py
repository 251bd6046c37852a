"""For the privacy card on the resident's page: may this user erase the file?"""

from django import template

from ondernemerspunt.access import desk_ids_for
from ondernemerspunt.models import Role

register = template.Library()


@register.filter
def coordinates(user, desk_id) -> bool:
    """Is ``user`` coordinator of the desk ``desk_id`` (memberships cached: no query)."""
    return desk_id in desk_ids_for(user, (Role.COORDINATOR,))
