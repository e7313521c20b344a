"""What the OpenAPI description (``/api/v1/schema``) says beyond what drf-spectacular derives
from the views, so that it tells the truth (tested by a schemathesis run over every operation,
tests/hostile/test_schemathesis.py):

* every refusal an operation can give is listed with the one error shape of docs/api.md
  (``Error``): 400 everywhere (a bad parameter, a date outside the calendar, a NUL anywhere),
  401 wherever a login is needed, 403 for every act and where a view refuses to read, 404
  with a path parameter or a page of a list, 409, 413 and 415 for every act, 429 on the
  public endpoints and the token endpoint (lockout) — besides those a view declares (422);
* a complaint's fields that depend on who asks (``casework.complaints.rules``) are not
  required, and the identity shown to the complaints office is described.
"""

from casework.complaints.rules import IDENTIFYING_FIELDS, INTERNAL_FIELDS

from .errors import _CODES

ERROR_COMPONENT = {
    "type": "object",
    "description": (
        "拒绝的统一格式：error 为代码，detail 为说明（按请求语言），fields 标出各字段的问题。"
    ),
    "properties": {
        "error": {"type": "string", "enum": sorted(set(_CODES.values()) | {"error"})},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "字段名 → 该字段的问题（一般为字符串列表；列表、对象字段可嵌套）",
            "additionalProperties": {},
        },
    },
    "required": ["error", "detail", "fields"],
}

DESCRIPTIONS = {
    400: "请求有误：参数或请求体无效、日期超出工作日历、含空字符等（fields 标出字段）",
    401: "未登录，或令牌无效、已过期",
    403: "无权执行此操作",
    404: "对象不存在或无权查看",
    409: "当前状态不允许，版本已变（If-Match），或数据正被其他操作修改",
    413: "请求内容过大",
    415: "不支持的请求格式",
    422: "不符合规定（期间、时限等）",
    429: "操作过于频繁，或登录失败次数过多已锁定",
}

# Operations that need no login.
PUBLIC = {
    "/api/v1/health",
    "/api/v1/auth/token",
    "/api/v1/public/complaints",
    "/api/v1/public/complaints/{code}",
}
THROTTLED = {"/api/v1/auth/token", "/api/v1/public/complaints", "/api/v1/public/complaints/{code}"}


def refusals(path: str, method: str, operation: dict) -> set[int]:
    """The refusals operation ``method path`` can answer, whatever the view declares."""
    codes = {400}
    if path not in PUBLIC or path == "/api/v1/auth/token":
        codes.add(401)
    parameters = {parameter.get("name") for parameter in operation.get("parameters", [])}
    if "{" in path or "page" in parameters:
        codes.add(404)  # no such object, or no such page of a list
    if path in THROTTLED:
        codes.add(429)
    if method == "post":
        # a state or version conflict, or another change holding the data
        codes.add(409)
        if path not in PUBLIC:
            codes.add(403)  # the role, the object; a session without its CSRF token
        if "requestBody" in operation:
            codes |= {413, 415}
    return codes


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS``)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_COMPONENT
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            # Refusals in the error shape; another status a view declares with its own body
            # (503 of the health check) is left as declared.
            declared = {
                int(code) for code in responses if code.isdigit() and int(code) in DESCRIPTIONS
            }
            for code in sorted(declared | refusals(path, method, operation)):
                entry = responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
                entry["content"] = content
    _complaint_by_caller(schemas)
    return result


def _complaint_by_caller(schemas) -> None:
    complaint = schemas.get("Complaint")
    if complaint is None:
        return
    by_caller = IDENTIFYING_FIELDS | INTERNAL_FIELDS
    complaint["required"] = [name for name in complaint["required"] if name not in by_caller]
    complaint["description"] = (
        "投诉（按调用者披露：投诉人身份与查询码仅效能投诉中心可见，默认掩码，给出 reason 时"
        "为完整信息；内部意见仅效能投诉中心、监察局和超级用户可见）"
    )
    properties = complaint["properties"]
    for name in ("name", "phone", "email"):
        properties[name] = {
            "type": "string",
            "nullable": True,
            "readOnly": True,
            "description": "投诉人身份（仅效能投诉中心；默认掩码）",
        }
    properties["identity_masked"] = {
        "type": "boolean",
        "readOnly": True,
        "description": "身份信息是否为掩码（仅效能投诉中心）",
    }
