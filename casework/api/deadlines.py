"""Deadlines and warnings (shared/spec/api.md, "Deadlines and warnings").

GET /api/v1/deadlines?level=&unit=&kind=&procedure=&as_of=YYYY-MM-DD — every open deadline
with its warning level as of ``as_of`` (default today), computed in SQL (procedures.md
section 3), so a caller can see what will be overdue next week without waiting for the scan.
The actions on deadlines and warnings are in casework/api/warnings.py.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from casework.deadlines.models import Deadline, DeadlineQuerySet, Kind, Level
from casework.deadlines.queries import PROCEDURE_CHOICES, procedure_filter
from casework.deadlines.rules import visible_deadlines
from casework.org.models import Department
from casework.workcalendar.services import CALENDAR_START

from .common import filter_parameters
from .serializers import DeadlineSerializer, deadline_context, extensions_prefetch


class DeadlineQuery(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text=gettext_lazy("预警级别")
    )
    unit = serializers.SlugField(required=False, help_text=gettext_lazy("责任单位（部门代码）"))
    kind = serializers.ChoiceField(
        choices=Kind.choices, required=False, help_text=gettext_lazy("期限类别")
    )
    procedure = serializers.ChoiceField(
        choices=PROCEDURE_CHOICES, required=False, help_text=gettext_lazy("程序：问责或投诉")
    )
    as_of = serializers.DateField(
        required=False, help_text=gettext_lazy("以该日计算预警级别（默认今天）")
    )

    def validate_unit(self, value):
        if not Department.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("没有该部门：%(code)s") % {"code": value})
        return value

    def validate_as_of(self, value):
        if value < CALENDAR_START:
            raise serializers.ValidationError(_("工作日历从 2004-01-01 开始，不能计算更早的日期。"))
        return value


class DeadlineList(generics.GenericAPIView):
    """Open deadlines, soonest first, with their warning level as of ``as_of``."""

    serializer_class = DeadlineSerializer

    @extend_schema(
        operation_id="deadlines_list",
        summary="期限与预警",
        parameters=filter_parameters(DeadlineQuery),
        responses=DeadlineSerializer(many=True),
    )
    def get(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        as_of = filters.get("as_of") or timezone.localdate()
        queryset = visible_deadlines(
            request.user,
            Deadline.objects.open()
            .with_level(as_of)
            .select_related("responsible_unit", "case")
            .prefetch_related(extensions_prefetch())
            .order_by("due", "id"),
        )
        if filters.get("level") in DeadlineQuerySet.BY_DUE:
            # One range of due dates over a partial index (bench/deadlines.py (a)).
            queryset = queryset.at_level(as_of, filters["level"])
        elif "level" in filters:
            queryset = queryset.filter(level=filters["level"])
        if "unit" in filters:
            queryset = queryset.filter(responsible_unit__code=filters["unit"])
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        if "procedure" in filters:
            queryset = queryset.filter(procedure_filter(filters["procedure"]))
        page = self.paginate_queryset(queryset)
        context = {"request": request, **deadline_context(as_of)}
        data = DeadlineSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
