"""The tracking code on the public portal: shown once with a copy button, taken by POST only
and never put in an address; the status shows the expected completion date (the handling
period of Xinxiang complaints art. 5)."""

import re

import pytest

from casework.complaints.models import Complaint
from casework.deadlines.models import Kind

pytestmark = pytest.mark.django_db

FORM = {
    "category": "attitude",
    "respondent_department": "education",
    "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
    "real_name": "0",
}


@pytest.fixture
def filed(client):
    response = client.post("/complaints/new/", FORM, follow=True)
    assert response.status_code == 200
    return Complaint.objects.get(), response


def handling_due(complaint):
    return complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING).due


def test_the_code_is_shown_once_with_a_copy_button_and_no_address_carries_it(filed):
    complaint, response = filed
    html = response.content.decode()
    code = complaint.tracking_code
    assert f'data-testid="tracking-code">{code}<' in html
    assert 'data-copy="#tracking-code"' in html and "/static/casework/portal.js" in html
    # No link, form action or redirect puts the code in an address.
    for address in re.findall(r'(?:href|action|src)="([^"]*)"', html):
        assert code not in address and "code=" not in address
    assert all(code not in url for url, _status in response.redirect_chain)
    # Taken to the tracking page by POST, with the code in the body.
    assert re.search(
        r'<form method="post" action="/complaints/track/">.*?name="code" value="' + re.escape(code),
        html,
        re.S,
    )
    # No inline script on the page (Content-Security-Policy).
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert handling_due(complaint).isoformat() in html


def test_tracking_by_post_shows_the_status_and_the_expected_completion_date(client, filed):
    complaint, _response = filed
    response = client.post("/complaints/track/", {"code": complaint.tracking_code})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="status"' in html
    assert "已提交" in html
    expected = re.search(r'data-testid="expected-completion"><span class="cw-token">([\d-]+)', html)
    assert expected and expected.group(1) == handling_due(complaint).isoformat()
    assert complaint.tracking_code not in html  # not echoed back either
    assert response["Cache-Control"] == "no-store"


def test_a_get_with_the_code_in_the_address_reveals_nothing(client, filed):
    complaint, _response = filed
    response = client.get("/complaints/track/", {"code": complaint.tracking_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="status"' not in html and "已提交" not in html
    assert complaint.tracking_code not in html
    assert handling_due(complaint).isoformat() not in html
    assert 'method="post"' in html


def test_a_wrong_code_by_post_says_so_and_counts_towards_the_limit(client, filed, settings):
    response = client.post("/complaints/track/", {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "没有找到该查询码" in response.content.decode()


def test_the_public_api_keeps_its_contract(client, filed):
    complaint, _response = filed
    body = client.get(f"/api/v1/public/complaints/{complaint.tracking_code}").json()
    assert set(body) == {"status", "status_name", "received_on", "updated_on"}
