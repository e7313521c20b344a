from django.contrib import admin

from casework.audit.readonly import ReadOnlyHistoryAdmin

from .models import (
    AccountabilityCase,
    Decision,
    Ground,
    LinkedCase,
    Mode,
    PriorSanction,
    Referral,
    ReviewRequest,
    Source,
)


@admin.register(Ground)
class GroundAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "item", "article", "ordering", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name", "article")
    ordering = ("ordering", "code")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "article", "ordering", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    ordering = ("ordering", "code")


@admin.register(Mode)
class ModeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "requires_filing", "has_deadline", "article", "active")
    list_filter = ("requires_filing", "has_deadline", "active")
    search_fields = ("code", "name")
    ordering = ("ordering", "code")


# Cases, decisions and review requests change only through services.transition (the one
# path); the admin shows them and their history read-only.


@admin.register(AccountabilityCase)
class AccountabilityCaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ("number", "official", "department", "state", "last_act_on", "version")
    list_filter = ("state", "department")
    search_fields = ("number", "official__name", "summary")
    list_select_related = ("official", "department")


for _model in (Decision, ReviewRequest, Referral, PriorSanction, LinkedCase):
    admin.site.register(_model, ReadOnlyHistoryAdmin)
