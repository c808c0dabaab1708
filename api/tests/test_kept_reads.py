"""One record's kept API read: recomputed when a model it draws on changes, kept
when another changes, and its list of models is the serialiser's."""

from __future__ import annotations

import pytest
from rest_framework import serializers as drf

from activities.models import Activity, ActivityOrganisation
from api.views import ActivityViewSet
from core.cache import tracked_models
from events.models import Event
from tests.support.testing import count_queries

pytestmark = pytest.mark.django_db


def models_of(serializer: drf.Serializer) -> set[str]:
    """The models a serialiser reads: its own and, through every field, the related
    and nested ones."""
    found = {serializer.Meta.model._meta.label}
    for field in serializer.fields.values():
        if isinstance(field, drf.ListSerializer):
            field = field.child
        if isinstance(field, drf.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, drf.Serializer):
            found |= models_of(field)
        elif getattr(field, "queryset", None) is not None:
            found.add(field.queryset.model._meta.label)
    return found


def test_an_activitys_models_are_those_its_serialiser_reads():
    listed = {m._meta.label for m in ActivityViewSet.record_models}
    read = models_of(ActivityViewSet.serializer_class())
    assert read <= listed, read - listed
    # Only tracked models have a version; Erasure rewrites people outside their form.
    assert listed <= {m._meta.label for m in tracked_models()}
    assert listed - read == {"privacy.Erasure"}


@pytest.fixture
def activity(partnership):
    activity = Activity.objects.create(title="Lest", activity_type="phd", is_public=True)
    activity.partnerships.add(partnership)
    return activity


def test_a_change_to_what_the_record_shows_is_seen_at_once(api, activity, partnership, usn):
    url = f"/api/activities/{activity.public_id}/"
    assert api.get(url).json()["organisation_roles"] == []
    assert count_queries(lambda: api.get(url)) == 1  # kept: the data version alone
    ActivityOrganisation.objects.create(activity=activity, organisation=usn, role="partner")
    assert api.get(url).json()["organisation_roles"] == [
        {"organisation": usn.slug, "role": "partner"}
    ]
    partnership.slug = "usn-drammen-ny"
    partnership.save()
    assert api.get(url).json()["partnerships"] == ["usn-drammen-ny"]


def test_a_change_elsewhere_leaves_the_record_kept_and_the_list_not(api, activity, drammen):
    url = f"/api/activities/{activity.public_id}/"
    api.get(url)
    api.get("/api/activities/")
    Event.objects.create(
        title="Forskningsdag",
        kind="conference",
        starts_at="2027-03-01T09:00+01:00",
        ends_at="2027-03-01T15:00+01:00",
        location="Drammen",
        organiser=drammen,
    )
    assert count_queries(lambda: api.get(url)) == 1
    assert count_queries(lambda: api.get("/api/activities/")) > 1
