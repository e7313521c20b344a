from django.contrib import admin

from .models import ComplaintCategory, ComplaintOutcome


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "article", "ordering", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    ordering = ("ordering", "code")


@admin.register(ComplaintOutcome)
class ComplaintOutcomeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "article", "opens_accountability", "ordering", "active")
    list_filter = ("opens_accountability", "active")
    search_fields = ("code", "name")
    ordering = ("ordering", "code")
