"""The API base of docs/api.md: token login, health, schema, the error shape."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_without_login(api_client):
    response = api_client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_token_login_with_a_demo_account(api_client, demo_people):
    response = api_client.post(
        "/api/v1/auth/token",
        {"username": "secretariat", "password": "demo-pass-2026"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/grounds").status_code == 200


def test_token_login_with_a_wrong_password_is_401_in_the_error_shape(api_client, demo_people):
    response = api_client.post(
        "/api/v1/auth/token", {"username": "secretariat", "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "not_authenticated"
    assert "用户名或密码" in body["detail"]


def test_token_login_without_a_password_names_the_field(api_client):
    response = api_client.post("/api/v1/auth/token", {"username": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert "password" in body["fields"]


def test_malformed_json_is_400_not_500(api_client):
    response = api_client.post(
        "/api/v1/auth/token", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_no_credentials_is_401(api_client):
    response = api_client.get("/api/v1/departments")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000")
    assert api_client.get("/api/v1/departments").status_code == 401


def test_an_unknown_api_path_is_404_in_the_error_shape(api_client):
    response = api_client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_schema_is_openapi_3_and_lists_the_contract_paths(api_client):
    response = api_client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    import json

    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/health",
        "/api/v1/auth/token",
        "/api/v1/departments",
        "/api/v1/officials",
        "/api/v1/grounds",
        "/api/v1/sources",
        "/api/v1/modes",
        "/api/v1/complaint-categories",
        "/api/v1/complaint-outcomes",
        "/api/v1/calendar/add-working-days",
        "/api/v1/calendar/working-days-between",
    ):
        assert path in schema["paths"], path


def test_the_schema_validates_without_warnings(tmp_path):
    """Other systems generate clients from it: every view must describe its body."""
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/complaints/identity-log:" in out.read_text()
