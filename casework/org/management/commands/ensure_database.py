"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet, so that
`make run` works against a fresh server. SQLite needs nothing."""

from django.core.management import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "如 DATABASE_URL 指向的 PostgreSQL 数据库不存在则创建之。"

    def handle(self, *args, **options):
        connection = connections["default"]
        if connection.vendor != "postgresql":
            return
        name = connection.settings_dict["NAME"]
        import psycopg
        from psycopg import sql

        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        with psycopg.connect(**params, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                self.stdout.write(f"created database {name}")
