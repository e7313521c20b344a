"""The workspace's one search box (docs/search.md): cases and complaints by number, tracking
code, official, department and text — what each procedure's search finds for this person, and
nothing else."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from casework.accountability import rules as case_rules
from casework.accountability import search as case_search
from casework.accountability.models import AccountabilityCase
from casework.complaints import rules as complaint_rules
from casework.complaints import search as complaint_search
from casework.complaints.models import Complaint
from casework.kernel.search import clean
from casework.kernel.views import WorkspacePage

SHOWN = 20


class SearchView(WorkspacePage, TemplateView):
    template_name = "workspace/search.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        q = clean(self.request.GET.get("q"))
        sections = []
        if q:
            cases = case_search.search(
                user, q, AccountabilityCase.objects.select_related("official", "department")
            ).order_by("-registered_at", "-id")
            found = list(cases[: SHOWN + 1])
            sections.append(
                {
                    "key": "cases",
                    "title": _("问责案件"),
                    "rows": [
                        {
                            "url": case.get_absolute_url(),
                            "number": case.number,
                            "who": f"{case.official.name} · {case.department.name}",
                            "state": case.get_state_display(),
                            "state_code": case.state,
                            "text": case.summary,
                        }
                        for case in found[:SHOWN]
                    ],
                    "more": len(found) > SHOWN,
                    "list_url": reverse("accountability:cases") + "?" + urlencode({"q": q}),
                }
            )
            if complaint_rules.sees_complaint_list(user):
                complaints = complaint_search.search(
                    user,
                    q,
                    Complaint.objects.select_related("respondent_department", "transferred_to"),
                ).order_by("-received_on", "-id")
                found = list(complaints[: SHOWN + 1])
                sections.append(
                    {
                        "key": "complaints",
                        "title": _("效能投诉"),
                        "rows": [
                            {
                                "url": complaint.get_absolute_url(),
                                "number": _("投诉第%(number)s号") % {"number": complaint.pk},
                                "who": complaint.respondent_department.name,
                                "state": complaint.get_state_display(),
                                "state_code": complaint.state,
                                "text": complaint.content,
                            }
                            for complaint in found[:SHOWN]
                        ],
                        "more": len(found) > SHOWN,
                        "list_url": reverse("complaints:staff-list") + "?" + urlencode({"q": q}),
                    }
                )
        return super().get_context_data(
            q=q, sections=sections, sees_cases=case_rules.works_in_procedure(user), **kwargs
        )
