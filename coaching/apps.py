from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("coaching")

    def ready(self):
        # The business plan on the resident's page: intake offers the registry and never
        # imports coaching (dependencies run one way).
        from coaching.selectors import (
            plan_timeline_entries,
            resident_plan_panel,
            review_home_items,
        )
        from coaching.views.plans import resident_home, resident_menu
        from intake.timeline import Panel, register_panel, register_timeline
        from ondernemerspunt.home import register_personal_home, register_section_items
        from ondernemerspunt.models import Role

        register_timeline(plan_timeline_entries)
        register_panel(Panel("coaching/_resident_plan_panel.html", resident_plan_panel))
        # A resident's home page is about her plan.
        register_personal_home(page=resident_home, menu=resident_menu)
        # The versions waiting for review, on the home page of the desk's coaches and
        # coordinator.
        for role in (Role.COACH, Role.COORDINATOR):
            register_section_items(
                role, review_home_items, template="coaching/_home_review_queue.html"
            )

        # The plan, its versions, reviews and invitations in a copy of the resident's data.
        from coaching.data_copy import register_coaching_exporters

        register_coaching_exporters()

        # What withdrawing consent and erasure remove from coaching (coaching/erasure.py).
        from coaching.erasure import remove_coaching_data
        from intake.privacy import register_eraser, register_withdrawer

        register_eraser(remove_coaching_data)
        register_withdrawer(remove_coaching_data)
