"""The bodies of the acts on extensions. The extension service validates them itself, after
it has checked who may act (someone who may not act learns nothing from a validation
error); the API describes them in its schema with the same classes."""

from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from casework.workcalendar.models import CalendarDay


def inside_calendar(value):
    """A date the working-day calendar table holds: a period cannot be counted to a day
    the table does not reach (one indexed lookup; the range is read only to explain a
    refusal)."""
    if not CalendarDay.objects.filter(date=value).exists():
        bounds = CalendarDay.objects.aggregate(first=Min("date"), last=Max("date"))
        raise serializers.ValidationError(
            _("%(date)s 不在工作日历范围内（%(first)s 至 %(last)s）。")
            % {
                "date": value.isoformat(),
                "first": bounds["first"].isoformat() if bounds["first"] else "—",
                "last": bounds["last"].isoformat() if bounds["last"] else "—",
            }
        )


class AskForExtension(serializers.Serializer):
    """Xinxiang complaints art. 6: asked for in writing, with reasons."""

    reason = serializers.CharField(
        label=gettext_lazy("延期理由"),
        help_text=gettext_lazy("延期理由"),
        error_messages={
            "required": gettext_lazy("请说明延期理由。"),
            "blank": gettext_lazy("请说明延期理由。"),
            "null": gettext_lazy("请说明延期理由。"),
        },
    )
    new_due = serializers.DateField(
        label=gettext_lazy("申请延至"),
        help_text=gettext_lazy("申请延至（YYYY-MM-DD）"),
        validators=[inside_calendar],
    )


class DecideOnExtension(serializers.Serializer):
    """The approver's decision: ``approve`` must be stated — an empty body decides nothing."""

    approve = serializers.BooleanField(
        label=gettext_lazy("审批结果"), help_text=gettext_lazy("true 批准；false 不予批准")
    )
    reason = serializers.CharField(
        label=gettext_lazy("审批意见"),
        help_text=gettext_lazy("审批意见"),
        required=False,
        allow_blank=True,
        default="",
    )
