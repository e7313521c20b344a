"""Admin classes for records that are shown and never changed.

``ReadOnlyAdmin`` shows a record and allows nothing else (the chain and its verifications,
viewflow's processes and tasks, cases and their related records). ``HistoryAdmin`` is the base
of every admin that shows a history (instead of simple-history's ``SimpleHistoryAdmin``): the
history is read, never written. simple-history's form of a past version saves the object on
POST even when its "revert" button is hidden (``SIMPLE_HISTORY_REVERT_DISABLED`` only hides
it) and even for an admin whose change permission is refused, so that the form could rewrite
a case the admin shows read-only; here a POST to it is refused.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


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


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ReadOnlyHistoryAdmin(ReadOnlyMixin, HistoryAdmin):
    pass
