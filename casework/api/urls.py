from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import (
    accountability,
    calendar,
    complaints,
    deadlines,
    documents,
    evaluation,
    extensions,
    interface,
    investigations,
    letters,
    meetings,
    notifications,
    reference,
    supervision,
    views,
)

urlpatterns = [
    path("health", views.HealthView.as_view(), name="api-health"),
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    # Reference data (casework/api/reference.py)
    path("departments", reference.DepartmentList.as_view(), name="api-departments"),
    path("officials", reference.OfficialList.as_view(), name="api-officials"),
    path("grounds", reference.GroundList.as_view(), name="api-grounds"),
    path("sources", reference.SourceList.as_view(), name="api-sources"),
    path("modes", reference.ModeList.as_view(), name="api-modes"),
    path(
        "complaint-categories",
        reference.ComplaintCategoryList.as_view(),
        name="api-complaint-categories",
    ),
    path(
        "complaint-outcomes",
        reference.ComplaintOutcomeList.as_view(),
        name="api-complaint-outcomes",
    ),
    # Working-day calendar (casework/api/calendar.py)
    path(
        "calendar/add-working-days",
        calendar.AddWorkingDaysView.as_view(),
        name="api-calendar-add",
    ),
    path(
        "calendar/working-days-between",
        calendar.WorkingDaysBetweenView.as_view(),
        name="api-calendar-between",
    ),
    # Accountability cases (casework/api/accountability.py)
    path(
        "accountability-cases",
        accountability.CaseList.as_view(),
        name="api-accountability-cases",
    ),
    path(
        "accountability-cases/<int:pk>",
        accountability.CaseDetail.as_view(),
        name="api-accountability-case",
    ),
    path(
        "accountability-cases/<int:pk>/transitions/<str:name>",
        accountability.CaseTransition.as_view(),
        name="api-accountability-case-transition",
    ),
    path(
        "accountability-cases/<int:pk>/history",
        accountability.CaseHistory.as_view(),
        name="api-accountability-case-history",
    ),
    # The executive meeting (casework/api/meetings.py)
    path("meetings", meetings.MeetingList.as_view(), name="api-meetings"),
    path("meetings/<int:pk>", meetings.MeetingDetail.as_view(), name="api-meeting"),
    path("meetings/<int:pk>/agenda", meetings.MeetingAgenda.as_view(), name="api-meeting-agenda"),
    path(
        "meetings/<int:pk>/agenda/document",
        meetings.PrintAgenda.as_view(),
        name="api-meeting-agenda-document",
    ),
    path("meetings/<int:pk>/held", meetings.HoldMeeting.as_view(), name="api-meeting-held"),
    path("meetings/<int:pk>/minutes", meetings.RecordMinutes.as_view(), name="api-meeting-minutes"),
    path(
        "meetings/<int:pk>/minutes/document",
        meetings.PrintMinutes.as_view(),
        name="api-meeting-minutes-document",
    ),
    path("meetings/<int:pk>/postpone", meetings.Postpone.as_view(), name="api-meeting-postpone"),
    path(
        "meetings/<int:pk>/history", meetings.MeetingHistory.as_view(), name="api-meeting-history"
    ),
    path("agenda-items/<int:pk>", meetings.ItemDetail.as_view(), name="api-agenda-item"),
    path(
        "agenda-items/<int:pk>/statement",
        meetings.ItemStatement.as_view(),
        name="api-agenda-item-statement",
    ),
    # Issued documents and their PDFs (casework/api/documents.py)
    path("documents/<int:pk>", documents.DocumentDetail.as_view(), name="api-document"),
    path("documents/<int:pk>/pdf", documents.DocumentPdf.as_view(), name="api-document-pdf"),
    path(
        "documents/<int:pk>/amendments",
        documents.DocumentAmendments.as_view(),
        name="api-document-amendments",
    ),
    path(
        "documents/<int:pk>/amendments/<int:ordinal>/pdf",
        documents.AmendmentPdf.as_view(),
        name="api-document-amendment-pdf",
    ),
    # Deadlines and warnings (casework/api/deadlines.py)
    path("deadlines", deadlines.DeadlineList.as_view(), name="api-deadlines"),
    path(
        "deadlines/<int:pk>/explanation",
        deadlines.DeadlineExplanation.as_view(),
        name="api-deadline-explanation",
    ),
    # Extensions (casework/api/extensions.py)
    path(
        "deadlines/<int:pk>/extensions",
        extensions.DeadlineExtensions.as_view(),
        name="api-deadline-extensions",
    ),
    path(
        "deadlines/<int:pk>/extensions/<int:ext>/decide",
        extensions.DeadlineExtensionDecision.as_view(),
        name="api-deadline-extension-decide",
    ),
    # Admonition letters (casework/api/letters.py)
    path(
        "admonition-letters",
        letters.AdmonitionLetterList.as_view(),
        name="api-admonition-letters",
    ),
    path(
        "admonition-letters/<int:pk>/report",
        letters.AdmonitionLetterReport.as_view(),
        name="api-admonition-letter-report",
    ),
    # Preliminary investigations (casework/api/investigations.py)
    path(
        "preliminary-investigations",
        investigations.InvestigationList.as_view(),
        name="api-preliminary-investigations",
    ),
    path(
        "preliminary-investigations/<int:pk>/decide",
        investigations.InvestigationDecision.as_view(),
        name="api-preliminary-investigation-decide",
    ),
    path(
        "preliminary-investigations/<int:pk>/conclude",
        investigations.InvestigationConclusion.as_view(),
        name="api-preliminary-investigation-conclude",
    ),
    # Supervision of assigned matters (casework/api/supervision.py)
    path("supervision-matters", supervision.MatterList.as_view(), name="api-supervision-matters"),
    path(
        "supervision-matters/<int:pk>",
        supervision.MatterDetail.as_view(),
        name="api-supervision-matter",
    ),
    path(
        "supervision-matters/<int:pk>/transitions/<str:name>",
        supervision.MatterTransition.as_view(),
        name="api-supervision-matter-transition",
    ),
    path(
        "supervision-matters/<int:pk>/history",
        supervision.MatterHistory.as_view(),
        name="api-supervision-matter-history",
    ),
    # Monthly performance evaluation (casework/api/evaluation.py)
    path("evaluation/months", evaluation.EvaluationMonths.as_view(), name="api-evaluation-months"),
    path(
        "evaluation/months/<str:month>",
        evaluation.EvaluationMonth.as_view(),
        name="api-evaluation-month",
    ),
    path(
        "evaluation/months/<str:month>/transitions/<str:name>",
        evaluation.EvaluationTransition.as_view(),
        name="api-evaluation-transition",
    ),
    path(
        "evaluation/lines/<int:pk>", evaluation.EvaluationLine.as_view(), name="api-evaluation-line"
    ),
    path("evaluation/scheme", evaluation.EvaluationScheme.as_view(), name="api-evaluation-scheme"),
    path(
        "evaluation/scheme/<str:code>",
        evaluation.EvaluationSchemeItem.as_view(),
        name="api-evaluation-scheme-item",
    ),
    path("evaluation/trends", evaluation.EvaluationTrends.as_view(), name="api-evaluation-trends"),
    path(
        "public/complaints/<str:code>/rating",
        evaluation.PublicComplaintRating.as_view(),
        name="api-public-complaint-rating",
    ),
    # Notifications (casework/api/notifications.py)
    path("notifications", notifications.NotificationList.as_view(), name="api-notifications"),
    path(
        "notifications/read-all",
        notifications.NotificationReadAll.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read",
        notifications.NotificationRead.as_view(),
        name="api-notification-read",
    ),
    # Complaints (casework/api/complaints.py)
    path(
        "public/complaints",
        complaints.PublicComplaintCreate.as_view(),
        name="api-public-complaints",
    ),
    path(
        "public/complaints/<str:code>",
        complaints.PublicComplaintStatus.as_view(),
        name="api-public-complaint",
    ),
    path("complaints", complaints.ComplaintList.as_view(), name="api-complaints"),
    path(
        "complaints/identity-log",
        complaints.IdentityAccessLog.as_view(),
        name="api-complaints-identity-log",
    ),
    path("complaints/<int:pk>", complaints.ComplaintDetail.as_view(), name="api-complaint"),
    path(
        "complaints/<int:pk>/transitions/<str:name>",
        complaints.ComplaintTransition.as_view(),
        name="api-complaint-transition",
    ),
    path(
        "complaints/<int:pk>/history",
        complaints.ComplaintHistory.as_view(),
        name="api-complaint-history",
    ),
    # The data interface for other systems: client systems only (casework/api/interface.py)
    path(
        "interface/items/events",
        interface.ItemEvents.as_view(),
        name="api-interface-item-events",
    ),
    path("events", interface.EventFeed.as_view(), name="api-events"),
]
