"""What every browser test does: sign in as a demo account."""

DEMO_PASSWORD = "demo-pass-2026"


def log_in(page, username):
    """Sign in as ``username`` (a fresh session) and wait for the workspace."""
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/workflow/**")
