from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.access import has_role, resident_of
from ondernemerspunt.models import Role


def navigation(request):
    """The main menu: only the items the user's roles lead to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home"))]
    if has_role(user, Role.COORDINATOR):
        items.append((_("Audit trail"), reverse("audit_trail")))
    if resident_of(user) is not None:
        items = [(_("My page"), reverse("home"))]
    if user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return {"nav_items": items}
