from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("intake")

    def ready(self):
        # What coaches and coordinators see first on the foundation's home page.
        from intake.selectors import coach_home_items, coordinator_home_items
        from ondernemerspunt.home import register_section_items
        from ondernemerspunt.models import Role

        register_section_items(Role.COACH, coach_home_items)
        register_section_items(Role.COORDINATOR, coordinator_home_items)
