"""Forms for coordinators editing their partnership's profile in the site."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.views import RecordForm

from .models import Partnership


class PartnershipForm(RecordForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "summary",
            "purpose",
            "kind",
            "status",
            "maturity",
            "initiative",
            "initiative_note",
            "roots_year",
            "roots_note",
            "agreement_year",
            "agreement_note",
            "themes",
            "stated_municipality_count",
            "member_note",
            "reported_population",
            "population_note",
            "coordinator_fte",
            "coordinator_note",
            "funding_note",
            "organisation_note",
            "lead_note",
            "source_url",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "summary",
                    "purpose",
                    "initiative_note",
                    "roots_note",
                    "agreement_note",
                    "member_note",
                    "population_note",
                    "coordinator_note",
                    "funding_note",
                    "organisation_note",
                    "lead_note",
                )
            },
        }

    def clean(self):
        data = super().clean()
        roots, agreement = data.get("roots_year"), data.get("agreement_year")
        if roots and agreement and roots > agreement:
            self.add_error("roots_year", _("The roots year cannot be after the agreement year."))
        for name in ("roots_year", "agreement_year"):
            year = data.get(name)
            if year is not None and not 1900 <= year <= 2100:
                self.add_error(name, _("Give a year between 1900 and 2100."))
        return data

    def scope(self) -> tuple[set[int], set[int]]:
        return {self.instance.pk}, set()
