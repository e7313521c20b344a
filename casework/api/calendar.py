"""Working-day calendar API (docs/api.md, "Calendar").

GET /api/v1/calendar/add-working-days?start=2026-03-07&days=10
    → {"start": "2026-03-07", "days": 10, "due": "2026-03-20", "provisional": false}
GET /api/v1/calendar/working-days-between?start=…&end=…
    → {"count": n, "provisional": bool}   (start excluded, end included)
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.kernel.payloads import CalendarDate
from casework.workcalendar import periods

MAX_DAYS = 3650


class AddWorkingDaysQuery(serializers.Serializer):
    start = CalendarDate(help_text=_("起算日（不计入）"))
    days = serializers.IntegerField(
        min_value=0, max_value=MAX_DAYS, help_text=_("工作日数（0–3650）")
    )


class WorkingDaysBetweenQuery(serializers.Serializer):
    start = CalendarDate(help_text=_("起算日（不计入）"))
    end = CalendarDate(help_text=_("截止日（计入）"))

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("截止日不得早于起算日。")]})
        return attrs


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    due = serializers.DateField(help_text=_("期限届满日（当日 23:59:59 北京时间止）"))
    provisional = serializers.BooleanField(help_text=_("暂定：涉及尚未确认的年度日历"))


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("工作日数（起算日不计入，截止日计入）"))
    provisional = serializers.BooleanField(help_text=_("暂定：涉及尚未确认的年度日历"))


def _date_parameter(name, description):
    return OpenApiParameter(
        name, OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True, description=description
    )


def _computed(function, *args, field="start"):
    """Run a period computation; a date it cannot compute is the caller's error (400 naming
    the field), never a 500."""
    try:
        return function(*args)
    except ValueError as exc:
        raise serializers.ValidationError({field: [str(exc)]}) from exc


class AddWorkingDaysView(APIView):
    """The due date of a period of ``days`` working days from the event on ``start``
    (the event's day is not counted)."""

    @extend_schema(
        operation_id="calendar_add_working_days",
        summary="n 个工作日后的期限届满日",
        parameters=[
            _date_parameter("start", "起算日 YYYY-MM-DD（当日不计入）"),
            OpenApiParameter(
                "days",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=True,
                description="工作日数，0–3650",
            ),
        ],
        responses=PeriodSerializer,
    )
    def get(self, request):
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = _computed(
            periods.add_working_days, query.validated_data["start"], query.validated_data["days"]
        )
        return Response(
            PeriodSerializer(
                {
                    "start": result.start,
                    "days": result.days,
                    "due": result.due,
                    "provisional": result.provisional,
                }
            ).data
        )


class WorkingDaysBetweenView(APIView):
    """How many working days lie after ``start`` up to and including ``end`` (``end`` not
    before ``start``)."""

    @extend_schema(
        operation_id="calendar_working_days_between",
        summary="两日之间的工作日数",
        parameters=[
            _date_parameter("start", "起算日 YYYY-MM-DD（不计入）"),
            _date_parameter("end", "截止日 YYYY-MM-DD（计入）"),
        ],
        responses=CountSerializer,
    )
    def get(self, request):
        query = WorkingDaysBetweenQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = _computed(
            periods.working_days_between,
            query.validated_data["start"],
            query.validated_data["end"],
        )
        return Response(
            CountSerializer({"count": result.count, "provisional": result.provisional}).data
        )
