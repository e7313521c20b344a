"""Asking for an extension and deciding on one (Xinxiang complaints art. 5–6). The pages
collect the input; ``casework.deadlines.extensions`` decides, and its refusals are shown
beside the form or as a 403 page."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from casework.exceptions import ServiceError
from casework.kernel.views import next_work_url

from .. import extensions
from ..forms import ExtensionDecisionForm, ExtensionRequestForm
from ..models import Extension
from ..rules import extension_rule, visible_deadlines
from .common import WorkspacePage, deadline_or_404, permitted


class ExtensionRequestView(WorkspacePage, FormView):
    """The person responsible asks, on or before the due day and with reasons."""

    template_name = "deadlines/extension_request.html"
    form_class = ExtensionRequestForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.deadline = deadline_or_404(request.user, kwargs["pk"])
            self.rule = extension_rule(self.deadline.kind)
            permitted(extensions.check_may_ask, request.user, self.deadline, self.rule)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        deadline = self.deadline
        return super().get_context_data(
            deadline=deadline,
            cap=self.rule.cap_working_days,
            extensions=list(deadline.extensions.select_related("requested_by", "decided_by")),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            extensions.ask(
                self.deadline,
                self.request.user,
                {"reason": form.cleaned_data["reason"], "new_due": form.cleaned_data["new_due"]},
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, _("延期申请已提交，等待审批。"))
        return HttpResponseRedirect(reverse("deadlines:explain", args=[self.deadline.pk]))


class ExtensionListView(WorkspacePage, TemplateView):
    """The extension requests this person may decide (asked once per approver the rules
    name), pending first."""

    template_name = "deadlines/extension_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = permitted(extensions.kinds_to_decide, user, timezone.localdate())
        base = (
            Extension.objects.filter(deadline__kind__in=kinds, deadline__in=visible_deadlines(user))
            .select_related(
                "deadline__responsible_unit", "deadline__case", "requested_by", "decided_by"
            )
            .order_by("-id")
        )
        return super().get_context_data(
            pending=list(base.filter(status=Extension.Status.PENDING)),
            decided=list(base.exclude(status=Extension.Status.PENDING)[:20]),
            **kwargs,
        )


class ExtensionDecisionView(WorkspacePage, FormView):
    """The approver the rule names grants or refuses; irreversible, so confirmed."""

    template_name = "deadlines/extension_decide.html"
    form_class = ExtensionDecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.extension = get_object_or_404(
                Extension.objects.select_related(
                    "deadline__responsible_unit", "deadline__case", "requested_by", "decided_by"
                ).filter(deadline__in=visible_deadlines(request.user)),
                pk=kwargs["pk"],
            )
            self.rule = extension_rule(self.extension.deadline.kind)
            permitted(
                extensions.check_may_decide,
                request.user,
                self.extension,
                self.rule,
                timezone.localdate(),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        extension = self.extension
        deadline = extension.deadline
        return super().get_context_data(
            extension=extension,
            deadline=deadline,
            cap=self.rule.cap_working_days,
            total_days=extensions.total_working_days(deadline, extension.new_due),
            pending=extension.status == Extension.Status.PENDING,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            extension = extensions.decide(
                self.extension,
                self.request.user,
                {"approve": form.cleaned_data["approve"], "reason": form.cleaned_data["reason"]},
                ip=self.request.META.get("REMOTE_ADDR"),
            )
        except ServiceError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        if extension.status == Extension.Status.APPROVED:
            text = _("已批准延期，新的届满日期 %(due)s。") % {"due": extension.new_due.isoformat()}
        else:
            text = _("已不予批准延期。")
        messages.success(self.request, text)
        # On to the next piece of work, else back to the list.
        return HttpResponseRedirect(
            next_work_url(self.request.user) or reverse("deadlines:extensions")
        )
