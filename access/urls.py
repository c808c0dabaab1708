from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("access/invitations/", views.invitation_list, name="invitations"),
    path("access/invitations/new/", views.invitation_add, name="invitation_add"),
    path("access/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # The link in an invitation e-mail; only its digest is stored.
    path("access/invitation/<str:token>/", views.invitation, name="invitation"),
    path("access/requests/", views.request_list, name="requests"),
    path("access/requests/new/", views.request_add, name="request_add"),
    path(
        "access/requests/<int:pk>/approve/",
        views.request_decide,
        {"decision": "approve"},
        name="request_approve",
    ),
    path(
        "access/requests/<int:pk>/decline/",
        views.request_decide,
        {"decision": "decline"},
        name="request_decline",
    ),
    path("access/email/", views.email, name="email"),
    path("access/email/verify/<uidb64>/<token>/", views.email_verify, name="email_verify"),
]
