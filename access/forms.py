"""Forms of the access app: each checks its input at the edge and says what is wrong
beside the field."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core import permissions
from organisations.models import Organisation
from partnerships.models import Partnership

from .models import GRANTABLE_ROLES


class RoleScopeForm(forms.Form):
    """A role and what it is for: a partnership (coordinator) or an organisation (editor)."""

    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_ROLES)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Partnership.objects.all(),
        required=False,
        to_field_name="slug",
        help_text=_("For a partnership coordinator."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        to_field_name="slug",
        help_text=_("For an organisation editor."),
    )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.COORDINATOR:
            if not data.get("partnership") and "partnership" not in self.errors:
                self.add_error("partnership", _("Choose the partnership to coordinate."))
            data["organisation"] = None
        elif role == Role.ORGANISATION_EDITOR:
            if not data.get("organisation") and "organisation" not in self.errors:
                self.add_error("organisation", _("Choose the organisation to edit for."))
            data["partnership"] = None
        return data

    def target(self) -> dict:
        return {
            "partnership": self.cleaned_data["partnership"],
            "organisation": self.cleaned_data["organisation"],
        }


class InvitationForm(RoleScopeForm):
    """Invite someone by e-mail; the choices are the roles the inviter may give."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The invitation link is sent here, and works only for this address."),
    )
    field_order = ["email", "role", "partnership", "organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        user_roles = permissions.roles(user)
        fields = self.fields
        if not user_roles.national_admin:
            fields["partnership"].queryset = Partnership.objects.filter(
                pk__in=user_roles.partnerships
            )
            fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=user_roles.organisations
            )
            fields["role"].choices = [
                (value, label)
                for value, label in GRANTABLE_ROLES
                if (value == Role.COORDINATOR and user_roles.partnerships)
                or (value == Role.ORGANISATION_EDITOR and user_roles.organisations)
            ]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role and not self.errors and not permissions.can_grant(self.user, role, **self.target()):
            raise forms.ValidationError(_("You may not give this role."))
        return data


class AccessRequestForm(RoleScopeForm):
    reason = forms.CharField(
        label=_("Why do you need this role?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words for those who decide: who you are and what you will do."),
    )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the person who asked (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitedAccountForm(forms.Form):
    """A new local account for an invited address: username and password (Django's
    validators); the address is the invitation's and is not typed."""

    email = forms.EmailField(label=_("E-mail address"), disabled=True, required=False)
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("What you sign in with: letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, not only digits, not a common password and not like "
            "your username or e-mail address."
        ),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, initial={"email": email}, **kwargs)
        self.email = email

    def clean_username(self):
        username = self.cleaned_data["username"]
        model = get_user_model()
        model.username_validator(username)
        if model.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif second:
            user = get_user_model()(username=data.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(second, user)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return data
