"""Editing the portfolio through the Django admin, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, ActivityOrganisation, ActivityPerson


class ActivityOrganisationInline(admin.TabularInline):
    model = ActivityOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class ActivityPersonInline(admin.TabularInline):
    model = ActivityPerson
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "activity_type", "status", "start_date", "end_date", "is_public"]
    list_filter = ["activity_type", "status", "is_public"]
    search_fields = ["title", "cristin_project_id", "nfr_project_number"]
    filter_horizontal = ["partnerships", "themes"]
    autocomplete_fields = ["professional_owner", "strategic_owner"]
    inlines = [ActivityOrganisationInline, ActivityPersonInline]

    def get_queryset(self, request):
        return Activity.all_objects.all()
