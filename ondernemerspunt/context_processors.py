from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.access import has_role
from ondernemerspunt.home import personal_menu
from ondernemerspunt.models import Role


def navigation(request):
    """The main menu: only the items the user's roles lead to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if getattr(request, "second_factor_pending", False):
        return {"nav_items": []}  # nothing else opens before the second factor
    items = [(_("Home"), reverse("home"))]
    if has_role(user, Role.COORDINATOR, Role.COACH):
        items.append((_("Residents"), reverse("intake:resident_list")))
        items.append((_("Info evenings"), reverse("intake:evening_list")))
        items.append((_("Business plans"), reverse("coaching:plan_list")))
        items.append((_("To review"), reverse("coaching:review_queue")))
    if has_role(user, Role.COORDINATOR):
        items.append((_("Audit trail"), reverse("audit_trail")))
    if has_role(user, Role.COORDINATOR, Role.COACH, Role.PROJECT_GROUP):
        items.append((_("Progress"), reverse("progress_index")))
    if has_role(user, Role.PARTNER):
        items.append((_("Referrals"), reverse("coaching:partner_inbox")))
    personal = personal_menu(user)
    if personal is not None:
        items = personal  # a resident's menu (registered by intake and coaching)
    if user.is_staff:
        items.append((_("Admin"), reverse("admin:index")))
    return {"nav_items": items}
