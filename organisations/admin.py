from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "municipality_number", "short_name", "parent", "population"]
    list_filter = ["kind", "record_source"]
    search_fields = ["name", "official_name", "short_name", "municipality_number", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["created", "updated"]
