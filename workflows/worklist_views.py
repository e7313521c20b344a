"""The inbox (待办), the queue (待领取) and the archive (已办) of the workspace, in place of
viewflow's lists: what the rows show is ``worklist``'s, the pages only page and sort."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import worklist
from .lists import BoundedPaginator

PAGE_SIZE = 50
# The inbox merges tasks and work items in Python: at most this many tasks are read.
INBOX_LIMIT = 500


class WorkList(View):
    """A list of the workspace (viewflow's Workspace passes ``flow_classes`` and
    ``viewset``)."""

    flow_classes = None
    viewset = None
    template_name = "workflows/worklist.html"
    title = ""
    list_name = ""
    explanation = ""

    def rows(self, user, today, sort):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        sort = request.GET.get("sort") or worklist.DEFAULT_SORT
        if sort not in worklist.SORTS:
            sort = worklist.DEFAULT_SORT
        page = self.rows(request.user, today, sort, request.GET.get("page"))
        return TemplateResponse(
            request,
            self.template_name,
            {
                "view": self,
                "title": self.title,
                "list_name": self.list_name,
                "page": page,
                "rows": page.object_list,
                "sort": sort,
                "query": f"sort={sort}",
                "explanation": self.explanation,
                "archive": self.list_name == "archive",
            },
        )


class InboxView(WorkList):
    title = _("待办")
    list_name = "inbox"
    explanation = _(
        "您需要办理的全部事项：交给您的环节、您可以直接办理的共享环节、延期审批、"
        "初步调查审批和效能告诫书整改报告。默认按届满日期排列，最紧迫的在前。"
    )

    def rows(self, user, today, sort, page_number):
        tasks = worklist.sorted_by(worklist.inbox_tasks(user, today), sort)[:INBOX_LIMIT]
        rows = worklist.task_rows(tasks, user, today) + worklist.work_items(user, today)
        rows = worklist.sort_rows(rows, sort)
        return Paginator(rows, PAGE_SIZE).get_page(page_number)


class QueueView(WorkList):
    title = _("待领取")
    list_name = "queue"
    explanation = _("等待本岗位任何一人办理的环节；办理即领取。这些环节也列在您的待办中。")

    def rows(self, user, today, sort, page_number):
        page = Paginator(
            worklist.sorted_by(worklist.queue_tasks(user, today), sort), PAGE_SIZE
        ).get_page(page_number)
        page.object_list = worklist.task_rows(page.object_list, user, today)
        return page


class ArchiveView(WorkList):
    title = _("已办")
    list_name = "archive"
    explanation = _("您已办理完毕的环节，最近的在前。")

    def rows(self, user, today, sort, page_number):
        # The most recent first; "-due" turns the list round.
        order = ("finished", "id") if sort == "-due" else ("-finished", "-id")
        # A person's finished tasks grow for ever: the count stops at ARCHIVE_LIMIT.
        page = BoundedPaginator(worklist.archive_tasks(user).order_by(*order), PAGE_SIZE).get_page(
            page_number
        )
        page.object_list = worklist.task_rows(page.object_list, user, today, archive=True)
        return page
