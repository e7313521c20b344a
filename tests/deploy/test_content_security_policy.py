"""Every response carries the Content-Security-Policy (django-csp): scripts only from the site
or with the response's nonce — never 'unsafe-inline' —, nothing framed, no plugins. Whether the
workspace still works under it is the browser's to say
(tests/browser/test_content_security_policy.py)."""

import pytest

from casework.org.models import User

pytestmark = pytest.mark.django_db


def directives(response):
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize(
    "path, username",
    [
        ("/accounts/login/", None),
        ("/complaints/new/", None),
        ("/complaints/track/", None),
        ("/api/v1/health", None),
        ("/workflow/inbox/", "secretariat"),
        ("/accountability/", "mayor"),
        ("/complaints/staff/", "complaints"),
        ("/deadlines/", "secretariat"),
        ("/admin/", "admin"),
    ],
)
def test_every_page_carries_the_policy(client, demo_people, path, username):
    if username:
        client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"][0] == "'self'"
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_workspace_hands_its_nonce_to_turbo(client, demo_people):
    client.force_login(User.objects.get(username="secretariat"))
    response = client.get("/workflow/inbox/")
    nonce = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    assert len(nonce) == 1
    assert f'<meta name="csp-nonce" content="{nonce[0][7:-1]}">' in response.content.decode()
    assert "onclick=" not in response.content.decode()
