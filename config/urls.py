from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The API first: its prefix rules out every other pattern at once, where the
    # site's apps below share the empty prefix and are tried one by one.
    path("api/", include("api.urls")),
    path("", include("insights.urls")),
    path("", include("insights.report_urls")),
    path("", include("partnerships.urls")),
    path("", include("organisations.urls")),
    path("", include("activities.urls")),
    path("", include("needs.urls")),
    path("", include("events.urls")),
    path("", include("accounts.urls")),
    path("", include("sso.urls")),
    path("", include("access.urls")),
    path("", include("core.urls")),
    path("", include("search.urls")),
    path("", include("discovery.urls")),
    path("", include("network.urls")),
    path("", include("opendata.urls")),
    path("", include("imports.urls")),
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
