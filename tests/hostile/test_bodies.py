"""Hostile bodies and addresses: JSON nested far too deep, NUL characters anywhere, and values
of the wrong type. Each is a 400 that says what is wrong (naming the field where there is one),
on every JSON endpoint, the public ones included; nothing is created."""

import json

import pytest
from django.urls import get_resolver

from casework.accountability.models import AccountabilityCase
from casework.api.parsers import MAX_DEPTH
from casework.complaints.models import Complaint
from casework.org.models import Official

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "不允许包含空字符（NUL，\\u0000）。"
NESTED = "[" * 2000 + "]" * 2000
DEEP_OBJECT = '{"a":' * 2000 + "1" + "}" * 2000


@pytest.fixture(autouse=True)
def fresh_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def complaint_body(**overrides):
    return {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": False,
        **overrides,
    }


def case_body(**overrides):
    return {
        "official": Official.objects.get(user__username="head_education").pk,
        "grounds": ["4.1.1"],
        "source": "mayor",
        "summary": "未完成政府工作报告确定的任务",
        "on": "2026-03-02",
        **overrides,
    }


def post_endpoints():
    """Every API path that takes a POST, with its parameters filled in."""
    from casework.api import urls

    paths = []
    for pattern in urls.urlpatterns:
        view = pattern.callback
        cls = getattr(view, "view_class", None) or getattr(view, "cls", None)
        if cls is None or not hasattr(cls, "post"):
            continue
        route = str(pattern.pattern)
        route = route.replace("<int:pk>", "1").replace("<int:ext>", "1")
        route = route.replace("<str:name>", "start").replace("<str:code>", "X")
        paths.append("/api/v1/" + route)
    return paths


def test_every_post_endpoint_is_listed():
    assert get_resolver()  # the URLconf builds
    paths = post_endpoints()
    assert "/api/v1/public/complaints" in paths and "/api/v1/auth/token" in paths
    assert len(paths) >= 12


@pytest.mark.parametrize("body", [NESTED, DEEP_OBJECT], ids=["list", "object"])
def test_json_nested_2000_deep_is_400_on_every_endpoint(login_api, api_client, body):
    """Python's parser overflowed (RecursionError → 500); the limit is a few levels."""
    for client in (api_client, login_api("mayor")):
        for path in post_endpoints():
            response = client.post(path, body, content_type="application/json")
            # 200, 204: an endpoint that reads no body (mark all read, revoke the token);
            # 401, 404: refused before the body is read
            assert response.status_code in (200, 204, 400, 401, 404), (path, response.status_code)
            if response.status_code == 400:
                assert "嵌套层数过多" in response.json()["detail"], path


def test_the_endpoints_that_read_the_body_first_answer_400(login_api, api_client):
    for client, path in [
        (api_client, "/api/v1/public/complaints"),
        (api_client, "/api/v1/auth/token"),
        (login_api("secretariat"), "/api/v1/accountability-cases"),
        (login_api("complaints"), "/api/v1/complaints"),
    ]:
        response = client.post(path, NESTED, content_type="application/json")
        assert response.status_code == 400, path
        assert response.json()["error"] == "invalid"


def test_a_body_at_the_depth_limit_is_still_read(login_api):
    body = case_body(summary="摘要")
    nested = body
    for _ in range(MAX_DEPTH - 1):
        nested["x"] = {}
        nested = nested["x"]
    response = login_api("secretariat").post(
        "/api/v1/accountability-cases", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("text", ["NaN", "[1, Infinity]", '{"a": 1', "\xff\xfe"])
def test_malformed_json_is_400(api_client, text):
    response = api_client.post(
        "/api/v1/public/complaints", text.encode("latin-1"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


# --- NUL --------------------------------------------------------------------------------------


def test_a_nul_in_the_address_is_400(api_client, login_api):
    response = api_client.get("/api/v1/public/complaints/%00")
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "detail": NUL_MESSAGE,
        "fields": {"path": [NUL_MESSAGE]},
    }
    assert api_client.get("/complaints/track/%00").status_code in (400, 404)


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/deadlines?as_of=%00", "as_of"),
        ("/api/v1/complaints?department=edu%00cation", "department"),
        ("/api/v1/accountability-cases?department=%00", "department"),
        ("/api/v1/complaints/identity-log?complaint=1%00", "complaint"),
    ],
)
def test_a_nul_in_a_query_parameter_is_400_naming_it(login_api, url, field):
    response = login_api("mayor").get(url)
    assert response.status_code == 400
    assert response.json()["fields"] == {field: [NUL_MESSAGE]}


def test_the_public_tracking_page_refuses_a_nul_code(client):
    response = client.get("/complaints/track/", {"code": "AAAA\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_a_json_text_field_is_400_naming_it(api_client):
    response = api_client.post(
        "/api/v1/public/complaints",
        complaint_body(content="办理学籍转入手续时推诿\x00，态度恶劣。"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"content": [NUL_MESSAGE]}
    assert not Complaint.objects.exists()


def test_a_nul_in_a_key_or_deep_inside_a_list_is_400(login_api):
    client = login_api("secretariat")
    response = client.post(
        "/api/v1/accountability-cases", case_body(grounds=["4.1.1\x00"]), format="json"
    )
    assert response.json()["fields"] == {"grounds": [NUL_MESSAGE]}
    response = client.post("/api/v1/accountability-cases", {"su\x00mmary": "x"}, format="json")
    assert response.json()["fields"] == {"summary": [NUL_MESSAGE]}
    assert not AccountabilityCase.objects.exists()


def test_a_nul_in_a_transition_reason_is_400(login_api):
    case = login_api("secretariat").post("/api/v1/accountability-cases", case_body(), format="json")
    response = login_api("mayor").post(
        f"/api/v1/accountability-cases/{case.json()['id']}/transitions/start",
        {"on": "2026-03-02", "reason": "依据\x00"},
        format="json",
    )
    assert response.json()["fields"] == {"reason": [NUL_MESSAGE]}


def test_a_nul_in_a_form_says_what_is_wrong_not_empty_string(api_client, client):
    """Multipart (the API with an attachment) and the portal's page: the fields' own check,
    whose Chinese message Django's catalog got wrong."""
    response = api_client.post(
        "/api/v1/public/complaints",
        complaint_body(content="办理学籍转入手续时推诿\x00，态度恶劣。", real_name="false"),
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["content"] == [NUL_MESSAGE]
    page = client.post(
        "/complaints/new/",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时推诿\x00，态度恶劣。",
            "real_name": "0",
        },
    )
    body = page.content.decode()
    assert NUL_MESSAGE in body and "空字符串" not in body
    assert not Complaint.objects.exists()


# --- strict types -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["maybe", "yes", 1, None, [True]])
def test_real_name_must_be_true_or_false(api_client, value):
    response = api_client.post(
        "/api/v1/public/complaints", complaint_body(real_name=value), format="json"
    )
    assert response.status_code == 400
    assert "real_name" in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_form_still_says_yes_or_no_in_words(api_client):
    response = api_client.post(
        "/api/v1/public/complaints", complaint_body(real_name="false"), format="multipart"
    )
    assert response.status_code == 201, response.json()
    response = api_client.post(
        "/api/v1/public/complaints", complaint_body(real_name="maybe"), format="multipart"
    )
    assert response.status_code == 400 and "real_name" in response.json()["fields"]


@pytest.mark.parametrize(
    "override, field",
    [
        ({"summary": 12345678}, "summary"),
        ({"summary": True}, "summary"),
        ({"summary": ["a"]}, "summary"),
        ({"grounds": [4.7]}, "grounds"),
        ({"source": 1}, "source"),
        ({"official": True}, "official"),
    ],
)
def test_a_value_of_the_wrong_type_is_400_naming_the_field(login_api, override, field):
    response = login_api("secretariat").post(
        "/api/v1/accountability-cases", case_body(**override), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not AccountabilityCase.objects.exists()


def test_a_number_as_complaint_content_is_400(api_client):
    response = api_client.post(
        "/api/v1/public/complaints", complaint_body(content=12345678901), format="json"
    )
    assert response.json()["fields"] == {"content": ["须为文本（字符串）。"]}


def test_a_transition_reason_that_is_not_text_is_400(login_api):
    case = login_api("secretariat").post("/api/v1/accountability-cases", case_body(), format="json")
    response = login_api("mayor").post(
        f"/api/v1/accountability-cases/{case.json()['id']}/transitions/start",
        {"on": "2026-03-02", "reason": {"text": "依据"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"reason": ["须为文本（字符串）。"]}
    assert AccountabilityCase.objects.get().state == "proposed"


def test_an_approval_must_say_true_or_false(login_api):
    from tests.deadlines.helpers import upcoming, working_days_ahead

    item = upcoming(5)  # an investigation: the mayor decides (Nanchong art. 9)
    asked = login_api("investigator").post(
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "情况复杂", "new_due": working_days_ahead(2, item.due).isoformat()},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    response = login_api("mayor").post(
        f"/api/v1/deadlines/{item.pk}/extensions/{asked.json()['id']}/decide",
        {"approve": "yes"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"approve": ["须为 true 或 false。"]}


def test_a_nul_in_a_cookie_is_400(api_client):
    """A session cookie is looked up in the database, which refuses NUL (PostgreSQL)."""
    api_client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = api_client.get("/api/v1/public/complaints/AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 400
    assert response.json()["fields"] == {"cookie:sessionid": [NUL_MESSAGE]}
