"""The form coordinators and organisation editors use to add and edit events."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.rules import check_form
from core.views import RecordForm
from organisations.models import Organisation
from partnerships.models import Partnership

from . import rules
from .models import Event

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def with_current(queryset, current_id):
    """``queryset`` plus the record already chosen, so that editing keeps it valid."""
    if current_id is None:
        return queryset
    return queryset.model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current_id))


def datetime_widget() -> forms.DateTimeInput:
    # A native date-and-time picker where the browser has one; a text field
    # taking "2025-03-14T09:00" (or "2025-03-14 09:00") where it has not.
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class EventForm(RecordForm):
    scope_fields = ("partnership", "organiser")

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "organiser",
            "partnership",
            "themes",
            "description",
            "is_public",
        ]
        widgets = {
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "themes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "starts_at": _("Date and time in Norwegian time."),
            "ends_at": _("Date and time in Norwegian time."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        fields = self.fields
        fields["organiser"].queryset = with_current(
            permissions.allowed_organisations(self.user, Organisation.objects.all()),
            instance.organiser_id,
        ).order_by("name")
        fields["partnership"].queryset = with_current(
            permissions.allowed_partnerships(self.user, Partnership.objects.all()),
            instance.partnership_id,
        ).order_by("name")
        fields["partnership"].help_text = _(
            "Coordinators: choose your partnership. Organisation editors may leave it empty."
        )
        fields["online_url"].widget.attrs.setdefault("inputmode", "url")

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if problem := Event.DATE_YEARS.problem(data.get(name)):
                self.add_error(name, problem)
        check_form(self, rules.RULES)  # events.rules: as the importer checks
        return data
