from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("insights/gaps/", views.gaps, name="gaps"),
    path(
        "insights/motor-municipalities/",
        views.motor_municipalities,
        name="motor_municipalities",
    ),
]
