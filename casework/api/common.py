"""What every resource of the HTTP API shares: the JSON body, the documented refusals, query
filters described in the schema, and values as JSON."""

import datetime

from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from casework.exceptions import InvalidInput
from casework.org.models import Department

ERRORS = {
    400: OpenApiResponse(description="请求内容有误（fields 标出字段）"),
    403: OpenApiResponse(description="无权执行此操作"),
    404: OpenApiResponse(description="对象不存在或无权查看"),
}

# The refusals of an act on a deadline, a letter or an investigation.
REFUSALS = {
    **ERRORS,
    409: OpenApiResponse(description="当前状态不允许（已审批、已报告、已有待审批的申请）"),
    422: OpenApiResponse(description="不符合规定（期限已届满、超过延期上限等）"),
}


def json_body(request):
    """The JSON body, which must be an object (docs/api.md: 400 otherwise)."""
    data = request.data
    if not isinstance(data, dict):
        raise InvalidInput(
            _("请求体必须是 JSON 对象。"),
            {"non_field_errors": [_("请求体必须是 JSON 对象。")]},
        )
    return dict(data.items()) if hasattr(data, "getlist") else data


def history_reason(body) -> str:
    """The ``reason`` a transition's body gives for the history: text, or nothing."""
    reason = body.get("reason", "")
    if not isinstance(reason, str):
        message = _("须为文本（字符串）。")
        raise InvalidInput(_("请求内容有误，请检查标出的字段。"), {"reason": [message]})
    return reason


def take_step(transition, procedure, obj, name, request):
    """A step of ``procedure`` on ``obj`` through the API, by ``transition`` (the procedure's
    service): the body must be a JSON object; its ``reason`` is the history's reason, unless
    the step's payload has a reason of its own (an unknown step is refused by the pipeline,
    naming it); the caller's If-Match and address go with it."""
    step = procedure.step(name)
    body = json_body(request)
    own_reason = step is not None and "reason" in step.payload().fields
    return transition(
        obj,
        name,
        request.user,
        body if own_reason else {k: v for k, v in body.items() if k != "reason"},
        reason=history_reason(body),
        if_match=request.headers.get("If-Match"),
        ip=request.META.get("REMOTE_ADDR"),
    )


def known_department(code):
    """A query filter's department, by code: an unknown one is 400 naming the filter."""
    if not Department.objects.filter(code=code).exists():
        raise serializers.ValidationError(_("没有该部门：%(code)s") % {"code": code})
    return code


def filter_parameters(serializer_class):
    parameters = []
    for name, field in serializer_class().fields.items():
        if isinstance(field, serializers.ChoiceField):
            kind = OpenApiTypes.STR
            enum = list(field.choices)
        elif isinstance(field, serializers.IntegerField):
            kind, enum = OpenApiTypes.INT, None
        elif isinstance(field, serializers.BooleanField):
            kind, enum = OpenApiTypes.BOOL, None
        elif isinstance(field, serializers.DateField):
            kind, enum = OpenApiTypes.DATE, None
        else:
            kind, enum = OpenApiTypes.STR, None
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=False,
                enum=enum,
                description=str(field.help_text or field.label or ""),
            )
        )
    return parameters


NOISY_FIELDS = ["version", "last_act_on"]
HISTORY_TYPES = {"+": "create", "~": "update", "-": "delete"}


def jsonable(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value
