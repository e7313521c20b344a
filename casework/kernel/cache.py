"""The cache every worker shares when no Redis is configured: Django's database cache, whose
counters the portal's limits keep (django-ratelimit), made fit for counting.

Django's ``incr`` on the database cache reads the value, then writes it back with the default
timeout: two workers counting at once lose a count, and a counter of an hour's window expires
after five minutes. Here ``incr`` locks the row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's
``IMMEDIATE`` transactions already hold the write lock) and changes the value only, keeping
the row's expiry — what Redis does natively.

The table is created by ``migrate`` (``create_cache_table``, connected to post_migrate by the
API's app, since the signal is sent only for apps with models), so every database that is
migrated has it.
"""

import base64
import pickle

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                f"WHERE {quote('cache_key')} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(row[1], connection):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                [encoded, key],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    @staticmethod
    def _expired(expires, connection) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < now()


def create_cache_table(using="default", **kwargs):
    """``createcachetable`` after ``migrate`` (post_migrate): idempotent, and nothing to do
    for a cache that is not in the database (Redis)."""
    if any(isinstance(caches[alias], DjangoDatabaseCache) for alias in settings.CACHES):
        call_command("createcachetable", database=using, verbosity=0)
