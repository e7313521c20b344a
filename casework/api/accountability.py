"""Accountability cases over HTTP (docs/api.md, "Accountability cases").

Thin: every change goes through ``casework.accountability.services`` (the kernel's pipeline); these
views only read, serialise and pass the caller's request on. A case the caller may not see is
answered 404, never 403 (docs/api.md: "also for an object the caller may not know exists").

    POST /api/v1/accountability-cases                              register → 201 case
    GET  /api/v1/accountability-cases?state=&department=&official=&overdue=
    GET  /api/v1/accountability-cases/<id>                         case, ETag: "<version>"
    POST /api/v1/accountability-cases/<id>/transitions/<name>      → 200 case
    GET  /api/v1/accountability-cases/<id>/history                 oldest first
"""

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.accountability import rules, services
from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.models import (
    AccountabilityCase,
    Decision,
    LinkedCase,
    ReviewRequest,
    State,
)
from casework.accountability.payloads import RegisterCase
from casework.deadlines.models import RIGHT_KINDS, Deadline
from casework.documents.models import Document
from casework.org.models import Official

from .common import (
    ERRORS,
    NOISY_FIELDS,
    filter_parameters,
    history_reason,
    json_body,
    jsonable,
    known_department,
)
from .serializers import (
    DeadlineSerializer,
    DocumentSerializer,
    deadline_context,
    extensions_prefetch,
)

# ------------------------------------------------------------------------------------------
# The case
# ------------------------------------------------------------------------------------------


class OfficialBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    modes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    document = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "modes",
            "reason",
            "decided_on",
            "status",
            "supersedes",
            "received_on",
            "service_method",
            # Electronic service: sent on, and first opened by the official (the receipt).
            "sent_on",
            "opened_at",
            "document",
        ]


class ReviewRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.IntegerField(source="decision_id")
    grounds = serializers.CharField()
    filed_on = serializers.DateField()
    window_due = serializers.DateField()
    late = serializers.BooleanField()
    late_accepted = serializers.SerializerMethodField()
    late_admission_reason = serializers.CharField()
    # Staff who entered a request that arrived on paper (null: the official himself).
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    outcome = serializers.CharField()
    outcome_reason = serializers.CharField()
    suspend_execution = serializers.BooleanField()
    report_submitted_on = serializers.DateField(allow_null=True)
    review_outcome = serializers.CharField()

    def get_late_accepted(self, obj) -> bool:
        return obj.late_accepted_by_id is not None


class LinkedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person_name = serializers.CharField()
    post = serializers.CharField()
    summary = serializers.CharField()
    handled_by = serializers.CharField(source="handled_by.code")
    opened_on = serializers.DateField()
    outcome = serializers.CharField()
    # The linked case decided by the head (Nanchong art. 20), when opened as one.
    case = serializers.IntegerField(source="case_id", allow_null=True)


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    organ = serializers.CharField()
    referred_on = serializers.DateField()
    note = serializers.CharField()


class PriorSanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sanction = serializers.CharField()
    imposed_by = serializers.CharField()
    imposed_on = serializers.DateField()


class CaseSerializer(serializers.ModelSerializer):
    """docs/api.md: {"id","number","state","version","official","department","grounds","source",
    "summary","modes","deadlines","documents","available_transitions"}, and more."""

    state_name = serializers.CharField(source="get_state_display", read_only=True)
    official = OfficialBriefSerializer(read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    vertical = serializers.BooleanField(source="department.vertical", read_only=True)
    grounds = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    modes = serializers.SerializerMethodField()
    recommended_modes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    review_requests = ReviewRequestSerializer(many=True, read_only=True)
    linked_cases = LinkedCaseSerializer(many=True, read_only=True)
    referrals = ReferralSerializer(many=True, read_only=True)
    prior_sanctions = PriorSanctionSerializer(many=True, read_only=True)
    objection_entered_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = AccountabilityCase
        fields = [
            "id",
            "number",
            "state",
            "state_name",
            "version",
            "official",
            # Nanchong art. 20: the case this one was opened under (decided by its head).
            "parent",
            "department",
            "department_name",
            "vertical",
            "grounds",
            "source",
            "summary",
            "registered_at",
            "last_act_on",
            "modes",
            "findings",
            "findings_served_on",
            # The objection is shown beside the findings (Nanchong art. 8).
            "objection",
            "objection_filed_on",
            "objection_entered_by",
            "recommendation",
            "recommended_modes",
            "meeting_date",
            "proposal_organ",
            "execution_suspended",
            "closed_on",
            "deadlines",
            "documents",
            "decisions",
            "review_requests",
            "linked_cases",
            "referrals",
            "prior_sanctions",
            "available_transitions",
        ]

    def get_modes(self, case) -> list[str]:
        decision = case.decision
        if decision is None:
            return []
        return [mode.code for mode in decision.modes.all()]

    def get_available_transitions(self, case) -> list[str]:
        return services.available_transitions(self.context["request"].user, case)


def case_queryset(user, as_of: datetime.date | None = None):
    """The cases ``user`` may see, with everything the case JSON shows fetched in a constant
    number of queries."""
    as_of = as_of or timezone.localdate()
    return (
        rules.visible_cases(user)
        .select_related("official", "department", "source", "objection_entered_by")
        .prefetch_related(
            "grounds",
            "recommended_modes",
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.with_level(as_of)
                .select_related("responsible_unit")
                .prefetch_related(extensions_prefetch()),
            ),
            Prefetch("documents", queryset=Document.objects.prefetch_related("amendments")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("document").prefetch_related("modes"),
            ),
            Prefetch(
                "review_requests", queryset=ReviewRequest.objects.select_related("entered_by")
            ),
            Prefetch("linked_cases", queryset=LinkedCase.objects.select_related("handled_by")),
            "referrals",
            "prior_sanctions",
        )
    )


def _context(request, **extra):
    as_of = timezone.localdate()
    return {"request": request, **deadline_context(as_of), **extra}


def _etag(case) -> str:
    return f'"{case.version}"'


def _case_response(request, pk, status_code=status.HTTP_200_OK):
    case = get_object_or_404(case_queryset(request.user), pk=pk)
    body = CaseSerializer(case, context=_context(request)).data
    return Response(body, status=status_code, headers={"ETag": _etag(case)})


# ------------------------------------------------------------------------------------------
# Filters of the list
# ------------------------------------------------------------------------------------------


class CaseFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    department = serializers.SlugField(required=False, help_text=gettext_lazy("部门代码"))
    official = serializers.IntegerField(required=False, help_text=gettext_lazy("被问责人 id"))
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("true：有已逾期未完成的职责期限（黄牌、红牌）"),
    )

    def validate_department(self, value):
        return known_department(value)

    def validate_official(self, value):
        if not Official.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("没有该被问责人。"))
        return value


def overdue_deadlines(as_of: datetime.date):
    """Open duties past their due date as of ``as_of`` (yellow or red, Xinxiang warning art. 5):
    rights of the official and suspended execution carry no card."""
    return (
        Deadline.objects.open()
        .exclude(kind__in=list(RIGHT_KINDS))
        .filter(suspended_on__isnull=True, due__lt=as_of)
    )


# ------------------------------------------------------------------------------------------
# Views
# ------------------------------------------------------------------------------------------


class CaseList(generics.GenericAPIView):
    """Cases the caller may see (an official: only their own), newest first; and
    registration of a new case (secretariat, mayor — Nanchong art. 5)."""

    serializer_class = CaseSerializer

    def get_queryset(self):
        return case_queryset(self.request.user)

    @extend_schema(
        operation_id="accountability_cases_list",
        summary="问责案件列表",
        parameters=filter_parameters(CaseFilter),
        responses={200: CaseSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request):
        query = CaseFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        queryset = self.get_queryset()
        if "state" in filters:
            queryset = queryset.filter(state=filters["state"])
        if "department" in filters:
            queryset = queryset.filter(department__code=filters["department"])
        if "official" in filters:
            queryset = queryset.filter(official_id=filters["official"])
        if filters.get("overdue") is not None:
            overdue = Exists(overdue_deadlines(timezone.localdate()).filter(case=OuterRef("pk")))
            queryset = queryset.filter(overdue if filters["overdue"] else ~overdue)
        page = self.paginate_queryset(queryset)
        context = _context(request)
        data = CaseSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="accountability_cases_create",
        summary="登记问责案件",
        request=RegisterCase,
        responses={201: CaseSerializer, **ERRORS},
    )
    def post(self, request):
        case = services.register_case(
            request.user, json_body(request), ip=request.META.get("REMOTE_ADDR")
        )
        response = _case_response(request, case.pk, status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/accountability-cases/{case.pk}"
        return response


class CaseDetail(APIView):
    """One case; ``available_transitions`` lists what this caller may do now. The ``ETag``
    header carries the version to send back as ``If-Match``."""

    @extend_schema(
        operation_id="accountability_cases_retrieve",
        summary="问责案件详情",
        responses={200: CaseSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        case = get_object_or_404(rules.visible_cases(request.user), pk=pk)
        # Electronic service: the official's first opening is the receipt (recorded).
        services.open_served_decision(case, request.user, ip=request.META.get("REMOTE_ADDR"))
        return _case_response(request, pk)


def _payload_schema(serializer_class):
    """For the schema only: a uniquely named component per payload class (the classes are
    reused by several transitions and their plain names are generic)."""
    component = f"AccountabilityTransition{serializer_class.__name__}"
    meta = type("Meta", (), {"ref_name": component})
    return type(component, (serializer_class,), {"Meta": meta, "__module__": __name__})


_PAYLOAD_CLASSES = list(dict.fromkeys(step.payload for step in ACCOUNTABILITY.steps.values()))
TRANSITION_BODY = PolymorphicProxySerializer(
    component_name="AccountabilityTransitionBody",
    serializers=[_payload_schema(cls) for cls in _PAYLOAD_CLASSES],
    resource_type_field_name=None,
)


class CaseTransition(APIView):
    """Perform transition ``name`` (the table of docs/api.md) with its body; every body may carry
    ``on`` (the day of the act) and ``reason`` (recorded in the history). Send
    ``If-Match: <version>`` to get 409 if the case changed since it was read."""

    @extend_schema(
        operation_id="accountability_cases_transition",
        summary="执行办理步骤（状态转换）",
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(ACCOUNTABILITY.steps),
                description="步骤名称",
            ),
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="案件版本 version；与当前版本不符时返回 409",
            ),
        ],
        request=TRANSITION_BODY,
        responses={
            200: CaseSerializer,
            **ERRORS,
            409: OpenApiResponse(description="当前状态不允许，或案件已被他人更新"),
            422: OpenApiResponse(description="不符合法定规则（期间、时限等）"),
        },
    )
    def post(self, request, pk, name):
        case = get_object_or_404(rules.visible_cases(request.user), pk=pk)
        data = json_body(request)
        services.transition(
            case,
            name,
            request.user,
            data,
            reason=history_reason(data),
            if_match=request.headers.get("If-Match"),
            ip=request.META.get("REMOTE_ADDR"),
        )
        return _case_response(request, pk)


# ------------------------------------------------------------------------------------------
# History
# ------------------------------------------------------------------------------------------

# Bookkeeping columns that change with every act and say nothing by themselves.
HISTORY_TYPES = {"+": "create", "~": "update", "-": "delete"}


HISTORY_ENTRIES = inline_serializer(
    "AccountabilityCaseHistoryEntry",
    {
        "at": serializers.DateTimeField(),
        "on": serializers.DateField(),
        "actor": serializers.CharField(allow_null=True),
        "actor_name": serializers.CharField(allow_null=True),
        "action": serializers.CharField(),
        "from_state": serializers.CharField(allow_null=True),
        "to_state": serializers.CharField(),
        "changes": serializers.DictField(child=serializers.ListField()),
        "reason": serializers.CharField(),
        "delegation": serializers.IntegerField(allow_null=True),
    },
    many=True,
)


class CaseHistory(APIView):
    """Every recorded change and transition of the case, oldest first (the audit
    trail: who, when, old and new values, the reason)."""

    @extend_schema(
        operation_id="accountability_cases_history",
        summary="问责案件办理记录",
        responses={200: HISTORY_ENTRIES, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        case = get_object_or_404(rules.visible_cases(request.user), pk=pk)
        records = list(
            case.history.select_related("history_user").order_by("history_date", "history_id")
        )
        entries = []
        previous = None
        for record in records:
            changes = {}
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=NOISY_FIELDS)
                changes = {
                    change.field: [jsonable(change.old), jsonable(change.new)]
                    for change in delta.changes
                }
            user = record.history_user
            entries.append(
                {
                    "at": timezone.localtime(record.history_date).isoformat(),
                    "on": jsonable(record.last_act_on),
                    "actor": user.username if user else None,
                    "actor_name": str(user) if user else None,
                    "action": record.action or HISTORY_TYPES.get(record.history_type, ""),
                    "from_state": record.from_state or None,
                    "to_state": record.state,
                    "changes": changes,
                    "reason": record.history_change_reason or "",
                    # Nanchong art. 6: the delegation an act of the mayor's was done under.
                    "delegation": record.delegation_id,
                }
            )
            previous = record
        return Response(entries)
