"""The complaint API of docs/api.md, and the confidentiality of Xinxiang complaints art. 8."""

import json
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.complaints.models import Complaint, IdentityAccess
from casework.org.models import Official
from casework.workcalendar import periods

from .conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def public_body(**overrides):
    body = {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": True,
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }
    body.update(overrides)
    return body


def file_complaint(api_client, **overrides):
    response = api_client.post("/api/v1/public/complaints", public_body(**overrides), format="json")
    assert response.status_code == 201, response.content
    return response.json()["tracking_code"]


def walk(login_api, complaint_id, *steps):
    for username, name, body in steps:
        response = login_api(username).post(
            f"/api/v1/complaints/{complaint_id}/transitions/{name}", body, format="json"
        )
        assert response.status_code == 200, (name, response.content.decode())
    return response.json()


# --- the public portal ------------------------------------------------------------------


def test_a_citizen_files_without_an_account_and_tracks_with_the_code(api_client):
    code = file_complaint(api_client)
    status = api_client.get(f"/api/v1/public/complaints/{code}")
    assert status.status_code == 200
    assert status.json()["status"] == "submitted"
    assert set(status.json()) <= {
        "status",
        "status_name",
        "received_on",
        "updated_on",
        "closed_on",
        "result",
    }


def test_an_unknown_tracking_code_is_404(api_client):
    assert api_client.get("/api/v1/public/complaints/AAAA-BBBB-CCCC-DDDD").status_code == 404


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"category": "no-such"}, "category"),
        ({"respondent_department": "no-such"}, "respondent_department"),
        ({"content": ""}, "content"),
        ({"content": "投" * 2_000_00}, None),
        ({"phone": "abc", "email": ""}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"real_name": False}, "real_name"),
        ({"real_name": True, "name": ""}, "name"),
    ],
)
def test_bad_public_input_is_refused_with_the_field_named_and_nothing_saved(
    api_client, overrides, field
):
    response = api_client.post("/api/v1/public/complaints", public_body(**overrides), format="json")
    assert response.status_code in (400, 413)
    if field:
        assert field in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_a_two_megabyte_text_is_413_and_nothing_saved(api_client):
    response = api_client.post(
        "/api/v1/public/complaints",
        data=json.dumps(public_body(content="投" * 700_000)),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert not Complaint.objects.exists()


def test_malformed_json_is_400(api_client):
    response = api_client.post(
        "/api/v1/public/complaints", data="{oops", content_type="application/json"
    )
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_an_executable_disguised_as_a_pdf_is_400_with_the_field_named(api_client):
    body = public_body()
    body["real_name"] = "true"
    body["attachment"] = SimpleUploadedFile("scan.pdf", EXE, content_type="application/pdf")
    response = api_client.post("/api/v1/public/complaints", body, format="multipart")
    assert response.status_code == 400
    assert "attachment" in response.json()["fields"]
    assert not Complaint.objects.exists()


def test_public_submissions_are_rate_limited_per_address(api_client):
    for _ in range(5):
        file_complaint(api_client)
    response = api_client.post("/api/v1/public/complaints", public_body(), format="json")
    assert response.status_code == 429
    assert Complaint.objects.count() == 5


def test_guessing_codes_is_rate_limited(api_client, settings):
    settings.COMPLAINT_TRACKING_MISS_RATE = "3/h"
    for _ in range(3):
        assert api_client.get("/api/v1/public/complaints/AAAA-BBBB-CCCC-DDDD").status_code == 404
    assert api_client.get("/api/v1/public/complaints/AAAA-BBBB-CCCC-DDDE").status_code == 429


# --- the staff endpoints ----------------------------------------------------------------


def test_every_path_of_section_2_through_the_api(api_client, login_api):
    # transferred → organ reports → verified → decided → feedback → closed
    code = file_complaint(api_client)
    complaint = Complaint.objects.get(tracking_code=code)
    result = walk(
        login_api,
        complaint.pk,
        ("complaints", "accept", {}),
        ("complaints", "transfer", {"organ": "education"}),
        ("staff_education", "organ_report", {"report": "已整改"}),
        ("complaints", "verify", {}),
        (
            "complaints",
            "decide",
            {"outcome": "unfounded", "text": "已整改", "published_result": "已整改完毕"},
        ),
        ("complaints", "give_feedback", {"text": "已整改"}),
        ("complaints", "close", {}),
    )
    assert result["state"] == "closed"
    assert api_client.get(f"/api/v1/public/complaints/{code}").json()["result"] == "已整改完毕"

    # out of scope: passed on, complainant told
    code = file_complaint(api_client)
    pk = Complaint.objects.get(tracking_code=code).pk
    walk(
        login_api,
        pk,
        (
            "complaints",
            "reject_out_of_scope",
            {"competent_department": "市法院", "notice": "请向市法院反映"},
        ),
    )
    assert api_client.get(f"/api/v1/public/complaints/{code}").json()["result"] == "请向市法院反映"

    # anonymous: decided → closed
    code = file_complaint(api_client, real_name=False, name="", phone="", email="")
    pk = Complaint.objects.get(tracking_code=code).pk
    result = walk(
        login_api,
        pk,
        ("complaints", "accept", {}),
        ("complaints", "verify", {}),
        ("complaints", "mark_urgent", {"reason": "正在发生"}),
        (
            "complaints",
            "record_onsite_response",
            {"text": "已派人到场", "responders": "投诉中心 王某"},
        ),
        ("complaints", "decide", {"outcome": "supervision_decision", "text": "监察建议"}),
        ("complaints", "close", {}),
    )
    assert result["state"] == "closed" and result["urgent"]


def test_the_organ_asks_for_an_extension_before_the_deadline_and_the_head_decides(
    api_client, login_api
):
    code = file_complaint(api_client)
    pk = Complaint.objects.get(tracking_code=code).pk
    walk(
        login_api,
        pk,
        ("complaints", "accept", {}),
        ("complaints", "transfer", {"organ": "education"}),
    )
    deadline = Complaint.objects.get(pk=pk).deadlines.get(kind="organ_report")
    new_due = deadline.due.replace(year=deadline.due.year + (1 if deadline.due.month == 12 else 0))
    import datetime

    new_due = deadline.due + datetime.timedelta(days=10)
    response = login_api("staff_education").post(
        f"/api/v1/complaints/{pk}/transitions/request_extension",
        {"reason": "情况复杂，需现场核查", "new_due": new_due.isoformat()},
        format="json",
    )
    assert response.status_code == 200
    # the ordinary office staff may not approve; the head does (Xinxiang complaints art. 6)
    refused = login_api("complaints").post(
        f"/api/v1/complaints/{pk}/transitions/approve_extension", {}, format="json"
    )
    assert refused.status_code == 403
    approved = login_api("complaints_head").post(
        f"/api/v1/complaints/{pk}/transitions/approve_extension",
        {"approve": True, "reason": "同意"},
        format="json",
    )
    assert approved.status_code == 200
    deadline.refresh_from_db()
    # A new date on a rest day is granted as the next working day (Xinxiang warning art. 16).
    assert deadline.due == periods.rolled_forward(new_due) and deadline.original_due is not None


def test_fault_liability_against_a_head_opens_a_linked_accountability_case(api_client, login_api):
    code = file_complaint(api_client)
    pk = Complaint.objects.get(tracking_code=code).pk
    head = Official.objects.get(user__username="head_education")
    result = walk(
        login_api,
        pk,
        ("complaints", "accept", {}),
        ("complaints", "verify", {}),
        (
            "complaints",
            "decide",
            {"outcome": "fault_liability", "text": "追究过错责任", "official": head.pk},
        ),
    )
    case_id = result["accountability_case"]
    case = login_api("secretariat").get(f"/api/v1/accountability-cases/{case_id}").json()
    assert case["source"] == "supervision" and case["state"] == "proposed"


def test_a_repeat_complaint_is_linked_and_counted_against_the_organ(api_client, login_api):
    first = Complaint.objects.get(tracking_code=file_complaint(api_client)).pk
    walk(
        login_api,
        first,
        ("complaints", "accept", {}),
        ("complaints", "transfer", {"organ": "transport"}),
    )
    second = Complaint.objects.get(tracking_code=file_complaint(api_client)).pk
    result = walk(login_api, second, ("complaints", "link_repeat", {"earlier": first}))
    assert result["repeat_of"] == first and result["repeat_counted_against"] == "transport"


def test_staff_register_a_letter_as_a_petition(login_api):
    response = login_api("complaints").post(
        "/api/v1/complaints", dict(public_body(), channel="letter", on="2026-11-02"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["is_petition"] and response.json()["received_on"] == "2026-11-02"
    assert (
        login_api("investigator")
        .post("/api/v1/complaints", dict(public_body(), channel="letter"), format="json")
        .status_code
        == 403
    )


def test_wrong_state_is_409_and_stale_if_match_is_409(api_client, login_api):
    pk = Complaint.objects.get(tracking_code=file_complaint(api_client)).pk
    office = login_api("complaints")
    assert (
        office.post(f"/api/v1/complaints/{pk}/transitions/close", {}, format="json").status_code
        == 409
    )
    response = office.post(
        f"/api/v1/complaints/{pk}/transitions/accept", {}, format="json", HTTP_IF_MATCH='"99"'
    )
    assert response.status_code == 409


# --- confidentiality (Xinxiang complaints art. 8) -------------------------------------------------


def test_only_the_office_sees_the_identity_masked_and_in_full_with_a_logged_reason(
    api_client, login_api
):
    pk = Complaint.objects.get(tracking_code=file_complaint(api_client)).pk
    office = login_api("complaints")
    masked = office.get(f"/api/v1/complaints/{pk}").json()
    assert (
        masked["identity_masked"]
        and masked["phone"] == "138****5678"
        and PHONE not in json.dumps(masked)
    )
    assert not IdentityAccess.objects.exists()
    full = office.get(f"/api/v1/complaints/{pk}", {"reason": "电话反馈处理结果"}).json()
    assert full["phone"] == PHONE and full["name"] == NAME
    access = IdentityAccess.objects.get()
    assert access.reason == "电话反馈处理结果" and access.user.username == "complaints"
    assert office.get(f"/api/v1/complaints/{pk}", {"reason": "  "}).status_code == 400
    assert (
        login_api("investigator").get(f"/api/v1/complaints/{pk}", {"reason": "x"}).status_code
        == 403
    )
    log = login_api("complaints_head").get("/api/v1/complaints/identity-log").json()
    assert log["count"] == 1 and log["results"][0]["reason"] == "电话反馈处理结果"
    assert office.get("/api/v1/complaints/identity-log").status_code == 403


def test_no_response_to_anyone_outside_the_office_contains_the_identity(
    api_client, login_api, caplog
):
    """Search every response a non-complaints user can obtain for the known name, phone and
    e-mail: lists, details, history, deadlines, the linked accountability case, the public
    status, errors — and the log records written meanwhile."""
    caplog.set_level(logging.DEBUG)
    code = file_complaint(api_client)
    pk = Complaint.objects.get(tracking_code=code).pk
    head = Official.objects.get(user__username="head_education")
    walk(
        login_api,
        pk,
        ("complaints", "accept", {}),
        ("complaints", "transfer", {"organ": "education"}),
        ("staff_education", "organ_report", {"report": "已处理"}),
        ("complaints", "verify", {}),
        (
            "complaints",
            "decide",
            {"outcome": "fault_liability", "text": "追究", "official": head.pk},
        ),
    )
    login_api("complaints").get(f"/api/v1/complaints/{pk}", {"reason": "反馈"})
    case_id = Complaint.objects.get(pk=pk).accountability_case_id
    responses = [api_client.get(f"/api/v1/public/complaints/{code}")]
    for username in (
        "staff_education",
        "head_education",
        "investigator",
        "mayor",
        "secretariat",
        "legal",
        "admin",
        "head_transport",
    ):
        client = login_api(username)
        for path in (
            "/api/v1/complaints",
            f"/api/v1/complaints/{pk}",
            f"/api/v1/complaints/{pk}/history",
            "/api/v1/deadlines",
            f"/api/v1/accountability-cases/{case_id}",
            f"/api/v1/accountability-cases/{case_id}/history",
            "/api/v1/accountability-cases",
            "/api/v1/complaints/identity-log",
            f"/api/v1/complaints/{pk}/transitions/close",
        ):
            responses.append(client.get(path))
        responses.append(
            client.post(
                f"/api/v1/complaints/{pk}/transitions/give_feedback", {"text": "x"}, format="json"
            )
        )
    for response in responses:
        body = response.content.decode()
        for secret in (NAME, PHONE, EMAIL, PHONE[-4:] + "@", "wangxiuying"):
            assert secret not in body, (response.request["PATH_INFO"], secret)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in logged


def test_the_organ_sees_only_what_was_transferred_to_it_and_no_internal_notes(
    api_client, login_api
):
    pk = Complaint.objects.get(tracking_code=file_complaint(api_client)).pk
    assert login_api("staff_education").get(f"/api/v1/complaints/{pk}").status_code == 404
    walk(
        login_api,
        pk,
        ("complaints", "accept", {}),
        ("complaints", "add_note", {"text": "内部意见：投诉人系老上访户"}),
        ("complaints", "transfer", {"organ": "education"}),
    )
    seen = login_api("staff_education").get(f"/api/v1/complaints/{pk}").json()
    assert "internal_notes" not in seen and "name" not in seen and "phone" not in seen
    history = login_api("staff_education").get(f"/api/v1/complaints/{pk}/history").content.decode()
    assert "老上访户" not in history and "吴晓燕" not in history
    assert login_api("head_transport").get(f"/api/v1/complaints/{pk}").status_code == 404
