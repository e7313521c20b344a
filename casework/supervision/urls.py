from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.MatterListView.as_view(), name="matters"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("<int:pk>/", views.MatterView.as_view(), name="matter"),
    path("<int:pk>/act/", views.SupervisionActScreen.as_view(), name="act"),
    path("<int:pk>/file.pdf", views.ArchiveFileView.as_view(), name="file"),
]
