from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/unikom-open-data.zip", views.bulk_archive, name="archive"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
]
