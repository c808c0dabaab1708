from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation

from .approval import candidate_people, suggested_organisation
from .models import LoginIdentity


class ApprovalForm(forms.Form):
    """Approve one new login: who it is and which organisation they act for."""

    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Person"),
        empty_label=_("A new person with this name"),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), label=_("Acts for")
    )
    editor = forms.BooleanField(
        required=False, label=_("May edit the organisation's activities, needs and events")
    )

    def __init__(self, *args, identity: LoginIdentity, **kwargs):
        suggested = suggested_organisation(identity)
        kwargs.setdefault("initial", {"organisation": suggested.pk if suggested else None})
        kwargs.setdefault("prefix", f"login{identity.pk}")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidate_people(identity)
