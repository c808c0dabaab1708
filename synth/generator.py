"""Synthetic data at national scale: `unikom synth` and the benchmarks load it here.

On top of the reference data (every municipality, county and institution)
and the bundled dataset's themes, :func:`load` writes partnerships with
sensible members, people with affiliations, the partnerships' portfolios of
activities, research needs and meeting places — with Norwegian titles and
texts in inflected forms (synth.vocabulary), their history rows, and their
search documents — then records the load in :class:`synth.models.SyntheticLoad`
so that every page says the data is synthetic, and :func:`remove` can take
exactly these rows out again.

The same seed gives the same rows: each kind of record draws from its own
random stream (``Random("<seed>:activities")``), ids are taken in order from
the first free id of each table, and dates are counted from ``as_of`` (the
first of January of the current year unless given). Only the time stamps of
the load itself (``created``, ``updated``, the history dates) differ between
two runs.

Rows are written in batches of 5,000 through ``executemany`` (``COPY`` on
PostgreSQL; core.bulk), all in one transaction: a load that fails leaves
nothing behind.
"""

from __future__ import annotations

import bisect
import itertools
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone, translation

from activities.models import Activity, ActivityOrganisation, ActivityPerson, title_key
from core.bulk import Sink, history_model, next_id, purge, reset_sequences
from core.dates import local_today
from core.db import refresh_statistics
from core.text import slugify_nb
from events.models import Event
from needs.models import Need
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Affiliation, Organisation, Person
from organisations.refdata import RefdataError, has_refdata
from organisations.refdata import load_snapshot as load_refdata_snapshot
from partnerships.models import Agreement, Anchoring, Body, Membership, Partnership, Theme
from search import signals as search_signals
from search.models import SearchDocument

from . import vocabulary as words
from .index import Indexer, View
from .models import Scale, SyntheticLoad

OSLO = ZoneInfo("Europe/Oslo")
REASON = "Synthetic data (unikom synth, seed {seed})"
SOURCE_URL = "https://synthetic.example/partnerships/{slug}"
SLUG_PREFIX = "synth-"


@dataclass(frozen=True)
class Size:
    partnerships: int
    people: int
    activities: int
    needs: int
    events: int


SIZES: dict[str, Size] = {
    Scale.SMALL: Size(partnerships=20, people=300, activities=400, needs=150, events=80),
    Scale.NATIONAL: Size(
        partnerships=500, people=50_000, activities=200_000, needs=20_000, events=10_000
    ),
    Scale.X10: Size(
        partnerships=5_000, people=500_000, activities=2_000_000, needs=200_000, events=100_000
    ),
}

#: The records of a load, in the order they are written (and removed in reverse).
MODELS: list[type[models.Model]] = [
    Partnership,
    Membership,
    Anchoring,
    Agreement,
    Body,
    Person,
    Affiliation,
    Activity,
    ActivityOrganisation,
    ActivityPerson,
    Need,
    Event,
]
#: The kind of search document each indexed model gives.
DOCUMENT_KINDS = {
    "partnerships.Partnership": "partnership",
    "organisations.Person": "person",
    "activities.Activity": "activity",
    "needs.Need": "need",
    "events.Event": "event",
}
#: Records people enter; a database holding any that are not synthetic is refused.
USER_RECORDS = [Activity, Need, Event, Person]

Progress = Callable[[str, int, int], None]


class SynthError(Exception):
    """Why synthetic data cannot be loaded or removed; nothing was written."""


@dataclass
class Result:
    scale: str
    seed: int
    as_of: date
    dry_run: bool
    records: dict[str, int] = field(default_factory=dict)  # model label -> records
    rows: dict[str, int] = field(default_factory=dict)  # table (model label) -> rows written
    documents: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step
    replaced: SyntheticLoad | None = None
    loaded_refdata: bool = False  # the reference data snapshot was loaded first

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


def default_as_of(today: date | None = None) -> date:
    """Dates are counted from the first of January of this year: the same rows
    all year, with meeting places ahead and behind."""
    return date((today or local_today()).year, 1, 1)


# -- what is synthetic ------------------------------------------------------------------


def current() -> SyntheticLoad | None:
    """The synthetic set in the database, if any."""
    return SyntheticLoad.objects.order_by("-created", "-id").first()


def _ranges() -> dict[str, list[tuple[int, int]]]:
    ranges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for load_ in SyntheticLoad.objects.all():
        for label, (first, last) in load_.ranges.items():
            ranges[label].append((first, last))
    return ranges


def _in_ranges(spans: list[tuple[int, int]], name: str = "pk") -> Q:
    q = Q(pk__in=[])
    for first, last in spans:
        q |= Q(**{f"{name}__range": (first, last)})
    return q


def require_tables() -> None:
    """A database that was never migrated gets a sentence, not a traceback."""
    wanted = {SyntheticLoad._meta.db_table, Activity._meta.db_table, SearchDocument._meta.db_table}
    if not wanted <= set(connection.introspection.table_names()):
        raise SynthError("The database is not set up yet: run `unikom setup` first.")


def real_records() -> dict[str, int]:
    """Records of the kinds people enter that no synthetic load wrote, by model label."""
    ranges = _ranges()
    found = {}
    for model in USER_RECORDS:
        label = model._meta.label
        n = model._base_manager.exclude(_in_ranges(ranges.get(label, []))).count()
        if n:
            found[label] = n
    return found


# -- reference data ------------------------------------------------------------------------


@dataclass
class Reference:
    municipalities: list[Organisation]
    institutions: list[Organisation]
    other_partners: list[Organisation]
    themes: list[Theme]
    counties: dict[str, Organisation]
    by_slug: dict[str, Organisation]
    loaded_snapshot: bool = False  # the shipped reference data was loaded first


def reference(*, load_snapshot: bool = True) -> Reference:
    """The municipalities, institutions and themes synthetic records are built on.

    Without reference data the snapshot shipped with unikom is loaded first
    (``load_snapshot``); without themes (they come with the bundled dataset)
    nothing can be built.
    """

    loaded = False
    if not Theme.objects.exists():
        raise SynthError(
            "No themes: they come with the bundled dataset. Run `unikom setup` (or `unikom demo`) "
            "first."
        )
    if not has_refdata():
        if not load_snapshot:
            raise SynthError(
                "No reference data is loaded (municipalities, counties, institutions). "
                "Run `unikom setup` first."
            )
        try:
            load_refdata_snapshot()
            loaded = True
        except RefdataError as error:
            raise SynthError(
                f"No reference data is loaded and the shipped snapshot could not be: {error}"
            ) from error
    orgs = list(Organisation.objects.select_related("parent__parent").order_by("slug"))
    themes = list(Theme.objects.order_by("slug"))
    municipalities = sorted(
        (o for o in orgs if o.kind == OrganisationKind.MUNICIPALITY),
        key=lambda o: o.municipality_number,
    )
    institutions = [o for o in orgs if o.kind in KNOWLEDGE_KINDS]
    if not municipalities or not institutions:
        raise SynthError("The reference data has no municipalities or no institutions.")
    return Reference(
        municipalities=municipalities,
        institutions=institutions,
        other_partners=[o for o in orgs if o.slug in ("ks",) or o.kind == "health_trust"],
        themes=themes,
        counties={o.county_number: o for o in orgs if o.kind == OrganisationKind.COUNTY},
        by_slug={o.slug: o for o in orgs},
        loaded_snapshot=loaded,
    )


# -- small helpers ----------------------------------------------------------------------------


class Picker:
    """Weighted choice from a fixed list, in O(log n) per draw."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


def stream(seed: int, name: str) -> random.Random:
    """The random stream of one kind of record: the same for the same seed."""
    return random.Random(f"{seed}:{name}")  # noqa: S311 - repeatable variety, not secrets


def _weighted(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    r = rng.random() * sum(w for _v, w in table)
    for value, weight in table:
        r -= weight
        if r < 0:
            return value
    return table[-1][0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Link(NamedTuple):
    """A related row as the search builders read it (``.organisation``)."""

    organisation: Organisation


class AffiliationView(NamedTuple):
    title: str
    unit: str
    organisation: Organisation


@dataclass
class SynthPartnership:
    instance: Partnership
    kind: str
    municipalities: list[Organisation]  # current members, lead first
    institutions: list[Organisation]
    themes: list[Theme]
    county: Organisation | None


# -- the generator ------------------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        ref: Reference,
        size: Size,
        seed: int,
        as_of: date,
        sink: Sink,
        indexer: Indexer | None,
        progress: Progress | None,
    ) -> None:
        self.ref = ref
        self.size = size
        self.seed = seed
        self.as_of = as_of
        self.sink = sink
        self.indexer = indexer
        self.say = progress or (lambda phase, done, total: None)
        self.ids: dict[str, int] = {}
        self.first: dict[str, int] = {}
        self.records: dict[str, int] = defaultdict(int)
        self.partnerships: list[SynthPartnership] = []
        self.people_at: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.people_of: dict[str, list[int]] = defaultdict(list)
        self.activities_of: dict[int, list[int]] = defaultdict(list)
        self.seconds: dict[str, float] = {}  # time taken per kind of record
        county_of = {}
        for m in ref.municipalities:
            county_of[m.pk] = m.parent.county_number if m.parent_id else ""
        self.county_of = county_of
        self.municipality_picker = Picker(
            ref.municipalities, [max(m.population or 1000, 500) ** 0.5 for m in ref.municipalities]
        )
        weights = {
            OrganisationKind.UNIVERSITY: 40,
            OrganisationKind.UNIVERSITY_COLLEGE: 12,
            OrganisationKind.RESEARCH_INSTITUTE: 6,
            OrganisationKind.HEALTH_TRUST: 10,
        }
        self.institution_picker = Picker(
            ref.institutions, [weights.get(o.kind, 5) for o in ref.institutions]
        )

    # ids and rows --------------------------------------------------------------------------

    def new_id(self, model: type[models.Model], *, record: bool = True) -> int:
        """The next id of ``model``'s table; ``record``: count it as a record
        (not for the rows linking two records)."""
        label = model._meta.label
        if label not in self.ids:
            self.ids[label] = self.first[label] = next_id(model)
        value = self.ids[label]
        self.ids[label] += 1
        if record:
            self.records[label] += 1
        return value

    def link(self, table, **values) -> None:
        """A many-to-many row, with its own id so that two loads match row for row."""
        table.add({"id": self.new_id(table.model, record=False), **values})

    def ranges(self) -> dict[str, list[int]]:
        return {label: [self.first[label], self.ids[label] - 1] for label in self.ids}

    def index(self, kind: str, record: Any) -> None:
        if self.indexer is not None:
            self.indexer.add(kind, record)

    def run(self) -> None:
        for name, build in (
            ("partnerships", self.build_partnerships),
            ("people", self.build_people),
            ("activities", self.build_activities),
            ("needs", self.build_needs),
            ("events", self.build_events),
        ):
            started = time.perf_counter()
            build()
            self.sink.flush()
            self.seconds[name] = time.perf_counter() - started

    # text ------------------------------------------------------------------------------------

    def vocabulary(self, theme: Theme) -> words.Theme:
        return words.THEMES.get(theme.slug, words.GENERIC)

    def text_values(
        self, rng: random.Random, theme: Theme, municipality: Organisation, institution
    ) -> dict[str, Any]:
        vocab = self.vocabulary(theme)
        place, group, thing = (rng.choice(n) for n in (vocab.places, vocab.people, vocab.things))
        t, t2 = rng.sample(vocab.topics, 2)
        county = municipality.parent.name if municipality.parent_id else municipality.name
        return {
            "p": place,
            "P": _cap(place.sg_def),
            "g": group,
            "G": _cap(group.pl_def),
            "x": thing,
            "t": t,
            "T": _cap(t),
            "t2": t2,
            "m": municipality.name,
            "m2": self.municipality_picker(rng).name,
            "inst": institution.name if institution else "forskerne",
            "county": county,
            "k": rng.randint(3, 40),
            "y": rng.randint(2, 4),
        }

    @staticmethod
    def sentences(rng: random.Random, pool: tuple[str, ...], low: int, high: int, values) -> str:
        return " ".join(s.format(**values) for s in rng.sample(pool, rng.randint(low, high)))

    # partnerships ----------------------------------------------------------------------------

    def regional_institutions(self, county: str) -> list[Organisation]:
        slugs = words.REGIONAL_INSTITUTIONS.get(county, ())
        found = [self.ref.by_slug[s] for s in slugs if s in self.ref.by_slug]
        return found or [o for o in self.ref.institutions if o.kind == OrganisationKind.UNIVERSITY]

    def build_partnerships(self) -> None:
        """Partnerships with their members, anchoring, agreement and bodies, then the
        weights by which activities, needs and events pick one."""
        rng = stream(self.seed, "partnerships")
        sink = self.sink
        partnerships = sink.table(Partnership)
        memberships = sink.table(Membership)
        anchorings = sink.table(Anchoring)
        agreements = sink.table(Agreement)
        bodies = sink.table(Body)
        themes_of = sink.table(Partnership.themes.through, history=False)
        by_county = self.municipalities_by_county()
        cluster_leads = self.cluster_lead_picker(by_county)
        names: set[str] = set()
        slugs: set[str] = set(Partnership._base_manager.values_list("slug", flat=True))
        total = self.size.partnerships
        for i in range(total):
            kind = _weighted(rng, (("bilateral", 4), ("multilateral", 2), ("cluster", 4)))
            lead = (cluster_leads if kind == "cluster" else self.municipality_picker)(rng)
            county = self.county_of[lead.pk]
            regional = self.regional_institutions(county)
            members = self.partnership_municipalities(rng, kind, lead, by_county[county])
            institutions = self.partnership_institutions(rng, kind, regional)
            others = self.other_partners(rng, kind, institutions)
            chosen_themes = self.partnership_themes(rng)
            values = self.text_values(rng, chosen_themes[0], lead, institutions[0])
            values["inst"] = institutions[0].short_name or institutions[0].name
            name = self.partnership_name(rng, kind, values, chosen_themes[0], names)
            slug = self.partnership_slug(name, slugs)
            row = self.partnership_row(
                rng, kind, name, slug, dict(values, inst=institutions[0].name)
            )
            partnerships.add(row)
            instance = Partnership(
                **{k: v for k, v in row.items() if k not in ("coordinator_fte",)}
            )
            for theme in chosen_themes:
                self.link(themes_of, partnership_id=row["id"], theme_id=theme.pk)
            agreement = row["agreement_year"]
            since = date(agreement or row["roots_year"], 1, 1)
            member_rows = self.member_rows(
                rng, kind, members, institutions, others, since, by_county[county]
            )
            self.add_memberships(memberships, row["id"], member_rows)
            self.anchor(rng, anchorings, row["id"], lead, institutions[0], agreement)
            self.add_agreement(rng, agreements, row["id"], lead, institutions[0], agreement)
            self.add_bodies(rng, bodies, row["id"])
            synth = SynthPartnership(
                instance=instance,
                kind=kind,
                municipalities=members,
                institutions=institutions,
                themes=chosen_themes,
                county=lead.parent,
            )
            self.partnerships.append(synth)
            self.index_partnership(instance, member_rows, chosen_themes)
            if (i + 1) % 50 == 0 or i + 1 == total:
                self.say("partnerships", i + 1, total)
        weights = [rng.lognormvariate(0, 1) for _ in self.partnerships]
        self.partnership_picker = Picker(self.partnerships, weights) if self.partnerships else None

    def municipalities_by_county(self) -> dict[str, list[Organisation]]:
        """Every municipality, grouped by its county's number ("" for none)."""
        by_county: dict[str, list[Organisation]] = defaultdict(list)
        for m in self.ref.municipalities:
            by_county[self.county_of[m.pk]].append(m)
        return by_county

    def cluster_lead_picker(self, by_county: dict[str, list[Organisation]]) -> Picker:
        """Leads for clusters: municipalities in a county of at least three, by population."""
        leads = [m for m in self.ref.municipalities if len(by_county[self.county_of[m.pk]]) >= 3]
        return Picker(leads, [max(m.population or 1000, 500) ** 0.5 for m in leads])

    def partnership_municipalities(
        self, rng: random.Random, kind: str, lead: Organisation, neighbours: list[Organisation]
    ) -> list[Organisation]:
        """The member municipalities, lead first, the others from the lead's county."""
        members = [lead]
        if kind == "cluster":
            others = [m for m in neighbours if m.pk != lead.pk]
            members += rng.sample(others, min(len(others), rng.randint(2, 8)))
        elif kind == "multilateral" and rng.random() < 0.4:
            others = [m for m in neighbours if m.pk != lead.pk]
            if others:
                members.append(rng.choice(others))
        return members

    def partnership_institutions(
        self, rng: random.Random, kind: str, regional: list[Organisation]
    ) -> list[Organisation]:
        """The academic partners: mostly the region's, a multilateral one from anywhere too."""
        if kind == "bilateral":
            return [rng.choice(regional)]
        if kind == "multilateral":
            pool = regional + [self.institution_picker(rng) for _ in range(3)]
            return list(dict.fromkeys(rng.sample(pool, min(len(pool), 3))))
        return list(dict.fromkeys(rng.sample(regional, min(len(regional), rng.randint(1, 2)))))

    def other_partners(
        self, rng: random.Random, kind: str, institutions: list[Organisation]
    ) -> list[Organisation]:
        """Now and then a partner of a cluster that is neither municipality nor academic."""
        others = []
        if kind == "cluster" and self.ref.other_partners and rng.random() < 0.3:
            others = [rng.choice(self.ref.other_partners)]
        return [o for o in others if o not in institutions]

    def partnership_themes(self, rng: random.Random) -> list[Theme]:
        """One to three themes, ordered by slug."""
        count = min(len(self.ref.themes), rng.randint(1, 3))
        return sorted(rng.sample(self.ref.themes, count), key=lambda t: t.slug)

    @staticmethod
    def partnership_name(
        rng: random.Random, kind: str, values: dict[str, Any], theme: Theme, names: set[str]
    ) -> str:
        """A name not in ``names`` (then added to it): by theme, else numbered."""
        name = rng.choice(words.PARTNERSHIP_NAMES[kind]).format(**values)
        if name in names:  # a big municipality in several: tell them apart by theme
            name = f"{name} – {theme.name.lower()}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        names.add(name)
        return name

    @staticmethod
    def partnership_slug(name: str, slugs: set[str]) -> str:
        """A slug of ``name`` not in ``slugs`` (then added to it), numbered if need be."""
        slug = (SLUG_PREFIX + slugify_nb(name))[:110]
        base_slug, n = slug, 2
        while slug in slugs:
            slug, n = f"{base_slug}-{n}", n + 1
        slugs.add(slug)
        return slug

    def partnership_row(
        self, rng: random.Random, kind: str, name: str, slug: str, values: dict[str, Any]
    ) -> dict[str, Any]:
        """The partnership's row: its years, status and texts (``values``: text_values)."""
        this_year = self.as_of.year
        roots = rng.randint(1995, this_year - 1)
        agreement = None if rng.random() < 0.15 else min(this_year, roots + rng.randint(0, 6))
        status = _weighted(rng, (("active", 85), ("pilot", 8), ("ended", 7)))
        return {
            "id": self.new_id(Partnership),
            "slug": slug,
            "name": name,
            "aliases": [],
            "kind": kind,
            "maturity": _weighted(rng, (("", 4), ("1.0", 2), ("2.0", 3), ("3.0", 1))),
            "initiative": _weighted(
                rng,
                (
                    ("", 2),
                    ("municipality_political", 2),
                    ("municipality_administrative", 3),
                    ("academia", 1),
                    ("mutual", 3),
                ),
            ),
            "initiative_note": "",
            "status": status,
            "status_as_of": this_year - rng.randint(0, 2),
            # Not from the compilation: no vintage to state.
            "facts_as_of": None,
            "roots_year": roots,
            "roots_year_to": None,
            "roots_text": "",
            "roots_note": "",
            "agreement_year": agreement,
            "agreement_year_to": None,
            "agreement_text": "",
            "agreement_note": "",
            "summary": " ".join(s.format(**values) for s in words.PARTNERSHIP_SUMMARY[:2]),
            "purpose": words.PARTNERSHIP_SUMMARY[2].format(**values),
            "focus_areas": [values["t"], values["t2"]],
            "stated_municipality_count": None,
            "member_note": "",
            "reported_population": None,
            "population_note": "",
            "coordinator_fte": (
                None if rng.random() < 0.3 else Decimal(rng.choice((25, 50, 100, 150))) / 100
            ),
            "coordinator_note": "",
            "funding_note": "",
            "organisation_note": "",
            "lead_note": "",
            "source_url": SOURCE_URL.format(slug=slug),
        }

    def member_rows(
        self,
        rng: random.Random,
        kind: str,
        members: list[Organisation],
        institutions: list[Organisation],
        others: list[Organisation],
        since: date,
        neighbours: list[Organisation],
    ) -> list[tuple[Organisation, str, date, date | None]]:
        """The memberships as (organisation, role, valid from, valid to): the lead, member
        municipalities, academic and other partners, now and then a former member."""
        has_lead = kind != "multilateral" or rng.random() < 0.5
        rows = []
        for j, org in enumerate(members):
            role = "lead" if j == 0 and has_lead else "member_municipality"
            rows.append((org, role, since, None))
        rows += [(o, "academic_partner", since, None) for o in institutions]
        rows += [(o, "other_partner", since, None) for o in others]
        room = (self.as_of - since).days
        if kind == "cluster" and room > 365 and rng.random() < 0.1:
            former = [m for m in neighbours if m not in members]
            if former:
                left = since + timedelta(days=rng.randint(365, min(3 * 365, room)))
                rows.append((rng.choice(former), "member_municipality", since, left))
        return rows

    def add_memberships(self, table, partnership_id: int, member_rows) -> None:
        """One membership row per (organisation, role, valid from, valid to)."""
        for org, role, valid_from, valid_to in member_rows:
            table.add(
                {
                    "id": self.new_id(Membership),
                    "partnership_id": partnership_id,
                    "organisation_id": org.pk,
                    "role": role,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "note": "",
                    "hosts_campus": None,
                    "source_url": "",
                }
            )

    def add_agreement(self, rng, table, partnership_id, lead, institution, year) -> None:
        """Most partnerships with an agreement year: the framework agreement signed then."""
        if year and rng.random() < 0.85:
            table.add(
                {
                    "id": self.new_id(Agreement),
                    "partnership_id": partnership_id,
                    "title": f"Samarbeidsavtale mellom {lead.name} og {institution.name}",
                    "kind": "framework",
                    "signed_year": year,
                    "signed_date": None,
                    "valid_from_year": year,
                    "valid_to_year": year + rng.choice((3, 4, 5)),
                    "signed_by": "Kommunedirektøren og rektor",
                    "note": "",
                    "source_url": "",
                }
            )

    def add_bodies(self, rng: random.Random, table, partnership_id: int) -> None:
        """A steering group (most), a secretariat, a professional group (some)."""
        for body_kind, body_name, p in (
            ("steering_group", "Styringsgruppe", 0.9),
            ("secretariat", "Sekretariat", 0.5),
            ("professional_group", "Faggruppe", 0.3),
        ):
            if rng.random() < p:
                table.add(
                    {
                        "id": self.new_id(Body),
                        "partnership_id": partnership_id,
                        "name": body_name,
                        "kind": body_kind,
                        "composition": "",
                        "meetings_per_year": rng.randint(2, 8),
                        "source_url": "",
                    }
                )

    def index_partnership(self, instance: Partnership, member_rows, themes: list[Theme]) -> None:
        """The partnership's search document, its members as the search app reads them:
        ordered by role, then name."""
        in_order = sorted(member_rows, key=lambda m: (m[1], m[0].name))
        self.index(
            "partnership",
            View(
                instance,
                memberships=[Link(o) for o, _r, _f, _t in in_order],
                themes=sorted(themes, key=lambda t: t.name),
            ),
        )

    def anchor(self, rng, table, partnership_id, lead, institution, year) -> None:
        plan = [
            (lead, "political", "decision", "Kommunestyret", 0.7),
            (lead, "administrative_top", "signed_agreement", "Kommunedirektøren", 0.6),
            (lead, "sector_management", "body_membership", "Styringsgruppen", 0.4),
            (lead, "service_level", "statement", "", 0.3),
            (institution, "rectorate", "signed_agreement", "Rektoratet", 0.7),
            (institution, "faculty", "body_membership", "Styringsgruppen", 0.5),
            (institution, "institute", "statement", "", 0.3),
            (institution, "board", "decision", "Styret", 0.1),
        ]
        for org, level, evidence, body, p in plan:
            if rng.random() < p:
                table.add(
                    {
                        "id": self.new_id(Anchoring),
                        "partnership_id": partnership_id,
                        "organisation_id": org.pk,
                        "party_label": "",
                        "level": level,
                        "absent": False,
                        "evidence": evidence,
                        "body": body,
                        "year": year,
                        "description": "",
                        "source_url": "",
                    }
                )

    # people ------------------------------------------------------------------------------------

    def build_people(self) -> None:
        rng = stream(self.seed, "people")
        people = self.sink.table(Person)
        affiliations = self.sink.table(Affiliation)
        in_partnership = {m.pk for p in self.partnerships for m in p.municipalities}
        municipal = Picker(
            self.ref.municipalities,
            [
                max(m.population or 1000, 500) ** 0.5 * (3 if m.pk in in_partnership else 1)
                for m in self.ref.municipalities
            ],
        )
        total = self.size.people
        for i in range(total):
            first = rng.choice(words.FIRST_NAMES)
            if rng.random() < 0.15:
                first = f"{first} {rng.choice(words.FIRST_NAMES)}"
            name = f"{first} {rng.choice(words.LAST_NAMES)}"
            group = _weighted(rng, (("municipal", 55), ("academic", 35), ("student", 10)))
            org = municipal(rng) if group == "municipal" else self.institution_picker(rng)
            person_id = self.new_id(Person)
            email_name = slugify_nb(name).replace("-", ".")
            row = {
                "id": person_id,
                "public_id": _uuid(rng),
                "name": name,
                "orcid": None,
                "email": f"{email_name}@{org.slug}.example",
                "phone": "",
                "contact_public": rng.random() < 0.25,
                "is_public": rng.random() < 0.92,
                "user_id": None,
            }
            people.add(row)
            started = self.as_of - timedelta(days=rng.randint(30, 20 * 365))
            posts = [(org, group, started, None)]
            if group == "municipal" and rng.random() < 0.1:
                regional = self.regional_institutions(self.county_of.get(org.pk, ""))
                posts.append((rng.choice(regional), "dual", started + timedelta(days=200), None))
            if rng.random() < 0.08:
                earlier = municipal(rng) if group == "municipal" else self.institution_picker(rng)
                posts.append(
                    (earlier, group, started - timedelta(days=rng.randint(400, 3000)), started)
                )
            views = []
            for post_org, post_group, valid_from, valid_to in posts:
                if post_group == "municipal":
                    title = rng.choice(words.MUNICIPAL_TITLES)
                    unit = rng.choice(words.MUNICIPAL_UNITS)
                elif post_group == "student":
                    title = rng.choice(words.STUDENT_TITLES)
                    unit = rng.choice(words.ACADEMIC_UNITS)
                elif post_group == "dual":
                    title = rng.choice(("professor II", "førsteamanuensis II"))
                    unit = rng.choice(words.ACADEMIC_UNITS)
                else:
                    title = rng.choice(words.ACADEMIC_TITLES)
                    unit = rng.choice(words.ACADEMIC_UNITS)
                affiliations.add(
                    {
                        "id": self.new_id(Affiliation),
                        "person_id": person_id,
                        "organisation_id": post_org.pk,
                        "title": title,
                        "unit": unit,
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                    }
                )
                views.append((valid_from, AffiliationView(title, unit, post_org)))
                if valid_to is None:
                    role = "academic" if post_group == "dual" else post_group
                    self.people_at[(role, post_org.pk)].append(person_id)
                    self.people_of[role].append(person_id)
            if row["is_public"]:
                instance = Person(id=person_id, public_id=row["public_id"], name=name, orcid=None)
                views.sort(key=lambda v: v[0], reverse=True)
                self.index("person", View(instance, affiliations=[v for _d, v in views]))
            if (i + 1) % 1000 == 0 or i + 1 == total:
                self.say("people", i + 1, total)

    def person(self, rng: random.Random, role: str, org: Organisation | None) -> int | None:
        """Someone of ``role`` (municipal, academic, student) at ``org``, else anywhere."""
        pool = self.people_at.get((role, org.pk)) if org is not None else None
        pool = pool or self.people_of.get(role)
        return rng.choice(pool) if pool else None

    # activities --------------------------------------------------------------------------------

    TYPES = (
        ("research_project", 25),
        ("student_thesis", 30),
        ("public_sector_phd", 5),
        ("phd", 5),
        ("continuing_education", 10),
        ("innovation_project", 10),
        ("knowledge_summary", 5),
        ("network", 5),
        ("placement", 5),
    )
    DURATION_DAYS = {
        "research_project": (365, 5 * 365),
        "student_thesis": (120, 365),
        "public_sector_phd": (3 * 365, 4 * 365),
        "phd": (3 * 365, 4 * 365),
        "continuing_education": (180, 2 * 365),
        "innovation_project": (365, 3 * 365),
        "knowledge_summary": (90, 365),
        "network": (2 * 365, 6 * 365),
        "placement": (30, 180),
    }

    def pick_partnership(self, rng: random.Random) -> SynthPartnership | None:
        return self.partnership_picker(rng) if self.partnership_picker else None

    def build_activities(self) -> None:
        """Activities with their partnerships, themes, organisations and people."""
        rng = stream(self.seed, "activities")
        sink = self.sink
        activities = sink.table(Activity)
        roles = sink.table(ActivityOrganisation)
        people = sink.table(ActivityPerson)
        in_partnerships = sink.table(Activity.partnerships.through, history=False)
        themes_of = sink.table(Activity.themes.through, history=False)
        ks = self.ref.by_slug.get("ks")
        total = self.size.activities
        for i in range(total):
            p, linked = self.activity_partnerships(rng)
            municipality, institution, theme = self.activity_parties(rng, p)
            themes = self.activity_themes(rng, theme)
            kind = _weighted(rng, self.TYPES)
            values = self.text_values(rng, theme, municipality, institution)
            level, title = self.activity_title(rng, kind, values)
            summary = self.sentences(rng, words.SUMMARY_SENTENCES, 2, 4, values)
            start, end, status = self.activity_dates(rng, kind)
            funding_source, funding_amount = self.activity_funding(rng, kind)
            professional = self.professional_owner(rng, municipality, institution)
            strategic = self.strategic_owner(rng, municipality, institution)
            activity_id = self.new_id(Activity)
            title = title[:250]
            row = {
                "id": activity_id,
                "public_id": _uuid(rng),
                "title": title,
                "title_key": title_key(title),
                "summary": summary,
                "activity_type": kind,
                "thesis_level": level,
                "status": status,
                "start_date": start,
                "end_date": end,
                "funding_source": funding_source,
                "funding_amount": funding_amount,
                "cristin_project_id": "",
                "nfr_project_number": "",
                "professional_owner_id": professional[0].pk,
                "professional_owner_level": professional[1],
                "strategic_owner_id": strategic[0].pk if strategic[0] else None,
                "strategic_owner_level": strategic[1],
                "is_public": rng.random() < 0.95,
                "version": 1,
                "deleted_at": None,
                "deleted_by_id": None,
            }
            activities.add(row)
            for partnership in linked:
                self.link(
                    in_partnerships, activity_id=activity_id, partnership_id=partnership.instance.pk
                )
                self.activities_of[partnership.instance.pk].append(activity_id)
            for t in themes:
                self.link(themes_of, activity_id=activity_id, theme_id=t.pk)
            funder = ks if funding_source == "KS" else None
            org_roles = self.activity_organisations(rng, p, municipality, institution, funder)
            self.add_activity_organisations(roles, activity_id, org_roles)
            self.add_activity_people(rng, people, activity_id, kind, municipality, institution)
            if row["is_public"]:
                self.index_activity(row, org_roles, themes, linked)
            if (i + 1) % 2000 == 0 or i + 1 == total:
                self.say("activities", i + 1, total)

    def activity_partnerships(
        self, rng: random.Random
    ) -> tuple[SynthPartnership | None, list[SynthPartnership]]:
        """The activity's partnership (most have one), and all it belongs to (now and then
        a second)."""
        p = self.pick_partnership(rng) if rng.random() < 0.95 else None
        linked = [p] if p else []
        if p and rng.random() < 0.08:
            other = self.pick_partnership(rng)
            if other is not p:
                linked.append(other)
        return p, linked

    def activity_parties(
        self, rng: random.Random, p: SynthPartnership | None
    ) -> tuple[Organisation, Organisation, Theme]:
        """Its municipality, institution and main theme: the partnership's, else anyone's."""
        if p:
            municipality = rng.choice(p.municipalities)
            institution = rng.choice(p.institutions)
            theme = rng.choice(p.themes) if rng.random() < 0.7 else rng.choice(self.ref.themes)
        else:
            municipality = self.municipality_picker(rng)
            institution = rng.choice(
                self.regional_institutions(self.county_of.get(municipality.pk, ""))
            )
            theme = rng.choice(self.ref.themes)
        return municipality, institution, theme

    def activity_themes(self, rng: random.Random, theme: Theme) -> list[Theme]:
        """The main theme, now and then a second."""
        themes = [theme]
        if rng.random() < 0.3:
            second = rng.choice(self.ref.themes)
            if second is not theme:
                themes.append(second)
        return themes

    @staticmethod
    def activity_title(rng: random.Random, kind: str, values: dict[str, Any]) -> tuple[str, str]:
        """The thesis level (a student thesis's, else "") and the title."""
        level = _weighted(rng, (("master", 6), ("bachelor", 4))) if kind == "student_thesis" else ""
        if kind in words.TYPE_TITLES:
            title = rng.choice(words.TYPE_TITLES[kind]).format(**values)
        else:
            prefixes = words.TITLE_PREFIXES.get(level or kind, ("",))
            title = rng.choice(prefixes) + rng.choice(words.ACTIVITY_TITLES).format(**values)
        return level, title

    def activity_dates(self, rng: random.Random, kind: str) -> tuple[date | None, date | None, str]:
        """Start, end (a few have neither, some networks no end) and the status they give."""
        start = end = None
        if rng.random() >= 0.04:
            start = self.as_of + timedelta(days=rng.randint(-8 * 365, 365))
            low, high = self.DURATION_DAYS[kind]
            if not (kind == "network" and rng.random() < 0.4):
                end = start + timedelta(days=rng.randint(low, high))
        if start and start > self.as_of:
            status = "planned"
        elif end and end < self.as_of:
            status = "completed" if rng.random() < 0.92 else "stopped"
        else:
            status = "ongoing"
        return start, end, status

    @staticmethod
    def activity_funding(rng: random.Random, kind: str) -> tuple[str, Decimal | None]:
        """Source and amount: most projects and PhDs are funded, and for more."""
        funding_source, funding_amount = "", None
        if kind in ("research_project", "innovation_project", "phd", "public_sector_phd"):
            if rng.random() < 0.7:
                funding_source = rng.choice(words.FUNDING_SOURCES)
                funding_amount = Decimal(rng.randint(50, 2500) * 10_000)
        elif rng.random() < 0.3:
            funding_source = rng.choice(words.FUNDING_SOURCES)
            funding_amount = Decimal(rng.randint(5, 50) * 10_000)
        return funding_source, funding_amount

    @staticmethod
    def professional_owner(
        rng: random.Random, municipality: Organisation, institution: Organisation
    ) -> tuple[Organisation, str]:
        """The professional owner and its level: the municipality, else the institution."""
        if rng.random() < 0.6:
            return (
                municipality,
                _weighted(rng, (("service_level", 6), ("sector_management", 4))),
            )
        return (
            institution,
            _weighted(rng, (("research_group", 5), ("institute", 3), ("faculty", 2))),
        )

    @staticmethod
    def strategic_owner(
        rng: random.Random, municipality: Organisation, institution: Organisation
    ) -> tuple[Organisation | None, str]:
        """The strategic owner and its level: mostly the municipality, a few have none."""
        r = rng.random()
        if r < 0.65:
            return (
                municipality,
                _weighted(
                    rng,
                    (("administrative_top", 50), ("sector_management", 35), ("political", 15)),
                ),
            )
        if r < 0.75:
            return (institution, _weighted(rng, (("faculty", 6), ("rectorate", 4))))
        return (None, "")

    @staticmethod
    def activity_organisations(
        rng: random.Random,
        p: SynthPartnership | None,
        municipality: Organisation,
        institution: Organisation,
        funder: Organisation | None,
    ) -> list[tuple[Organisation, str]]:
        """(organisation, role): the owner, the partners (now and then a second municipality
        of the partnership) and the funder if given."""
        org_roles = [(municipality, "owner"), (institution, "partner")]
        if p and len(p.municipalities) > 1 and rng.random() < 0.25:
            second = rng.choice(p.municipalities)
            if second is not municipality:
                org_roles.append((second, "partner"))
        if funder is not None:
            org_roles.append((funder, "funder"))
        return org_roles

    def add_activity_organisations(self, table, activity_id: int, org_roles) -> None:
        """One row per (organisation, role)."""
        for org, role in org_roles:
            table.add(
                {
                    "id": self.new_id(ActivityOrganisation),
                    "activity_id": activity_id,
                    "organisation_id": org.pk,
                    "role": role,
                }
            )

    def add_activity_people(
        self, rng: random.Random, table, activity_id: int, kind: str, municipality, institution
    ) -> None:
        """The activity's people (activity_people), one row each."""
        for person_id, role in self.activity_people(rng, kind, municipality, institution):
            table.add(
                {
                    "id": self.new_id(ActivityPerson),
                    "activity_id": activity_id,
                    "person_id": person_id,
                    "role": role,
                }
            )

    def index_activity(self, row: dict[str, Any], org_roles, themes, linked) -> None:
        """The activity's search document, its organisations ordered by role, then name."""
        instance = Activity(
            id=row["id"],
            public_id=row["public_id"],
            title=row["title"],
            summary=row["summary"],
            activity_type=row["activity_type"],
            status=row["status"],
            start_date=row["start_date"],
        )
        self.index(
            "activity",
            View(
                instance,
                organisation_roles=[
                    Link(o) for o, _r in sorted(org_roles, key=lambda x: (x[1], x[0].name))
                ],
                themes=sorted(themes, key=lambda t: t.name),
                partnerships=sorted((lp.instance for lp in linked), key=lambda x: x.name),
            ),
        )

    def activity_people(self, rng, kind, municipality, institution) -> list[tuple[int, str]]:
        wanted: list[tuple[str, str, Organisation]] = []
        if kind == "student_thesis":
            wanted += [("student", "student", institution), ("supervisor", "academic", institution)]
            if rng.random() < 0.4:
                wanted.append(("contact", "municipal", municipality))
        elif kind in ("phd", "public_sector_phd"):
            student_group = "municipal" if kind == "public_sector_phd" else "academic"
            student_org = municipality if kind == "public_sector_phd" else institution
            wanted += [
                ("student", student_group, student_org),
                ("supervisor", "academic", institution),
            ]
        else:
            if rng.random() < 0.7:
                wanted.append(("project_leader", "academic", institution))
            if rng.random() < 0.6:
                wanted.append(("contact", "municipal", municipality))
        chosen: list[tuple[int, str]] = []
        for role, group, org in wanted:
            person_id = self.person(rng, group, org)
            if person_id is not None and (person_id, role) not in chosen:
                chosen.append((person_id, role))
        return chosen

    # needs -------------------------------------------------------------------------------------

    def build_needs(self) -> None:
        rng = stream(self.seed, "needs")
        needs = self.sink.table(Need)
        led_to = self.sink.table(Need.led_to.through, history=False)
        suited = ("thesis", "project", "phd", "innovation", "knowledge_summary")
        total = self.size.needs
        now = self.sink.now
        for i in range(total):
            p = self.pick_partnership(rng) if rng.random() < 0.8 else None
            if p:
                org = rng.choice(p.municipalities)
                theme = rng.choice(p.themes)
                institution = rng.choice(p.institutions)
            else:
                org = self.municipality_picker(rng)
                theme = rng.choice(self.ref.themes)
                institution = None
            values = self.text_values(rng, theme, org, institution)
            service_area = theme if rng.random() < 0.9 else None
            status = _weighted(
                rng, (("open", 45), ("in_dialogue", 15), ("matched", 25), ("closed", 15))
            )
            chosen = set(rng.sample(suited, rng.randint(1, 3)))
            need_id = self.new_id(Need)
            row = {
                "id": need_id,
                "public_id": _uuid(rng),
                "title": rng.choice(words.NEED_TITLES).format(**values)[:250],
                "description": self.sentences(rng, words.NEED_SENTENCES, 3, 4, values),
                "service_area_id": service_area.pk if service_area else None,
                "suited_for": [s for s in suited if s in chosen],
                "organisation_id": org.pk,
                "partnership_id": p.instance.pk if p else None,
                "contact_id": self.person(rng, "municipal", org) if rng.random() < 0.7 else None,
                "deadline": (
                    self.as_of + timedelta(days=rng.randint(-365, 365))
                    if rng.random() < 0.8
                    else None
                ),
                "status": status,
                "is_public": rng.random() < 0.95,
                "version": 1,
                "deleted_at": None,
                "deleted_by_id": None,
            }
            needs.add(row)
            if p and status in ("matched", "closed") and rng.random() < 0.5:
                candidates = self.activities_of.get(p.instance.pk)
                if candidates:
                    for activity_id in sorted(set(rng.sample(candidates, min(2, len(candidates))))):
                        self.link(led_to, need_id=need_id, activity_id=activity_id)
            if row["is_public"]:
                self.index(
                    "need",
                    View(
                        Need(
                            id=need_id,
                            public_id=row["public_id"],
                            title=row["title"],
                            description=row["description"],
                            status=status,
                            created=now,
                            service_area=service_area,
                            partnership=p.instance if p else None,
                            organisation=org,
                        )
                    ),
                )
            if (i + 1) % 1000 == 0 or i + 1 == total:
                self.say("needs", i + 1, total)

    # events ------------------------------------------------------------------------------------

    def build_events(self) -> None:
        rng = stream(self.seed, "events")
        events = self.sink.table(Event)
        themes_of = self.sink.table(Event.themes.through, history=False)
        total = self.size.events
        for i in range(total):
            p = self.pick_partnership(rng) if rng.random() < 0.85 else None
            if p:
                municipality = rng.choice(p.municipalities)
                institution = rng.choice(p.institutions)
                theme = rng.choice(p.themes)
            else:
                municipality = self.municipality_picker(rng)
                institution = self.institution_picker(rng)
                theme = rng.choice(self.ref.themes)
            organiser = municipality if rng.random() < 0.6 else institution
            kind = _weighted(
                rng,
                (
                    ("conference", 10),
                    ("dialogue_meeting", 25),
                    ("network_meeting", 25),
                    ("seminar", 30),
                    ("course", 10),
                ),
            )
            values = self.text_values(rng, theme, municipality, institution)
            day = self.as_of + timedelta(days=rng.randint(-730, 730))
            starts = datetime(day.year, day.month, day.day, rng.randint(8, 14), tzinfo=OSLO)
            if kind == "conference":
                ends = (starts + timedelta(days=rng.randint(0, 1))).replace(hour=16)
            else:
                ends = starts + timedelta(hours=rng.randint(1, 4))
            public_id = _uuid(rng)
            where = rng.random()
            location = (
                ""
                if where < 0.2
                else (
                    f"Rådhuset i {municipality.name}"
                    if organiser is municipality
                    else f"{institution.name}, campus"
                )
            )
            online = f"https://meet.example/{public_id.hex[:12]}" if where < 0.5 else ""
            chosen = [theme]
            if rng.random() < 0.3:
                second = rng.choice(self.ref.themes)
                if second is not theme:
                    chosen.append(second)
            event_id = self.new_id(Event)
            row = {
                "id": event_id,
                "public_id": public_id,
                "title": rng.choice(words.EVENT_TITLES[kind]).format(**values)[:250],
                "kind": kind,
                "starts_at": starts,
                "ends_at": ends,
                "location": location,
                "online_url": online,
                "organiser_id": organiser.pk,
                "partnership_id": p.instance.pk if p else None,
                "description": self.sentences(rng, words.EVENT_SENTENCES, 2, 3, values),
                "is_public": rng.random() < 0.95,
                "sequence": 0,
                "version": 1,
                "deleted_at": None,
                "deleted_by_id": None,
            }
            events.add(row)
            for t in chosen:
                self.link(themes_of, event_id=event_id, theme_id=t.pk)
            if row["is_public"]:
                instance = Event(
                    id=event_id,
                    public_id=public_id,
                    title=row["title"],
                    starts_at=starts.astimezone(UTC),
                    description=row["description"],
                    location=location,
                    organiser=organiser,
                    partnership=p.instance if p else None,
                )
                self.index("event", View(instance, themes=sorted(chosen, key=lambda t: t.name)))
            if (i + 1) % 1000 == 0 or i + 1 == total:
                self.say("events", i + 1, total)


# -- load, remove, optimise -----------------------------------------------------------------------


def load(
    scale: str = Scale.SMALL,
    seed: int = 1,
    *,
    as_of: date | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> Result:
    """Generate and write a synthetic set; see the module's docstring.

    A set loaded before is removed first (in the same transaction). A
    database holding activities, needs, events or people that no synthetic
    load wrote is refused unless ``force``. With ``dry_run`` the rows are
    generated and counted, and nothing is written.
    """
    if scale not in SIZES:
        raise SynthError(f"Unknown scale {scale!r}: choose one of {', '.join(SIZES)}.")
    size = SIZES[scale]
    as_of = as_of or default_as_of()
    require_tables()
    found = real_records()
    if found and not force:
        listed = ", ".join(f"{n} {_plural(label, n)}" for label, n in sorted(found.items()))
        raise SynthError(
            f"The database holds records that unikom synth did not write ({listed}). Synthetic "
            "records would be listed, counted and searched together with them, and nobody could "
            "tell them apart on the pages. Load synthetic data into a database of its own, or "
            "pass --force to add it anyway (unikom synth --remove takes out only what it wrote)."
        )
    started = time.perf_counter()
    result = Result(scale=scale, seed=seed, as_of=as_of, dry_run=dry_run)
    if dry_run:
        ref = reference(load_snapshot=False)
        sink = Sink(now=timezone.now(), reason=REASON.format(seed=seed), writes=False)
        generator = Generator(ref, size, seed, as_of, sink, None, progress)
        generator.run()
        result.records = dict(generator.records)
        result.rows = {label: n for label, n in sink.counts().items() if n}
        result.seconds = time.perf_counter() - started
        return result
    with transaction.atomic(), search_signals.paused():
        previous = current()
        if previous is not None:
            remove(progress=progress, reindex=False)
            result.replaced = previous
        ref = reference()
        result.loaded_refdata = ref.loaded_snapshot
        sink = Sink(now=timezone.now(), reason=REASON.format(seed=seed))
        indexer = Indexer(sink)
        generator = Generator(ref, size, seed, as_of, sink, indexer, progress)
        generator.run()
        result.phases.update(generator.seconds)
        step = time.perf_counter()
        indexer.reindex_organisations()
        sink.flush()
        result.phases["organisations (index)"] = time.perf_counter() - step
        if connection.vendor == "postgresql":
            written = [apps.get_model(label) for label in generator.ids]
            reset_sequences([*written, SearchDocument])
        result.records = dict(generator.records)
        result.rows = {label: n for label, n in sink.counts().items() if n}
        result.documents = indexer.count
        result.seconds = time.perf_counter() - started
        SyntheticLoad.objects.create(
            seed=seed,
            scale=scale,
            as_of=as_of,
            counts=result.records,
            ranges=generator.ranges(),
            rows=result.total_rows,
            seconds=round(result.seconds, 2),
        )
        step = time.perf_counter()
    result.phases["commit"] = time.perf_counter() - step
    result.seconds = time.perf_counter() - started
    return result


def _plural(label: str, n: int) -> str:

    meta = apps.get_model(label)._meta
    with translation.override("en"):  # the message is in English
        return str(meta.verbose_name if n == 1 else meta.verbose_name_plural)


def remove(*, progress: Progress | None = None, reindex: bool = True) -> dict[str, int]:
    """Delete every synthetic record (by the id ranges recorded at load), their
    history and search documents, in one transaction. Returns rows deleted per
    model label; empty when no synthetic set is loaded."""
    deleted: dict[str, int] = {}
    require_tables()
    with transaction.atomic(), search_signals.paused():
        ranges = _ranges()
        if not ranges:
            return deleted
        done = 0
        for model in reversed(MODELS):
            label = model._meta.label
            spans = ranges.get(label)
            if not spans:
                continue
            kind = DOCUMENT_KINDS.get(label)
            if kind:
                purge(SearchDocument, Q(kind=kind) & _in_ranges(spans, "object_id"), deleted)
            purge(model, _in_ranges(spans), deleted)
            historical = history_model(model)
            if historical is not None:
                rows = historical._base_manager.filter(_in_ranges(spans, "id"))
                deleted[historical._meta.label] = rows._raw_delete(rows.db)
            done += 1
            if progress:
                progress("removing", done, len(MODELS))
        SyntheticLoad.objects.all().delete()
        if reindex:
            sink = Sink(now=timezone.now(), reason="")
            indexer = Indexer(sink)
            indexer.reindex_organisations()
            sink.flush()
    return deleted


def optimize() -> str:
    """Let the database planner learn the new sizes (core.db.refresh_statistics).
    Returns the statements run."""
    return refresh_statistics()
