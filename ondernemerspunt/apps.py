from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The empty option of every select in the project (forms, filters, the admin): our own msgid,
# translated in our catalogue.
EMPTY_CHOICE_LABEL = _("choose")


class OndernemerspuntConfig(AppConfig):
    name = "ondernemerspunt"
    verbose_name = _("desk")

    def ready(self):
        # Django 6.1 labels the empty option "- Select an option -", which its Dutch catalogue
        # does not translate, so Dutch pages showed English. Django's deprecation note for
        # USE_BLANK_CHOICE_DASH names this as the place to set one's own label. Our own msgid
        # rather than a translation of Django's: it cannot silently turn English again when
        # Django rewords its string. Fields take the label when their form class is built, so
        # a form built before this runs (imported while models load) keeps Django's;
        # tests/test_empty_choice.py checks every form of the project for that.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE_LABEL

        # The idle clock of a session starts at login (ondernemerspunt/sessions.py).
        from django.contrib.auth.signals import user_logged_in

        from ondernemerspunt.sessions import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="start_idle_clock")

        # After every migrate the owner grants the application's role its rights, the audit
        # trail only to read and add to (ondernemerspunt/dbroles.py, which also holds the
        # deploy check that there are two roles).
        from django.db.models.signals import post_migrate

        from ondernemerspunt.dbroles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="grant_app_role")

        # PDFs subset their fonts with HarfBuzz: say so at start-up where it is missing.
        from django.core import checks

        from ondernemerspunt.pdf import check_font_subsetting

        checks.register(check_font_subsetting)
