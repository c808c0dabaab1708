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
    path("concepts/", views.concepts, name="concepts"),
    path("about-the-compilation/", views.about_compilation, name="about_compilation"),
]
