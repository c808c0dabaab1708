from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/me/data/", views.my_data, name="my_data"),
    path("accounts/me/data.json", views.my_data_download, name="my_data_download"),
    path("accounts/me/data/account/", views.correct_account, name="correct_account"),
    path("accounts/me/data/person/", views.correct_person, name="correct_person"),
    path("accounts/me/data/erasure/", views.ask_for_erasure, name="ask_for_erasure"),
]
