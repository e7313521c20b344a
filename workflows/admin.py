"""viewflow's processes and tasks in the admin: shown, never edited.

viewflow registers them editable: an administrator could point a process at another case
(``artifact_object_id``), change a task's status or owner, or delete either, with no history
of it. The flows change only through the procedures' acts and ``check_workflow --repair``
— here every field is read-only and nothing can be added or deleted.
"""

from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin, TaskInline
from viewflow.workflow.models import Process, Task

from casework.audit.readonly import ReadOnlyMixin


class ReadOnlyTaskInline(TaskInline):
    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyProcessAdmin(ReadOnlyMixin, ProcessAdmin):
    inlines = [ReadOnlyTaskInline]


class ReadOnlyTaskAdmin(ReadOnlyMixin, TaskAdmin):
    pass


for _model, _admin in ((Process, ReadOnlyProcessAdmin), (Task, ReadOnlyTaskAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
