"""Issued documents over HTTP (docs/api.md, docs/documents.md).

GET  /api/v1/documents/<id>                                   → 200 document
GET  /api/v1/documents/<id>/pdf                               → application/pdf (GB/T 9704)
GET  /api/v1/documents/<id>/amendments/<n>/pdf                → the PDF of amendment n
POST /api/v1/documents/<id>/amendments {"text","reason","basis"} → 201 document

Whoever may not see the document gets 404, whether it exists or not (the rule of the
procedure that issued it, ``documents.formats.can_view``).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.documents import services
from casework.documents.payloads import AmendmentPayload
from casework.documents.views import amendment_of, opened_document, pdf_response

from .common import ERRORS, json_body
from .serializers import DocumentSerializer

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf（GB/T 9704-2012 公文格式）")


def _document(request, pk):
    try:
        return opened_document(request, pk)
    except Http404:
        raise Http404 from None


class DocumentDetail(APIView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="文书",
        responses={200: DocumentSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        document = _document(request, pk)
        return Response(DocumentSerializer(document, context={"request": request}).data)


class PdfView(APIView):
    """Answers a PDF whatever the caller's Accept header (a refusal is JSON, as always)."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


class DocumentPdf(PdfView):
    @extend_schema(
        operation_id="documents_pdf",
        summary="文书 PDF",
        responses={(200, "application/pdf"): PDF, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        return pdf_response(_document(request, pk))


class AmendmentPdf(PdfView):
    @extend_schema(
        operation_id="documents_amendment_pdf",
        summary="补正记录 PDF",
        responses={(200, "application/pdf"): PDF, 404: ERRORS[404]},
    )
    def get(self, request, pk, ordinal):
        document = _document(request, pk)
        return pdf_response(document, amendment_of(document, ordinal))


class DocumentAmendments(APIView):
    """A correction appended by the issuing office; the original stays as issued."""

    @extend_schema(
        operation_id="documents_amend",
        summary="追加补正",
        request=AmendmentPayload,
        responses={201: DocumentSerializer, **ERRORS},
    )
    def post(self, request, pk):
        document = _document(request, pk)
        services.amend_as(
            document, json_body(request), actor=request.user, ip=request.META.get("REMOTE_ADDR")
        )
        document = _document(request, pk)
        return Response(DocumentSerializer(document, context={"request": request}).data, status=201)
