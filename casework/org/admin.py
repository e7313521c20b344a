from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from casework.audit.readonly import HistoryAdmin

from .models import Delegation, Department, Official, User

admin.site.site_header = _("问责与效能监察系统 · 管理")
admin.site.site_title = _("问责与效能监察系统")
admin.site.index_title = _("系统管理")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: deleting one would rewrite the history rows
        # that name it (append-only, see casework/audit).
        return False


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ("code", "name", "kind", "vertical", "active")
    list_filter = ("kind", "vertical", "active")
    search_fields = ("code", "name", "short_name")


@admin.register(Official)
class OfficialAdmin(HistoryAdmin):
    list_display = ("name", "title", "department", "user", "is_head", "active")
    list_filter = ("department", "is_head", "active")
    search_fields = ("name", "title", "user__username")
    list_select_related = ("department", "user")
    autocomplete_fields = ("user",)


@admin.register(Delegation)
class DelegationAdmin(HistoryAdmin):
    list_display = ("delegator", "delegate", "scope", "valid_from", "valid_until", "revoked_at")
    list_filter = ("scope",)
    list_select_related = ("delegator", "delegate")
