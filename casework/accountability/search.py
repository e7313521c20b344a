"""What a search finds among accountability cases (docs/search.md): the cases this person may
see (``rules.visible_cases``), by number, official, department and the text of the case."""

from casework.kernel.search import matches

from . import rules
from .models import AccountabilityCase

# Every one of these is part of the case a person who may see the case reads on its page.
FIELDS = (
    "number",
    "official__name",
    "department__name",
    "summary",
    "findings",
    "objection",
    "investigation_report",
    "minutes",
    "statement",
    "no_accountability_reason",
)


def search(user, q, queryset=None):
    queryset = queryset if queryset is not None else AccountabilityCase.objects.all()
    return matches(rules.visible_cases(user, queryset), FIELDS, q)
