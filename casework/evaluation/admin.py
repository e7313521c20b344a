"""The scheme in the admin (with its history), and the months, lines and ratings shown read-only:
they change only through the procedure."""

from django.contrib import admin

from casework.audit.readonly import HistoryAdmin, ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import Line, MonthlyEvaluation, Rating, ScoringItem


@admin.register(ScoringItem)
class ScoringItemAdmin(HistoryAdmin):
    list_display = ("code", "name", "basis", "method", "points", "cap", "weight", "active")
    list_filter = ("method", "basis", "active")
    # The basis and the method make the item; a new basis is a new item.
    readonly_fields = ("code", "basis", "method")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyEvaluation)
class MonthlyEvaluationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("month", "state", "run", "published_on", "objection_until", "bulletin")


@admin.register(Line)
class LineAdmin(ReadOnlyAdmin):
    list_display = ("evaluation", "run", "department", "item_name", "events", "amount")
    list_filter = ("evaluation", "method")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "department", "value", "rated_on")
    list_filter = ("value",)
