from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """The flows follow the procedures: the kernel's signals open and complete their tasks,
    and the pages of the procedure apps ask the flows, through named entry points, what a
    task is and who holds it."""

    name = "workflows"
    label = "workflows"
    verbose_name = _("流程")

    def ready(self):
        from casework.kernel import entrypoints, signals

        # The flows of every procedure (flows.FLOWS), built as their modules are imported.
        from . import registry, summaries, sync, worklist  # noqa: F401

        signals.opened.connect(sync.object_opened, dispatch_uid="workflows_opened")
        signals.transitioned.connect(sync.step_taken, dispatch_uid="workflows_transitioned")
        entrypoints.provide("workflows.task_summary", summaries.task_summary)
        entrypoints.provide("workflows.annotate_open_task", summaries.annotate_open_task)
        entrypoints.provide("workflows.next_work_url", worklist.next_work_url)
