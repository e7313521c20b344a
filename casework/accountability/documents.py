"""How the documents of an accountability case are laid out as official documents (公文,
docs/documents.md): the organ whose mark heads each, its formal title, whom it is copied to,
and who may see and correct it — the procedure's own rules (``rules.py``), asked, not
rewritten."""

from django.utils.translation import gettext_lazy as _

from casework.documents.formats import Format, register
from casework.documents.models import DocType

from . import rules, services


def _subject(document) -> str:
    """The official concerned as a title names them: department, post, name
    (南充市教育局 + 教育局局长 + 刘建华 → 南充市教育局局长刘建华)."""
    official = document.case.official
    department, post = document.case.department.name, official.title
    overlap = next(
        (n for n in range(min(len(department), len(post)), 0, -1) if department.endswith(post[:n])),
        0,
    )
    return f"{department}{post[overlap:]}{official.name}"


def _heading(template):
    return lambda document: str(template) % {"subject": _subject(document)}


def _sees_case(user, document) -> bool:
    return document.case_id is not None and rules.can_view(user, document.case)


def _by(actor):
    """The issuing office corrects its own documents."""
    return lambda user, document: actor(user, document.case)


def _department_of_linked_case(document):
    """Nanchong art. 20: in a case the head of a department opens against a member of it
    ("参照本办法"), the department takes the government's place: it issues the notice, the
    decision and the review decisions under its own name."""
    case = document.case
    if case is None or case.parent_id is None:
        return None
    department = case.department
    return (
        _("%(department)s文件") % {"department": department.name},
        department.name,
        _("%(department)s办公室") % {"department": department.name},
    )


# The city government's documents are prepared, printed and corrected by its office (the
# secretariat, which serves them); the supervision bureau's by the bureau.
GOVERNMENT = {
    "organ_mark": _("南充市人民政府文件"),
    "issuer": _("南充市人民政府"),
    "printed_by": _("南充市人民政府办公室"),
    "can_view": _sees_case,
    "may_amend": _by(rules.SECRETARIAT),
    "organ_of": _department_of_linked_case,
}
SUPERVISION_BUREAU = {
    "organ_mark": _("南充市监察局文件"),
    "issuer": _("南充市监察局"),
    "printed_by": _("南充市监察局办公室"),
    "can_view": _sees_case,
    "may_amend": _by(rules.SUPERVISION),
}


def _decision_opened(user, document, ip):
    """Nanchong art. 12, 14: a decision served electronically is received the day its
    addressee first opens it — its page or its PDF as much as the case."""
    case = document.case
    decision = case.decision if case is not None else None
    if decision is not None and decision.document_id == document.pk:
        services.open_served_decision(case, user, ip=ip)


def _investigation_report(document):
    # Nanchong art. 22: the proposal to the supervising organ goes with the findings.
    return [_("调查核实报告")] if document.case.investigation_report else []


FORMATS = {
    # Nanchong art. 5
    DocType.NOTICE_OF_START: Format(
        **GOVERNMENT,
        heading=_heading(_("关于对%(subject)s启动问责程序的通知")),
        copy_to=(_("南充市监察局"),),
    ),
    # Nanchong art. 6
    DocType.REPORT_ORDER: Format(
        **GOVERNMENT, heading=_heading(_("关于责成%(subject)s当面汇报有关情况的通知"))
    ),
    # Nanchong art. 6, 7, 9
    DocType.INVESTIGATION_ASSIGNMENT: Format(
        **GOVERNMENT,
        heading=_heading(_("关于对%(subject)s问责情形进行调查核实的通知")),
    ),
    # Nanchong art. 8
    DocType.FINDINGS_NOTICE: Format(
        **SUPERVISION_BUREAU,
        heading=_heading(_("关于%(subject)s问责情形调查结果的告知书")),
        copy_to=(_("南充市人民政府办公室"),),
    ),
    # Nanchong art. 10
    DocType.NO_ACCOUNTABILITY_NOTICE: Format(
        **SUPERVISION_BUREAU,
        heading=_heading(_("关于对%(subject)s不予问责的告知书")),
        copy_to=(_("南充市人民政府办公室"),),
    ),
    # Nanchong art. 13, 14
    DocType.DECISION: Format(
        **GOVERNMENT,
        heading=_heading(_("关于对%(subject)s予以问责的决定")),
        copy_to=(_("南充市监察局"), _("南充市人民政府法制办公室")),
        on_open=_decision_opened,
    ),
    # Nanchong art. 14, 15
    DocType.REVIEW_REQUEST_DECISION: Format(
        **GOVERNMENT,
        heading=_heading(_("关于%(subject)s复核申请的处理决定")),
        copy_to=(_("南充市人民政府法制办公室"),),
    ),
    # Nanchong art. 16
    DocType.REVIEW_DECISION: Format(
        **GOVERNMENT,
        heading=_heading(_("关于对%(subject)s问责决定复核的决定")),
        copy_to=(_("南充市监察局"), _("南充市人民政府法制办公室")),
    ),
    # Nanchong art. 22
    DocType.ACCOUNTABILITY_PROPOSAL: Format(
        **GOVERNMENT,
        heading=_heading(_("关于对%(subject)s予以问责的建议")),
        copy_to=(_("南充市监察局"),),
        attachments=_investigation_report,
    ),
}

for doc_type, format_ in FORMATS.items():
    register(doc_type, format_)
