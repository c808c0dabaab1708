from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminSignInForm
from .models import Assignment


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "partnership", "organisation", "created"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "partnership__name", "organisation__name"]
    autocomplete_fields = ["partnership", "organisation"]


# The admin's sign-in checks the username's length too (accounts.forms).
admin.site.login_form = AdminSignInForm
