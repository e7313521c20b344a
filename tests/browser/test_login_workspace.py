"""A person opens the site in a browser, logs in as the secretariat, sees the workspace."""

import pytest

pytestmark = pytest.mark.browser


def test_secretariat_logs_in_and_sees_the_chinese_workspace(page):
    page.goto(page.base_url + "/")
    assert "/accounts/login/" in page.url
    assert "问责与效能监察系统" in page.content()

    page.fill("input[name=username]", "secretariat")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    page.get_by_text("用户名或密码不正确").first.wait_for()

    page.fill("input[name=username]", "secretariat")
    page.fill("input[name=password]", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/workflow/**")
    page.get_by_text("李文静").first.wait_for()
    body = page.content()
    assert "市政府办公室" in body
    for word in ("待办", "待领取", "已办"):
        assert word in body
    page.screenshot(path="var/browser-workspace.png", full_page=True)
