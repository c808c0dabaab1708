"""The API's endpoints: thin viewsets over the apps' models.

Who may read comes from ``core.permissions.visible`` (querysets) and
``can_view``; who may write from ``can_add``/``can_change`` (api.permissions)
and the apps' forms (api.writes). Each list fetches its relations in a fixed
number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from activities.filtersets import ActivityFilterSet
from activities.forms import ActivityForm
from activities.models import Activity, ActivityOrganisation, ActivityPerson
from core import permissions
from events.filtersets import EventFilterSet
from events.forms import EventForm
from events.models import Event
from needs.filtersets import NeedFilterSet
from needs.forms import NeedForm
from needs.models import Need
from organisations.forms import PersonForm
from organisations.models import Affiliation, Organisation, Person
from partnerships.forms import PartnershipForm
from partnerships.models import Agreement, Anchoring, Membership, Partnership, Theme
from privacy.models import Erasure

from . import filters, filtersets, serializers, writes
from .caching import KeptReadsMixin
from .writes import Inline, WriteConfig

RECORD_ORDERING = ["title", "created", "updated"]


class ApiViewMixin(KeptReadsMixin):
    """Refuses NUL characters in the address before anything reaches the database
    (PostgreSQL cannot store them in text and would answer with an error).
    Reads are kept until the data changes (api.caching).
    ``search=`` goes through the search index (api.filters.IndexSearchFilter)."""

    filter_backends = filters.with_index_search(api_settings.DEFAULT_FILTER_BACKENDS)

    def initial(self, request, *args, **kwargs):
        values = [*kwargs.values(), *request.query_params.keys()]
        values += [v for key in request.query_params for v in request.query_params.getlist(key)]
        if any("\x00" in str(value) for value in values):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The address contains a NUL character.")]}
            )
        super().initial(request, *args, **kwargs)


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pass


# -- reference data and partnerships (read only, except the partnership profile) ----


class ThemeViewSet(ReadOnlyViewSet):
    """Themes (service areas) that partnerships, activities and events are tagged with."""

    queryset = Theme.objects.all()
    serializer_class = serializers.ThemeSerializer
    lookup_field = "slug"
    search_fields = ["name", "name_en", "slug"]
    ordering_fields = ["name", "slug"]
    ordering = ["name"]


class OrganisationViewSet(ReadOnlyViewSet):
    """Municipalities, counties, districts and knowledge institutions."""

    queryset = Organisation.objects.select_related("parent")
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filtersets.OrganisationFilterSet
    lookup_field = "slug"
    search_fields = ["name", "official_name", "name_en", "short_name", "slug"]
    ordering_fields = ["name", "slug", "kind"]
    ordering = ["name"]


class MembershipViewSet(ReadOnlyViewSet):
    """Organisations' roles in partnerships over time (``current`` = no end date)."""

    queryset = Membership.objects.filter(partnership__deleted_at__isnull=True).select_related(
        "partnership", "organisation"
    )
    serializer_class = serializers.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet
    ordering_fields = ["role", "created"]
    ordering = ["pk"]


class AgreementViewSet(ReadOnlyViewSet):
    """Agreements, joint strategies and pilots that frame the partnerships."""

    queryset = Agreement.objects.filter(partnership__deleted_at__isnull=True).select_related(
        "partnership"
    )
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet
    search_fields = ["title", "signed_by", "note"]
    ordering_fields = ["title", "created"]
    ordering = ["pk"]


class AnchoringViewSet(ReadOnlyViewSet):
    """Evidence that a party backs a partnership at a level (political, faculty, …)."""

    queryset = Anchoring.objects.filter(partnership__deleted_at__isnull=True).select_related(
        "partnership", "organisation"
    )
    serializer_class = serializers.AnchoringSerializer
    filterset_class = filtersets.AnchoringFilterSet
    search_fields = ["party_label", "body", "description"]
    ordering_fields = ["level", "created"]
    ordering = ["pk"]


def update_schema(serializer_class):
    update = serializers.update_serializer(serializer_class)
    return {
        "update": extend_schema(request=update, responses=serializer_class),
        "partial_update": extend_schema(request=update, responses=serializer_class),
    }


class FormWriteMixin:
    """PUT and PATCH through the app's form (api.writes), with the version check."""

    write_config: WriteConfig

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.update_serializer(self.serializer_class)
        return self.serializer_class

    def fresh(self, record):
        """The saved record as the API shows it (with its relations fetched)."""
        return self.get_queryset().get(pk=record.pk)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        version = values.pop("version", None)
        if version is None:
            raise exceptions.ValidationError(
                {"version": [_("Send the version of the record you read.")]}
            )
        record = writes.save(
            self.write_config,
            request.user,
            values,
            instance=instance,
            partial=partial,
            version=version,
        )
        context = self.get_serializer_context()
        return Response(self.serializer_class(self.fresh(record), context=context).data)


class RecordViewSet(ApiViewMixin, FormWriteMixin, viewsets.ModelViewSet):
    """Create, read, update and trash records through the apps' forms."""

    lookup_field = "public_id"

    def get_queryset(self):
        return permissions.visible(self.request.user, self.base_queryset())

    def base_queryset(self):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = writes.save(self.write_config, request.user, serializer.validated_data)
        data = self.serializer_class(self.fresh(record), context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_201_CREATED, headers={"Location": str(data["url"])}
        )  # a plain str: WSGI servers insist

    def destroy(self, request, *args, **kwargs):
        """Moves the record to the trash, from where it can be restored in the site."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        instance.move_to_trash(self.request.user)


@extend_schema_view(**update_schema(serializers.PartnershipSerializer))
class PartnershipViewSet(
    ApiViewMixin, FormWriteMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Partnerships with their current and former members. Coordinators update
    their partnership's profile with PUT or PATCH."""

    queryset = Partnership.objects.prefetch_related(
        "themes",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "role", "organisation__name"
            ),
        ),
    )
    serializer_class = serializers.PartnershipSerializer
    filterset_class = filtersets.PartnershipApiFilterSet
    lookup_field = "slug"
    search_fields = ["name", "slug", "summary", "purpose"]
    ordering_fields = ["name", "created", "updated"]
    ordering = ["name"]
    write_config = WriteConfig(PartnershipForm)

    def get_queryset(self):
        return permissions.visible(self.request.user, self.queryset.all())


@extend_schema_view(**update_schema(serializers.ActivitySerializer))
class ActivityViewSet(RecordViewSet):
    """The portfolio: research projects, PhDs, theses, courses, networks…

    Anonymous clients see public activities only; signed-in users all.
    """

    serializer_class = serializers.ActivitySerializer
    record_models = (
        Activity,
        ActivityOrganisation,
        ActivityPerson,
        Organisation,
        Person,
        Partnership,
        Theme,
        Erasure,
    )
    filterset_class = ActivityFilterSet
    search_fields = ["title", "summary"]
    ordering_fields = RECORD_ORDERING
    ordering = ["-created"]
    write_config = WriteConfig(
        ActivityForm,
        inlines=(
            Inline(
                "organisation_roles",
                "organisation_roles",
                "organisations",
                ("organisation", "role"),
            ),
            Inline("person_roles", "person_roles", "people", ("person", "role")),
        ),
    )

    def base_queryset(self):
        return Activity.objects.with_roles(self.request.user)


@extend_schema_view(**update_schema(serializers.NeedSerializer))
class NeedViewSet(RecordViewSet):
    """Research and knowledge needs and thesis topics posted by municipalities."""

    serializer_class = serializers.NeedSerializer
    filterset_class = NeedFilterSet
    search_fields = ["title", "description"]
    ordering_fields = RECORD_ORDERING
    ordering = ["-created"]
    write_config = WriteConfig(NeedForm)

    def base_queryset(self):
        activities = permissions.visible(self.request.user, Activity.objects.all())
        return (
            Need.objects.for_list()
            .select_related("contact")
            .prefetch_related(Prefetch("led_to", queryset=activities.order_by("pk")))
        )


@extend_schema_view(**update_schema(serializers.EventSerializer))
class EventViewSet(RecordViewSet):
    """Meeting places: conferences, dialogue and network meetings, seminars, courses."""

    serializer_class = serializers.EventSerializer
    filterset_class = EventFilterSet
    search_fields = ["title", "description", "location"]
    ordering_fields = ["starts_at", "ends_at", *RECORD_ORDERING]
    ordering = ["starts_at"]
    write_config = WriteConfig(EventForm)

    def base_queryset(self):
        return Event.objects.for_list()


@extend_schema_view(**update_schema(serializers.PersonSerializer))
class PersonViewSet(RecordViewSet):
    """People; e-mail and phone only where the person's page would show them."""

    keep_reads = False

    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonApiFilterSet
    search_fields = ["name", "orcid"]
    ordering_fields = ["name", "created", "updated"]
    ordering = ["name"]
    write_config = WriteConfig(
        PersonForm,
        inlines=(
            Inline(
                "affiliations",
                "affiliations",
                "affiliations",
                ("organisation", "title", "unit", "valid_from", "valid_to"),
            ),
        ),
    )

    def base_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation").order_by(
                    F("valid_from").desc(nulls_last=True), "pk"
                ),
            )
        )
