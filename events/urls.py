from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events.ics", views.feed, name="feed"),
    path("events/add/", views.EventCreateView.as_view(), name="add"),
    path("events/<uuid:key>/", views.event_detail, name="detail"),
    path("events/<uuid:key>/event.ics", views.event_ics, name="ics"),
    path("events/<uuid:key>/edit/", views.EventUpdateView.as_view(), name="edit"),
    path("events/<uuid:key>/trash/", views.EventTrashView.as_view(), name="trash"),
    path("events/<uuid:key>/history/", views.EventHistoryView.as_view(), name="history"),
    # Feeds under other apps' paths; this file is included at the site root.
    path("partnerships/<slug:slug>/events.ics", views.partnership_feed, name="partnership_feed"),
    path("themes/<slug:slug>/events.ics", views.theme_feed, name="theme_feed"),
]
