"""Text search over a queryset (docs/search.md): the one matcher every search box and list
filter uses. Which objects and which fields a person may search is the procedure's business
(its ``search.py`` asks its ``rules.py``); this module only matches.

PostgreSQL: a full-text match (``simple`` configuration: numbers and Latin words, such as a
case number's digits) OR a substring match, which the pg_trgm trigram indexes of
``casework/workspace/migrations`` serve for Chinese (no word segmentation is needed for a
substring). SQLite: a plain case-insensitive substring match.
"""

from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

MAX_QUERY = 100


def clean(q) -> str:
    """The query as matched: stripped, inner whitespace collapsed, at most MAX_QUERY
    characters, no NUL."""
    return " ".join(str(q or "").replace("\x00", "").split())[:MAX_QUERY]


def matches(queryset, fields, q):
    """``queryset`` narrowed to the rows where every word of ``q`` occurs in one of
    ``fields`` (model field paths, related fields allowed)."""
    q = clean(q)
    if not q:
        return queryset
    if not fields:
        return queryset.none()
    words = q.split()
    condition = Q()
    for word in words:
        condition &= reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(*fields, config="simple")
        queryset = queryset.annotate(_search=vector)
        condition |= Q(_search=SearchQuery(q, config="simple", search_type="websearch"))
    return queryset.filter(condition)
