from django.contrib import admin

from coaching.models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "desk"]
    list_filter = ["desk", "kind"]
    search_fields = ["name"]
