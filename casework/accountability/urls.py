from django.urls import path

from casework.documents.views import DocumentPage

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="cases"),
    path("new/", views.RegisterCaseView.as_view(), name="register"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case"),
    path("documents/<int:pk>/", DocumentPage.as_view(), name="document"),
]
