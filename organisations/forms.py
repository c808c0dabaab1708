"""Forms for people: the person, their affiliations, and ORCID checks.

A person is edited together with their affiliations (one inline formset,
saved in the same transaction as the person). The affiliations also decide
who may edit the person (``Person.scope_lookups``), so ``PersonForm.scope``
reports their organisations and those organisations' partnerships.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.rules import check_form
from core.views import RecordForm
from core.widgets import CHOOSE, DateInput, prompt_choices
from partnerships.models import Membership

from . import rules
from .models import Affiliation, Organisation, Person

ORCID_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")
PHONE_SHAPE = re.compile(r"^\+?[0-9][0-9 ()./-]*[0-9]$")


def orcid_check_digit(base_digits: str) -> str:
    """The ORCID check character for the first 15 digits (ISO 7064 MOD 11-2)."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """``value`` as ``0000-0002-1825-0097``: without an orcid.org prefix, with
    hyphens and an upper-case X. Unrecognisable input comes back stripped."""
    value = value.strip()
    for prefix in ORCID_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    value = value.strip().upper()
    compact = value.replace("-", "").replace(" ", "")
    if len(compact) == 16 and re.fullmatch(r"[0-9]{15}[0-9X]", compact):
        return "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    return value


def validate_orcid(value: str) -> None:
    """Refuse an ORCID iD that is not four groups of four or whose check digit is wrong."""
    if not ORCID_SHAPE.match(value):
        raise ValidationError(
            _("An ORCID iD has four groups of four digits, e.g. 0000-0002-1825-0097."),
            code="orcid_shape",
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD has a wrong check digit; please check it for typing errors."),
            code="orcid_checksum",
        )


class AffiliationForm(forms.ModelForm):
    """One post of a person at an organisation over a period."""

    class Meta:
        model = Affiliation
        fields = ["organisation", "title", "unit", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput, "valid_to": DateInput}
        help_texts = {
            "valid_to": _("Leave empty while the person still holds the post."),
        }

    def __init__(self, *args, organisation_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        prompt_choices(self)
        if organisation_choices is not None:
            # Rendered from one list for all rows instead of one query per row.
            self.fields["organisation"].choices = organisation_choices

    def clean(self):
        data = super().clean()
        for name in ("valid_from", "valid_to"):
            value = data.get(name)
            if problem := Affiliation.DATE_YEARS.problem(value):
                self.add_error(name, problem)
        check_form(self, rules.AFFILIATION_RULES)
        return data


class BaseAffiliationFormSet(BaseInlineFormSet):
    user = None

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this affiliation")

    def live_forms(self) -> list[forms.Form]:
        """The filled-in rows that are not marked for removal."""
        return [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not self.live_forms() and not permissions.roles(self.user).national_admin:
            raise ValidationError(
                _(
                    "Give at least one affiliation: it tells where the person works and "
                    "who may keep their record up to date."
                ),
                code="no_affiliation",
            )


AffiliationFormSet = inlineformset_factory(
    Person,
    Affiliation,
    form=AffiliationForm,
    formset=BaseAffiliationFormSet,
    extra=1,
    can_delete=True,
)


def organisation_choices() -> list[tuple]:
    return [("", CHOOSE)] + [
        (pk, name) for pk, name in Organisation.objects.order_by("name").values_list("pk", "name")
    ]


class PersonForm(RecordForm):
    """A person and, in ``self.affiliations``, their posts; both are saved together."""

    orcid = forms.CharField(
        label=_("ORCID"),
        required=False,
        max_length=60,
        empty_value=None,
        help_text=_("Like 0000-0002-1825-0097; a link to orcid.org works too."),
    )

    class Meta:
        model = Person
        fields = ["name", "orcid", "email", "phone", "contact_public", "is_public"]
        help_texts = {
            "email": _("Private unless the person agrees to show it to everyone."),
            "is_public": _(
                "When unticked, only signed-in users see the person. Visitors never see "
                "private contact details."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.setdefault("inputmode", "tel")
        self.affiliations = AffiliationFormSet(
            data=self.data if self.is_bound else None,
            instance=self.instance,
            prefix="affiliations",
            form_kwargs={"organisation_choices": organisation_choices()},
        )
        self.affiliations.user = self.user
        self.affiliations.legend = _("Affiliations")

    def clean_orcid(self) -> str | None:
        value = self.cleaned_data.get("orcid")
        if not value:
            return None
        value = normalise_orcid(value)
        validate_orcid(value)
        others = Person.all_objects.filter(orcid=value).exclude(pk=self.instance.pk)
        other = others.first()
        if other is not None:
            if other.in_trash:
                raise ValidationError(
                    _("A person in the trash has this ORCID iD; restore them instead."),
                    code="orcid_in_trash",
                )
            raise ValidationError(_("Another person already has this ORCID iD."), code="unique")
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if value and (not PHONE_SHAPE.match(value) or sum(c.isdigit() for c in value) < 3):
            raise ValidationError(
                _("Give a phone number with digits only, e.g. +47 22 33 44 55."),
                code="phone_shape",
            )
        return value

    def is_valid(self) -> bool:
        person_ok = super().is_valid()
        affiliations_ok = self.affiliations.is_valid()
        if person_ok and not affiliations_ok:
            self.add_error(None, _("Please correct the affiliations marked below."))
        return person_ok and affiliations_ok

    def scope(self) -> tuple[set[int], set[int]]:
        """The organisations of the affiliations and the partnerships they are members of."""
        organisations = {
            form.cleaned_data["organisation"].pk
            for form in self.affiliations.live_forms()
            if form.cleaned_data.get("organisation")
        }
        partnerships = set(
            Membership.objects.filter(organisation_id__in=organisations).values_list(
                "partnership_id", flat=True
            )
        )
        return partnerships, organisations

    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=commit)
        if commit:
            self.affiliations.instance = person
            self.affiliations.save()
        return person
