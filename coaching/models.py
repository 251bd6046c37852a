"""Business plans, review checklists, partners, referrals and Qredits packs.

This first version holds the partner organisations; the business plan and what follows it are
added by later issues.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    """A partner organisation a desk works with (KvK, UWV, gemeente, Qredits, bank, …)."""

    class Kind(models.TextChoices):
        KVK = "kvk", _("Chamber of Commerce (KvK)")
        UWV = "uwv", _("UWV-Werkbedrijf")
        MUNICIPALITY = "municipality", _("municipality")
        QREDITS = "qredits", _("Qredits")
        BANK = "bank", _("bank")
        ACCOUNTANT = "accountant", _("accountant")
        HOUSING = "housing", _("housing corporation")
        OTHER = "other", _("other")

    desk = models.ForeignKey(
        "ondernemerspunt.Desk",
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("desk"),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["desk", "name"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "name"], name="partner_name_unique_per_desk"),
        ]

    def __str__(self):
        return self.name
