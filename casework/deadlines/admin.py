from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Deadline, PeriodRule


@admin.register(PeriodRule)
class PeriodRuleAdmin(SimpleHistoryAdmin):
    """The [rule] periods of procedures.md, which an administrator may change."""

    list_display = ("key", "name", "working_days", "basis")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "case", "due", "provisional", "done_at", "cancelled_at")
    list_filter = ("kind", "provisional")
    list_select_related = ("case",)
    date_hierarchy = "due"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
