"""What the OpenAPI description says about the fields that are null, the complaint history and
the refusals (the schemathesis run checks the responses themselves against it)."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def component(schema, name):
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize(
    "name, field",
    [
        ("Extension", "decided_by"),
        ("DeadlineExtension", "decided_by"),
        ("Complaint", "repeat_of"),
        ("Complaint", "outcome"),
        ("Complaint", "accountability_case"),
        ("Complaint", "transferred_to"),
        ("Complaint", "repeat_counted_against"),
        ("Complaint", "closed_on"),
        ("ReviewRequest", "report_submitted_on"),
        ("Decision", "document"),
        ("Deadline", "responsible_unit"),
        ("Deadline", "complaint"),
        ("DeadlineBrief", "responsible_unit"),
        ("Letter", "unit"),
        ("Investigation", "unit"),
        ("Investigation", "approved_by"),
    ],
)
def test_a_field_returned_as_null_is_declared_nullable(schema, name, field):
    assert component(schema, name)["properties"][field].get("nullable") is True


def test_the_complaint_history_is_a_list_of_entries(schema):
    response = schema["paths"]["/api/v1/complaints/{id}/history"]["get"]["responses"]["200"]
    body = response["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    entry = component(schema, "ComplaintHistoryEntry")
    assert set(entry["properties"]) == {
        "at",
        "actor",
        "action",
        "from_state",
        "to_state",
        "changes",
        "reason",
    }


def test_the_fields_a_caller_may_not_see_are_not_required(schema):
    complaint = component(schema, "Complaint")
    for name in ("tracking_code", "feedback", "internal_notes"):
        assert name not in complaint.get("required", [])
    assert {"name", "phone", "email", "identity_masked"} <= set(complaint["properties"])


def responses(schema, method, path):
    return schema["paths"][path][method]["responses"]


@pytest.mark.parametrize(
    "method, path, codes",
    [
        ("get", "/api/v1/departments", {"400", "401"}),
        ("get", "/api/v1/accountability-cases", {"400", "401", "404"}),
        ("get", "/api/v1/accountability-cases/{id}", {"400", "401", "404"}),
        ("get", "/api/v1/complaints/identity-log", {"400", "401", "403"}),
        (
            "post",
            "/api/v1/accountability-cases/{id}/transitions/{name}",
            {"400", "401", "403", "404", "409", "413", "415", "422"},
        ),
        ("post", "/api/v1/public/complaints", {"400", "409", "413", "415", "429"}),
        ("post", "/api/v1/auth/token", {"400", "401", "409", "413", "415", "429"}),
        ("get", "/api/v1/health", {"400"}),
    ],
)
def test_every_refusal_is_documented_with_the_error_shape(schema, method, path, codes):
    documented = responses(schema, method, path)
    assert codes <= set(documented)
    for code in codes:
        body = documented[code]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/Error"}
        assert documented[code]["description"]
    error = component(schema, "Error")
    assert error["required"] == ["error", "detail", "fields"]


def test_a_public_operation_documents_no_401(schema):
    assert "401" not in responses(schema, "post", "/api/v1/public/complaints")
    assert "401" not in responses(schema, "get", "/api/v1/health")
