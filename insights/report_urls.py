"""Routes of the experience compilation; config/urls.py includes them."""

from django.urls import path

from . import report_views

app_name = "report"

urlpatterns = [
    path("report/", report_views.report, name="report"),
    path("report/pdf/", report_views.report_pdf, name="pdf"),
]
