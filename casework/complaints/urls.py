from django.urls import path

from . import portal, views

app_name = "complaints"

urlpatterns = [
    # The public portal: no account, a tracking code.
    path("new/", portal.submit_page, name="portal-new"),
    path("submitted/", portal.submitted_page, name="portal-submitted"),
    path("track/", portal.track_page, name="portal-track"),
    # Staff: the complaints office, the receiving organs, the supervision bureau.
    path("staff/", views.ComplaintListView.as_view(), name="staff-list"),
    path("staff/new/", views.RegisterComplaintView.as_view(), name="staff-register"),
    path(
        "staff/identity-log/",
        views.IdentityAccessLogView.as_view(),
        name="staff-identity-log",
    ),
    path("staff/<int:pk>/", views.ComplaintDetailView.as_view(), name="staff-detail"),
    path("staff/<int:pk>/record/", views.RecordView.as_view(), name="staff-record"),
    path("staff/<int:pk>/attachment/", views.AttachmentView.as_view(), name="staff-attachment"),
]
