"""The error shape of docs/api.md: {"error": code, "detail": text, "fields": {...}}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from casework.exceptions import ServiceError


class Conflict(exceptions.APIException):
    """409: not allowed from the current state, or changed since the caller read it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "操作与当前状态冲突。"


class LegalRuleRefused(exceptions.APIException):
    """422: well-formed but refused by a legal rule (a window, a period)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "refused_by_rule"
    default_detail = "该操作不符合规定。"


_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "refused_by_rule",
    429: "throttled",
}


def _flatten(value):
    """DRF error details → plain strings, keeping the field structure."""
    if isinstance(value, dict):
        return {key: _flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        flat = [_flatten(item) for item in value]
        if all(isinstance(item, str) for item in flat):
            return flat
        return flat
    return str(value)


def error_body(status_code: int, detail: str, fields=None, code: str | None = None) -> dict:
    return {
        "error": code or _CODES.get(status_code, "error"),
        "detail": detail,
        "fields": fields or {},
    }


# SQLite's "database is locked" after its timeout; PostgreSQL's deadlock, serialisation failure
# and lock timeout (SQLSTATE 40P01, 40001, 55P03).
_BUSY_STATES = {"40P01", "40001", "55P03"}


def database_busy(exc) -> bool:
    """Whether ``exc`` says that another transaction held what this one needed: a conflict
    the caller may retry (409), not a fault of the server."""
    if not isinstance(exc, OperationalError):
        return False
    if "database is locked" in str(exc) or "database table is locked" in str(exc):
        return True
    return getattr(exc.__cause__, "sqlstate", None) in _BUSY_STATES


def busy_message() -> str:
    return _("数据正被其他操作修改，请刷新后重试。")


def exception_handler(exc, context):
    if database_busy(exc):
        return Response(error_body(409, busy_message(), code="conflict"), status=409)
    if isinstance(exc, RequestDataTooBig):
        detail = _("请求内容过大（上限 %(mb)s MB）。") % {
            "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        }
        return Response(error_body(413, detail, code="too_large"), status=413)
    if isinstance(exc, ServiceError):
        # A refusal of a service (casework/exceptions.py) carries its own status and code.
        body = error_body(exc.status, str(exc.message), _flatten(exc.fields), exc.code)
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("对象不存在。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("无权执行此操作。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", None)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(fields, list):
            fields = {"non_field_errors": fields}
        body = error_body(400, _("请求内容有误，请检查标出的字段。"), fields, "invalid")
    else:
        detail = exc.detail if isinstance(exc.detail, str) else _flatten(exc.detail)
        if not isinstance(detail, str):
            detail = (
                "; ".join(str(item) for item in detail) if isinstance(detail, list) else str(detail)
            )
        body = error_body(
            response.status_code, str(detail), code=_CODES.get(response.status_code, code)
        )
    return Response(body, status=response.status_code, headers=_keep_headers(response))


def _keep_headers(response):
    return {
        key: value
        for key, value in response.items()
        if key in {"WWW-Authenticate", "Retry-After", "Allow"}
    }


def json_error(request, status_code: int, detail: str) -> JsonResponse:
    return JsonResponse(
        error_body(status_code, detail),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )
