from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="list"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="detail"),
    path("compare/", views.compare, name="compare"),
]
