from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.models import (
    AuditEntry,
    Desk,
    Membership,
    Neighbourhood,
    Partner,
    ProgressReport,
    User,
    YearTarget,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "desk"]
    list_filter = ["desk", "kind"]
    search_fields = ["name"]


class NeighbourhoodInline(admin.TabularInline):
    model = Neighbourhood
    extra = 0


class YearTargetInline(admin.TabularInline):
    model = YearTarget
    extra = 0


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NeighbourhoodInline, YearTargetInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "desk", "role", "partner", "organisation"]
    list_filter = ["desk", "role"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "desk", "partner"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, also for platform admins."""

    list_display = ["at", "desk", "actor", "action", "resident_id", "what"]
    list_filter = ["desk", "action"]
    list_select_related = ["desk", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Read-only: reports are asked for and rendered in the app (the PDF itself is not shown)."""

    list_display = [
        "desk",
        "year",
        "quarter",
        "as_of",
        "suppressed",
        "status",
        "requested_at",
        "rendered_at",
        "render_seconds",
    ]
    list_filter = ["desk", "status", "suppressed", "year"]
    list_select_related = ["desk"]
    exclude = ["pdf"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
