"""The supervision of assigned matters in the HTTP API (docs/api.md, docs/supervision.md):
thin views over casework.supervision's services and rules. A matter the caller may not see
is 404; a refusal (4xx) changes nothing."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines.models import Deadline
from casework.exceptions import NotAllowed
from casework.kernel import clock
from casework.supervision import rules, services
from casework.supervision.declaration import SUPERVISION
from casework.supervision.models import State

from .common import (
    ERRORS,
    HISTORY_TYPES,
    NOISY_FIELDS,
    json_body,
    jsonable,
    take_step,
)
from .serializers import (
    DeadlineSerializer,
    DocumentSerializer,
    deadline_context,
    extensions_prefetch,
)

REFUSALS = {
    **ERRORS,
    409: OpenApiResponse(description="当前状态不允许，或事项已被他人更新（If-Match）"),
    422: OpenApiResponse(description="不符合规定（协办单位未全部会签、逾期反馈未说明原因等）"),
}


def _documents(matter) -> list:
    documents = []
    if matter.card_id:
        documents.append(matter.card)
    documents += [u.letter for u in matter.urgings.select_related("letter") if u.letter_id]
    documents += [c.document for c in matter.criticisms.select_related("document")]
    return DocumentSerializer(documents, many=True).data


def _deadlines(matter) -> list:
    if matter.deadline_id is None:
        return []
    today = clock.today()
    rows = (
        Deadline.objects.filter(pk=matter.deadline_id)
        .with_level(today)
        .select_related("responsible_unit", "responsible_user", "case")
        .prefetch_related(extensions_prefetch())
    )
    return DeadlineSerializer(rows, many=True, context=deadline_context(today)).data


def _instruction(urging) -> dict | None:
    """The leader's instruction on the urging's major problem (Handan supervision art. 4 (2))."""
    found = getattr(urging, "instruction", None) if urging.major_problem else None
    if found is None:
        return None
    return {"text": found.text, "on": found.on.isoformat(), "by": found.by.username}


def matter_summary(matter) -> dict:
    return {
        "id": matter.pk,
        "title": matter.title,
        "state": matter.state,
        "state_name": str(matter.get_state_display()),
        "version": matter.version,
        "source": matter.source,
        "major": matter.major,
        "lead_unit": matter.lead_unit.code,
        "due": (matter.deadline.due if matter.deadline_id else matter.due).isoformat(),
        "card": matter.card.number if matter.card_id else None,
    }


def matter_detail(user, matter) -> dict:
    signed = matter.countersigns.filter(draft=matter.draft_number).select_related(
        "unit", "signed_by"
    )
    return {
        **matter_summary(matter),
        "source_reference": matter.source_reference,
        "instruction": matter.instruction,
        "agreed_matter": matter.agreed_matter_id,
        "co_units": [u.code for u in matter.co_units.order_by("code")],
        "requirements": matter.requirements,
        "proposal": matter.proposal,
        "proposed_on": matter.proposed_on.isoformat(),
        "approved_by": matter.approved_by.username if matter.approved_by_id else None,
        "approved_on": jsonable(matter.approved_on),
        "feedback": matter.feedback,
        "countersigns": [
            {
                "unit": c.unit.code,
                "by": c.signed_by.username,
                "on": c.signed_on.isoformat(),
                "opinion": c.opinion,
            }
            for c in signed
        ],
        "awaiting_countersign": [u.code for u in matter.unsigned_co_units()]
        if matter.state == State.FEEDBACK_DRAFTED
        else [],
        "signed_off_on": jsonable(matter.signed_off_on),
        "late": matter.late,
        "late_reason": matter.late_reason,
        "urgings": [
            {
                "id": u.pk,
                "method": u.method,
                "on": u.on.isoformat(),
                "by": u.by.username,
                "contact": u.contact,
                "findings": u.findings,
                "major_problem": u.major_problem,
                "letter": u.letter.number if u.letter_id else None,
                "instruction": _instruction(u),
            }
            for u in matter.urgings.select_related("by", "letter", "instruction__by")
        ],
        "criticisms": [
            {
                "unit": c.unit.code,
                "on": c.on.isoformat(),
                "reason": c.reason,
                "document": c.document.number,
            }
            for c in matter.criticisms.select_related("unit", "document")
        ],
        "report": matter.report,
        "archived_on": jsonable(matter.archived_on),
        "deadlines": _deadlines(matter),
        "documents": _documents(matter),
        "available_transitions": services.available_transitions(user, matter),
    }


SUMMARY_FIELDS = {
    "id": serializers.IntegerField(),
    "title": serializers.CharField(),
    "state": serializers.ChoiceField(choices=State.choices),
    "state_name": serializers.CharField(),
    "version": serializers.IntegerField(),
    "source": serializers.CharField(),
    "major": serializers.BooleanField(),
    "lead_unit": serializers.CharField(),
    "due": serializers.DateField(),
    "card": serializers.CharField(allow_null=True),
}

MATTER = inline_serializer(
    "SupervisionMatter",
    {
        **SUMMARY_FIELDS,
        "source_reference": serializers.CharField(),
        "instruction": serializers.CharField(),
        "agreed_matter": serializers.IntegerField(allow_null=True),
        "co_units": serializers.ListField(child=serializers.CharField()),
        "requirements": serializers.CharField(),
        "proposal": serializers.CharField(),
        "proposed_on": serializers.DateField(),
        "approved_by": serializers.CharField(allow_null=True),
        "approved_on": serializers.DateField(allow_null=True),
        "feedback": serializers.CharField(),
        "countersigns": serializers.ListField(child=serializers.DictField()),
        "awaiting_countersign": serializers.ListField(child=serializers.CharField()),
        "signed_off_on": serializers.DateField(allow_null=True),
        "late": serializers.BooleanField(),
        "late_reason": serializers.CharField(),
        "urgings": serializers.ListField(child=serializers.DictField()),
        "criticisms": serializers.ListField(child=serializers.DictField()),
        "report": serializers.CharField(),
        "archived_on": serializers.DateField(allow_null=True),
        "deadlines": DeadlineSerializer(many=True),
        "documents": DocumentSerializer(many=True),
        "available_transitions": serializers.ListField(child=serializers.CharField()),
    },
)

HISTORY_ENTRIES = inline_serializer(
    "SupervisionMatterHistoryEntry",
    {
        "at": serializers.DateTimeField(),
        "on": serializers.DateField(),
        "actor": serializers.CharField(allow_null=True),
        "action": serializers.CharField(),
        "from_state": serializers.CharField(allow_null=True),
        "to_state": serializers.CharField(),
        "changes": serializers.DictField(child=serializers.ListField()),
        "reason": serializers.CharField(),
    },
    many=True,
)


class MatterFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    lead_unit = serializers.CharField(required=False, max_length=32)


def _matter(user, pk):
    return get_object_or_404(
        rules.visible(user).select_related("lead_unit", "deadline", "card", "approved_by"), pk=pk
    )


class MatterList(generics.GenericAPIView):
    """The matters the caller may see, newest first; the supervision office proposes one
    (Handan supervision art. 4 (1))."""

    @extend_schema(
        operation_id="supervision_matters_list",
        summary="督办事项列表",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=list(State.values), required=False),
            OpenApiParameter("lead_unit", OpenApiTypes.STR, required=False),
        ],
        responses={
            200: inline_serializer("SupervisionMatterSummary", SUMMARY_FIELDS, many=True),
            400: ERRORS[400],
            403: ERRORS[403],
        },
    )
    def get(self, request):
        if not rules.works_in_procedure(request.user):
            raise NotAllowed(str(SUPERVISION.messages["cannot_view"]))
        query = MatterFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = rules.visible(request.user).select_related("lead_unit", "deadline", "card")
        if "state" in query.validated_data:
            queryset = queryset.filter(state=query.validated_data["state"])
        if "lead_unit" in query.validated_data:
            queryset = queryset.filter(lead_unit__code=query.validated_data["lead_unit"])
        page = self.paginate_queryset(queryset.order_by("-id"))
        return self.get_paginated_response([matter_summary(m) for m in page])

    @extend_schema(
        operation_id="supervision_matters_create",
        summary="拟办督查事项（交办卡片）",
        request=OpenApiTypes.OBJECT,
        responses={201: MATTER, **ERRORS},
    )
    def post(self, request):
        matter = services.register(
            json_body(request), request.user, ip=request.META.get("REMOTE_ADDR")
        )
        matter.refresh_from_db()
        return Response(matter_detail(request.user, matter), status=status.HTTP_201_CREATED)


class MatterDetail(APIView):
    @extend_schema(
        operation_id="supervision_matter",
        summary="督办事项",
        responses={200: MATTER, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        return Response(matter_detail(request.user, _matter(request.user, pk)))


class MatterTransition(APIView):
    @extend_schema(
        operation_id="supervision_matter_transition",
        summary="督办事项办理操作",
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(SUPERVISION.steps)
            ),
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        request=OpenApiTypes.OBJECT,
        responses={200: MATTER, **REFUSALS},
    )
    def post(self, request, pk, name):
        matter = _matter(request.user, pk)
        take_step(services.transition, SUPERVISION, matter, name, request)
        return Response(matter_detail(request.user, _matter(request.user, pk)))


class MatterHistory(APIView):
    """Every recorded change and step of the matter, oldest first."""

    @extend_schema(
        operation_id="supervision_matter_history",
        summary="督办事项办理记录",
        responses={200: HISTORY_ENTRIES, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        matter = _matter(request.user, pk)
        entries, previous = [], None
        for record in matter.history.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            changes = {}
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=NOISY_FIELDS)
                changes = {c.field: [jsonable(c.old), jsonable(c.new)] for c in delta.changes}
            user = record.history_user
            entries.append(
                {
                    "at": timezone.localtime(record.history_date).isoformat(),
                    "on": jsonable(record.last_act_on),
                    "actor": user.username if user else None,
                    "action": record.action or HISTORY_TYPES.get(record.history_type, ""),
                    "from_state": record.from_state or None,
                    "to_state": record.state,
                    "changes": changes,
                    "reason": record.history_change_reason or "",
                }
            )
            previous = record
        return Response(entries)
