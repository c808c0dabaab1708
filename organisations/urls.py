from django.urls import path

from . import people_views, views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/<str:key>/", views.organisation_detail, name="detail"),
    path("people/", people_views.person_list, name="person_list"),
    path("people/add/", people_views.PersonCreateView.as_view(), name="person_add"),
    path("people/<uuid:key>/", people_views.person_detail, name="person_detail"),
    path("people/<uuid:key>/edit/", people_views.PersonUpdateView.as_view(), name="person_edit"),
    path("people/<uuid:key>/trash/", people_views.PersonTrashView.as_view(), name="person_trash"),
    path(
        "people/<uuid:key>/history/",
        people_views.PersonHistoryView.as_view(),
        name="person_history",
    ),
]
