"""A citizen files a complaint on the public page and follows it with the tracking code."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.complaints.models import Complaint

from . import samples
from .conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

PNG = samples.png()
PDF = samples.pdf_with_author()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def form(**overrides):
    data = {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": "1",
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
    }
    data.update(overrides)
    return data


def test_a_citizen_files_a_real_name_complaint_and_gets_a_tracking_code(client):
    page = client.get("/complaints/new/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "我要投诉" in body and 'name="viewport"' in body
    response = client.post(
        "/complaints/new/", form(attachment=SimpleUploadedFile("photo.png", PNG)), follow=True
    )
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in response.content.decode()
    assert complaint.attachment_type == "image/png"
    assert complaint.phone == PHONE


def test_the_tracking_page_shows_status_and_dates_but_never_the_identity_or_notes(client, people):
    from casework.complaints import services

    client.post("/complaints/new/", form())
    complaint = Complaint.objects.get()
    complaint = services.transition(complaint, "accept", people["complaints"], {})
    complaint = services.transition(
        complaint, "add_note", people["complaints"], {"text": "内部：核实人吴晓燕认为属实"}
    )
    body = client.post("/complaints/track/", {"code": complaint.tracking_code}).content.decode()
    assert "已受理" in body and complaint.received_on.isoformat() in body
    for secret in (NAME, PHONE, EMAIL, "内部", "吴晓燕"):
        assert secret not in body


def test_the_published_result_appears_at_the_end(client, people):
    from casework.complaints import services

    client.post("/complaints/new/", form(real_name="0", name="", phone="", email=""))
    complaint = Complaint.objects.get()
    staff = people["complaints"]
    complaint = services.transition(complaint, "accept", staff, {})
    complaint = services.transition(complaint, "verify", staff, {})
    complaint = services.transition(
        complaint,
        "decide",
        staff,
        {
            "outcome": "supervision_decision",
            "text": "内部意见",
            "published_result": "已责令教育局整改",
        },
    )
    body = client.post("/complaints/track/", {"code": complaint.tracking_code}).content.decode()
    assert "已责令教育局整改" in body and "内部意见" not in body


def test_real_name_without_contact_is_refused_with_the_field_named_and_nothing_saved(client):
    response = client.post("/complaints/new/", form(phone="", email=""))
    assert response.status_code == 200
    assert "至少留下电话或电子邮箱" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_malformed_phone_is_refused(client):
    response = client.post("/complaints/new/", form(phone="12345"))
    assert "正确的电话号码" in response.content.decode()
    assert not Complaint.objects.exists()


def test_an_executable_disguised_as_a_pdf_is_refused(client):
    response = client.post("/complaints/new/", form(attachment=SimpleUploadedFile("scan.pdf", EXE)))
    assert "附件只能是照片" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_real_pdf_is_accepted(client):
    client.post("/complaints/new/", form(attachment=SimpleUploadedFile("scan.pdf", PDF)))
    assert Complaint.objects.get().attachment_type == "application/pdf"


def test_the_citizens_file_name_is_not_kept(client):
    # A file name may name the complainant (Xinxiang complaints art. 8): only a random one is kept.
    client.post("/complaints/new/", form(attachment=SimpleUploadedFile("张三的投诉信.PDF", PDF)))
    stored = Complaint.objects.get().attachment.name
    assert "张三" not in stored and "投诉信" not in stored
    assert re.fullmatch(r"complaints/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", stored), stored


def test_an_attachment_over_the_size_limit_is_refused(client, settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 1024
    response = client.post(
        "/complaints/new/", form(attachment=SimpleUploadedFile("a.png", PNG + b"\0" * 2048))
    )
    assert "附件不得超过" in response.content.decode()
    assert not Complaint.objects.exists()


def test_submissions_from_one_address_are_rate_limited(client):
    for _ in range(5):
        client.post("/complaints/new/", form())
    response = client.post("/complaints/new/", form())
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert Complaint.objects.count() == 5


def test_guessing_tracking_codes_is_rate_limited(client, settings):
    settings.COMPLAINT_TRACKING_MISS_RATE = "3/h"
    for _ in range(3):
        assert (
            "没有找到"
            in client.post("/complaints/track/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
        )
    assert client.post("/complaints/track/", {"code": "AAAA-BBBB-CCCC-DDDE"}).status_code == 429
