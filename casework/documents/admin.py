from django.contrib import admin

from casework.audit.readonly import HistoryAdmin

from . import formats
from .models import Amendment, Document


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    """Issued documents are immutable; corrections are appended as amendments."""

    list_display = ("number", "title", "doc_type", "issued_on", "case")
    list_filter = ("doc_type", "year")
    search_fields = ("number", "title")
    list_select_related = ("case",)
    inlines = [AmendmentInline]

    def has_add_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        """A document's page here (its body, its addressee, its history) only for whoever may
        see it at all: the rule of the procedure that issued it (``formats.can_view``) — a
        complaint's feedback letter is the complaints office's alone, administrators
        included (Xinxiang complaints art. 8)."""
        if obj is not None and not formats.can_view(request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
