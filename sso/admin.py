from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import LoginIdentity


class LoginIdentityForm(forms.ModelForm):
    class Meta:
        model = LoginIdentity
        fields = ["person", "organisation"]

    def clean_person(self):
        person = self.cleaned_data.get("person")
        if person and person.user_id and person.user_id != self.instance.user_id:
            raise forms.ValidationError(_("This person is already linked to another account."))
        return person


@admin.register(LoginIdentity)
class LoginIdentityAdmin(admin.ModelAdmin):
    """Logins seen from the providers; approve new ones (link person and organisation)
    here or on the approvals page."""

    form = LoginIdentityForm
    list_display = ["name", "provider", "email", "organisation", "person", "approved", "last_seen"]
    list_filter = ["provider", ("approved", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "user__username"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["person"]
    readonly_fields = [
        "provider", "subject", "user", "name", "email", "org_number", "approved", "approved_by",
        "first_seen", "last_seen",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        from .approval import approve

        if obj.approved is None and obj.person_id and obj.organisation_id:
            approve(obj, by=request.user, person=obj.person, organisation=obj.organisation)
        else:
            super().save_model(request, obj, form, change)
