"""The form coordinators and organisation editors use to post and edit needs."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import permissions
from core.validators import no_direction_controls
from core.views import RecordForm
from core.widgets import DateInput
from organisations.models import Organisation, Person
from partnerships.models import Partnership

from . import rules
from .choices import SuitedFor, next_statuses
from .models import OFFER_MAX_LENGTH, Need


def with_current(queryset, current_id):
    """``queryset`` plus the record already chosen, so that editing keeps it valid."""
    if current_id is None:
        return queryset
    model = queryset.model
    return model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current_id))


class NeedForm(RecordForm):
    scope_fields = ("partnership", "organisation")

    suited_for = forms.MultipleChoiceField(
        label=_("Suited for"),
        choices=SuitedFor.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of work that could answer the need."),
        error_messages={"required": rules.SUITED_FOR_NOTHING},
    )

    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "organisation",
            "partnership",
            "service_area",
            "suited_for",
            "contact",
            "deadline",
            "status",
            "led_to",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "deadline": DateInput,
            "led_to": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.old_status = instance.status if instance.pk else None
        self.old_deadline = instance.deadline if instance.pk else None
        organisations = permissions.allowed_organisations(self.user, Organisation.objects.all())
        fields = self.fields
        fields["organisation"].queryset = with_current(
            organisations, instance.organisation_id
        ).order_by("name")
        fields["partnership"].queryset = with_current(
            permissions.allowed_partnerships(self.user, Partnership.objects.all()),
            instance.partnership_id,
        ).order_by("name")
        fields["partnership"].help_text = _(
            "Coordinators: choose your partnership. Organisation editors may leave it empty."
        )
        fields["contact"].queryset = with_current(
            Person.objects.filter(affiliations__organisation__in=organisations.values("pk")),
            instance.contact_id,
        ).order_by("name")
        fields["contact"].help_text = _(
            "People affiliated with the organisations you may post for. Their email and "
            "phone are shown to anonymous visitors only if they have made them public."
        )
        # Activities the user may change (those of their partnerships and
        # organisations), plus those already linked: a short list, not the
        # whole national portfolio, in a form that works without JavaScript.
        activity = apps.get_model("activities", "Activity")
        own = permissions.editable(self.user, activity.objects.all()).values("pk")
        linked = instance.led_to.values("pk") if instance.pk else activity.objects.none()
        fields["led_to"].queryset = activity.objects.filter(Q(pk__in=own) | Q(pk__in=linked))
        fields["led_to"].help_text = _(
            "The activities that answer the need, among those of your partnerships and "
            "organisations."
        )
        if self.old_status:
            allowed = ", ".join(str(s.label) for s in next_statuses(self.old_status))
            fields["status"].help_text = _("From here the need may move to: %(statuses)s.") % {
                "statuses": allowed
            }

    def clean_suited_for(self) -> list[str]:
        chosen = set(self.cleaned_data["suited_for"])
        return [value for value in SuitedFor.values if value in chosen]

    def clean(self):
        data = super().clean()
        if problem := Need.DATE_YEARS.problem(data.get("deadline")):
            self.add_error("deadline", problem)
        before = {"status": self.old_status, "deadline": self.old_deadline}
        values = {name: data.get(name) for name in ("status", "deadline")}
        for name, problem in rules.problems(values, before):  # as the importer checks
            self.add_error(name, problem)
        return data


class OfferForm(forms.Form):
    """An offer of help: a short message to the need's contact."""

    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=OFFER_MAX_LENGTH,
        strip=True,
        validators=[no_direction_controls],
        help_text=_(
            "Say who you are, what you could do and how to reach you. At most 2,000 characters."
        ),
    )
