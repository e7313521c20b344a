"""On PostgreSQL the search is served by trigram indexes (docs/search.md): the pg_trgm
extension and one GIN index per searched text column; a Chinese substring of a case's text and
a Latin/number word (full-text, ``simple`` configuration) are found."""

import pytest
from django.db import connection

from casework.accountability import search as case_search

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
    ),
]


def test_the_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'search_trgm_%%'"
        )
        indexes = dict(cursor.fetchall())
    assert "search_trgm_accountability_accountabilitycase_summary" in indexes
    assert "search_trgm_complaints_complaint_content" in indexes
    assert "gin_trgm_ops" in indexes["search_trgm_complaints_complaint_content"]


def test_the_substring_match_can_use_the_trigram_index(case, people):
    queryset = case_search.search(people["secretariat"], "校舍改造")
    assert list(queryset) == [case]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_trgm_accountability_accountabilitycase_summary" in plan, plan


def test_a_number_is_found_by_full_text(case, people):
    number_digits = "".join(ch for ch in case.number if ch.isdigit())[-1]
    assert case in case_search.search(people["secretariat"], case.number)
    assert number_digits  # the case number carries its serial number
