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

        # The audit trail finds residents by name and shows their names (issue 12).
        from intake.selectors import resident_names_for_audit, residents_named_for_audit
        from ondernemerspunt.audit import register_resident_lookup

        register_resident_lookup(search=residents_named_for_audit, names=resident_names_for_audit)

        # What intake holds about a resident, for a copy of her data (intake/privacy.py).
        from intake.data_copy import register_intake_exporters

        register_intake_exporters()

        # Withdrawing consent and erasure (intake/erasure.py): intake's own part, the daily
        # retention listing in the worker, and the proposals on the coordinator's home page.
        from intake.erasure import (
            daily_retention,
            erase_intake_data,
            retention_home_items,
            withdraw_intake_data,
        )
        from intake.evening_mail import send_reminders
        from intake.evenings import erase_past_registrations
        from intake.privacy import register_eraser, register_withdrawer
        from ondernemerspunt.worker import register_daily

        register_eraser(erase_intake_data)
        register_withdrawer(withdraw_intake_data)
        register_daily(daily_retention)
        # Info evenings: tomorrow's reminders, and forgetting registrations past keeping.
        register_daily(send_reminders)
        register_daily(erase_past_registrations)
        register_section_items(
            Role.COORDINATOR, retention_home_items, template="intake/_home_retention.html"
        )
