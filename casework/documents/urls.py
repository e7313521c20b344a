from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.DocumentPage.as_view(), name="document"),
    path("<int:pk>/pdf", views.DocumentPdf.as_view(), name="pdf"),
    path(
        "<int:pk>/amendments/<int:ordinal>/pdf", views.DocumentPdf.as_view(), name="amendment-pdf"
    ),
    path("<int:pk>/amend/", views.AmendDocument.as_view(), name="amend"),
]
