"""The home page and the menu, filled in by the apps above the foundation.

The foundation knows desks and roles. What a coach sees first (intake's open next steps), and the
page and menu of a user who is a resident (intake's file, coaching's plan), belong to the apps
above; they register them here from their ``AppConfig.ready()``, so the foundation imports none
of them (dependencies run one way, DESIGN.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ondernemerspunt.models import Desk, Role

# role -> callables ``(desk, user) -> dict`` whose items that role's home section shows.
_section_items: dict[str, list[Callable]] = {}
# role -> templates an app adds to that role's home section (each gets ``section`` and
# ``items``).
_section_templates: dict[str, list[str]] = {}
# callables ``(request) -> HttpResponse | None``: a personal home page (a resident's) that
# replaces the desk sections for the users it applies to.
_personal_homes: list[Callable] = []
# callables ``(user) -> list[(label, url)] | None``: a personal menu replacing the desk menu.
_personal_menus: list[Callable] = []


def register_section_items(role: str, items: Callable, template: str | None = None) -> None:
    """Add ``items(desk, user)`` to the role's home section; with ``template``, the section
    also shows that template (after what the role's own template shows)."""
    _section_items.setdefault(role, [])
    if items not in _section_items[role]:
        _section_items[role].append(items)
    if template is not None:
        templates = _section_templates.setdefault(role, [])
        if template not in templates:
            templates.append(template)


def register_personal_home(*, page: Callable, menu: Callable) -> None:
    if page not in _personal_homes:
        _personal_homes.append(page)
    if menu not in _personal_menus:
        _personal_menus.append(menu)


def personal_home(request):
    """The first registered personal home page that applies to this user, or None."""
    for page in _personal_homes:
        response = page(request)
        if response is not None:
            return response
    return None


def personal_menu(user) -> list | None:
    for menu in _personal_menus:
        items = menu(user)
        if items is not None:
            return items
    return None


@dataclass
class HomeSection:
    """One block on the home page: a role at a desk and what that role needs to see first."""

    role: str
    desk: Desk
    partner: object = None
    items: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return f"ondernemerspunt/home_{self.role}.html"

    @property
    def templates(self) -> list[str]:
        """The templates the apps above registered for this role's section."""
        return _section_templates.get(self.role, [])


ROLE_ORDER = [Role.COORDINATOR, Role.COACH, Role.PROJECT_GROUP, Role.PARTNER]


def home_sections(user, memberships) -> list[HomeSection]:
    """The sections of the home page, coordinators first, each with what its role needs."""
    ranked = sorted(memberships, key=lambda m: (ROLE_ORDER.index(m.role), m.desk.name))
    sections = [HomeSection(role=m.role, desk=m.desk, partner=m.partner) for m in ranked]
    for section in sections:
        for items in _section_items.get(section.role, []):
            section.items.update(items(section.desk, user))
    return sections
