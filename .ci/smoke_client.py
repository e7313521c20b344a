"""The requests of the deployment smoke test (.ci/smoke-deploy), made as a browser and an API
client would make them through the reverse proxy: every request says it came over HTTPS
(``X-Forwarded-Proto``), so the secure cookies, the CSRF check and HSTS are those of
production. Standard library only: it runs with the fresh venv's Python.

    python smoke_client.py BASE_URL HOST
Reads the passwords from SMOKE_ADMIN_PASSWORD and SMOKE_MAYOR_PASSWORD. Exits non-zero at the
first answer that is not the expected one."""

import http.client
import json
import os
import re
import sys
import time
import urllib.parse


class Client:
    def __init__(self, base, host):
        parts = urllib.parse.urlsplit(base)
        self.netloc = parts.netloc
        self.host = host
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None, https=True):
        connection = http.client.HTTPConnection(self.netloc, timeout=30)
        sent = {"Host": self.host, "User-Agent": "casework-smoke"}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, content

    def json(self, method, path, payload=None, token=None):
        headers = {"Accept": "application/json"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        response, content = self.request(method, path, body=body, headers=headers)
        return response.status, (json.loads(content) if content else None)


def expect(what, status, wanted, detail=""):
    if status != wanted:
        print(f"FAIL {what}: {status} (expected {wanted}) {detail}"[:2000])
        sys.exit(1)
    print(f"ok   {what}: {status}")


def main(base, host):
    client = Client(base, host)
    origin = f"https://{host}"

    for _ in range(60):  # gunicorn's workers are up when the health check answers
        try:
            response, _content = client.request("GET", "/api/v1/health")
            if response.status == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        expect("health", 0, 200, "gunicorn did not answer")

    response, _content = client.request("GET", "/accounts/login/", https=False)
    expect("plain HTTP is redirected to HTTPS", response.status, 301)

    client.cookies.clear()
    response, content = client.request("GET", "/accounts/login/")
    expect("login page", response.status, 200)
    hsts = response.getheader("Strict-Transport-Security") or ""
    expect("HSTS header", 200 if "max-age=" in hsts else 0, 200, hsts)
    csp = response.getheader("Content-Security-Policy") or ""
    expect("Content-Security-Policy header", 200 if "script-src" in csp else 0, 200, csp)
    page = content.decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    if stylesheet is None:
        expect("a stylesheet on the login page", 0, 200)
    response, _content = client.request("GET", stylesheet.group(1))
    expect(f"static file {stylesheet.group(1)}", response.status, 200)

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "username": "admin",
            "password": os.environ["SMOKE_ADMIN_PASSWORD"],
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    response, _content = client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    expect("login (redirect to the inbox)", response.status, 302)
    if "sessionid" not in client.cookies:
        expect("session cookie", 0, 200)
    response, content = client.request("GET", "/workflow/inbox/")
    expect("inbox", response.status, 200)
    response, content = client.request("GET", "/admin/")
    expect("admin site", response.status, 200)

    api = Client(base, host)
    status, body = api.json(
        "POST",
        "/api/v1/auth/token",
        {"username": "mayor", "password": os.environ["SMOKE_MAYOR_PASSWORD"]},
    )
    expect("API token for the mayor", status, 200, body)
    mayor = body["token"]
    status, body = api.json("GET", "/api/v1/officials", token=mayor)
    expect("officials", status, 200, body)
    officials = body["results"] if isinstance(body, dict) else body
    status, case = api.json(
        "POST",
        "/api/v1/accountability-cases",
        {
            "official": officials[0]["id"],
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "部署冒烟测试：登记并启动一件问责案件。",
        },
        token=mayor,
    )
    expect("register a case", status, 201, case)
    status, case = api.json(
        "POST", f"/api/v1/accountability-cases/{case['id']}/transitions/start", {}, token=mayor
    )
    expect("transition start", status, 200, case)
    expect("case initiated", 200 if case["state"] == "initiated" else 0, 200, case["state"])

    portal = Client(base, host)
    response, _content = portal.request("GET", "/complaints/new/")
    expect("public portal: complaint form", response.status, 200)
    status, filed = portal.json(
        "POST",
        "/api/v1/public/complaints",
        {
            "category": "nonperformance",
            "respondent_department": "education",
            "content": "部署冒烟测试：窗口工作人员推诿，多次往返未办结。",
            "real_name": False,
        },
    )
    expect("public portal: file a complaint", status, 201, filed)
    code = filed["tracking_code"]
    status, tracked = portal.json("GET", f"/api/v1/public/complaints/{code}")
    expect("public portal: track it", status, 200, tracked)
    response, _content = portal.request("GET", "/complaints/track/")
    expect("public portal: tracking page", response.status, 200)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
