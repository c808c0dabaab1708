from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Affiliation, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "municipality_number", "short_name", "parent", "population"]
    list_filter = ["kind", "record_source"]
    search_fields = ["name", "official_name", "short_name", "municipality_number", "org_number"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["created", "updated"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "orcid", "is_public", "contact_public"]
    list_filter = ["is_public", "contact_public"]
    search_fields = ["name", "orcid", "email"]
    inlines = [AffiliationInline]

    def get_queryset(self, request):
        return Person.all_objects.all()
