"""Text search over a queryset (docs/search.md): the one matcher every search box and list
filter uses. Which objects and which fields a person may search is the procedure's business
(its ``search.py`` asks its ``rules.py``); this module only matches.

Every word of the query must occur in one of the fields (a substring, case-insensitive).

* PostgreSQL: each field is asked in its own subquery (``pk IN (… WHERE UPPER(field) LIKE
  …)``), which the pg_trgm trigram index of that column serves
  (``casework/workspace/migrations``) — a Chinese substring needs no word segmentation. A word
  in Latin letters or digits is also looked up by full-text search (``simple``
  configuration) over the model's own text.
* SQLite: a plain case-insensitive substring match.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import Q

MAX_QUERY = 100
LATIN_WORD = re.compile(r"^[0-9A-Za-z]+$")


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
    if connection.vendor != "postgresql":
        return queryset.filter(
            reduce(
                and_,
                (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words),
            )
        )
    from django.contrib.postgres.search import SearchQuery, SearchVector

    model = queryset.model
    own_text = [f for f in fields if "__" not in f]
    condition = Q()
    for word in words:
        either = reduce(
            or_,
            (
                Q(pk__in=model._base_manager.filter(**{f"{f}__icontains": word}).values("pk"))
                for f in fields
            ),
        )
        if LATIN_WORD.match(word) and own_text:
            either |= Q(
                pk__in=model._base_manager.annotate(
                    _search=SearchVector(*own_text, config="simple")
                )
                .filter(_search=SearchQuery(word, config="simple"))
                .values("pk")
            )
        condition &= either
    return queryset.filter(condition)
