"""The chain and its verifications, read-only; the list of entries says how the last
verification went."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import AuditEntry, AuditVerification
from .readonly import ReadOnlyAdmin


def last_verification_message(request, model_admin):
    last = AuditVerification.objects.first()
    if last is None:
        model_admin.message_user(
            request, _("审计链尚未校验过（python manage.py verify_audit）。"), messages.WARNING
        )
    elif last.ok:
        model_admin.message_user(
            request,
            _("最近一次校验：%(at)s，完整（%(entries)s 条链记录，%(rows)s 条数据记录）。")
            % {"at": f"{last.ran_at:%Y-%m-%d %H:%M}", "entries": last.entries, "rows": last.rows},
            messages.SUCCESS,
        )
    else:
        model_admin.message_user(
            request,
            _("最近一次校验：%(at)s，发现 %(count)s 个问题。")
            % {"at": f"{last.ran_at:%Y-%m-%d %H:%M}", "count": last.problem_count},
            messages.ERROR,
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "table_name", "row_id", "recorded_at", "entry_hash")
    list_filter = ("table_name",)
    search_fields = ("=row_id", "=entry_hash")

    def changelist_view(self, request, extra_context=None):
        last_verification_message(request, self)
        return super().changelist_view(request, extra_context)


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ("ran_at", "ok", "entries", "rows", "problem_count", "head_seq", "seconds")
    list_filter = ("ok",)

    def changelist_view(self, request, extra_context=None):
        last_verification_message(request, self)
        return super().changelist_view(request, extra_context)
