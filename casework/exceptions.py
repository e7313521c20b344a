"""What a service may refuse, independent of the channel (task screen, API, command).

The API maps them to the status codes of docs/api.md; the task screens show the
message beside the form.
"""

import datetime

from django.utils.translation import gettext as _


class ServiceError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, fields: dict | None = None, *, record=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        # What the law wants on the record although the act is refused (a late filing):
        # written by the pipeline after the refused transaction has rolled back.
        self.record = record


class NotAllowed(ServiceError):
    """The person may not do this (role, or not their case) → 403."""

    status = 403
    code = "forbidden"


class InvalidInput(ServiceError):
    """Malformed or invalid input; ``fields`` names each bad field → 400."""

    status = 400
    code = "invalid"


class WrongState(ServiceError):
    """Not allowed from the current state, or the case changed since it was read → 409."""

    status = 409
    code = "conflict"


class RefusedByRule(ServiceError):
    """Well-formed but refused by a legal rule: a window, a period → 422."""

    status = 422
    code = "refused_by_rule"


def validated(serializer_class, data) -> dict:
    """Validate a transition's body with its serializer; errors name each field."""
    if not isinstance(data, dict):
        raise InvalidInput(
            "请求体必须是 JSON 对象。", {"non_field_errors": ["请求体必须是 JSON 对象。"]}
        )
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        fields = {
            key: [str(m) for m in value] if isinstance(value, list) else value
            for key, value in serializer.errors.items()
        }
        raise InvalidInput("请求内容有误，请检查标出的字段。", fields)
    return dict(serializer.validated_data)


class TooLarge(ServiceError):
    """An attachment or a body over the limit → 413."""

    status = 413
    code = "too_large"


def claimed_day(data):
    """The ``on`` day a request body claims, if it is a readable date (validated later):
    permission is decided on it before the body is validated (the kernel's pipeline)."""
    value = data.get("on") if isinstance(data, dict) else None
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def act_day(payload: dict, today):
    """Pop the ``on`` day of a validated transition body (default ``today``); a day in the
    future is refused (``on`` is the day the act took place)."""
    on = payload.pop("on", None) or today
    if on > today:
        message = _("办理日期不得晚于今天。")
        raise InvalidInput(message, {"on": [message]})
    return on


def is_stale(if_match, version) -> bool:
    """Whether an ``If-Match`` header names another version than the object's (docs/api.md)."""
    return if_match not in (None, "") and str(if_match).strip('"') != str(version)
