from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OndernemerspuntConfig(AppConfig):
    name = "ondernemerspunt"
    verbose_name = _("desk")
