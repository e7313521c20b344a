"""The monthly performance evaluation in the HTTP API (docs/api.md, docs/evaluation.md): thin
views over casework.evaluation's services and rules, and the complainant's rating on the
public side."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.complaints import portal
from casework.evaluation import rules, services
from casework.evaluation.declaration import EVALUATION
from casework.evaluation.handlers import effective_amounts
from casework.evaluation.models import Correction, Line, Objection, ScoringItem
from casework.evaluation.trends import trends
from casework.exceptions import NotAllowed, ServiceError

from .common import ERRORS, history_reason, json_body, take_step
from .complaints import Throttled429

REFUSALS = {
    **ERRORS,
    409: ERRORS[400],
    422: ERRORS[400],
}


def _month(user, key):
    try:
        month = services.parse_month(key)
    except ServiceError:
        raise Http404 from None
    return get_object_or_404(rules.visible(user), month=month)


def month_summary(evaluation) -> dict:
    return {
        "month": evaluation.key,
        "state": evaluation.state,
        "state_name": str(evaluation.get_state_display()),
        "version": evaluation.version,
        "run": evaluation.run,
        "computed_at": evaluation.computed_at.isoformat(),
        "published_on": evaluation.published_on.isoformat() if evaluation.published_on else None,
        "objection_until": evaluation.objection_until.isoformat()
        if evaluation.objection_until
        else None,
        "bulletin": evaluation.bulletin.number if evaluation.bulletin_id else None,
    }


def month_detail(user, evaluation) -> dict:
    lines = rules.visible_lines(user, evaluation, evaluation.current_lines()).select_related(
        "department"
    )
    amounts = effective_amounts(evaluation)
    pending = set(
        Objection.objects.filter(line__in=lines, decision__isnull=True).values_list(
            "line_id", flat=True
        )
    )
    departments: dict[str, dict] = {}
    for line in lines:
        row = departments.setdefault(
            line.department.code,
            {"department": line.department.code, "name": line.department.name, "lines": []},
        )
        row["lines"].append(
            {
                "id": line.pk,
                "item": line.item_name,
                "basis": line.basis,
                "method": line.method,
                "events": line.events,
                "amount": str(line.amount),
                "effective": str(amounts[line.pk]),
                "under_objection": line.pk in pending,
            }
        )
    for row in departments.values():
        row["total"] = str(sum(amounts[line["id"]] for line in row["lines"]))
    return {
        **month_summary(evaluation),
        "available_transitions": services.available_transitions(user, evaluation),
        "departments": sorted(departments.values(), key=lambda row: row["department"]),
    }


MONTH_SUMMARIES = inline_serializer(
    "EvaluationMonthSummary",
    {
        "month": serializers.CharField(),
        "state": serializers.CharField(),
        "state_name": serializers.CharField(),
        "version": serializers.IntegerField(),
        "run": serializers.IntegerField(),
        "computed_at": serializers.DateTimeField(),
        "published_on": serializers.DateField(allow_null=True),
        "objection_until": serializers.DateField(allow_null=True),
        "bulletin": serializers.CharField(allow_null=True),
    },
    many=True,
)

SCHEME_ITEMS = inline_serializer(
    "EvaluationScoringItem",
    {
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "basis": serializers.CharField(),
        "method": serializers.CharField(),
        "points": serializers.CharField(),
        "cap": serializers.CharField(allow_null=True),
        "weight": serializers.CharField(),
        "article": serializers.CharField(),
        "active": serializers.BooleanField(),
    },
    many=True,
)

MONTH = inline_serializer(
    "EvaluationMonth",
    {
        "month": serializers.CharField(),
        "state": serializers.CharField(),
        "state_name": serializers.CharField(),
        "version": serializers.IntegerField(),
        "run": serializers.IntegerField(),
        "computed_at": serializers.DateTimeField(),
        "published_on": serializers.DateField(allow_null=True),
        "objection_until": serializers.DateField(allow_null=True),
        "bulletin": serializers.CharField(allow_null=True),
        "available_transitions": serializers.ListField(child=serializers.CharField()),
        "departments": serializers.ListField(child=serializers.DictField()),
    },
)


class EvaluationMonths(APIView):
    """The months the caller may see; the bureau computes one (a draft, or a new run of it)."""

    @extend_schema(
        operation_id="evaluation_months",
        summary="月度绩效测评列表",
        responses={200: MONTH_SUMMARIES, 403: ERRORS[403]},
    )
    def get(self, request):
        if not rules.works_in_procedure(request.user):
            raise NotAllowed(_("无权查看绩效测评。"))
        return Response([month_summary(e) for e in rules.visible(request.user)])

    @extend_schema(
        operation_id="evaluation_compute",
        summary="计算月度绩效测评（草稿或草稿重新计算）",
        request=inline_serializer("EvaluationCompute", {"month": serializers.CharField()}),
        responses={200: MONTH, 201: MONTH, **REFUSALS},
    )
    def post(self, request):
        body = json_body(request)
        month = services.parse_month(body.get("month", ""))
        evaluation, outcome = services.evaluate_month(
            month, request.user, ip=request.META.get("REMOTE_ADDR")
        )
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(month_detail(request.user, evaluation), status=code)


class EvaluationMonth(APIView):
    @extend_schema(
        operation_id="evaluation_month",
        summary="月度绩效测评表（本人可见的部分）",
        responses={200: MONTH, 404: ERRORS[404]},
    )
    def get(self, request, month):
        return Response(month_detail(request.user, _month(request.user, month)))


class EvaluationTransition(APIView):
    @extend_schema(
        operation_id="evaluation_transition",
        summary="月度绩效测评办理操作",
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(EVALUATION.steps)
            ),
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        request=OpenApiTypes.OBJECT,
        responses={200: MONTH, **REFUSALS},
    )
    def post(self, request, month, name):
        evaluation = _month(request.user, month)
        take_step(services.transition, EVALUATION, evaluation, name, request)
        evaluation.refresh_from_db()
        return Response(month_detail(request.user, evaluation))


class EvaluationLine(APIView):
    """A line and the events behind it (traceability), its objections and corrections."""

    @extend_schema(
        operation_id="evaluation_line",
        summary="测评明细及其计分依据",
        responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        line = Line.objects.select_related("evaluation", "department").filter(pk=pk).first()
        if line is None or not rules.can_see_line(request.user, line):
            raise Http404
        return Response(
            {
                "id": line.pk,
                "month": line.evaluation.key,
                "department": line.department.code,
                "item": line.item_name,
                "basis": line.basis,
                "method": line.method,
                "points": str(line.points),
                "cap": None if line.cap is None else str(line.cap),
                "weight": str(line.weight),
                "events": line.events,
                "amount": str(line.amount),
                "current": line.run == line.evaluation.run,
                "evidence": [
                    {
                        "source": e.source,
                        "id": e.source_id,
                        "on": e.on.isoformat(),
                        "label": e.label,
                        "value": str(e.value),
                    }
                    for e in line.evidence.all()
                ],
                "objections": [
                    {
                        "id": o.pk,
                        "lodged_on": o.lodged_on.isoformat(),
                        "reason": o.reason,
                        "decision": None
                        if not hasattr(o, "decision")
                        else {
                            "upheld": o.decision.upheld,
                            "decided_on": o.decision.decided_on.isoformat(),
                            "reason": o.decision.reason,
                        },
                    }
                    for o in line.objections.order_by("id")
                ],
                "corrections": [
                    {"amount": str(c.amount), "on": c.created_on.isoformat(), "reason": c.reason}
                    for c in Correction.objects.filter(line=line).order_by("id")
                ],
            }
        )


def item_json(item) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "basis": item.basis,
        "method": item.method,
        "points": str(item.points),
        "cap": None if item.cap is None else str(item.cap),
        "weight": str(item.weight),
        "article": item.article,
        "active": item.active,
    }


class EvaluationScheme(APIView):
    @extend_schema(
        operation_id="evaluation_scheme",
        summary="评分细则",
        responses={200: SCHEME_ITEMS, 403: ERRORS[403]},
    )
    def get(self, request):
        if not rules.works_in_procedure(request.user):
            raise NotAllowed(_("无权查看评分细则。"))
        return Response([item_json(item) for item in ScoringItem.objects.all()])


class EvaluationSchemeItem(APIView):
    @extend_schema(
        operation_id="evaluation_scheme_item_edit",
        summary="修改评分细则的一项（须说明理由）",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **REFUSALS},
    )
    def patch(self, request, code):
        item = get_object_or_404(ScoringItem, code=code)
        body = json_body(request)
        item = services.edit_item(
            item,
            request.user,
            {k: v for k, v in body.items() if k != "reason"},
            reason=history_reason(body),
            ip=request.META.get("REMOTE_ADDR"),
        )
        return Response(item_json(item))


class EvaluationTrends(APIView):
    """Every department's total per published month (the dashboard's chart reads it)."""

    @extend_schema(
        operation_id="evaluation_trends",
        summary="各部门月度得分趋势",
        parameters=[OpenApiParameter("months", OpenApiTypes.INT, OpenApiParameter.QUERY)],
        responses={200: OpenApiTypes.OBJECT, 403: ERRORS[403]},
    )
    def get(self, request):
        if not rules.works_in_procedure(request.user):
            raise NotAllowed(_("无权查看绩效测评。"))
        try:
            months = min(max(int(request.query_params.get("months", 12)), 1), 60)
        except ValueError:
            months = 12
        return Response(trends(request.user, months))


class PublicComplaintRating(APIView):
    """The complainant rates the handling with the tracking code: once, after the result is
    published (Xinxiang performance art. 8 (九), art. 10 (三))."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="public_complaints_rating",
        summary="凭查询码评价投诉办理（满意/基本满意/不满意）",
        request=inline_serializer(
            "PublicComplaintRating",
            {
                "rating": serializers.ChoiceField(
                    choices=["satisfied", "fairly_satisfied", "dissatisfied"]
                )
            },
        ),
        responses={
            201: inline_serializer(
                "PublicComplaintRated",
                {"rating": serializers.CharField(), "rating_name": serializers.CharField()},
            ),
            400: ERRORS[400],
            404: ERRORS[404],
            409: ERRORS[400],
            422: ERRORS[400],
            429: ERRORS[400],
        },
    )
    def post(self, request, code):
        if portal.tracking_blocked(request):
            raise Throttled429(_("查询过于频繁，请稍后再试。"))
        complaint = portal.find_by_code(code)
        if complaint is None:
            portal.count_tracking_miss(request)
            return Response(
                {"error": "not_found", "detail": _("没有该查询码对应的投诉。"), "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        body = json_body(request)
        rating = services.rate(complaint, body.get("rating"), ip=request.META.get("REMOTE_ADDR"))
        return Response(
            {"rating": rating.value, "rating_name": str(rating.get_value_display())},
            status=status.HTTP_201_CREATED,
        )
