"""Documents of every type for the tests of the documents and of the browser."""

import datetime

from django.utils import timezone

from casework.accountability import services as accountability
from casework.deadlines import letters
from casework.deadlines.models import AdmonitionLetter
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.org.models import Official
from tests.deadlines.helpers import yellow

ISSUED_ON = datetime.date(2026, 12, 1)


def register_case(people):
    """A case against the head of the education bureau, registered by the secretariat."""
    return accountability.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": "2026-11-02",
        },
    )


BODY = (
    "经调查核实，该局未按期完成政府工作报告确定的教育基础设施建设任务。\n"
    "根据《南充市政府对政府部门行政首长问责暂行办法》第十三条，现予通知。"
)


def issue_document(case, people, doc_type, body=BODY):
    """A document of ``doc_type`` on ``case``, issued on 1 December 2026 (the admonition
    letter: by the scan, on a yellow card of the education bureau, today)."""
    if doc_type == DocType.ADMONITION_LETTER:
        late = yellow(unit="education", description="建设项目审批")
        letters.issue_admonition_letter(late, timezone.localdate())
        return AdmonitionLetter.objects.get(deadline=late).document
    return documents.issue(
        case=case,
        doc_type=doc_type,
        title=str(DocType(doc_type).label),
        body=body,
        addressee=f"{case.department.name} {case.official.name}",
        issued_on=ISSUED_ON,
        issued_by=people["mayor"],
    )
