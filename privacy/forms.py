"""The forms of the personal data page: corrections and a request for erasure."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.views import RecordForm
from organisations.models import Person

from .models import ErasureRequest


class AccountForm(forms.ModelForm):
    """The user's own name and e-mail address; the username is how they sign in and stays."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]
        help_texts = {
            "email": _("Where password reset links are sent. Never shown on the site."),
        }


class PersonCorrectionForm(RecordForm):
    """What the user may correct in their own person record; carries its version."""

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "contact_public", "is_public"]
        help_texts = {
            "email": _("Private unless you tick that your contact details are public."),
            "contact_public": _("Visitors who are not signed in see your e-mail and phone."),
            "is_public": _("When unticked, only signed-in users see you."),
        }


class ErasureRequestForm(forms.ModelForm):
    class Meta:
        model = ErasureRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
