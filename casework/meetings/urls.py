from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meetings"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("<int:pk>/<str:act>/", views.MeetingActView.as_view(), name="act"),
    path(
        "<int:pk>/items/<int:item>/minutes/",
        views.MinutesEntryView.as_view(),
        name="minutes",
    ),
    path("items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
]
