"""Admin classes for records that are shown and never changed: every field read-only, nothing
added, changed or deleted (the chain and its verifications, viewflow's processes and tasks,
cases and their related records)."""

from django.contrib import admin


class ReadOnlyMixin:
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass
