from django.contrib import admin

from casework.audit.readonly import HistoryAdmin

from .models import Deadline, ExtensionRule, PeriodRule


@admin.register(PeriodRule)
class PeriodRuleAdmin(HistoryAdmin):
    """The periods the law leaves open, fixed by a ruling an administrator may change."""

    list_display = ("key", "name", "working_days", "basis")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRule)
class ExtensionRuleAdmin(HistoryAdmin):
    """How far each kind of deadline may be extended in total, and who approves
    (Xinxiang complaints art. 5–6): reference data an administrator edits, each change in the rule's
    history. A kind without a rule cannot be extended."""

    list_display = ("kind", "cap_working_days", "approver", "basis")
    history_list_display = ("cap_working_days", "approver")

    def get_readonly_fields(self, request, obj=None):
        # A rule belongs to its kind; to move it, delete it and add another.
        return ("kind",) if obj is not None else ()


@admin.register(Deadline)
class DeadlineAdmin(HistoryAdmin):
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
