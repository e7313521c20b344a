"""The JSON every endpoint reads, public ones included: a malformed body, one nested deeper
than any body of docs/api.md needs, or one with a NUL character is a 400, never a server
error (Python's parser overflows its stack at about a thousand levels; PostgreSQL refuses
NUL in text)."""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# The deepest body of the API is an object holding a list (``grounds``, ``modes``).
MAX_DEPTH = 8
NUL = "\x00"


def nul_message() -> str:
    return _("不允许包含空字符（NUL，\\u0000）。")


def _walk(value, depth: int, top: str | None, problems: dict) -> None:
    """Check the nesting depth and look for NUL characters, without recursion (a body is at
    most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes)."""
    stack = [(value, depth, top)]
    while stack:
        item, level, field = stack.pop()
        if level > MAX_DEPTH:
            raise exceptions.ParseError(
                _("JSON 嵌套层数过多（最多 %(depth)s 层）。") % {"depth": MAX_DEPTH}
            )
        if isinstance(item, str):
            if NUL in item:
                problems.setdefault(field or "non_field_errors", [nul_message()])
        elif isinstance(item, dict):
            for key, child in item.items():
                name = field if field is not None else key.replace(NUL, "")
                if NUL in key:
                    problems.setdefault(name, [nul_message()])
                stack.append((child, level + 1, name))
        elif isinstance(item, list):
            stack.extend((child, level + 1, field) for child in item)


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, with the limits of the module."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(
                _("JSON 嵌套层数过多（最多 %(depth)s 层）。") % {"depth": MAX_DEPTH}
            ) from None
        except ValueError as exc:  # also UnicodeDecodeError
            raise exceptions.ParseError(_("JSON 格式有误：%(error)s") % {"error": exc}) from None
        problems = {}
        _walk(data, 0, None, problems)
        if problems:
            raise exceptions.ValidationError(problems)
        return data


def _refuse_constant(name):
    raise ValueError(_("不接受 %(name)s。") % {"name": name})
