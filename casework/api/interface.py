"""The data interface for other systems (docs/interface.md): client systems only, with their
own key (``Authorization: Bearer cw_…``), scopes and rate; every call is logged.

    POST /api/v1/interface/items/events     a batch of events about in-process items
    GET  /api/v1/events?after=<cursor>      every state change, card and document, oldest
                                            first, as the caller's scopes allow
"""

import time

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.exceptions import InvalidInput, TooLarge
from casework.interface import feed, items
from casework.interface.auth import ClientKeyAuthentication, ClientRateThrottle, HasScope, client_of
from casework.interface.models import ClientCall, Scope

from .common import ERRORS, filter_parameters, json_body


class ClientKeyScheme(OpenApiAuthenticationExtension):
    target_class = "casework.interface.auth.ClientKeyAuthentication"
    name = "clientSystemKey"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )


CLIENT_ERRORS = {
    401: OpenApiResponse(description="缺少或无效的接入系统密钥"),
    403: OpenApiResponse(description="该接入系统没有此项权限"),
    429: OpenApiResponse(description="调用过于频繁（响应头 Retry-After）"),
}


class ClientView(APIView):
    """A view for client systems: their key, their scopes, their rate; and a
    ``ClientCall`` row for every call that names a client (who, what, status, how many)."""

    authentication_classes = [ClientKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ClientRateThrottle]
    required_scopes: tuple = ()

    def initial(self, request, *args, **kwargs):
        self._started = time.monotonic()
        self.counts = {}
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = client_of(request)
        if client is not None:
            started = getattr(self, "_started", time.monotonic())
            ClientCall.objects.create(
                client=client,
                method=request.method,
                path=request.path[:255],
                status=response.status_code,
                duration_ms=int((time.monotonic() - started) * 1000),
                ip_address=request.META.get("REMOTE_ADDR") or None,
                **getattr(self, "counts", {}),
            )
        return response


REFUSALS = inline_serializer(
    "ItemEventRefusal",
    {
        "index": serializers.IntegerField(),
        "error": serializers.ChoiceField(choices=["invalid", "conflict"]),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
    many=True,
)


class ItemEventIn(serializers.Serializer):
    """One event, as the schema describes it (each is checked on its own by
    ``casework.interface.items.check``, so that a bad one does not refuse the batch)."""

    idempotency_key = serializers.CharField(max_length=128)
    item_id = serializers.CharField(max_length=128)
    department = serializers.SlugField(help_text=gettext_lazy("承办单位（部门代码）"))
    matter_type = serializers.CharField(max_length=128)
    promised_working_days = serializers.IntegerField(min_value=1, max_value=3650)
    event = serializers.ChoiceField(
        choices=["received", "accepted", "suspended", "resumed", "decided", "completed"]
    )
    at = serializers.DateTimeField(help_text=gettext_lazy("发生时间，ISO 8601，带时区"))


class ItemEventBatch(serializers.Serializer):
    events = ItemEventIn(many=True)


class ItemEvents(ClientView):
    """A batch of events about in-process items (在办事项): each item's state and deadline
    follow from all its events in the order of ``at``. A resend changes nothing; a bad event
    is refused with its index and reason, the others are kept."""

    required_scopes = (Scope.ITEMS_WRITE,)

    @extend_schema(
        operation_id="interface_item_events",
        summary="报送在办事项事件",
        request=ItemEventBatch,
        responses={
            200: inline_serializer(
                "ItemEventsResult",
                {
                    "accepted": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                    "refused": REFUSALS,
                },
            ),
            400: ERRORS[400],
            413: OpenApiResponse(description="一批超过 1000 个事件"),
            **CLIENT_ERRORS,
        },
    )
    def post(self, request):
        body = json_body(request)
        events = body.get("events")
        if not isinstance(events, list):
            message = _("events 必须是事件数组。")
            raise InvalidInput(message, {"events": [message]})
        if len(events) > settings.INTERFACE_BATCH_MAX:
            raise TooLarge(
                _("一批最多 %(n)s 个事件。") % {"n": settings.INTERFACE_BATCH_MAX},
                {"events": [str(len(events))]},
            )
        result = items.ingest(client_of(request), events)
        self.counts = {
            "count": len(events),
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "refused": len(result.refused),
        }
        return Response(result.as_dict())


class EventQuery(serializers.Serializer):
    after = serializers.CharField(
        required=False, help_text=gettext_lazy("上次读到的 next_cursor；不填从头读起")
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, help_text=gettext_lazy("最多返回条数")
    )

    def validate_after(self, value):
        if feed.parse_cursor(value) is None:
            raise serializers.ValidationError(_("游标格式有误。"))
        return value


FEED_ENTRIES = inline_serializer(
    "FeedEvent",
    {
        "id": serializers.IntegerField(),
        "cursor": serializers.CharField(),
        "at": serializers.DateTimeField(),
        "type": serializers.ChoiceField(
            choices=["opened", "state_change", "recorded", "card", "document"]
        ),
        "topic": serializers.ChoiceField(
            choices=["accountability", "complaints", "warnings", "items"]
        ),
        "object": serializers.CharField(),
        "data": serializers.DictField(),
    },
    many=True,
)


class EventFeed(ClientView):
    """Every state change, card and document in casework that the caller's scopes cover,
    oldest first, after ``after``; poll again with ``next_cursor``."""

    required_scopes = tuple(scope for scope in Scope.values if scope.startswith("events:"))

    @extend_schema(
        operation_id="events_feed",
        summary="事件流",
        parameters=filter_parameters(EventQuery),
        responses={
            200: inline_serializer(
                "EventFeedPage",
                {"results": FEED_ENTRIES, "next_cursor": serializers.CharField()},
            ),
            400: ERRORS[400],
            **CLIENT_ERRORS,
        },
    )
    def get(self, request):
        query = EventQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after = query.validated_data.get("after") or feed.START
        limit = query.validated_data.get("limit") or settings.INTERFACE_FEED_PAGE
        events = feed.page(client_of(request).topics, feed.parse_cursor(after), limit)
        self.counts = {"count": len(events)}
        return Response(
            {
                "results": [feed.entry(event) for event in events],
                "next_cursor": events[-1].cursor if events else after,
            }
        )
