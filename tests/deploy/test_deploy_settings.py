"""The production settings, as the README's deployment sets them (DEBUG=0, real keys): the
deployment checks are clean, each hardening can be turned off by its variable, and
collectstatic succeeds with the manifest storage. Each runs ``manage.py`` in a subprocess, as
the settings are read once per process. The whole deployment is tried by .ci/smoke-deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


REDIS_URL = "redis://127.0.0.1:6379/7"


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        COMPLAINT_IDENTITY_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="casework.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://casework.example.gov.cn",
    )
    env.update(extra)
    return env


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_the_shared_cache_of_a_deployment():
    """With Redis as the shared cache, as the README's deployment sets it."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL=REDIS_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_redis_the_only_warning_is_ratelimits_unknown_database_cache():
    """django-ratelimit does not know the project's database cache (whose increments are
    atomic, casework/kernel/cache.py): its warning W001 is shown, not silenced, and it is the
    only one."""
    result = manage("check", "--deploy")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "django_ratelimit.W001" in output and "identified 1 issue" in output, output


def test_each_https_setting_can_be_turned_off_by_its_variable():
    result = manage(
        "check",
        "--deploy",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
    )
    output = result.stdout + result.stderr
    assert "security.W004" in output  # no HSTS
    assert "security.W008" in output  # no redirect to HTTPS


def test_collectstatic_succeeds_with_the_manifest_storage(tmp_path):
    result = manage("collectstatic", "--no-input", "-v", "0", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    manifest = (tmp_path / "staticfiles.json").read_text()
    # What the workspace loads is there under its hashed name; viewflow's npm sources are not.
    assert "viewflow/fonts/roboto/roboto-fontface.css" in manifest
    assert "casework/casework.css" in manifest
    assert not list(tmp_path.rglob("node_modules"))
