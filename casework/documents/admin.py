from django.contrib import admin

from casework.audit.readonly import HistoryAdmin

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

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
