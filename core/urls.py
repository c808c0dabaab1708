from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path(
        "trash/<str:app_label>/<str:model_name>/<int:pk>/restore/",
        views.RestoreView.as_view(),
        name="restore",
    ),
]
