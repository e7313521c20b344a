"""The workspace's search box (docs/search.md): it finds cases and complaints by number,
tracking code, official, department and text — only what the person may see, and a
complaint only through the fields their disclosure shows them (Xinxiang complaints art. 8)."""

import pytest

from casework.accountability import search as case_search
from casework.complaints import search as complaint_search

pytestmark = pytest.mark.django_db


def found(client, q):
    response = client.get("/workspace/search/", {"q": q})
    assert response.status_code == 200
    return {
        section["key"]: [row["number"] for row in section["rows"]]
        for section in response.context["sections"]
    }


@pytest.mark.parametrize("q", ["南府问", "刘建华", "教育局", "校舍改造", "政府工作报告 校舍"])
def test_the_secretariat_finds_a_case_by_number_official_department_and_text(login, case, q):
    q = case.number if q == "南府问" else q
    assert found(login("secretariat"), q)["cases"] == [case.number]


def test_words_that_are_not_in_the_case_find_nothing(login, case):
    assert found(login("secretariat"), "校舍改造 税务")["cases"] == []


def test_an_official_finds_his_own_case_and_no_one_elses(login, case):
    assert found(login("head_education"), case.number)["cases"] == [case.number]
    assert found(login("head_transport"), case.number)["cases"] == []
    assert found(login("head_transport"), "校舍改造")["cases"] == []


def test_only_the_complaints_office_finds_a_complaint_by_its_tracking_code(
    login, complaint, people
):
    code = complaint.tracking_code
    number = f"投诉第{complaint.pk}号"
    assert found(login("complaints"), code)["complaints"] == [number]
    assert found(login("complaints"), code.replace("-", "").lower())["complaints"] == [number]
    # The bureau sees the complaint, redacted: the code finds nothing for it.
    assert found(login("investigator"), code)["complaints"] == []
    # The organ it was transferred to likewise.
    assert found(login("head_education"), code)["complaints"] == []
    # And the code is never matched as text by anyone else.
    for username in ("investigator", "head_education"):
        assert complaint_search.search(people[username], code[:9]).count() == 0


def test_the_internal_notes_are_searched_for_the_office_and_the_bureau_not_the_organ(
    login, complaint
):
    number = f"投诉第{complaint.pk}号"
    assert found(login("complaints"), "临时借调")["complaints"] == [number]
    assert found(login("investigator"), "临时借调")["complaints"] == [number]
    assert found(login("head_education"), "临时借调")["complaints"] == []
    # The content is the organ's to read.
    assert found(login("head_education"), "学籍转入")["complaints"] == [number]


def test_the_complainants_name_and_phone_find_nothing(login, complaint):
    assert found(login("complaints"), "王秀英")["complaints"] == []
    assert found(login("complaints"), "13812345678")["complaints"] == []


def test_an_organ_the_complaint_was_not_transferred_to_finds_nothing(login, complaint):
    assert found(login("head_transport"), "学籍转入")["complaints"] == []


def test_who_may_not_see_complaints_gets_no_complaint_section(login, complaint):
    sections = found(login("mayor"), "学籍转入")
    assert "complaints" not in sections and sections["cases"] == []


def test_a_complaint_is_found_by_its_number(login, complaint):
    number = f"投诉第{complaint.pk}号"
    assert number in found(login("complaints"), number)["complaints"]


def test_the_search_box_is_in_the_header_of_every_workspace_page(login, case):
    html = login("head_education").get("/accountability/").content.decode()
    assert 'data-testid="search-box"' in html and 'action="/workspace/search/"' in html


def test_an_empty_or_hostile_query_is_harmless(login, case, people):
    client = login("secretariat")
    assert client.get("/workspace/search/", {"q": ""}).context["sections"] == []
    assert client.get("/workspace/search/", {"q": "%_\\"}).status_code == 200
    assert client.get("/workspace/search/", {"q": "教" * 500}).status_code == 200
    assert case_search.search(people["secretariat"], "a\x00b").count() == 0


def test_a_signed_out_visitor_is_sent_to_the_login_page(client):
    response = client.get("/workspace/search/", {"q": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
