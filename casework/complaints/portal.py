"""The public complaint portal (Xinxiang complaints art. 2; Wuhan e-government:
online acceptance, real-time query, result feedback). No account; a tracking code.

What the portal shows with a code: the status, the dates, the expected completion date and,
at the end, the published result — never internal notes, staff names or the complainant's own
identity. The code is a credential: the pages take it by POST only and never put it in an
address (a GET with ``?code=`` reveals nothing), so that it stays out of browser history,
server logs and Referer headers (docs/complaints.md#filing-and-tracking).
"""

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage, is_ratelimited

from casework.deadlines.models import Kind
from casework.exceptions import ServiceError
from casework.kernel import entrypoints
from casework.org.models import Department

from . import services
from .models import Complaint, ComplaintCategory, State

RESULT_STATES = {State.DECIDED, State.FEEDBACK_GIVEN, State.CLOSED, State.OUT_OF_SCOPE}


def public_status(complaint: Complaint) -> dict:
    """The only view of a complaint a code gives: no notes, no names, no identity."""
    body = {
        "status": complaint.state,
        "status_name": str(complaint.get_state_display()),
        "received_on": complaint.received_on.isoformat(),
        "updated_on": complaint.last_act_on.isoformat(),
    }
    if complaint.state in RESULT_STATES and complaint.published_result:
        body["result"] = complaint.published_result
    if complaint.closed_on:
        body["closed_on"] = complaint.closed_on.isoformat()
    return body


def expected_completion(complaint: Complaint) -> dict | None:
    """When the citizen may expect the complaint to be finished (Xinxiang complaints art. 5: the
    handling period, extended if an extension was approved): the due date of its open
    handling period, provisional while that year's calendar is not confirmed; the date it
    was finished once finished; None when no period runs."""
    if complaint.closed_on:
        return {"date": complaint.closed_on, "done": True, "provisional": False}
    handling = (
        complaint.deadlines.open()
        .filter(kind=Kind.COMPLAINT_HANDLING)
        .order_by("-due")
        .values("due", "provisional")
        .first()
    )
    if handling is None:
        return None
    return {"date": handling["due"], "done": False, "provisional": handling["provisional"]}


def tracking_blocked(request) -> bool:
    """Xinxiang complaints art. 8 and common sense: wrong codes from one address are limited, so
    that codes cannot be guessed by trying."""
    usage = get_usage(
        request, group="complaint-track-miss", key="ip", rate=settings.COMPLAINT_TRACKING_MISS_RATE
    )
    return usage is not None and usage["count"] >= usage["limit"]


def submission_blocked(request) -> bool:
    """Count one submission from the request's address and say whether it is over the limit.
    The page and the API count under the same key, in the cache all workers share."""
    return is_ratelimited(
        request,
        group="complaint-submit",
        key="ip",
        rate=settings.COMPLAINT_SUBMISSION_RATE,
        increment=True,
    )


def count_tracking_miss(request):
    is_ratelimited(
        request,
        group="complaint-track-miss",
        key="ip",
        rate=settings.COMPLAINT_TRACKING_MISS_RATE,
        increment=True,
    )


def find_by_code(code: str):
    code = (code or "").strip().upper()
    if len(code) == 16 and "-" not in code:
        code = "-".join(code[i : i + 4] for i in range(0, 16, 4))
    return Complaint.objects.filter(tracking_code=code).first()


def rate_limited(request, exception=None):
    return render(
        request,
        "complaints/portal_rate_limited.html",
        {"message": _("操作过于频繁，请稍后再试。")},
        status=429,
    )


class ComplaintForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("投诉类别"),
        queryset=ComplaintCategory.objects.filter(active=True),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    respondent_department = forms.ModelChoiceField(
        label=_("被投诉单位"),
        queryset=Department.objects.filter(active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    content = forms.CharField(
        label=_("投诉内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=settings.COMPLAINT_CONTENT_MAX_CHARS,
        help_text=_("请写明时间、地点、经过和您的诉求（10至5000字）。"),
    )
    real_name = forms.TypedChoiceField(
        label=_("投诉方式"),
        choices=[("1", _("实名投诉（可收到处理结果反馈，身份严格保密）")), ("0", _("匿名投诉"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    attachment = forms.FileField(
        label=_("附件（照片或 PDF，不超过 5 MB）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


@require_http_methods(["GET", "POST"])
def submit_page(request):
    if request.method == "POST" and submission_blocked(request):
        return rate_limited(request)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {
            "category": form.cleaned_data["category"].code,
            "respondent_department": form.cleaned_data["respondent_department"].code,
            "content": form.cleaned_data["content"],
            "real_name": form.cleaned_data["real_name"],
        }
        if form.cleaned_data["real_name"]:
            for field in ("name", "phone", "email"):
                if form.cleaned_data[field]:
                    data[field] = form.cleaned_data[field]
        try:
            complaint = services.submit(
                data, form.cleaned_data.get("attachment"), ip=request.META.get("REMOTE_ADDR")
            )
        except ServiceError as error:
            for field, messages in error.fields.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    form.add_error(field if field in form.fields else None, str(message))
            if not error.fields:
                form.add_error(None, error.message)
        else:
            request.session["complaint_tracking_code"] = complaint.tracking_code
            return redirect("complaints:portal-submitted")
    return render(request, "complaints/portal_form.html", {"form": form})


def submitted_page(request):
    code = request.session.pop("complaint_tracking_code", None)
    if code is None:
        return redirect("complaints:portal-track")
    complaint = find_by_code(code)
    response = render(
        request,
        "complaints/portal_submitted.html",
        {
            "tracking_code": code,
            "expected": expected_completion(complaint) if complaint else None,
        },
    )
    response["Cache-Control"] = "no-store"  # the code is shown once
    return response


def _may_rate(complaint) -> bool:
    try:
        return bool(entrypoints.call("evaluation.can_rate", complaint))
    except entrypoints.MissingEntryPoint:
        return False


@require_http_methods(["GET", "POST"])
def track_page(request):
    """GET: the form, whatever the address carries (an old link with ``?code=`` shows nothing).
    POST: the status the code gives."""
    context = {}
    code = request.POST.get("code", "") if request.method == "POST" else ""
    if code:
        if tracking_blocked(request):
            return rate_limited(request)
        complaint = find_by_code(code)
        if complaint is None:
            count_tracking_miss(request)
            context["not_found"] = True
        else:
            context["status"] = public_status(complaint)
            context["expected"] = expected_completion(complaint)
            # Once the result is published the complainant may rate the handling (the
            # monthly evaluation's satisfaction, offered by that app when installed).
            if _may_rate(complaint):
                context["rating_code"] = complaint.tracking_code
    response = render(request, "complaints/portal_track.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /complaints/track/\n", content_type="text/plain")
