from django.contrib import admin

from .models import PeriodicTask, WorkerHeartbeat


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "next_run_at", "last_enqueued_at")
    readonly_fields = ("name", "last_enqueued_at")

    def has_add_permission(self, request):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "seen_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
