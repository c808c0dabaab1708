"""Forms for coordinators editing their partnership's profile in the site."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import WhenError, parse_when
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
            "status_as_of",
            "facts_as_of",
            "roots_text",
            "roots_year",
            "roots_year_to",
            "roots_note",
            "agreement_text",
            "agreement_year",
            "agreement_year_to",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for prefix in ("roots", "agreement"):
            if f"{prefix}_text" in self.fields:
                self.fields[f"{prefix}_text"].help_text = _(
                    "As the source gives it: 2015, mars 2019, 17. februar 2016, 1990-tallet, "
                    "tidlig 2000-tall. The years below are then filled in from it."
                )

    def clean(self):
        data = super().clean()
        for prefix in ("roots", "agreement"):
            text = (data.get(f"{prefix}_text") or "").strip()
            if text:
                try:
                    when = parse_when(text)
                except WhenError as error:
                    self.add_error(f"{prefix}_text", str(error))
                    continue
                data[f"{prefix}_year"] = when.year_from
                data[f"{prefix}_year_to"] = when.year_to if when.is_range else None
                data[f"{prefix}_text"] = when.text
            for name in (f"{prefix}_year", f"{prefix}_year_to"):
                year = data.get(name)
                if year is not None and not 1800 <= year <= 2200:
                    self.add_error(name, _("Give a year between 1800 and 2200."))
        roots, agreement = data.get("roots_year"), data.get("agreement_year")
        if roots and agreement and roots > agreement:
            self.add_error("roots_year", _("The roots year cannot be after the agreement year."))
        return data

    def scope(self) -> tuple[set[int], set[int]]:
        return {self.instance.pk}, set()
