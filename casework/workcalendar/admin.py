"""Administration of the working-day calendar. Every save goes through ``services.py`` so that
the day becomes an administrator's correction (never overwritten by seeding), the reason is
recorded in the history, and the ordinals are recomputed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.audit.readonly import HistoryAdmin

from . import services
from .models import CalendarDay, CalendarYear

WEEKDAYS = [
    _("星期一"),
    _("星期二"),
    _("星期三"),
    _("星期四"),
    _("星期五"),
    _("星期六"),
    _("星期日"),
]


class YearListFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [
            (str(year), str(year)) for year in CalendarYear.objects.values_list("year", flat=True)
        ]

    def queryset(self, request, queryset):
        if self.value():
            try:
                year = int(self.value())
            except ValueError:
                return queryset.none()
            return queryset.filter(date__year=year)
        return queryset


class CalendarDayForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("修改原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "必填，如：据国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。"
        ),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "is_working", "kind", "holiday_name"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is not None:
            should_work = kind in {str(k) for k in CalendarDay.WORKING_KINDS}
            if bool(cleaned.get("is_working")) != should_work:
                self.add_error("is_working", _("“是否工作日”与日期类型不一致。"))
        date = cleaned.get("date") or getattr(self.instance, "date", None)
        if date is not None and date < services.CALENDAR_START:
            raise ValidationError(_("工作日历从 2004-01-01 开始。"))
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "is_working", "holiday_name", "ordinal", "source"]
    list_filter = [YearListFilter, "kind", "is_working", "source"]
    date_hierarchy = "date"
    search_fields = ["holiday_name"]
    ordering = ["date"]
    readonly_fields = ["ordinal", "source"]
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("date")  # the primary key
        return fields

    def save_model(self, request, obj, form, change):
        # Through the service: source "admin", history with reason, ordinals recomputed.
        try:
            saved = services.set_day(
                obj.date,
                is_working=obj.is_working,
                kind=obj.kind,
                holiday_name=obj.holiday_name,
                actor=request.user,
                reason=form.cleaned_data["change_reason"],
            )
        except ValueError as exc:
            # The form has validated already; this is a race with another administrator.
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.ordinal = saved.ordinal
        obj.source = saved.source

    def has_delete_permission(self, request, obj=None):
        # The table must stay contiguous: every ordinal depends on all the days before it.
        return False


class CalendarYearForm(forms.ModelForm):
    change_reason = forms.CharField(label=_("修改原因"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = CalendarYear
        fields = ["note"]


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryAdmin):
    form = CalendarYearForm
    list_display = ["year", "complete", "source", "note"]
    list_filter = ["complete", "source"]
    readonly_fields = ["year", "complete", "source"]
    actions = ["mark_complete", "mark_incomplete"]

    def has_add_permission(self, request):
        # A year appears when it is seeded or when an administrator enters one of its days.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data["change_reason"]
        obj.save()

    @admin.action(description=_("标记为已确认（该年度节假日已全部录入）"), permissions=["change"])
    def mark_complete(self, request, queryset):
        reason = _("管理员在后台将年度日历标记为已确认")
        for year in queryset:
            try:
                services.mark_year_complete(year.year, actor=request.user, reason=str(reason))
            except ValueError as exc:
                self.message_user(request, f"{year.year}：{exc}", messages.ERROR)
            else:
                self.message_user(request, _("%(year)s 年度已确认。") % {"year": year.year})

    @admin.action(description=_("标记为未确认（期限改为暂定）"), permissions=["change"])
    def mark_incomplete(self, request, queryset):
        reason = _("管理员在后台将年度日历标记为未确认")
        for year in queryset:
            services.mark_year_incomplete(year.year, actor=request.user, reason=str(reason))
            self.message_user(request, _("%(year)s 年度已改为未确认。") % {"year": year.year})
