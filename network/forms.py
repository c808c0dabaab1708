"""The filters of the network page and its exports.

Every field is optional and checked on its own: a bad value (an unknown theme
or county, a year that is not one) is reported beside its field and that filter
is ignored, while the valid ones still apply — a query string never causes a
server error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from organisations.models import Organisation
from partnerships.models import Theme

from .graph import NetworkFilters

FIRST_YEAR, LAST_YEAR = Activity.DATE_YEARS.first, Activity.DATE_YEARS.last
YEAR_ERRORS = {
    "invalid": _("Enter a year such as 2020; this filter is ignored."),
    "min_value": _("Enter a year from %(limit_value)s; this filter is ignored."),
    "max_value": _("Enter a year up to %(limit_value)s; this filter is ignored."),
}


def _choice(label, queryset, to_field_name: str, invalid) -> forms.ModelChoiceField:
    """An optional choice of a record; an unknown value is reported and that filter ignored."""
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        to_field_name=to_field_name,
        required=False,
        empty_label=_("All"),
        error_messages={"invalid_choice": invalid},
    )


def _year(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=YEAR_ERRORS,
    )


class NetworkFilterForm(forms.Form):
    theme = _choice(
        _("Theme"),
        Theme.objects.order_by("name"),
        "slug",
        _("There is no theme “%(value)s”; the theme filter is ignored."),
    )
    county = _choice(
        _("County"),
        Organisation.objects.counties().order_by("name"),
        "county_number",
        _("There is no county “%(value)s”; the county filter is ignored."),
    )
    year_from = _year(_("From year"))
    year_to = _year(_("To year"))
    people = forms.BooleanField(label=_("Include people"), required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and first > last:
            self.add_error(
                "year_to", _("The last year is before the first; the period is ignored.")
            )
            data.pop("year_from", None)
        return data

    def filters(self) -> NetworkFilters:
        """The filters that passed validation; the rest are ignored (and reported)."""
        if not self.is_bound:
            return NetworkFilters()
        self.is_valid()
        data = self.cleaned_data
        return NetworkFilters(
            theme=data.get("theme"),
            county=data.get("county"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            people=bool(data.get("people")),
        )
