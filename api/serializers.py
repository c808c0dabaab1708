"""How records look in the API.

Records are addressed by stable keys, never by database ids: organisations,
partnerships and themes by slug, activities, needs, events and people by
``public_id`` (a UUID). Relations are given by the same keys, in reading and
in writing. ``url`` is the record in the API, ``web_url`` its page in the site.

Writing sends the same fields back; ``api.writes`` passes them through the
site's own forms, so the API accepts exactly what the pages accept.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.choices import OrganisationRole, PersonRole
from activities.forms import ADDRESS_MAX_LENGTH, ActivityForm
from activities.models import Activity, ActivityOrganisation, ActivityPerson
from core import permissions
from events.forms import EventForm
from events.models import Event
from needs.choices import SuitedFor
from needs.forms import NeedForm
from needs.models import Need
from organisations.models import Affiliation, Organisation, Person
from partnerships.forms import PartnershipForm
from partnerships.models import Agreement, Anchoring, Membership, Partnership, Theme

VERSION_HELP = _(
    "Grows by one on every change. Send the version you read with PUT or PATCH; if "
    "the record has changed since, the answer is 409 Conflict."
)


class UrlOrEmptyField(serializers.CharField):
    """A web address that may be empty ("" rather than null, as in the models).

    Documented as a plain string: OpenAPI's ``format: uri`` would not allow
    the empty value. The model's URL validator still checks non-empty values.
    """


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: UrlOrEmptyField,
    }


def slug_of(model, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=model.objects.all(), **kwargs)


def public_id_of(model, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="public_id", queryset=model.objects.all(), **kwargs
    )


@extend_schema_field(OpenApiTypes.URI)
class WebUrlField(serializers.Field):
    """The record's page in the site, as an absolute address."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class RecordSerializer(ModelSerializer):
    """Fields every editable record has."""

    version = serializers.IntegerField(read_only=True, help_text=VERSION_HELP)
    web_url = WebUrlField()


# -- reference data ------------------------------------------------------------------


class ThemeSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = ["slug", "url", "name", "name_en"]


class OrganisationSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )
    web_url = WebUrlField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "url",
            "web_url",
            "name",
            "official_name",
            "name_en",
            "short_name",
            "kind",
            "parent",
            "municipality_number",
            "county_number",
            "district_number",
            "org_number",
            "ror_id",
            "dbh_code",
            "population",
            "population_date",
            "website",
            "source_url",
        ]
        read_only_fields = fields


# -- partnerships --------------------------------------------------------------------


class MembershipSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "partnership",
            "organisation",
            "organisation_name",
            "role",
            "valid_from",
            "valid_to",
            "current",
            "hosts_campus",
            "note",
            "source_url",
        ]
        read_only_fields = fields

    def get_current(self, obj) -> bool:
        return obj.valid_to is None


class PartnershipMembershipSerializer(MembershipSerializer):
    class Meta(MembershipSerializer.Meta):
        fields = [f for f in MembershipSerializer.Meta.fields if f != "partnership"]
        read_only_fields = fields


class AgreementSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "partnership",
            "title",
            "kind",
            "signed_year",
            "signed_date",
            "valid_from_year",
            "valid_to_year",
            "signed_by",
            "note",
            "source_url",
        ]
        read_only_fields = fields


class AnchoringSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:anchoring-detail")
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    party = serializers.CharField(read_only=True, help_text=_("The party in words."))

    class Meta:
        model = Anchoring
        fields = [
            "id",
            "url",
            "partnership",
            "organisation",
            "party_label",
            "party",
            "level",
            "absent",
            "evidence",
            "body",
            "year",
            "description",
            "source_url",
        ]
        read_only_fields = fields


# The API writes through the site's forms (api.writes), so it offers their fields.
PARTNERSHIP_PROFILE_FIELDS = PartnershipForm.Meta.fields


class PartnershipSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:partnership-detail", lookup_field="slug"
    )
    themes = slug_of(Theme, many=True, required=False)
    memberships = PartnershipMembershipSerializer(many=True, read_only=True)
    coordinator_fte = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, required=False, min_value=0
    )

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "url",
            "web_url",
            *PARTNERSHIP_PROFILE_FIELDS,
            "aliases",
            "focus_areas",
            "memberships",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["slug", "aliases", "focus_areas", "created", "updated"]


# -- portfolio -----------------------------------------------------------------------


class ActivityOrganisationSerializer(ModelSerializer):
    organisation = slug_of(Organisation)
    role = serializers.ChoiceField(choices=OrganisationRole.choices)

    class Meta:
        model = ActivityOrganisation
        fields = ["organisation", "role"]


class ActivityPersonSerializer(ModelSerializer):
    person = public_id_of(Person)
    role = serializers.ChoiceField(choices=PersonRole.choices)

    class Meta:
        model = ActivityPerson
        fields = ["person", "role"]


def external_id(name: str) -> serializers.CharField:
    """An external id as the form takes it: the id, or the project's pasted address,
    which the form reads (activities.rules.external_id) and the model's validators
    then check. Checked here already, a pasted address was refused."""
    model_field = Activity._meta.get_field(name)
    return serializers.CharField(
        max_length=ADDRESS_MAX_LENGTH,
        allow_blank=True,
        required=False,
        help_text=model_field.help_text,
    )


class ActivitySerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:activity-detail", lookup_field="public_id"
    )
    cristin_project_id = external_id("cristin_project_id")
    nfr_project_number = external_id("nfr_project_number")
    partnerships = slug_of(Partnership, many=True, required=False)
    themes = slug_of(Theme, many=True, required=False)
    professional_owner = slug_of(Organisation, allow_null=True, required=False)
    strategic_owner = slug_of(Organisation, allow_null=True, required=False)
    organisation_roles = ActivityOrganisationSerializer(many=True, required=False)
    person_roles = ActivityPersonSerializer(
        many=True,
        required=False,
        help_text=_("People in roles; people visible only to signed-in users are left out."),
    )

    class Meta:
        model = Activity
        fields = [
            "public_id",
            "url",
            "web_url",
            *ActivityForm.Meta.fields,
            "organisation_roles",
            "person_roles",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["public_id", "created", "updated"]


class NeedSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:need-detail", lookup_field="public_id"
    )
    organisation = slug_of(Organisation)
    partnership = slug_of(Partnership, allow_null=True, required=False)
    service_area = slug_of(Theme, allow_null=True, required=False)
    # At least one, as the form checks (needs.rules), in the form's words.
    suited_for = serializers.ListField(
        child=serializers.ChoiceField(choices=SuitedFor.choices), max_length=20
    )
    contact = public_id_of(
        Person,
        allow_null=True,
        required=False,
        help_text=_("A person; null when the contact is visible only to signed-in users."),
    )
    led_to = public_id_of(
        Activity,
        many=True,
        required=False,
        help_text=_("Activities that answer the need (those you may see)."),
    )

    class Meta:
        model = Need
        fields = [
            "public_id",
            "url",
            "web_url",
            *NeedForm.Meta.fields,
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["public_id", "created", "updated"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        contact = instance.contact
        user = self.context["request"].user
        if contact is not None and (contact.in_trash or not permissions.can_view(user, contact)):
            data["contact"] = None
        return data


class EventSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:event-detail", lookup_field="public_id"
    )
    organiser = slug_of(Organisation)
    partnership = slug_of(Partnership, allow_null=True, required=False)
    themes = slug_of(Theme, many=True, required=False)

    class Meta:
        model = Event
        fields = [
            "public_id",
            "url",
            "web_url",
            *EventForm.Meta.fields,
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["public_id", "created", "updated"]


class AffiliationSerializer(ModelSerializer):
    organisation = slug_of(Organisation)

    class Meta:
        model = Affiliation
        fields = ["organisation", "title", "unit", "valid_from", "valid_to"]


class PersonSerializer(RecordSerializer):
    """A person; e-mail and phone are null unless the reader may see them
    (signed in, or the person made them public), as on the person's page."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:person-detail", lookup_field="public_id"
    )
    orcid = serializers.CharField(max_length=60, allow_null=True, allow_blank=True, required=False)
    email = serializers.EmailField(
        allow_blank=True,
        allow_null=True,
        required=False,
        max_length=254,
        help_text=_("Null when hidden from you."),
    )
    phone = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        max_length=40,
        help_text=_("Null when hidden from you."),
    )
    affiliations = AffiliationSerializer(many=True, required=False)

    class Meta:
        model = Person
        fields = [
            "public_id",
            "url",
            "web_url",
            "name",
            "orcid",
            "email",
            "phone",
            "contact_public",
            "is_public",
            "affiliations",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["public_id", "created", "updated"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.contact_visible_to(self.context["request"].user):
            data["email"] = data["phone"] = None
        return data


@cache
def update_serializer(serializer_class):
    """The serializer for PUT and PATCH: the same fields plus the version read."""
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP)
    name = serializer_class.__name__.replace("Serializer", "UpdateSerializer")
    return type(name, (serializer_class,), {"version": version})
