"""Reads that belong to the desk itself."""

from dataclasses import dataclass, field

from intake.selectors import coach_home_items
from ondernemerspunt.models import Desk, Role


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


def home_sections(user, memberships) -> list[HomeSection]:
    """The sections of the home page, coordinators first, each with what its role needs."""
    order = [Role.COORDINATOR, Role.COACH, Role.PROJECT_GROUP, Role.PARTNER]
    ranked = sorted(memberships, key=lambda m: (order.index(m.role), m.desk.name))
    sections = [HomeSection(role=m.role, desk=m.desk, partner=m.partner) for m in ranked]
    for section in sections:
        if section.role == Role.COACH:
            section.items.update(coach_home_items(section.desk, coach=user))
        elif section.role == Role.COORDINATOR:
            section.items.update(coach_home_items(section.desk))
    return sections
