"""The API under /api/: resources, the OpenAPI schema, its docs, and token pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import errors, token_views, views
from .schema_view import SchemaView

app_name = "api"

router = DefaultRouter()
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("anchorings", views.AnchoringViewSet, basename="anchoring")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("needs", views.NeedViewSet, basename="need")
router.register("events", views.EventViewSet, basename="event")
router.register("people", views.PersonViewSet, basename="person")
router.register("themes", views.ThemeViewSet, basename="theme")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("", include(router.urls)),
    re_path(r"^.*$", errors.not_found),
]
