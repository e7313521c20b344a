"""Deadlines and warnings.

    GET /api/v1/deadlines?level=&unit=&kind=&procedure=&as_of=YYYY-MM-DD
        every open deadline the caller may see, with its warning level as of ``as_of``
        (default today), computed in SQL: a caller sees what will be overdue next week
        without waiting for the scan.
    GET /api/v1/deadlines/<id>/explanation?as_of=
        how the due date was computed: the days counted and skipped, each with its reason.

Who sees which deadline is ``casework.deadlines.rules.visible_deadlines``; a deadline the
caller may not see is 404.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import queries
from casework.deadlines.models import Deadline, DeadlineQuerySet, Kind, Level
from casework.deadlines.queries import PROCEDURE_CHOICES, procedure_filter
from casework.deadlines.rules import visible_deadlines
from casework.kernel.payloads import CalendarDate

from .common import ERRORS, filter_parameters, known_department
from .serializers import DeadlineSerializer, deadline_context, extensions_prefetch


class DeadlineQuery(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, help_text=gettext_lazy("预警级别")
    )
    unit = serializers.SlugField(
        required=False,
        validators=[known_department],
        help_text=gettext_lazy("责任单位（部门代码）"),
    )
    kind = serializers.ChoiceField(
        choices=Kind.choices, required=False, help_text=gettext_lazy("期限类别")
    )
    procedure = serializers.ChoiceField(
        choices=PROCEDURE_CHOICES,
        required=False,
        help_text=gettext_lazy("程序：问责、投诉或在办事项"),
    )
    as_of = CalendarDate(required=False, help_text=gettext_lazy("以该日计算预警级别（默认今天）"))


class AsOfQuery(serializers.Serializer):
    as_of = CalendarDate(
        required=False, help_text=gettext_lazy("以该日计算预警级别和逾期天数（默认今天）")
    )


def deadline_or_404(request, pk):
    """The deadline if the caller may see it, else 404: the caller learns nothing about
    deadlines that are not theirs."""
    return get_object_or_404(
        visible_deadlines(
            request.user,
            Deadline.objects.select_related("responsible_unit", "responsible_user", "case"),
        ),
        pk=pk,
    )


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
            # One range of due dates over a partial index.
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


EXPLAIN_DAY = inline_serializer(
    "DeadlineExplanationDay",
    {
        "date": serializers.DateField(),
        "weekday": serializers.CharField(),
        "counted": serializers.BooleanField(),
        "ordinal": serializers.IntegerField(allow_null=True),
        "reason": serializers.CharField(),
        "provisional": serializers.BooleanField(),
    },
    many=True,
)

EXPLANATION = inline_serializer(
    "DeadlineExplanation",
    {
        "deadline": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "kind_name": serializers.CharField(),
        "description": serializers.CharField(),
        "start_date": serializers.DateField(),
        "working_days": serializers.IntegerField(allow_null=True),
        "due": serializers.DateField(),
        "original_due": serializers.DateField(allow_null=True),
        "extension_working_days": serializers.IntegerField(),
        "provisional": serializers.BooleanField(),
        "as_of": serializers.DateField(),
        "level": serializers.ChoiceField(choices=Level.choices),
        "level_name": serializers.CharField(),
        "working_days_left": serializers.IntegerField(allow_null=True),
        "overdue_working_days": serializers.IntegerField(),
        "counted": serializers.IntegerField(),
        "skipped": serializers.IntegerField(),
        "days": EXPLAIN_DAY,
        "overdue_days": EXPLAIN_DAY,
        "overdue_days_truncated": serializers.BooleanField(
            help_text=gettext_lazy("逾期日明细只列到期后 31 天内")
        ),
    },
)


class DeadlineExplanation(APIView):
    """The working days counted and skipped, each with its reason (weekend, holiday, adjusted
    working day, provisional year), and whether the result is provisional (暂定)."""

    @extend_schema(
        operation_id="deadline_explanation",
        summary="期限如何计算",
        parameters=filter_parameters(AsOfQuery),
        responses={200: EXPLANATION, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request, pk):
        query = AsOfQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        deadline = deadline_or_404(request, pk)
        return Response(queries.explain_deadline(deadline, as_of))
