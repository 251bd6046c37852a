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

        # Referrals: their events (and a link to refer per support need of a conversation) on
        # the timeline, the sharing panel on the resident's page, overdue answers on the home
        # page of the desk's coaches (their own residents) and coordinator (all).
        from coaching.selectors import (
            overdue_referrals_for_coach,
            overdue_referrals_for_coordinator,
            referral_panel,
            referral_timeline_entries,
        )

        register_timeline(referral_timeline_entries)
        register_panel(Panel("coaching/_referral_panel.html", referral_panel))
        register_section_items(
            Role.COACH,
            overdue_referrals_for_coach,
            template="coaching/_home_overdue_referrals.html",
        )
        register_section_items(
            Role.COORDINATOR,
            overdue_referrals_for_coordinator,
            template="coaching/_home_overdue_referrals.html",
        )
        # An aftercare contact marked done on intake's pages moves her to *aftercare*.
        from coaching.outcomes import aftercare_contact_done
        from intake.services import register_step_done

        register_step_done(aftercare_contact_done)
        # A partner contact's home page: the open referrals to her organisation.
        from coaching.views.partner import partner_home_items

        register_section_items(
            Role.PARTNER, partner_home_items, template="coaching/_home_partner_referrals.html"
        )

        # Mentors and the benefits route: matches, meetings and consultations on the timeline,
        # a panel for each on the resident's page (coaching/mentors.py).
        from coaching.mentors import benefits_panel, mentor_panel, mentor_timeline_entries

        register_timeline(mentor_timeline_entries)
        register_panel(Panel("coaching/_benefits_panel.html", benefits_panel))
        register_panel(Panel("coaching/_mentor_panel.html", mentor_panel))

        # The plan, its versions, reviews and invitations in a copy of the resident's data.
        # Then referrals and consents, mentors and the benefits consultations (issue 10).
        from coaching.data_copy import register_coaching_exporters, register_referral_exporters

        register_coaching_exporters()
        register_referral_exporters()

        # What withdrawing consent and erasure remove from coaching (coaching/erasure.py).
        from coaching.erasure import remove_coaching_data
        from intake.privacy import register_eraser, register_withdrawer

        register_eraser(remove_coaching_data)
        register_withdrawer(remove_coaching_data)
        # Referrals, consents to share, mentors and consultations: the texts go, the counted
        # rows stay, and sharing with partners stops.
        from coaching.erasure import remove_referral_texts

        register_eraser(remove_referral_texts)
        register_withdrawer(remove_referral_texts)

        # The Qredits application and the business after it (issue 11): a panel with the
        # application's status and the business start on the resident's page, and both in a
        # copy of her data. Withdrawal and erasure delete the applications' uploads and packs
        # through ``remove_coaching_data`` (``coaching.erasure.remove_applications``).
        from coaching.data_copy import register_application_exporters
        from coaching.outcomes import resident_panel

        register_panel(Panel("coaching/outcomes/_resident_panel.html", resident_panel))
        register_application_exporters()
