import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def demo_record(db):
    """The demo cases and complaints in every state, as ``manage.py demo`` loads them."""
    call_command("demo", verbosity=0)


@pytest.fixture
def behind_the_back():
    """Raw SQL as a database administrator would type it. On PostgreSQL the append-only
    triggers would refuse it, so it is typed with triggers off for the session (as a superuser
    can), to prove that the chain catches what the triggers were bypassed for."""

    def run(sql, params=()):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = origin")

    return run
