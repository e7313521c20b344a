"""A complaint's attachment (casework/complaints/attachments.py): metadata stripped on upload,
encrypted at rest, each view by the office logged like a view of the identity; and
``rotate_identity_key`` re-encrypts identities and attachments under the first key."""

import io
import re

import pikepdf
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from casework.complaints import attachments
from casework.complaints import services as complaint_services
from casework.complaints.models import Complaint, IdentityAccess

from . import samples
from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield tmp_path
    cache.clear()


def file_with(client, name, content, **extra):
    body = {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": "1",
        "name": NAME,
        "phone": PHONE,
        "attachment": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post("/complaints/new/", body)


def stored_raw(complaint) -> bytes:
    return attachments.storage().read_raw(complaint.attachment.name)


def stored_plain(complaint) -> bytes:
    with attachments.storage().open(complaint.attachment.name) as stored:
        return stored.read()


def test_a_photo_loses_its_gps_position_camera_and_owner(client):
    original = samples.jpeg_with_gps(width=40, height=20, orientation=6)
    exif = Image.open(io.BytesIO(original)).getexif()
    assert exif.get_ifd(samples.GPS_IFD)[1] == "N" and exif[samples.ARTIST] == "Zhang San"

    file_with(client, "photo.jpg", original)
    complaint = Complaint.objects.get()
    clean = stored_plain(complaint)
    image = Image.open(io.BytesIO(clean))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {} and not image.getexif().get_ifd(samples.GPS_IFD)
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    for marker in (b"Exif", b"Huawei", b"Zhang San", b"P60 Pro"):
        assert marker not in clean
    # Turned upright as its orientation said, before the orientation was dropped.
    assert image.size == (20, 40)


def test_a_png_loses_its_text_chunks(client):
    file_with(client, "scan.png", samples.png({"Author": "Zhang San", "Comment": "家住幸福路"}))
    clean = stored_plain(Complaint.objects.get())
    image = Image.open(io.BytesIO(clean))
    assert image.format == "PNG" and image.size == (4, 3)
    assert image.text == {} and b"Zhang San" not in clean
    assert image.getpixel((0, 0)) == (200, 30, 30)


def test_a_pdf_loses_its_author_and_xmp_and_keeps_its_pages(client):
    original = samples.pdf_with_author("张三", pages=2)
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == "张三" and "/Metadata" in pdf.Root

    file_with(client, "letter.pdf", original)
    clean = stored_plain(Complaint.objects.get())
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 2
    assert "张三".encode("utf-16-be") not in clean and b"dc:creator" not in clean


def test_the_stored_file_is_encrypted_not_plaintext(client):
    original = samples.pdf_with_author()
    file_with(client, "letter.pdf", original)
    complaint = Complaint.objects.get()
    raw = stored_raw(complaint)
    assert raw.startswith(attachments.TOKEN_PREFIX)
    assert b"%PDF" not in raw and b"/Pages" not in raw
    assert stored_plain(complaint).startswith(b"%PDF")


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", samples.jpeg_with_gps()[:200]),  # cut short
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the magic number alone
        ("letter.pdf", b"%PDF-1.4\n" + b"\x00" * 64),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(client, name, content):
    response = file_with(client, name, content)
    assert "附件无法读取" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_pdf_with_a_password_is_refused(api_client):
    response = api_client.post(
        "/api/v1/public/complaints",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": "false",
            "attachment": SimpleUploadedFile("letter.pdf", samples.encrypted_pdf()),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "attachment" in response.json()["fields"]
    assert not Complaint.objects.exists()


# --- who opens it ------------------------------------------------------------------------------


@pytest.fixture
def with_attachment(client):
    file_with(client, "photo.jpg", samples.jpeg_with_gps())
    return Complaint.objects.get()


def test_the_office_opens_it_with_a_reason_and_the_view_is_logged(login, with_attachment):
    complaint = with_attachment
    url = f"/complaints/staff/{complaint.pk}/attachment/"
    office = login("complaints")
    page = office.get(f"/complaints/staff/{complaint.pk}/").content.decode()
    assert 'data-testid="attachment-form"' in page and 'name="attachment_reason"' in page

    # Without a reason: nothing is sent, nothing is logged.
    refused = office.post(url, {"attachment_reason": "  "}, follow=True)
    assert "查看附件须说明理由" in refused.content.decode()
    assert not IdentityAccess.objects.exists()
    # A GET sends nothing either: it leads to the page with the form.
    assert office.get(url).status_code == 302

    response = office.post(url, {"attachment_reason": "核实现场照片"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == stored_plain(complaint)
    access = IdentityAccess.objects.get()
    assert (access.kind, access.reason, access.ip_address, access.user.username) == (
        "attachment",
        "核实现场照片",
        "10.9.8.7",
        "complaints",
    )
    # The head of the office sees it in the log, beside the views of identities.
    log = login("complaints_head").get("/complaints/staff/identity-log/").content.decode()
    assert "核实现场照片" in log and "附件" in log


@pytest.mark.parametrize("username", ["investigator", "staff_education", "mayor"])
def test_nobody_else_opens_it_and_nothing_is_logged(login, with_attachment, username):
    url = f"/complaints/staff/{with_attachment.pk}/attachment/"
    response = login(username).post(url, {"attachment_reason": "想看看"})
    assert response.status_code in (403, 404)
    assert not IdentityAccess.objects.exists()


# --- rotation ------------------------------------------------------------------------------------


def rotate():
    out = io.StringIO()
    call_command("rotate_identity_key", stdout=out)
    return out.getvalue()


def identity_of(pk):
    complaint = Complaint.objects.get(pk=pk)
    return complaint.name, complaint.phone


def test_rotation_re_encrypts_identities_and_attachments_under_the_first_key(client, settings):
    settings.SALT_KEY = ["old-identity-key"]
    file_with(client, "photo.jpg", samples.jpeg_with_gps())
    complaint = Complaint.objects.get()
    plain = stored_plain(complaint)
    old_raw = stored_raw(complaint)

    # The new key first: it encrypts from now on, the old one still decrypts.
    settings.SALT_KEY = ["new-identity-key", "old-identity-key"]
    assert identity_of(complaint.pk) == (NAME, PHONE)
    assert stored_plain(complaint) == plain
    # Without the old key, before rotation, nothing can be read, and rotation refuses.
    settings.SALT_KEY = ["new-identity-key"]
    assert identity_of(complaint.pk) != (NAME, PHONE)
    with pytest.raises(OSError):
        stored_plain(complaint)
    with pytest.raises(CommandError, match="无法用现有密钥解密"):
        rotate()

    settings.SALT_KEY = ["new-identity-key", "old-identity-key"]
    history_rows = complaint.history.count()
    report = rotate()
    assert re.search(r"投诉人身份：1 件投诉已重新加密", report), report
    assert "附件：1 个已重新加密，0 个原未加密" in report
    assert complaint.history.count() == history_rows  # the content did not change
    assert stored_raw(complaint) != old_raw

    # The old key can go: everything is under the new one.
    settings.SALT_KEY = ["new-identity-key"]
    assert identity_of(complaint.pk) == (NAME, PHONE)
    assert stored_plain(complaint) == plain


def test_a_file_stored_before_encryption_is_read_and_then_encrypted_by_rotation(client, media):
    file_with(client, "photo.jpg", samples.jpeg_with_gps())
    complaint = Complaint.objects.get()
    plain = stored_plain(complaint)
    # As an upgrade finds it: the file as it was stored before this version.
    attachments.storage().replace_raw(complaint.attachment.name, plain)
    assert stored_plain(complaint) == plain
    assert "0 个已重新加密，1 个原未加密、现已加密" in rotate()
    assert stored_raw(complaint).startswith(attachments.TOKEN_PREFIX)
    assert stored_plain(complaint) == plain


def test_the_service_refuses_anyone_but_the_office(people, with_attachment):
    from casework.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        complaint_services.open_attachment(with_attachment, people["investigator"], reason="x")
