"""GET /api/v1/{departments,officials,grounds,sources,modes,complaint-categories,
complaint-outcomes} (docs/api.md, "Reference data")."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.accountability.models import Ground
from casework.org.models import Department, Official

LISTS = {
    "/api/v1/grounds": ["4.1.1", "4.1.2", "4.2.1", "4.6", "4.7"],
    "/api/v1/sources": ["mayor", "npc_cppcc", "judicial", "vice_mayor"],
    "/api/v1/modes": ["1", "2", "3", "4", "5", "6", "7"],
    "/api/v1/complaint-categories": ["nonperformance", "unilateral", "other"],
    "/api/v1/complaint-outcomes": [
        "open_case",
        "fault_liability",
        "supervision_decision",
        "special_report",
        "unfounded",
    ],
    "/api/v1/departments": ["education", "transport", "tax", "general_office"],
}
ALL_URLS = [*LISTS, "/api/v1/officials"]


def token_client(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="reader", password="pw-reader-2026")


@pytest.fixture
def client(user):
    return token_client(user)


def make_official(n, department, with_user=True):
    account = None
    if with_user:
        account = get_user_model().objects.create_user(username=f"head{n}", full_name=f"官员{n}")
    return Official.objects.create(
        user=account, name=f"官员{n}", title=f"{department.short_name}局长", department=department
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS)
def test_lists_need_credentials(url):
    response = APIClient().get(url)
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_lists_return_plain_lists_with_codes(client, url):
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert isinstance(data, list)
    codes = [row["code"] for row in data]
    assert set(LISTS[url]) <= set(codes)
    assert len(codes) == len(set(codes))
    assert all(row["name"] for row in data)


@pytest.mark.django_db
def test_session_login_also_works(user):
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/v1/modes").status_code == 200


@pytest.mark.django_db
def test_modes_in_article_13_order_with_filing(client):
    data = client.get("/api/v1/modes").json()
    assert [row["code"] for row in data] == ["1", "2", "3", "4", "5", "6", "7"]
    assert {row["code"]: row["requires_filing"] for row in data} == {
        "1": False,
        "2": False,
        "3": False,
        "4": False,
        "5": False,
        "6": True,
        "7": True,
    }
    assert [row["code"] for row in data if row["has_deadline"]] == ["2"]
    assert data[0]["article"] == "第十三条第（一）项"


@pytest.mark.django_db
def test_grounds_carry_category_item_and_article(client):
    data = client.get("/api/v1/grounds").json()
    assert len(data) == 19
    first = data[0]
    assert first["code"] == "4.1.1"
    assert first["category"] == 1
    assert first["item"] == 1
    assert first["article"] == "第四条第（一）项第1目"
    assert first["category_name"]
    last = data[-1]
    assert (last["code"], last["category"], last["item"]) == ("4.7", 7, None)


@pytest.mark.django_db
def test_inactive_rows_are_left_out(client):
    Ground.objects.filter(code="4.7").update(active=False)
    Department.objects.filter(code="tourism").update(active=False)
    assert "4.7" not in [row["code"] for row in client.get("/api/v1/grounds").json()]
    departments = client.get("/api/v1/departments").json()
    assert "tourism" not in [row["code"] for row in departments]


@pytest.mark.django_db
def test_outcomes_mark_the_one_opening_accountability(client):
    data = client.get("/api/v1/complaint-outcomes").json()
    assert [row["code"] for row in data] == LISTS["/api/v1/complaint-outcomes"]
    assert [row["code"] for row in data if row["opens_accountability"]] == ["fault_liability"]


@pytest.mark.django_db
def test_departments_show_vertical_kind_and_short_name(client):
    data = {row["code"]: row for row in client.get("/api/v1/departments").json()}
    assert data["tax"]["vertical"] is True
    assert data["tax"]["kind"] == "vertical"
    assert data["tax"]["supervising_organ"]
    assert data["education"]["vertical"] is False
    assert data["education"]["kind"] == "constituent"
    assert data["education"]["short_name"] == "市教育局"
    assert data["transport"]["name"] == "南充市交通运输局"


@pytest.mark.django_db
def test_officials_show_department_code_username_and_vertical(client):
    tax = make_official(1, Department.objects.get(code="tax"))
    education = make_official(2, Department.objects.get(code="education"), with_user=False)
    Official.objects.create(
        name="已离任", title="局长", department=education.department, active=False
    )

    data = {row["id"]: row for row in client.get("/api/v1/officials").json()}

    assert data[tax.id] == {
        "id": tax.id,
        "name": "官员1",
        "title": "市国税局局长",
        "department": "tax",
        "username": "head1",
        "vertical": True,
    }
    assert data[education.id]["department"] == "education"
    assert data[education.id]["vertical"] is False
    assert data[education.id]["username"] is None
    assert len(data) == 2


@pytest.mark.django_db
def test_officials_query_count_does_not_grow(client, django_assert_num_queries):
    departments = list(Department.objects.order_by("code")[:10])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/officials")
        assert response.status_code == 200
        return len(queries), len(response.json())

    for n in range(2):
        make_official(n, departments[n % len(departments)])
    few, listed = count_queries()
    assert listed == 2

    for n in range(2, 20):
        make_official(n, departments[n % len(departments)])
    many, listed = count_queries()
    assert listed == 20

    assert many == few
    # The token look-up (with its user) and the officials with department and user.
    with django_assert_num_queries(2):
        client.get("/api/v1/officials")


@pytest.mark.django_db
def test_schema_describes_the_lists():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in ALL_URLS:
        response = schema["paths"][path]["get"]["responses"]["200"]
        assert response["content"]["application/json"]["schema"]["type"] == "array"
    official = schema["components"]["schemas"]["Official"]["properties"]
    assert set(official) == {"id", "name", "title", "department", "username", "vertical"}
