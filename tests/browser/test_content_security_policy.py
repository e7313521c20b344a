"""The Content-Security-Policy does not break the workspace: every kind of page — the login,
the inbox, queue and archive, cases, task screens, documents, complaints, deadlines, the
admin, the public portal — loads, navigates (Turbo) and works in Chromium without a single
CSP violation reported on the console."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint
from casework.documents.models import Document

from .helpers import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and script error it reports collected."""
    call_command("demo", verbosity=0)
    cache.clear()
    page.violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            page.violations.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.violations.append(f"{page.url}: {error}"))
    yield page
    cache.clear()


def visit(page, path, workspace=True):
    """Open ``path``: 200, a policy without 'unsafe-inline' scripts, and on the workspace's
    pages the response's nonce where Turbo reads it."""
    response = page.goto(page.base_url + path)
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("networkidle")
    header = response.headers.get("content-security-policy", "")
    script_src = header.split("script-src ", 1)[1].split(";", 1)[0]
    assert script_src.startswith("'self'") and "'unsafe-inline'" not in script_src, header
    if workspace:
        nonce = script_src.split("'nonce-", 1)[1].split("'", 1)[0]
        assert page.locator("meta[name=csp-nonce]").get_attribute("content") == nonce
    return response


def test_the_workspace_loads_without_a_csp_violation(watched):
    page = watched
    visit(page, "/accounts/login/")
    log_in(page, "secretariat")
    case = AccountabilityCase.objects.order_by("pk").first()
    document = Document.objects.exclude(case=None).order_by("pk").first()
    for path in (
        "/workflow/inbox/",
        "/workflow/queue/",
        "/workflow/archive/",
        "/accountability/",
        f"/accountability/{case.pk}/",
        f"/accountability/documents/{document.pk}/",
        "/deadlines/",
        "/deadlines/notifications/",
        "/deadlines/board/",
        "/complaints/staff/",
    ):
        visit(page, path)
    # The print link works without an inline handler.
    visit(page, f"/accountability/documents/{document.pk}/")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed === true")

    # A task screen, reached as a person would: from the inbox, by Turbo.
    log_in(page, "mayor")
    visit(page, "/workflow/inbox/")
    link = page.locator("a[href*='/execute/'], a[href*='/detail/']").first
    if link.count():
        link.click()
        page.wait_for_load_state("networkidle")

    log_in(page, "complaints")
    complaint = Complaint.objects.order_by("pk").first()
    visit(page, f"/complaints/staff/{complaint.pk}/")
    visit(page, "/complaints/staff/new/")

    log_in(page, "admin")
    for path in ("/admin/", "/admin/audit/auditentry/", "/admin/viewflow/process/"):
        visit(page, path, workspace=False)

    page.context.clear_cookies()
    for path in ("/complaints/new/", "/complaints/track/"):
        visit(page, path, workspace=False)

    assert page.violations == []


def test_an_inline_script_is_refused(watched):
    """The policy is in force: a script injected without the nonce does not run."""
    page = watched
    visit(page, "/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.head.appendChild(s); }"
    )
    assert page.evaluate("window.__injected === undefined")
    assert any("Content Security Policy" in v for v in page.violations)
