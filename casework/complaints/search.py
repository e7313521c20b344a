"""What a search finds among complaints (docs/search.md): the complaints this person may see
(``rules.visible_complaints``), matched only in the fields their ``rules.disclosure`` shows
them — the tracking code (exactly) and the feedback letter for the complaints office alone,
the internal notes for the office and the bureau (Xinxiang complaints art. 8). The
complainant's name and contact details are encrypted and never searched."""

import re

from django.db.models import Q

from casework.kernel.search import clean, matches

from . import rules
from .models import Complaint

# (field path, the complaint field whose disclosure governs it)
FIELDS = (
    ("content", "content"),
    ("respondent_department__name", "respondent_department"),
    ("transferred_to__name", "transferred_to"),
    ("onsite_response", "onsite_response"),
    ("organ_result", "organ_result"),
    ("decision_text", "decision_text"),
    ("published_result", "published_result"),
    ("internal_notes", "internal_notes"),
    ("feedback", "feedback"),
)
NUMBER = re.compile(r"^(?:投诉第)?(\d{1,9})号?$")


def search(user, q, queryset=None):
    queryset = rules.visible_complaints(
        user, queryset if queryset is not None else Complaint.objects.all()
    )
    q = clean(q)
    if not q:
        return queryset
    hidden = rules.disclosure(user).hidden_fields
    fields = [path for path, governed_by in FIELDS if governed_by not in hidden]
    found = Q(pk__in=matches(queryset, fields, q).values("pk"))
    number = NUMBER.match(q)
    if number:
        found |= Q(pk=int(number.group(1)))
    if "tracking_code" not in hidden:
        # A tracking code is a credential: found only by its whole value.
        code = q.upper()
        if len(code) == 16 and "-" not in code:
            code = "-".join(code[i : i + 4] for i in range(0, 16, 4))
        found |= Q(tracking_code=code)
    return queryset.filter(found)
