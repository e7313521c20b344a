"""The staff pages of the complaint procedure: the list, the complaint page, registering a
complaint that came by letter, visit or phone, the attachment and the identity-access log.
They read; the only writes go through services.py."""

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View
from django.views.generic import FormView, TemplateView

from casework.deadlines.models import Deadline
from casework.exceptions import ServiceError
from casework.kernel import entrypoints
from casework.kernel.tables import Column, Table
from casework.kernel.views import WorkspacePage

from .. import rules, search, services
from ..declaration import COMPLAINTS
from ..forms import ComplaintFilters, RegisterComplaintForm
from ..models import Complaint, IdentityAccess
from .panel import (
    complaint_number,
    complaint_panel,
    get_visible_complaint,
    no_store,
    reveal_identity,
)

PAGE_SIZE = 50

# The complaint list's columns: what the page shows and what its exports write — never the
# complainant's identity (Xinxiang complaints art. 8).
COMPLAINT_TABLE = Table(
    columns=(
        Column("number", _l("编号"), width=14, sort="id", nowrap=True),
        Column("category", _l("投诉类别"), width=16, sort="category__name"),
        Column("respondent", _l("被投诉单位"), width=20, sort="respondent_department__name"),
        Column("organ", _l("承办机关"), width=20, sort="transferred_to__name"),
        Column("state", _l("状态"), width=16, sort="state"),
        Column("task", _l("当前环节"), width=20),
        Column("next_due", _l("最近期限"), width=12, is_date=True, sort="next_due", nowrap=True),
        Column(
            "received_on", _l("收到日期"), width=12, is_date=True, sort="received_on", nowrap=True
        ),
    ),
    default_sort="-received_on",
)


def complaint_row(complaint, staff) -> dict:
    task = str(complaint.task_ref.task_title) if complaint.task_ref else ""
    owner = complaint.task_owner if staff else ""
    return {
        "number": complaint_number(complaint),
        "category": complaint.category.name,
        "respondent": complaint.respondent_department.name,
        "organ": complaint.transferred_to.name if complaint.transferred_to_id else "",
        "state": str(complaint.get_state_display()),
        "task": f"{task}（{owner}）" if task and owner else task,
        "next_due": complaint.next_due,
        "received_on": complaint.received_on,
    }


def _open_deadlines():
    return Deadline.objects.open().filter(suspended_on__isnull=True)


class ComplaintListView(WorkspacePage, TemplateView):
    """Complaints this person may see (rules.visible_complaints), filtered by state,
    department complained about, receiving organ, category and overdue. No identity."""

    template_name = "complaints/staff_list.html"

    def get(self, request, *args, **kwargs):
        staff = rules.is_staff(request.user)
        export = COMPLAINT_TABLE.export(
            request,
            (complaint_row(c, staff) for c in self.complaints().iterator(chunk_size=2000)),
            f"complaints-{timezone.localdate().isoformat()}",
            _("效能投诉"),
        )
        return export or super().get(request, *args, **kwargs)

    def complaints(self):
        """The visible complaints, filtered and sorted as asked."""
        request = self.request
        today = timezone.localdate()
        filters = self.filters = ComplaintFilters(request.GET or None)
        complaints = entrypoints.call(
            "workflows.annotate_open_task",
            COMPLAINTS,
            rules.visible_complaints(
                request.user,
                Complaint.objects.select_related(
                    "category", "respondent_department", "transferred_to"
                ),
            ).annotate(
                overdue=Exists(_open_deadlines().filter(complaint=OuterRef("pk"), due__lt=today)),
                next_due=Subquery(
                    _open_deadlines()
                    .filter(complaint=OuterRef("pk"))
                    .order_by("due")
                    .values("due")[:1]
                ),
            ),
        )
        if filters.is_valid():
            data = filters.cleaned_data
            if data["state"]:
                complaints = complaints.filter(state=data["state"])
            if data["department"]:
                complaints = complaints.filter(respondent_department=data["department"])
            if data["organ"]:
                complaints = complaints.filter(transferred_to=data["organ"])
            if data["category"]:
                complaints = complaints.filter(category=data["category"])
            if data["overdue"]:
                complaints = complaints.filter(overdue=True)
            if data["q"]:
                complaints = search.search(request.user, data["q"], complaints)
        return complaints.order_by(*COMPLAINT_TABLE.order_by(request, "-id"))

    def get_context_data(self, **kwargs):
        request = self.request
        page = Paginator(self.complaints(), PAGE_SIZE).get_page(request.GET.get("page"))
        filters = self.filters
        staff = rules.is_staff(request.user)
        for complaint in page:
            complaint.number = complaint_number(complaint)
            complaint.task_title = complaint.task_ref.task_title if complaint.task_ref else ""
            if not staff:
                complaint.task_owner = ""
        query = request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filters=filters,
            page=page,
            complaints=page.object_list,
            query=query.urlencode(),
            can_register=rules.is_office(request.user),
            is_head=rules.is_office_head(request.user),
            head=COMPLAINT_TABLE.header(request),
            csv_query=COMPLAINT_TABLE.export_query(request, "csv"),
            xlsx_query=COMPLAINT_TABLE.export_query(request, "xlsx"),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------


class ComplaintDetailView(WorkspacePage, TemplateView):
    """One complaint: its facts, deadlines, open task and history — redacted for whoever is
    not the office. The office may ask to see the identity (POST, with a reason)."""

    template_name = "complaints/staff_detail.html"

    def get(self, request, *args, **kwargs):
        complaint = get_visible_complaint(request.user, kwargs["pk"])
        return no_store(self.render_to_response(self.context(complaint)))

    def post(self, request, *args, **kwargs):
        complaint = get_visible_complaint(request.user, kwargs["pk"])
        identity, form = reveal_identity(request, complaint)
        context = self.context(complaint, identity)
        context["identity_form"] = form
        return no_store(self.render_to_response(context))

    def context(self, complaint, identity=None):
        user = self.request.user
        recordings = [
            (name, COMPLAINTS.label(name))
            for name in COMPLAINTS.available(user, complaint)
            if not COMPLAINTS.step(name).changes_state
        ]
        return self.get_context_data(
            recordings=recordings,
            **complaint_panel(complaint, user, identity),
            **entrypoints.call("workflows.task_summary", COMPLAINTS, complaint, user),
        )


# ---------------------------------------------------------------------------------------


class RegisterComplaintView(WorkspacePage, FormView):
    """A complaint by letter, visit or phone (Xinxiang complaints art. 2), registered by the office
    and flagged as a petition; anyone else is refused."""

    template_name = "complaints/staff_register.html"
    form_class = RegisterComplaintForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_office(request.user):
            raise PermissionDenied(_("只有效能投诉中心可以登记投诉。"))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            complaint = services.register(
                self.request.user,
                form.payload(),
                form.cleaned_data.get("attachment"),
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已登记%(complaint)s（信访件），待受理审查。")
            % {"complaint": complaint_number(complaint)},
        )
        return HttpResponseRedirect(reverse("complaints:staff-detail", args=[complaint.pk]))

    def render_to_response(self, context, **response_kwargs):
        return no_store(super().render_to_response(context, **response_kwargs))


class AttachmentView(LoginRequiredMixin, View):
    """The attachment, for the complaints office only: a photo or a letter may show who
    complained (Xinxiang complaints art. 8), so it is opened like the identity — by a POST
    stating the reason, each view logged (services.open_attachment). A GET shows where to ask."""

    def get(self, request, pk):
        complaint = self.attachment_of(request, pk)
        return HttpResponseRedirect(reverse("complaints:staff-detail", args=[complaint.pk]))

    def post(self, request, pk):
        complaint = self.attachment_of(request, pk)
        try:
            content = services.open_attachment(
                complaint,
                request.user,
                reason=request.POST.get("attachment_reason", ""),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("complaints:staff-detail", args=[complaint.pk]))
        extension = complaint.attachment.name.rsplit(".", 1)[-1]
        response = FileResponse(
            io.BytesIO(content),
            content_type=complaint.attachment_type or "application/octet-stream",
            as_attachment=True,
            filename=f"complaint-{complaint.pk}.{extension}",
        )
        return no_store(response)

    @staticmethod
    def attachment_of(request, pk):
        complaint = get_visible_complaint(request.user, pk)
        if not rules.sees_identity(request.user):
            raise PermissionDenied(_("附件可能含有投诉人信息，仅效能投诉中心可以查看。"))
        if not complaint.attachment:
            raise Http404
        return complaint


class IdentityAccessLogView(WorkspacePage, TemplateView):
    """Who viewed which complainant's identity, when and why: the complaints office head
    only (Xinxiang complaints art. 8). Filter by complaint number."""

    template_name = "complaints/staff_identity_log.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.is_office_head(request.user):
            raise PermissionDenied(_("只有效能投诉中心负责人可以查阅身份查看记录。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        queryset = IdentityAccess.objects.select_related("user").order_by("-at", "-id")
        complaint = self.request.GET.get("complaint", "").strip()
        error = ""
        if complaint:
            if complaint.isascii() and complaint.isdigit():
                queryset = queryset.filter(complaint_id=int(complaint))
            else:
                error = _("投诉编号须为数字。")
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page=page,
            accesses=page.object_list,
            complaint=complaint,
            error=error,
            **kwargs,
        )
