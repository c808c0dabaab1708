"""The upload form of the web importer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from core import permissions
from events.models import Event
from needs.models import Need
from partnerships.models import Partnership

from .models import SourceFormat

#: The web importer reads the whole file in one request; bigger files go through
#: the command line (``unikom import``), which shows progress. 20 MB holds about
#: 100 000 activity rows.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx", ".json")

KIND_MODELS = {"activities": Activity, "needs": Need, "events": Event}
KIND_LABELS = {"activities": _("Activities"), "needs": _("Needs"), "events": _("Meeting places")}


def importable_kinds(user) -> list[str]:
    """The kinds of record the user may add, and so import."""
    return [kind for kind, model in KIND_MODELS.items() if permissions.can_add(user, model)]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    source_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("auto", _("Tell from the file")), *SourceFormat.choices],
        initial="auto",
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252, comma or semicolon), XLSX, or NVA/Cristin JSON; "
            "at most 20 MB. Use the columns of the export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership for rows that name none"),
        queryset=Partnership.objects.none(),
        required=False,
        help_text=_("Useful for NVA/Cristin and Prosjektbanken files, which know no partnerships."),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = importable_kinds(user)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        self.fields["partnership"].queryset = permissions.allowed_partnerships(
            user, Partnership.objects.all()
        ).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(
                _("Upload a CSV, XLSX or JSON file (the name ends in .csv, .xlsx or .json).")
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB. Import it with the command line: unikom import.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("source_format") in ("nva", "prosjektbanken") and data.get("kind") not in (
            None,
            "activities",
        ):
            self.add_error(
                "source_format", _("NVA/Cristin and Prosjektbanken files hold activities.")
            )
        return data
