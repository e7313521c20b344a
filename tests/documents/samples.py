"""Documents of every type for the tests of the documents and of the browser."""

import datetime

from django.utils import timezone

from casework.accountability import services as accountability
from casework.complaints import services as complaints
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


# A real-name complainant, named in no letter (Xinxiang complaints art. 8).
COMPLAINANT = {"name": "王小明", "phone": "13812345678", "email": "wxm@example.com"}
COMPLAINT_LETTERS = {DocType.COMPLAINT_TRANSFER_LETTER, DocType.COMPLAINT_FEEDBACK_LETTER}


def complaint_letter(people, doc_type):
    """A letter of the complaint procedure, issued today by the complaints office as it takes
    the step: a real-name letter registered, accepted and transferred to the education
    bureau (the transfer letter), then reported on by the bureau, verified, decided and
    answered (the feedback letter)."""
    office = people["complaints"]
    complaint = complaints.register(
        office,
        {
            "channel": "letter",
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：到教育局办理学籍转入手续时，窗口工作人员多次推诿，态度恶劣。",
            "real_name": True,
            **COMPLAINANT,
        },
    )
    complaint = complaints.transition(complaint, "accept", office, {})
    complaint = complaints.transition(complaint, "transfer", office, {"organ": "education"})
    if doc_type == DocType.COMPLAINT_TRANSFER_LETTER:
        return complaint.transfer_letter
    complaint = complaints.transition(
        complaint, "organ_report", people["staff_education"], {"report": "已批评教育"}
    )
    complaint = complaints.transition(complaint, "verify", office, {})
    complaint = complaints.transition(
        complaint, "decide", office, {"outcome": "supervision_decision", "text": "责令整改"}
    )
    complaint = complaints.transition(
        complaint,
        "give_feedback",
        office,
        {"text": "您反映的教育局窗口推诿问题已查实，已责令整改，感谢您的监督。"},
    )
    return complaint.feedback_letter


def issue_document(case, people, doc_type, body=BODY):
    """A document of ``doc_type`` on ``case``, issued on 1 December 2026 (the admonition
    letter: by the scan, on a yellow card of the education bureau, today; a complaint's
    letter: by the complaints office, today, on a complaint of its own)."""
    if doc_type in COMPLAINT_LETTERS:
        return complaint_letter(people, doc_type)
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
