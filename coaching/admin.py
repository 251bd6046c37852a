from django.contrib import admin

from coaching.models import BusinessPlan, PlanInvitation, PlanRevision, PlanSection


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    can_delete = False
    fields = ["key", "version", "saved_at", "saved_by", "autosaved_at"]
    readonly_fields = fields


@admin.register(BusinessPlan)
class BusinessPlanAdmin(admin.ModelAdmin):
    """For the platform admin: who has a plan and where it stands. The content is the
    resident's; coaches read it in the app, where reading it is logged."""

    list_display = ["resident", "status", "started_at", "changed_at"]
    list_filter = ["status", "resident__desk"]
    list_select_related = ["resident"]
    readonly_fields = ["resident", "status", "started_at", "changed_at"]
    inlines = [PlanSectionInline]

    def has_add_permission(self, request):
        return False


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "submitted_at", "submitted_by"]
    list_select_related = ["plan__resident", "submitted_by"]
    fields = ["plan", "number", "submitted_at", "submitted_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(PlanInvitation)
class PlanInvitationAdmin(admin.ModelAdmin):
    """Read-only: a link is sent from the resident's page; only its hash is stored."""

    list_display = ["resident", "email", "created_at", "expires_at", "used_at", "replaced_at"]
    list_select_related = ["resident"]
    fields = ["resident", "email", "created_at", "expires_at", "created_by", "used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
