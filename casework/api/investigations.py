"""Preliminary investigations (初步调查, Xinxiang warning art. 8) over HTTP.

    GET  /api/v1/preliminary-investigations?unit=&status=
    POST /api/v1/preliminary-investigations/<id>/decide {"approve","reason"?}
    POST /api/v1/preliminary-investigations/<id>/conclude {"open_case","conclusion","official"?}

Who may see, decide and conclude is asked of ``casework.deadlines.investigations`` (its
refusals, its words) before the body is read.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import investigations
from casework.deadlines.models import PreliminaryInvestigation
from casework.deadlines.rules import sees_investigations
from casework.exceptions import validated
from casework.org.models import Official

from .common import ERRORS, REFUSALS, filter_parameters, json_body, known_department
from .serializers import DeadlineBriefSerializer, brief_deadlines


class InvestigationSerializer(serializers.ModelSerializer):
    """初步调查 (Xinxiang warning art. 8): proposed on a red card, approved or dismissed by the
    supervision leader, concluded "close after initial check" or "open a case"."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    deadline = DeadlineBriefSerializer(read_only=True)
    approved_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    accountability_case_number = serializers.SerializerMethodField()

    class Meta:
        model = PreliminaryInvestigation
        fields = [
            "id",
            "deadline",
            "unit",
            "unit_name",
            "status",
            "status_name",
            "proposed_on",
            "approved_by",
            "decided_on",
            "decision_reason",
            "conclusion",
            "concluded_on",
            "accountability_case",
            "accountability_case_number",
        ]

    def get_accountability_case_number(self, obj) -> str | None:
        case = obj.accountability_case
        return case.number if case is not None else None


class DecisionBody(serializers.Serializer):
    approve = serializers.BooleanField(help_text=gettext_lazy("true 批准；false 不予批准"))
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("审批意见")
    )


class ConclusionBody(serializers.Serializer):
    open_case = serializers.BooleanField(help_text=gettext_lazy("true 立案调查；false 初核了结"))
    conclusion = serializers.CharField(allow_blank=True, help_text=gettext_lazy("调查结论"))
    official = serializers.PrimaryKeyRelatedField(
        queryset=Official.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("立案时：被问责人（部门负责人）编号；不填则为责任单位的行政首长"),
    )


class InvestigationQuery(serializers.Serializer):
    unit = serializers.SlugField(
        required=False,
        validators=[known_department],
        help_text=gettext_lazy("承办单位（部门代码）"),
    )
    status = serializers.ChoiceField(
        choices=PreliminaryInvestigation.Status.choices,
        required=False,
        help_text=gettext_lazy("状态"),
    )


def investigation_queryset(user):
    if not sees_investigations(user):
        return PreliminaryInvestigation.objects.none()
    return (
        PreliminaryInvestigation.objects.select_related(
            "unit", "approved_by", "accountability_case"
        )
        .prefetch_related(Prefetch("deadline", queryset=brief_deadlines(timezone.localdate())))
        .order_by("-id")
    )


def _investigation_response(request, pk):
    investigation = investigation_queryset(request.user).get(pk=pk)
    return Response(InvestigationSerializer(investigation).data)


class InvestigationList(generics.GenericAPIView):
    """Proposed on a red card; for the supervision bureau, its leader and the mayor's
    office."""

    serializer_class = InvestigationSerializer

    @extend_schema(
        operation_id="preliminary_investigations_list",
        summary="初步调查",
        parameters=filter_parameters(InvestigationQuery),
        responses={200: InvestigationSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request):
        investigations.check_may_see(request.user)
        query = InvestigationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        queryset = investigation_queryset(request.user)
        if "unit" in filters:
            queryset = queryset.filter(unit__code=filters["unit"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(InvestigationSerializer(page, many=True).data)


class InvestigationDecision(APIView):
    """Xinxiang warning art. 8: the supervision leader approves the preliminary investigation or
    dismisses it."""

    @extend_schema(
        operation_id="preliminary_investigations_decide",
        summary="审批初步调查",
        request=DecisionBody,
        responses={200: InvestigationSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        investigation = get_object_or_404(investigation_queryset(request.user), pk=pk)
        investigations.check_may_decide(request.user)
        data = validated(DecisionBody, json_body(request))
        investigations.decide_investigation(
            investigation,
            request.user,
            approve=data["approve"],
            reason=data["reason"],
            ip=request.META.get("REMOTE_ADDR"),
        )
        return _investigation_response(request, pk)


class InvestigationConclusion(APIView):
    """Xinxiang warning art. 8: "close after initial check" or "open a case" (which, naming the
    official, opens an accountability case from the supervision bureau)."""

    @extend_schema(
        operation_id="preliminary_investigations_conclude",
        summary="作出初步调查结论",
        request=ConclusionBody,
        responses={200: InvestigationSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        investigation = get_object_or_404(investigation_queryset(request.user), pk=pk)
        investigations.check_may_conclude(request.user)
        data = validated(ConclusionBody, json_body(request))
        investigations.conclude_investigation(
            investigation,
            request.user,
            open_case=data["open_case"],
            conclusion=data["conclusion"],
            official=data.get("official"),
            ip=request.META.get("REMOTE_ADDR"),
        )
        return _investigation_response(request, pk)
