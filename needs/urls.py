from django.urls import path

from . import views
from .feeds import NeedFeed

app_name = "needs"

urlpatterns = [
    path("research-needs/", views.need_list, name="list"),
    path("research-needs/feed/", NeedFeed(), name="feed"),
    path("research-needs/add/", views.NeedCreateView.as_view(), name="add"),
    path("research-needs/<uuid:key>/", views.need_detail, name="detail"),
    path("research-needs/<uuid:key>/offer/", views.need_offer, name="offer"),
    path("research-needs/<uuid:key>/edit/", views.NeedUpdateView.as_view(), name="edit"),
    path("research-needs/<uuid:key>/trash/", views.NeedTrashView.as_view(), name="trash"),
    path("research-needs/<uuid:key>/history/", views.NeedHistoryView.as_view(), name="history"),
    # Under the partnerships' path; this file is included at the site root.
    path("partnerships/<slug:slug>/needs.atom", NeedFeed(), name="partnership_feed"),
]
