"""The executive meeting over HTTP (docs/api.md, "Executive meetings"; docs/meetings.md).

Thin: every change goes through ``casework.meetings.services``. A meeting is the city staff's
(404 for anyone else); an agenda item is also its person concerned's, who files their written
statement there (Nanchong art. 11).

    GET  /api/v1/meetings?state=&date=                 meetings, newest first (staff)
    POST /api/v1/meetings                              plan a meeting → 201 (secretariat)
    GET  /api/v1/meetings/<id>                         meeting, ETag: "<version>"
    GET  /api/v1/meetings/<id>/agenda                  its items, in order
    POST /api/v1/meetings/<id>/agenda/document         print the agenda → 200 meeting
    POST /api/v1/meetings/<id>/held                    chair and attendance → 200 meeting
    POST /api/v1/meetings/<id>/minutes                 the minutes of one item → 200 meeting
    POST /api/v1/meetings/<id>/minutes/document        print the minutes → 200 meeting
    POST /api/v1/meetings/<id>/postpone                → 200 the meeting the items moved to
    GET  /api/v1/meetings/<id>/history                 oldest first
    GET  /api/v1/agenda-items/<id>                     one item (staff, the person concerned)
    POST /api/v1/agenda-items/<id>/statement           the written statement → 200 item
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.documents.models import Document
from casework.kernel import clock
from casework.kernel.payloads import CalendarDate
from casework.meetings import payloads, rules, services
from casework.meetings.models import AgendaItem, AgreedMatter, Attendee, Meeting, MeetingState

from .common import ERRORS, filter_parameters, json_body
from .serializers import DocumentSerializer

REFUSALS = {
    **ERRORS,
    409: OpenApiResponse(description="会议状态不允许（已召开、已延期），或会议已被他人更新"),
    422: OpenApiResponse(description="不符合规定（会前不能登记召开、会后不能提交陈述等）"),
}


class ItemSerializer(serializers.ModelSerializer):
    meeting_date = serializers.DateField(source="meeting.date", read_only=True)
    meeting_state = serializers.CharField(source="meeting.state", read_only=True)
    may_file_statement = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "meeting_date",
            "meeting_state",
            "position",
            "procedure",
            "object_id",
            "subject",
            "concerned_name",
            "placed_on",
            "written_statement",
            "written_statement_on",
            "statement",
            "defence",
            "discussion",
            "deliberated_on",
            "may_file_statement",
        ]

    def get_may_file_statement(self, item) -> bool:
        """Whether the caller may file a written statement today (Nanchong art. 11)."""
        return rules.may_file_statement(self.context["request"].user, item, clock.today())


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    capacity = serializers.CharField()
    present = serializers.BooleanField()
    absence_reason = serializers.CharField()


class AgreedMatterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    item = serializers.IntegerField(source="item_id", allow_null=True)
    text = serializers.CharField()
    recorded_on = serializers.DateField()


class MeetingSerializer(serializers.ModelSerializer):
    state_name = serializers.CharField(source="get_state_display", read_only=True)
    chair = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    items = ItemSerializer(many=True, read_only=True)
    attendance = AttendeeSerializer(source="attendees", many=True, read_only=True)
    agreed_matters = AgreedMatterSerializer(many=True, read_only=True)
    agenda_document = DocumentSerializer(read_only=True, allow_null=True)
    minutes_document = DocumentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "number",
            "date",
            "place",
            "chair",
            "state",
            "state_name",
            "version",
            "held_on",
            "postponed_to",
            "postponement_reason",
            "items",
            "attendance",
            "agreed_matters",
            "agenda_document",
            "minutes_document",
        ]


def meeting_queryset(user):
    documents = Document.objects.prefetch_related("amendments")
    return (
        rules.visible_meetings(user)
        .select_related("chair")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("meeting")),
            "attendees",
            "agreed_matters",
            Prefetch("agenda_document", queryset=documents),
            Prefetch("minutes_document", queryset=documents),
        )
    )


def _meeting_response(request, pk, status_code=status.HTTP_200_OK):
    meeting = get_object_or_404(meeting_queryset(request.user), pk=pk)
    body = MeetingSerializer(meeting, context={"request": request}).data
    return Response(body, status=status_code, headers={"ETag": f'"{meeting.version}"'})


def _visible_meeting(request, pk):
    return get_object_or_404(rules.visible_meetings(request.user), pk=pk)


def _ip(request):
    return request.META.get("REMOTE_ADDR")


class MeetingFilter(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=MeetingState.choices, required=False, help_text=gettext_lazy("状态")
    )
    date = CalendarDate(required=False, help_text=gettext_lazy("会议日期"))


class MeetingList(generics.GenericAPIView):
    """Meetings, newest first (staff); planning one (the secretariat)."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        return meeting_queryset(self.request.user)

    @extend_schema(
        operation_id="meetings_list",
        summary="常务会议列表",
        parameters=filter_parameters(MeetingFilter),
        responses={200: MeetingSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request):
        query = MeetingFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        for name in ("state", "date"):
            if name in query.validated_data:
                queryset = queryset.filter(**{name: query.validated_data[name]})
        page = self.paginate_queryset(queryset)
        data = MeetingSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="meetings_create",
        summary="安排常务会议",
        request=payloads.PlanMeeting,
        responses={201: MeetingSerializer, **ERRORS},
    )
    def post(self, request):
        meeting = services.plan_meeting(request.user, json_body(request), ip=_ip(request))
        response = _meeting_response(request, meeting.pk, status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/meetings/{meeting.pk}"
        return response


class MeetingDetail(APIView):
    @extend_schema(
        operation_id="meetings_retrieve",
        summary="常务会议详情",
        responses={200: MeetingSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        return _meeting_response(request, pk)


class MeetingAgenda(APIView):
    @extend_schema(
        operation_id="meetings_agenda",
        summary="会议议程",
        responses={200: ItemSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk):
        meeting = _visible_meeting(request, pk)
        items = meeting.items.select_related("meeting").order_by("position", "id")
        return Response(ItemSerializer(items, many=True, context={"request": request}).data)


def _act_view(service, *, operation_id, summary, request_body, returns_target=False, doc=""):
    """A POST on a meeting that runs one service and answers the meeting."""

    @extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request_body,
        responses={200: MeetingSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        meeting = _visible_meeting(request, pk)
        options = {"ip": _ip(request)}
        if service in (services.hold, services.postpone):
            options["if_match"] = request.headers.get("If-Match")
        result = service(meeting, request.user, json_body(request), **options)
        target = result if returns_target else meeting
        return _meeting_response(request, target.pk)

    return type(operation_id, (APIView,), {"post": post, "__doc__": doc})


PrintAgenda = _act_view(
    services.print_agenda,
    operation_id="meetings_agenda_document",
    summary="印发会议议程",
    request_body=payloads.Empty,
    doc="The agenda as a numbered document (a new number each time it is printed).",
)
HoldMeeting = _act_view(
    services.hold,
    operation_id="meetings_held",
    summary="登记会议召开及出席情况",
    request_body=payloads.HoldMeeting,
    doc="The meeting held, its chair and attendance; If-Match: <version> gives 409 if stale.",
)
RecordMinutes = _act_view(
    services.record_minutes,
    operation_id="meetings_minutes",
    summary="登记议题讨论情况",
    request_body=payloads.MinutesEntry,
    doc="The minutes of one item; an accountability item moves its case to deliberated.",
)
PrintMinutes = _act_view(
    services.print_minutes,
    operation_id="meetings_minutes_document",
    summary="印发会议纪要",
    request_body=payloads.Empty,
    doc="The minutes (会议纪要) as a numbered document, once every item was minuted.",
)
Postpone = _act_view(
    services.postpone,
    operation_id="meetings_postpone",
    summary="会议延期",
    request_body=payloads.Postpone,
    returns_target=True,
    doc="Postpone a planned meeting: its items move; answers the meeting they moved to.",
)


HISTORY_ENTRIES = inline_serializer(
    "MeetingHistoryEntry",
    {
        "at": serializers.DateTimeField(),
        "actor": serializers.CharField(allow_null=True),
        "object": serializers.CharField(),
        "object_id": serializers.IntegerField(),
        "type": serializers.CharField(),
        "state": serializers.CharField(allow_null=True),
        "reason": serializers.CharField(),
    },
    many=True,
)


class MeetingHistory(APIView):
    """Every history row of the meeting and of the items while they were on it, oldest
    first: who, when, what, why."""

    @extend_schema(
        operation_id="meetings_history",
        summary="会议办理记录",
        responses={200: HISTORY_ENTRIES, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        meeting = _visible_meeting(request, pk)
        rows = [("meeting", row) for row in meeting.history.select_related("history_user")]
        rows += [
            ("agenda_item", row)
            for row in AgendaItem.history.filter(meeting_id=meeting.pk).select_related(
                "history_user"
            )
        ]
        for name, model in (("attendee", Attendee), ("agreed_matter", AgreedMatter)):
            rows += [
                (name, row)
                for row in model.history.filter(meeting_id=meeting.pk).select_related(
                    "history_user"
                )
            ]
        rows.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id))
        types = {"+": "create", "~": "update", "-": "delete"}
        return Response(
            [
                {
                    "at": timezone.localtime(row.history_date).isoformat(),
                    "actor": row.history_user.username if row.history_user else None,
                    "object": name,
                    "object_id": row.id,
                    "type": types[row.history_type],
                    "state": getattr(row, "state", None),
                    "reason": row.history_change_reason or "",
                }
                for name, row in rows
            ]
        )


def _visible_item(request, pk):
    return get_object_or_404(
        rules.visible_items(request.user, AgendaItem.objects.select_related("meeting")), pk=pk
    )


class ItemDetail(APIView):
    @extend_schema(
        operation_id="agenda_items_retrieve",
        summary="会议议题",
        responses={200: ItemSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        item = _visible_item(request, pk)
        return Response(ItemSerializer(item, context={"request": request}).data)


class ItemStatement(APIView):
    """The written statement and defence of the person concerned, before the meeting
    (Nanchong art. 11); the secretariat may enter one that arrived on paper."""

    @extend_schema(
        operation_id="agenda_items_statement",
        summary="提交书面陈述和申辩",
        request=payloads.Statement,
        responses={200: ItemSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        item = _visible_item(request, pk)
        services.file_statement(item, request.user, json_body(request), ip=_ip(request))
        item = _visible_item(request, pk)
        return Response(ItemSerializer(item, context={"request": request}).data)
