from django.contrib import admin

from intake.models import Consent, Conversation, NextStep, Resident, StageChange


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "desk", "stage", "registered_on"]
    list_filter = ["desk", "stage"]
    search_fields = ["search_text"]
    list_select_related = ["desk"]
    raw_id_fields = ["user", "coach"]
    # The stage changes only through StageChange rows (the coach screens), never here.
    readonly_fields = ["stage", "version"]
    inlines = [ConsentInline]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["held_on", "kind", "resident", "coach", "desk"]
    list_filter = ["desk", "kind"]
    list_select_related = ["resident", "coach", "desk"]
    raw_id_fields = ["resident"]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_on", "resident", "from_stage", "to_stage", "changed_by"]
    list_filter = ["desk", "to_stage"]
    list_select_related = ["resident", "changed_by"]
    raw_id_fields = ["resident"]


@admin.register(NextStep)
class NextStepAdmin(admin.ModelAdmin):
    list_display = ["due_on", "description", "resident", "owner", "done_on"]
    list_filter = ["owner"]
    list_select_related = ["resident"]
    raw_id_fields = ["conversation", "resident"]
