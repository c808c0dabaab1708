from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("accounts/sso/<str:provider_id>/login/", views.start, name="start"),
    path("accounts/sso/<str:provider_id>/callback/", views.callback, name="callback"),
    path("accounts/sso-approvals/", views.approvals, name="approvals"),
    path("accounts/sso-approvals/<int:pk>/", views.approve, name="approve"),
]
