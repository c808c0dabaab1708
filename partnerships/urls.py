from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("partnerships/<slug:slug>/edit/", views.PartnershipEditView.as_view(), name="edit"),
    path(
        "partnerships/<slug:slug>/history/", views.PartnershipHistoryView.as_view(), name="history"
    ),
    path("compare/", views.compare, name="compare"),
]
