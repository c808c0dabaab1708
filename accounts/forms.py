"""The sign-in forms of the site and the admin.

Django's AuthenticationForm shows the username's maximum length in the page but
does not check it, so a name of any length reached the authentication backends and
django-axes, which stores it in a column of 255 characters: PostgreSQL refused the
write and the sign-in answered 500. These forms check the length first.
"""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class BoundedUsername:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(BoundedUsername, AuthenticationForm):
    pass


class AdminSignInForm(BoundedUsername, AdminAuthenticationForm):
    pass
