"""The generator: the same seed gives the same rows, the counts and links are right,
the text is Norwegian with inflected forms, and removing leaves the database as before."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count

from activities.models import Activity, ActivityOrganisation, title_key
from events.models import Event
from needs.models import Need
from organisations.choices import KNOWLEDGE_KINDS
from organisations.models import Affiliation, Person
from partnerships.models import Membership, Partnership
from search.documents import reindex
from synth import generator, vocabulary
from synth.models import SyntheticLoad
from synth.tests.helpers import database, search_index

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 1, 1)
GENERATED = [m._meta.label for m in generator.MODELS] + [
    "activities.Activity_partnerships",
    "activities.Activity_themes",
    "partnerships.Partnership_themes",
    "needs.Need_led_to",
    "events.Event_themes",
    "activities.HistoricalActivity",
    "organisations.HistoricalPerson",
]


def load(seed: int = 1, **options):
    return generator.load("small", seed, as_of=AS_OF, **options)


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    load(1)
    first = database(labels=GENERATED)
    generator.remove()
    load(1)
    assert database(labels=GENERATED) == first
    generator.remove()
    load(2)
    other = database(labels=GENERATED)
    assert other["activities.Activity"] != first["activities.Activity"]
    assert other["partnerships.Partnership"] != first["partnerships.Partnership"]


def test_a_small_load_has_the_records_of_its_scale():
    size = generator.SIZES["small"]
    result = load()
    assert result.records["partnerships.Partnership"] == size.partnerships
    assert result.records["organisations.Person"] == size.people
    assert result.records["activities.Activity"] == size.activities
    assert result.records["needs.Need"] == size.needs
    assert result.records["events.Event"] == size.events
    synthetic = Partnership.objects.filter(slug__startswith=generator.SLUG_PREFIX)
    assert synthetic.count() == size.partnerships
    assert Activity.objects.count() == size.activities
    assert Person.objects.count() == size.people
    assert Need.objects.count() == size.needs
    assert Event.objects.count() == size.events
    # Every record has its creation in the history, as a record saved in the site has.
    assert Activity.history.filter(history_type="+").count() == size.activities
    assert (
        Membership.history.count() >= Membership.objects.filter(partnership__in=synthetic).count()
    )
    recorded = SyntheticLoad.objects.get()
    assert (recorded.seed, recorded.scale, recorded.as_of) == (1, "small", AS_OF)
    assert recorded.counts == result.records
    assert recorded.rows == result.total_rows > 10 * size.activities


def test_partnerships_have_sensible_members():
    load()
    for p in Partnership.objects.filter(slug__startswith=generator.SLUG_PREFIX).prefetch_related(
        "memberships__organisation__parent"
    ):
        current = [m for m in p.memberships.all() if m.valid_to is None]
        municipalities = [m.organisation for m in current if m.organisation.kind == "municipality"]
        academic = [m.organisation for m in current if m.role == "academic_partner"]
        leads = [m for m in current if m.role == "lead"]
        assert academic and all(o.kind in KNOWLEDGE_KINDS for o in academic), p
        assert all(m.organisation.kind == "municipality" for m in leads), p
        if p.kind == "bilateral":
            assert len(leads) == 1 and len(municipalities) == 1 and len(academic) == 1, p
        if p.kind == "cluster":
            assert len(leads) == 1 and len(municipalities) >= 3, p
            assert len({o.parent_id for o in municipalities}) == 1, f"{p}: one county"


def test_every_activity_is_linked_to_organisations_and_partnerships_that_fit():
    load()
    activities = Activity.objects.prefetch_related(
        "organisation_roles__organisation", "partnerships__memberships", "themes"
    )
    with_partnership = 0
    for a in activities:
        roles = {(r.role, r.organisation.kind) for r in a.organisation_roles.all()}
        assert ("owner", "municipality") in roles, a
        assert any(role == "partner" and kind in KNOWLEDGE_KINDS for role, kind in roles), a
        assert a.themes.all(), a
        assert a.professional_owner_id and a.professional_owner_level
        owner = next(r.organisation for r in a.organisation_roles.all() if r.role == "owner")
        partnerships = list(a.partnerships.all())
        if partnerships:
            with_partnership += 1
            members = {m.organisation_id for p in partnerships for m in p.memberships.all()}
            assert owner.pk in members, f"{a}: its municipality is a member"
        if a.start_date and a.end_date:
            assert a.start_date <= a.end_date
    assert with_partnership > 0.9 * activities.count()
    # Roles and affiliations point at people and organisations that exist (the
    # database checks the keys); people in roles have an affiliation.
    assert not Person.objects.annotate(n=Count("affiliations")).filter(n=0).exists()
    assert ActivityOrganisation.objects.count() >= 2 * activities.count()


def test_records_pass_the_models_own_validation():
    load()
    samples = [
        *Partnership.objects.filter(slug__startswith=generator.SLUG_PREFIX)[:5],
        *Activity.objects.all()[:20],
        *Person.objects.all()[:10],
        *Affiliation.objects.all()[:10],
        *Need.objects.all()[:10],
        *Event.objects.all()[:10],
    ]
    for record in samples:
        record.full_clean()
    # What an import looks duplicates up by (Activity.save sets it; synth writes it).
    assert all(
        key == title_key(title) for title, key in Activity.objects.values_list("title", "title_key")
    )


def test_titles_and_summaries_are_norwegian_with_inflected_forms():
    load()
    text = " ".join(
        f"{title} {summary}" for title, summary in Activity.objects.values_list("title", "summary")
    ).split()
    words = {w.strip(".,:?") for w in text}
    nouns = [n for theme in vocabulary.THEMES.values() for n in theme.nouns]
    inflected = [n for n in nouns if len({n.sg_def, n.pl, n.pl_def} & words) >= 2]
    assert len(inflected) >= 10, "nouns seen in more than one form"
    assert {"sykehjemmene", "skolene", "pasientene"} & words
    assert {"og", "i", "for", "med"} <= words


def test_the_search_index_is_what_reindex_would_build():
    load()
    built = search_index()
    reindex()
    rebuilt = search_index()

    def loose(index):  # member names are joined in the database's collation order
        return {
            (
                d[0],
                d[1],
                d[2],
                d[4],
                d[6],
                tuple(sorted(d[3].split())),
                tuple(sorted(d[5].split())),
                d[7],
                d[8],
            )
            for d in index
        }

    assert loose(built) == loose(rebuilt)


def test_remove_leaves_the_database_as_it_was():
    # Organisations' documents are indexed again after a load and after removing
    # it; start from a current index (adding memberships does not reindex the
    # organisations, so the test database's index lags behind the bundled ones).
    reindex()
    before = database()
    load()
    assert database() != before
    deleted = generator.remove()
    assert deleted["activities.Activity"] == generator.SIZES["small"].activities
    assert deleted["activities.HistoricalActivity"] == generator.SIZES["small"].activities
    assert database() == before
    assert not SyntheticLoad.objects.exists()
    assert generator.remove() == {}


def test_a_second_load_replaces_the_first():
    load(1)
    result = load(2)
    assert result.replaced is not None and result.replaced.seed == 1
    assert SyntheticLoad.objects.get().seed == 2
    assert Activity.objects.count() == generator.SIZES["small"].activities


def test_a_database_with_real_activities_is_refused_unless_forced(drammen):
    real = Activity.objects.create(title="Ekte prosjekt", activity_type="research_project")
    with pytest.raises(generator.SynthError, match="--force"):
        load()
    assert not SyntheticLoad.objects.exists()
    assert Activity.objects.count() == 1
    load(force=True)
    assert Activity.objects.count() == 1 + generator.SIZES["small"].activities
    generator.remove()
    assert list(Activity.objects.all()) == [real]


def test_a_dry_run_counts_and_writes_nothing():
    before = database(labels=GENERATED)
    result = load(dry_run=True)
    assert result.records["activities.Activity"] == generator.SIZES["small"].activities
    assert result.rows["activities.HistoricalActivity"] == generator.SIZES["small"].activities
    assert database(labels=GENERATED) == before
    assert not SyntheticLoad.objects.exists()


def test_without_the_bundled_themes_it_says_to_run_setup():
    from partnerships.models import Theme

    Theme.objects.all().delete()
    with pytest.raises(generator.SynthError, match="unikom setup"):
        load()
    assert not SyntheticLoad.objects.exists()
