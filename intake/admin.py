from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy

from intake.models import Consent, Conversation, NextStep, Resident, StageChange
from ondernemerspunt.models import AuditEntry
from ondernemerspunt.services import record_audit, record_desk_audit


class AuditedAdmin(admin.ModelAdmin):
    """A platform admin reading a resident's records is a read like any other: a page of one
    record is logged against the resident, a search of the list against each desk it found."""

    desk_lookup = "resident__desk_id"

    def resident_of(self, obj):
        return obj.resident

    def _log_read(self, request, object_id):
        obj = self.get_object(request, object_id) if object_id is not None else None
        if obj is not None:
            record_audit(
                by=request.user,
                resident=self.resident_of(obj),
                action=AuditEntry.Action.VIEWED,
                what=gettext_lazy("Opened in the admin: %(model)s"),
                params={"model": self.opts.verbose_name},
            )

    # Every admin page of one record shows who it is about: the form, its history, and the
    # confirmation before deleting (which lists what belongs to it).
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._log_read(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_read(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._log_read(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            # How many it found, not what was asked: that may be a resident's name, and the
            # trail, which nothing can change, must hold nothing erasure would have to remove.
            found = (
                results.order_by()
                .values(self.desk_lookup)
                .annotate(n=Count("pk"))
                .values_list(self.desk_lookup, "n")
            )
            for desk_id, count in sorted(found):
                record_desk_audit(
                    by=request.user,
                    desk_id=desk_id,
                    action=AuditEntry.Action.VIEWED,
                    what=gettext_lazy("Searched in the admin: %(model)s (%(count)s found)"),
                    params={"model": self.opts.verbose_name_plural, "count": count},
                )
        return results, may_have_duplicates


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Resident)
class ResidentAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "desk", "stage", "registered_on"]
    list_filter = ["desk", "stage"]
    search_fields = ["search_text"]
    list_select_related = ["desk"]
    raw_id_fields = ["user", "coach"]
    # The stage changes only through StageChange rows (the coach screens), never here.
    readonly_fields = ["stage", "version"]
    inlines = [ConsentInline]

    desk_lookup = "desk_id"

    def resident_of(self, obj):
        return obj


@admin.register(Conversation)
class ConversationAdmin(AuditedAdmin):
    list_display = ["held_on", "kind", "resident", "coach", "desk"]
    list_filter = ["desk", "kind"]
    list_select_related = ["resident", "coach", "desk"]
    raw_id_fields = ["resident"]


@admin.register(StageChange)
class StageChangeAdmin(AuditedAdmin):
    list_display = ["changed_on", "resident", "from_stage", "to_stage", "changed_by"]
    list_filter = ["desk", "to_stage"]
    list_select_related = ["resident", "changed_by"]
    raw_id_fields = ["resident"]


@admin.register(NextStep)
class NextStepAdmin(AuditedAdmin):
    list_display = ["due_on", "description", "resident", "owner", "done_on"]
    list_filter = ["owner"]
    list_select_related = ["resident"]
    raw_id_fields = ["conversation", "resident"]
