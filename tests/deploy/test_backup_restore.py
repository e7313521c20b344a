"""Backup and restore as the README's operations section says (PostgreSQL): a database full of
demo cases and complaints, with attachments, is dumped (``pg_dump -Fc``) and its media
archived; both are restored into a new database and a new folder; every row of every table is
there, every attachment decrypts with the keys kept apart, and ``verify_audit`` passes. Without
the identity key the attachments cannot be read."""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from casework.complaints import services as complaint_services
from casework.org.models import User
from tests.complaints import samples

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_dump/pg_restore missing"),
]


def libpq_env(name):
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": name}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def url_of(name):
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def psql(name, sql):
    return subprocess.run(
        ["psql", "-XAtq", "-F", "\t", "-c", sql],
        env=libpq_env(name),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()


def table_fingerprints(name):
    """Every table of the public schema: its row count and a digest of all its rows."""
    tables = psql(name, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    union = " UNION ALL ".join(
        f"SELECT '{table}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        f' FROM "{table}" t'
        for table in sorted(tables)
    )
    return {row.split("\t")[0]: tuple(row.split("\t")[1:]) for row in psql(name, union)}


CHECK_ATTACHMENTS = """
from casework.complaints.models import Complaint
from casework.complaints import attachments
readable = 0
for complaint in Complaint.objects.exclude(attachment=""):
    with attachments.storage().open(complaint.attachment.name) as stored:
        data = stored.read()
    assert data[:3] == b"\\xff\\xd8\\xff" or data[:4] in (b"%PDF", b"\\x89PNG"), data[:8]
    readable += 1
named = Complaint.objects.filter(real_name=True).exclude(name=None).first()
assert not named.name.startswith("gAAAAA"), "identity not decrypted"
print("readable", readable)
"""


def manage(*args, database, media, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url_of(database),
            "MEDIA_ROOT": str(media),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def restored_name():
    name = connection.settings_dict["NAME"] + "_restored"
    drop = ["psql", "-XAtq", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"']
    subprocess.run(drop, env=libpq_env("postgres"), check=True)
    yield name
    subprocess.run(drop, env=libpq_env("postgres"), check=False)


def test_a_dump_and_the_media_restore_into_a_new_database_whole(
    reference_data, settings, tmp_path, restored_name
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    cache.clear()
    call_command("demo", verbosity=0)
    for name, content in (
        ("photo.jpg", samples.jpeg_with_gps()),
        ("letter.pdf", samples.pdf_with_author()),
        ("scan.png", samples.png({"Author": "张三"})),
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        complaint = complaint_services.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "附件测试：窗口工作人员推诿，多次往返未办结。",
                "real_name": True,
                "name": "王小明",
                "phone": "13800138000",
            },
            SimpleUploadedFile(name, content),
        )
    complaint_services.view_identity(
        complaint, User.objects.get(username="complaints"), reason="核实", ip="10.0.0.1"
    )
    source = connection.settings_dict["NAME"]
    connection.close()

    # Back up: the database, and the media apart from it (the keys are in neither).
    dump = tmp_path / "casework.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump)], env=libpq_env(source), check=True
    )
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname=".")

    # Restore: a new database, a new media folder.
    subprocess.run(
        ["psql", "-XAtq", "-d", "postgres", "-c", f'CREATE DATABASE "{restored_name}"'],
        env=libpq_env("postgres"),
        check=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored_name, str(dump)],
        env=libpq_env(restored_name),
        check=True,
    )
    restored_media = tmp_path / "restored-media"
    with tarfile.open(archive) as tar:
        tar.extractall(restored_media, filter="data")

    original, restored = table_fingerprints(source), table_fingerprints(restored_name)
    assert restored == original
    assert int(original["audit_auditentry"][0]) > 500
    assert int(original["complaints_identityaccess"][0]) == 1

    checked = manage("shell", "-c", CHECK_ATTACHMENTS, database=restored_name, media=restored_media)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "readable 3" in checked.stdout

    verified = manage("verify_audit", database=restored_name, media=restored_media)
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert "0 个问题" in verified.stdout

    # The keys were kept apart: without the identity key nothing confidential can be read.
    keyless = manage(
        "shell",
        "-c",
        CHECK_ATTACHMENTS,
        database=restored_name,
        media=restored_media,
        COMPLAINT_IDENTITY_KEY="not-the-key",
    )
    assert keyless.returncode != 0
