"""The activity form: the activity, its organisations and its people on one page.

The organisations and people in roles are inline formsets that the form owns:
they are validated with the form and saved by ``form.save()``, inside the
transaction of the generic create and edit views (``core.views``), so an
activity and its roles are saved together or not at all.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.rules import check_form
from core.views import RecordForm
from core.widgets import DateInput, prompt_choices
from organisations.models import Organisation, Person
from partnerships.models import Partnership

from . import rules
from .choices import OrganisationRole, PersonRole
from .models import Activity, ActivityOrganisation, ActivityPerson

MAX_ROWS = 30
REASON_MAX_LENGTH = 2000
ADDRESS_MAX_LENGTH = 500

SPACES = re.compile(r"[\s\u00a0\u2009\u202f]")


def with_current(queryset: QuerySet, current_ids) -> QuerySet:
    """``queryset`` plus the records already chosen, so that editing keeps them valid."""
    current_ids = {pk for pk in current_ids if pk is not None}
    if not current_ids:
        return queryset
    model = queryset.model
    manager = getattr(model, "all_objects", model._default_manager)
    return manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk__in=current_ids))


class AmountField(forms.DecimalField):
    """A NOK amount; accepts the spaces Norwegians write in large numbers."""

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value)
            value = value.removesuffix(",-").removesuffix(".-")
        return super().to_python(value)


class RoleFormSet(BaseInlineFormSet):
    """Rows of (organisation or person, role) under the activity form.

    The choices of the row's select are read once for all rows.
    """

    legend = ""
    choice_field = ""

    def __init__(self, *args, choices: QuerySet | None = None, **kwargs) -> None:
        self.choices_queryset = choices
        self._choice_list: list | None = None
        super().__init__(*args, **kwargs)

    def choice_list(self, field: forms.ModelChoiceField) -> list:
        if self._choice_list is None:
            self._choice_list = [
                ("", field.empty_label),
                *((obj.pk, str(obj)) for obj in self.choices_queryset),
            ]
        return self._choice_list

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        prompt_choices(form)
        if self.choices_queryset is not None:
            field = form.fields[self.choice_field]
            field.queryset = self.choices_queryset
            field.choices = self.choice_list(field)

    def chosen(self) -> list[tuple]:
        """``(object, role)`` of the rows kept after validation."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get(self.choice_field) and data.get("role") and not data.get("DELETE"):
                rows.append((data[self.choice_field], data["role"]))
        return rows

    def described(self, rows) -> str:
        return ", ".join(f"{obj} ({self.role_label(role)})" for obj, role in rows) or "–"

    def role_label(self, role: str) -> str:
        raise NotImplementedError


class OrganisationRoleFormSet(RoleFormSet):
    legend = _("Organisations in roles")
    choice_field = "organisation"

    def role_label(self, role: str) -> str:
        return str(OrganisationRole(role).label)


class PersonRoleFormSet(RoleFormSet):
    legend = _("People in roles")
    choice_field = "person"

    def role_label(self, role: str) -> str:
        return str(PersonRole(role).label)


def role_formset(model, formset, field: str):
    return inlineformset_factory(
        Activity,
        model,
        formset=formset,
        fields=[field, "role"],
        extra=2,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )


OrganisationRoles = role_formset(ActivityOrganisation, OrganisationRoleFormSet, "organisation")
PersonRoles = role_formset(ActivityPerson, PersonRoleFormSet, "person")


def external_id_field(name: str) -> forms.CharField:
    """A field for an external id that also takes the project's pasted address.

    The model checks the id that is left (digits, length) after cleaning.
    """
    model_field = Activity._meta.get_field(name)
    return forms.CharField(
        label=capfirst(model_field.verbose_name),
        required=False,
        max_length=ADDRESS_MAX_LENGTH,
        help_text=model_field.help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ActivityForm(RecordForm):
    cristin_project_id = external_id_field("cristin_project_id")
    nfr_project_number = external_id_field("nfr_project_number")
    funding_amount = AmountField(
        label=capfirst(Activity._meta.get_field("funding_amount").verbose_name),
        required=False,
        max_digits=15,
        decimal_places=0,
        min_value=Decimal(0),
        help_text=_("In whole kroner, e.g. 2500000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("The amount cannot be negative.")},
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "activity_type",
            "thesis_level",
            "status",
            "summary",
            "start_date",
            "end_date",
            "partnerships",
            "themes",
            "professional_owner",
            "professional_owner_level",
            "strategic_owner",
            "strategic_owner_level",
            "funding_source",
            "funding_amount",
            "cristin_project_id",
            "nfr_project_number",
            "is_public",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "start_date": DateInput,
            "end_date": DateInput,
            "partnerships": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "end_date": _("Leave empty while it is not known."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        activity = self.instance
        current_partnerships: list[int] = []
        current_orgs: list[int] = []
        current_people: list[int] = []
        if activity.pk:
            current_partnerships = list(activity.partnerships.values_list("pk", flat=True))
            current_orgs = [
                activity.professional_owner_id,
                activity.strategic_owner_id,
                *activity.organisation_roles.values_list("organisation_id", flat=True),
            ]
            current_people = list(activity.person_roles.values_list("person_id", flat=True))

        self.fields["partnerships"].queryset = with_current(
            permissions.allowed_partnerships(self.user, Partnership.objects.all()),
            current_partnerships,
        ).order_by("name")
        organisations = with_current(
            permissions.allowed_organisations(self.user, Organisation.objects.all()), current_orgs
        ).order_by("name")
        for name in ("professional_owner", "strategic_owner"):
            self.fields[name].queryset = organisations
        self.fields["partnerships"].help_text = _(
            "The partnerships whose portfolio the activity belongs to."
        )
        people = with_current(Person.objects.all(), current_people).order_by("name")

        data = self.data if self.is_bound else None
        self.formsets = [
            OrganisationRoles(
                data, instance=activity, prefix="organisations", choices=organisations
            ),
            PersonRoles(data, instance=activity, prefix="people", choices=people),
        ]
        self.organisation_roles, self.person_roles = self.formsets

    # -- validation -----------------------------------------------------------------

    def clean_cristin_project_id(self) -> str:
        return rules.external_id(
            self.cleaned_data.get("cristin_project_id", ""), rules.CRISTIN_ADDRESS
        )

    def clean_nfr_project_number(self) -> str:
        return rules.external_id(self.cleaned_data.get("nfr_project_number", ""), rules.NFR_ADDRESS)

    def clean(self):
        data = super().clean()
        for name in ("start_date", "end_date"):
            if problem := Activity.DATE_YEARS.problem(data.get(name)):
                self.add_error(name, problem)
        check_form(self, rules.RULES)  # activities.rules: as the importer checks
        return data

    def is_valid(self) -> bool:
        form_valid = super().is_valid()
        # validate every formset, so that each shows its errors
        results = [formset.is_valid() for formset in self.formsets]
        formsets_valid = all(results)
        if form_valid and not formsets_valid and not self.non_field_errors():
            self.add_error(None, _("Please correct the rows marked below."))
        if form_valid and formsets_valid and (problem := rules.scope(*self.scope())):
            self.add_error("partnerships", problem)
            form_valid = False
        return form_valid and formsets_valid

    # -- saving ---------------------------------------------------------------------

    #: A new activity starts in the user's only partnership, owned by their only
    #: organisation (RecordCreateView.get_initial); scope() reads more than these.
    scope_fields = ("partnerships", "professional_owner")

    def scope(self) -> tuple[set[int], set[int]]:
        """The chosen partnerships; the owners and the organisations in roles."""
        data = self.cleaned_data
        partnerships = {p.pk for p in data.get("partnerships") or []}
        organisations = {
            data[name].pk for name in ("professional_owner", "strategic_owner") if data.get(name)
        }
        organisations |= {org.pk for org, _role in self.organisation_roles.chosen()}
        return partnerships, organisations

    def change_reason(self) -> str:
        """What the partnerships, themes, owners and roles became, for the history.

        The change log holds the activity's own fields; partnerships, themes
        and roles are kept in other tables and owners as ids, so the entry
        also says in words what they became.
        """
        if not self.instance.pk:
            return ""
        parts = []
        for name in ("partnerships", "themes", "professional_owner", "strategic_owner"):
            if name in self.changed_data:
                value = self.cleaned_data[name]
                if name in ("partnerships", "themes"):
                    value = ", ".join(str(x) for x in value)
                parts.append(f"{self.fields[name].label}: {value or '–'}")
        for formset in self.formsets:
            if formset.has_changed():
                parts.append(f"{formset.legend}: {formset.described(formset.chosen())}")
        return "; ".join(parts)[:REASON_MAX_LENGTH]

    def save(self, commit: bool = True) -> Activity:
        reason = self.change_reason()
        if reason:
            self.instance._change_reason = reason
        activity = super().save(commit=commit)
        if commit:
            for formset in self.formsets:
                formset.instance = activity
                formset.save()
        return activity
