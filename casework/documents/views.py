"""The pages of an issued document: the document as printed (the same template and stylesheet
as its PDF, docs/documents.md), its PDF and its amendments' PDFs, and the form with which its
issuing office appends a correction. Who may see and who may correct are asked of the
document type's format (``formats.can_view``, ``formats.may_amend``); anyone else gets 404."""

import logging
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from casework.exceptions import ServiceError
from casework.kernel.views import WorkspacePage

from . import formats, rendering, services
from .models import Amendment, Document

logger = logging.getLogger("casework.documents")


def visible_document(user, pk) -> Document:
    """The document ``pk`` if ``user`` may see it; 404 otherwise (whether it exists or not)."""
    document = get_object_or_404(
        Document.objects.select_related("case__official", "case__department", "issued_by"), pk=pk
    )
    if not formats.can_view(user, document):
        raise Http404
    return document


def opened_document(request, pk) -> Document:
    """The document ``pk`` opened by the requester (``visible_document``), its opening
    recorded by the owning procedure (``formats.opened``: an electronically served decision
    is received when its addressee first opens it)."""
    document = visible_document(request.user, pk)
    formats.opened(request.user, document, ip=request.META.get("REMOTE_ADDR"))
    return document


def amendment_of(document, ordinal) -> Amendment:
    amendments = list(document.amendments.order_by("id"))
    if not 1 <= ordinal <= len(amendments):
        raise Http404
    return amendments[ordinal - 1]


def pdf_response(document, amendment=None) -> HttpResponse:
    """The stored PDF (rendered now if the background has not yet): inline, named by number."""
    try:
        file = rendering.stored_file(document, amendment)
    except Exception:
        logger.exception("rendering %s failed", document.number)
        return HttpResponse(
            _("文书 PDF 暂时无法生成，文书本身不受影响，请稍后再试。"),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(bytes(file.content), content_type="application/pdf")
    name = document.number if amendment is None else f"{document.number}-补正{amendment.ordinal}"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}.pdf"
    response["Content-Length"] = str(file.size)
    response["X-Content-SHA256"] = file.sha256
    response["Cache-Control"] = "private, no-store"
    return response


class DocumentPage(WorkspacePage, View):
    """A document as printed, its PDF files (the original and each amendment's), its
    amendments, and, for its issuing office, the form that appends one."""

    template_name = "documents/document.html"

    def get(self, request, pk, form=None, status=200):
        document = opened_document(request, pk)
        amendments = list(document.amendments.select_related("created_by").order_by("id"))
        files = [
            {
                "label": _("原文书"),
                "name": document.number,
                "url": reverse("documents:pdf", args=[document.pk]),
                "stored": document.files.filter(amendment=None).first(),
            }
        ] + [
            {
                "label": _("补正第%(n)s号") % {"n": n},
                "name": f"{document.number} 补正第{n}号",
                "url": reverse("documents:amendment-pdf", args=[document.pk, n]),
                "stored": getattr(amendment, "file", None),
            }
            for n, amendment in enumerate(amendments, start=1)
        ]
        context = {
            "document": document,
            "official": mark_safe(rendering.render_html(document, standalone=False)),  # noqa: S308
            "amendments": amendments,
            "files": files,
            "may_amend": formats.may_amend(request.user, document),
            "form": form or {},
        }
        return TemplateResponse(request, self.template_name, context, status=status)


class DocumentPdf(WorkspacePage, View):
    def get(self, request, pk, ordinal=None):
        document = opened_document(request, pk)
        amendment = amendment_of(document, ordinal) if ordinal is not None else None
        return pdf_response(document, amendment)


class AmendDocument(DocumentPage):
    """POST: append a correction (the issuing office only; the original stays as issued)."""

    def post(self, request, pk):
        document = visible_document(request.user, pk)
        data = {name: request.POST.get(name, "") for name in ("text", "reason", "basis")}
        try:
            amendment = services.amend_as(
                document, data, actor=request.user, ip=request.META.get("REMOTE_ADDR")
            )
        except ServiceError as error:
            form = {**data, "error": error.message, "fields": error.fields}
            return self.get(request, pk, form=form, status=error.status)
        messages.success(
            request,
            _("已追加补正第%(n)s号，原文书不作改动。") % {"n": amendment.ordinal},
        )
        return HttpResponseRedirect(reverse("documents:document", args=[document.pk]))
