from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisations/", views.organisation_list, name="list"),
    path("organisations/<str:key>/", views.organisation_detail, name="detail"),
]
