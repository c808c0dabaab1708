from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/add/", views.ActivityCreateView.as_view(), name="add"),
    path("activities/<uuid:key>/", views.activity_detail, name="detail"),
    path("activities/<uuid:key>/edit/", views.ActivityUpdateView.as_view(), name="edit"),
    path("activities/<uuid:key>/trash/", views.ActivityTrashView.as_view(), name="trash"),
    path("activities/<uuid:key>/history/", views.ActivityHistoryView.as_view(), name="history"),
    # Portfolios under other apps' paths; this file is included at the site root.
    path(
        "partnerships/<slug:slug>/portfolio/",
        views.partnership_portfolio,
        name="partnership_portfolio",
    ),
    path(
        "organisations/<str:key>/portfolio/",
        views.organisation_portfolio,
        name="organisation_portfolio",
    ),
]
