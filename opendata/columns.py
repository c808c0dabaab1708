"""The columns of every export: the one definition exports, the data dictionary
and bulk import (``imports``) share.

Each kind of record (``KINDS``) has an ordered list of ``Column``. A column
knows its name (the CSV header and JSON key), a label and description for
the data dictionary, its type, whether import reads it, and how to get its
value from a record. The conventions, the same for every kind:

- ``id`` is the record's ``public_id`` (a UUID) where the model has one;
  organisations, partnerships and themes are identified by their slug;
- coded fields hold the code (``research_project``), never the translated
  label; ``choices`` lists the allowed codes;
- references to organisations, partnerships and themes are slugs, to people
  and activities their ``public_id``;
- dates are ISO ``YYYY-MM-DD``, date-times ISO 8601 with the UTC offset
  (``2025-03-04T09:00:00+01:00``), booleans ``true``/``false``, amounts
  whole numbers without spaces, empty cells mean "not set";
- lists are joined by ``"; "`` (``LIST_SEPARATOR``) and split on ``";"``
  with the spaces around each item stripped;
- read-only columns (``importable=False``: ``*_name``, derived counts and
  ``url``) come after the importable ones; import ignores them.

``row_values`` gives a record's typed values (for JSON and XLSX),
``row_strings`` the same as strings (for CSV); ``parse`` reads a string back
into a typed value, the reverse of ``to_string``. ``neutralise`` and
``unneutralise`` are the spreadsheet formula guard (CSV injection) that CSV
and XLSX exports apply and import reverses.

The querysets fed to these getters must be prepared by ``opendata.exports``
(select/prefetch), so that a whole export takes a fixed number of queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.choices import ActivityStatus, ActivityType, ThesisLevel
from core.permissions import visible
from events.choices import EventKind
from needs.choices import NeedStatus, SuitedFor
from organisations.choices import OrganisationKind, RecordSource
from partnerships.choices import (
    AnchoringLevel,
    Initiative,
    Maturity,
    PartnershipKind,
    PartnershipStatus,
    Role,
)

LIST_SEPARATOR = "; "

#: Column types. ``list`` is a list of strings joined by LIST_SEPARATOR; ``code``
#: and ``list`` may restrict their values to ``Column.choices``.
STRING, TEXT, CODE, SLUG, UUID, URL, LIST = "string", "text", "code", "slug", "uuid", "url", "list"
DATE, DATETIME, INTEGER, NUMBER, BOOLEAN = "date", "datetime", "integer", "number", "boolean"
TYPES = (STRING, TEXT, CODE, SLUG, UUID, URL, LIST, DATE, DATETIME, INTEGER, NUMBER, BOOLEAN)

#: First characters that make a spreadsheet read a cell as a formula (or, for
#: TAB and CR, that hide one), plus the guard character itself so the guard can
#: always be taken off again without guessing.
FORMULA_GUARD = "'"
FORMULA_TRIGGERS = frozenset("=+-@\t\r" + FORMULA_GUARD)


#: The attribute each model's page address is made from: its
#: ``get_absolute_url`` reverses one route with that attribute. Knowing it lets
#: an export resolve the route once and fill in the rest (``ExportContext.url``);
#: a test checks the result against ``get_absolute_url`` for every kind.
PAGE_KEYS = {
    "activities.activity": "public_id",
    "needs.need": "public_id",
    "events.event": "public_id",
    "organisations.person": "public_id",
    "organisations.organisation": "url_key",
    "partnerships.partnership": "slug",
}


@dataclass(frozen=True)
class ExportContext:
    """Who the export is for, and where record addresses point.

    ``user`` decides private contact data and which linked records show;
    ``base_url`` (like ``https://unikom.example.no``) is put in front of each
    record's path in the ``url`` column; empty leaves the path alone.
    """

    user: Any = None
    base_url: str = ""
    #: model label -> (path before the key, path after it), learnt from the first record.
    _paths: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def url(self, record) -> str:
        return self.base_url.rstrip("/") + self.path(record)

    def path(self, record) -> str:
        """``record.get_absolute_url()``, without resolving the route for every record.

        ``reverse`` costs more than the rest of a row; the first record of a
        model is resolved in full and its path split around its key
        (``PAGE_KEYS``), which the following records fill in.
        """
        key = PAGE_KEYS.get(record._meta.label_lower)
        if key is None:
            return record.get_absolute_url()
        return self.path_of(type(record), str(getattr(record, key)), record)

    def url_of(self, model, value: str) -> str:
        """``url`` of the ``model`` record whose page key (``PAGE_KEYS``) is
        ``value``, for rows that come without a record (``opendata.sqlvalues``)."""
        return self.base_url.rstrip("/") + self.path_of(model, value)

    def path_of(self, model, value: str, record=None) -> str:
        """``path`` of the ``model`` record whose page key is ``value``; a record
        is made (or ``record`` used) only to learn the model's path."""
        label = model._meta.label_lower
        around = self._paths.get(label)
        if around is not None:
            return around[0] + value + around[1]
        if record is None:
            record = model(**{PAGE_KEYS[label]: value})
        path = record.get_absolute_url()
        if value and path.count(value) == 1:
            before, after = path.split(value)
            self._paths[label] = (before, after)
        return path

    @property
    def signed_in(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)


Getter = Callable[[Any, ExportContext], Any]


@dataclass(frozen=True)
class Column:
    name: str
    label: Any
    description: Any
    type: str
    get: Getter = field(repr=False, compare=False)
    importable: bool = True
    choices: tuple[str, ...] = ()
    #: The kind whose key this column holds (each item, for lists), or "".
    refers: str = ""

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type


@dataclass(frozen=True)
class Kind:
    """One exportable kind of record: its columns and the column(s) identifying a row."""

    name: str
    label: Any
    description: Any
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def importable(self) -> list[Column]:
        return [c for c in self.columns if c.importable]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# -- getters ------------------------------------------------------------------


def attr(name: str) -> Getter:
    return lambda record, ctx: getattr(record, name)


def slug_of(name: str) -> Getter:
    """The slug of a foreign key (organisation, partnership, theme), skipping trashed ones."""

    def get(record, ctx):
        target = getattr(record, name)
        return target.slug if target is not None and not _trashed(target) else ""

    return get


def name_of(name: str) -> Getter:
    def get(record, ctx):
        target = getattr(record, name)
        return target.name if target is not None and not _trashed(target) else ""

    return get


#: Where ``opendata.exports`` puts the to-many relations it read for a batch.
ATTACHED = "_export_related"


def related(record, name: str) -> list:
    """The records of a to-many relation of ``record`` (``themes``, ``organisation_roles`` ...).

    Large exports read them for a whole batch at once and attach them as
    plain lists (``opendata.exports``); otherwise they come from the
    relation's manager, prefetched.
    """
    attached = record.__dict__.get(ATTACHED)
    if attached is not None and name in attached:
        return attached[name]
    return list(getattr(record, name).all())


def slugs_of(name: str) -> Getter:
    """Slugs of a many-to-many (prefetched), sorted so exports are stable."""
    return lambda record, ctx: sorted(t.slug for t in related(record, name))


def _trashed(obj) -> bool:
    return getattr(obj, "deleted_at", None) is not None


def record_url(record, ctx: ExportContext) -> str:
    return ctx.url(record)


def activity_organisations(record, ctx) -> list[str]:
    return sorted(f"{r.role}:{r.organisation.slug}" for r in related(record, "organisation_roles"))


def need_contact(record, ctx) -> Any:
    person = record.contact
    if person is None or _trashed(person) or not (person.is_public or ctx.signed_in):
        return None
    return person


def need_led_to(record, ctx) -> list[str]:
    """Activities the need led to that this user may see (prefetched as ``visible_led_to``)."""
    activities = getattr(record, "visible_led_to", None)
    if activities is None:
        activities = visible(ctx.user, record.led_to.all())
    return sorted(str(a.public_id) for a in activities)


def current_posts(person) -> list:
    """The person's current affiliations (prefetched as ``current_affiliations``)."""
    posts = getattr(person, "current_affiliations", None)
    if posts is None:
        posts = person.affiliations.current().select_related("organisation")
    return list(posts)


def person_contact(field_name: str) -> Getter:
    """E-mail or phone, only where the person's page would show it to this user."""

    def get(record, ctx):
        return getattr(record, field_name) if record.contact_visible_to(ctx.user) else ""

    return get


def current_lead(record, ctx) -> Any:
    return record.lead


def _column(name, label, description, type_, get=None, *, importable=True, choices=(), refers=""):
    return Column(
        name=name,
        label=label,
        description=description,
        type=type_,
        get=get or attr(name),
        importable=importable,
        choices=tuple(str(c) for c in choices),
        refers=refers,
    )


def _name_column(field, label, description) -> Column:
    """The read-only name beside a foreign key's slug, for people reading the file."""
    return _column(f"{field}_name", label, description, STRING, name_of(field), importable=False)


def _url_column(what) -> Column:
    return _column("url", _("Address"), what, URL, record_url, importable=False)


def _is_public(what) -> Column:
    return _column("is_public", _("Public"), what, BOOLEAN)


# -- the kinds ------------------------------------------------------------------

ACTIVITIES = Kind(
    name="activities",
    label=_("Activities"),
    description=_(
        "The portfolio: research projects, PhDs, student theses, continuing education and "
        "other academic activity in the partnerships."
    ),
    key=("id",),
    columns=(
        _column(
            "id",
            _("Id"),
            _("The activity's permanent identifier (UUID)."),
            UUID,
            attr("public_id"),
        ),
        _column("title", _("Title"), _("The activity's title."), STRING),
        _column(
            "activity_type",
            _("Type"),
            _("Kind of activity (code)."),
            CODE,
            choices=ActivityType.values,
        ),
        _column(
            "thesis_level",
            _("Thesis level"),
            _("Bachelor or master; for student theses only (code)."),
            CODE,
            choices=ThesisLevel.values,
        ),
        _column(
            "status",
            _("Status"),
            _("Where the activity stands (code)."),
            CODE,
            choices=ActivityStatus.values,
        ),
        _column("start_date", _("Start"), _("First day (YYYY-MM-DD)."), DATE),
        _column("end_date", _("End"), _("Last day (YYYY-MM-DD); empty while running."), DATE),
        _column("summary", _("Summary"), _("What the activity is about."), TEXT),
        _column(
            "partnerships",
            _("Partnerships"),
            _("Slugs of the partnerships the activity belongs to."),
            LIST,
            slugs_of("partnerships"),
            refers="partnerships",
        ),
        _column(
            "themes",
            _("Themes"),
            _("Slugs of its themes (service areas)."),
            LIST,
            slugs_of("themes"),
            refers="themes",
        ),
        _column("funding_source", _("Funding source"), _("Who funds it, in words."), STRING),
        _column(
            "funding_amount",
            _("Funding amount"),
            _("Funding in whole Norwegian kroner, without spaces."),
            INTEGER,
        ),
        _column(
            "cristin_project_id",
            _("NVA/Cristin project id"),
            _("The project's id in NVA/Cristin (digits)."),
            STRING,
        ),
        _column(
            "nfr_project_number",
            _("Research Council project number"),
            _("Forskningsrådet's project number (digits)."),
            STRING,
        ),
        _column(
            "professional_owner",
            _("Professional owner"),
            _("Slug of the organisation that does the work and owns it professionally."),
            SLUG,
            slug_of("professional_owner"),
            refers="organisations",
        ),
        _column(
            "professional_owner_level",
            _("Professional owner's level"),
            _("Anchoring level of the professional owner (code)."),
            CODE,
            choices=AnchoringLevel.values,
        ),
        _column(
            "strategic_owner",
            _("Strategic owner"),
            _("Slug of the organisation whose management has committed to it."),
            SLUG,
            slug_of("strategic_owner"),
            refers="organisations",
        ),
        _column(
            "strategic_owner_level",
            _("Strategic owner's level"),
            _("Anchoring level of the strategic owner (code)."),
            CODE,
            choices=AnchoringLevel.values,
        ),
        _column(
            "organisations",
            _("Organisations"),
            _(
                "Organisations in roles, each as role:organisation-slug; roles are "
                "owner, partner and funder."
            ),
            LIST,
            activity_organisations,
        ),
        _is_public(_("true when everyone may see it, false for signed-in users only.")),
        _name_column(
            "professional_owner",
            _("Professional owner (name)"),
            _("Name of the professional owner."),
        ),
        _name_column(
            "strategic_owner", _("Strategic owner (name)"), _("Name of the strategic owner.")
        ),
        _url_column(_("The activity's page.")),
    ),
)

NEEDS = Kind(
    name="needs",
    label=_("Needs"),
    description=_("Research and knowledge needs and thesis topics posted by municipalities."),
    key=("id",),
    columns=(
        _column(
            "id", _("Id"), _("The need's permanent identifier (UUID)."), UUID, attr("public_id")
        ),
        _column("title", _("Title"), _("The need's title."), STRING),
        _column("description", _("Description"), _("What is needed, why, and for what."), TEXT),
        _column(
            "status",
            _("Status"),
            _("Open, in dialogue, matched or closed (code)."),
            CODE,
            choices=NeedStatus.values,
        ),
        _column(
            "service_area",
            _("Service area"),
            _("Slug of the theme (service area)."),
            SLUG,
            slug_of("service_area"),
            refers="themes",
        ),
        _column(
            "suited_for",
            _("Suited for"),
            _("Kinds of work that could answer the need (codes)."),
            LIST,
            lambda record, ctx: list(record.suited_for or []),
            choices=SuitedFor.values,
        ),
        _column(
            "organisation",
            _("Posted by"),
            _("Slug of the organisation that has the need."),
            SLUG,
            slug_of("organisation"),
            refers="organisations",
        ),
        _column(
            "partnership",
            _("Partnership"),
            _("Slug of the partnership it is posted for."),
            SLUG,
            slug_of("partnership"),
            refers="partnerships",
        ),
        _column(
            "contact",
            _("Contact person"),
            _("Id (UUID) of the contact person; empty when the person is not public."),
            UUID,
            lambda record, ctx: getattr(need_contact(record, ctx), "public_id", None),
            refers="people",
        ),
        _column("deadline", _("Deadline"), _("Last day to get in touch (YYYY-MM-DD)."), DATE),
        _column(
            "led_to",
            _("Led to"),
            _("Ids (UUID) of the activities that answer the need."),
            LIST,
            need_led_to,
            refers="activities",
        ),
        _is_public(_("true when everyone may see it, false for signed-in users only.")),
        _name_column("organisation", _("Posted by (name)"), _("Name of the organisation.")),
        _name_column("partnership", _("Partnership (name)"), _("Name of the partnership.")),
        _name_column("service_area", _("Service area (name)"), _("Name of the service area.")),
        _column(
            "contact_name",
            _("Contact person (name)"),
            _("Name of the contact person, when public."),
            STRING,
            lambda record, ctx: getattr(need_contact(record, ctx), "name", ""),
            importable=False,
        ),
        _url_column(_("The need's page.")),
    ),
)

EVENTS = Kind(
    name="events",
    label=_("Meeting places"),
    description=_("Conferences, dialogue and network meetings, seminars and courses."),
    key=("id",),
    columns=(
        _column(
            "id", _("Id"), _("The event's permanent identifier (UUID)."), UUID, attr("public_id")
        ),
        _column("title", _("Title"), _("The event's title."), STRING),
        _column(
            "kind", _("Kind"), _("Kind of meeting place (code)."), CODE, choices=EventKind.values
        ),
        _column(
            "starts_at", _("Starts"), _("Start, ISO 8601 date and time with offset."), DATETIME
        ),
        _column("ends_at", _("Ends"), _("End, ISO 8601 date and time with offset."), DATETIME),
        _column("location", _("Place"), _("Address or venue."), STRING),
        _column("online_url", _("Online link"), _("Web address for taking part online."), URL),
        _column(
            "organiser",
            _("Organiser"),
            _("Slug of the organising organisation."),
            SLUG,
            slug_of("organiser"),
            refers="organisations",
        ),
        _column(
            "partnership",
            _("Partnership"),
            _("Slug of the partnership it belongs to."),
            SLUG,
            slug_of("partnership"),
            refers="partnerships",
        ),
        _column("themes", _("Themes"), _("Slugs of its themes."), LIST, slugs_of("themes")),
        _column("description", _("Description"), _("About the event."), TEXT),
        _is_public(_("true when everyone may see it, false for signed-in users only.")),
        _name_column("organiser", _("Organiser (name)"), _("Name of the organiser.")),
        _name_column("partnership", _("Partnership (name)"), _("Name of the partnership.")),
        _url_column(_("The event's page.")),
    ),
)

PEOPLE = Kind(
    name="people",
    label=_("People"),
    description=_(
        "Researchers, students, coordinators and leaders. E-mail and phone are exported "
        "only where the person has made them public, or to signed-in users."
    ),
    key=("id",),
    columns=(
        _column(
            "id", _("Id"), _("The person's permanent identifier (UUID)."), UUID, attr("public_id")
        ),
        _column("name", _("Name"), _("Full name."), STRING),
        _column("orcid", _("ORCID"), _("ORCID iD, like 0000-0002-1825-0097."), STRING),
        _column(
            "email",
            _("E-mail"),
            _("E-mail address, when visible."),
            STRING,
            person_contact("email"),
        ),
        _column(
            "phone", _("Phone"), _("Phone number, when visible."), STRING, person_contact("phone")
        ),
        _column(
            "contact_public",
            _("Contact details public"),
            _("true when the person has agreed to show e-mail and phone to everyone."),
            BOOLEAN,
        ),
        _is_public(_("true when everyone may see the person.")),
        _column(
            "current_organisations",
            _("Current organisations"),
            _("Slugs of the organisations of the person's current posts (see affiliations)."),
            LIST,
            lambda record, ctx: sorted({a.organisation.slug for a in current_posts(record)}),
            importable=False,
        ),
        _column(
            "current_organisation_names",
            _("Current organisations (names)"),
            _("Names of those organisations."),
            LIST,
            lambda record, ctx: sorted({a.organisation.name for a in current_posts(record)}),
            importable=False,
        ),
        _url_column(_("The person's page.")),
    ),
)

AFFILIATIONS = Kind(
    name="affiliations",
    label=_("Affiliations"),
    description=_("People's posts at organisations over time; dual posts are normal."),
    key=("person", "organisation", "valid_from"),
    columns=(
        _column(
            "person",
            _("Person"),
            _("Id (UUID) of the person."),
            UUID,
            lambda record, ctx: record.person.public_id,
            refers="people",
        ),
        _column(
            "organisation",
            _("Organisation"),
            _("Slug of the organisation."),
            SLUG,
            slug_of("organisation"),
            refers="organisations",
        ),
        _column("title", _("Title or position"), _("The post's title."), STRING),
        _column("unit", _("Unit"), _("Department, faculty or service."), STRING),
        _column("valid_from", _("From"), _("First day (YYYY-MM-DD)."), DATE),
        _column("valid_to", _("Until"), _("Last day (YYYY-MM-DD); empty while current."), DATE),
        _name_column("person", _("Person (name)"), _("Name of the person.")),
        _name_column("organisation", _("Organisation (name)"), _("Name of the organisation.")),
    ),
)

ORGANISATIONS = Kind(
    name="organisations",
    label=_("Organisations"),
    description=_(
        "Municipalities, counties, city districts and knowledge institutions. Codes, names "
        "and population of municipalities and counties are from Statistics Norway (SSB)."
    ),
    key=("slug",),
    columns=(
        _column("slug", _("Slug"), _("The organisation's identifier in unikom."), SLUG),
        _column("name", _("Name"), _("Name in Norwegian."), STRING),
        _column(
            "official_name",
            _("Official name"),
            _("The full official form, with Sámi and Kven parallel names."),
            STRING,
        ),
        _column("name_en", _("English name"), _("Name in English."), STRING),
        _column("short_name", _("Short name"), _("Abbreviation."), STRING),
        _column(
            "kind",
            _("Kind"),
            _("Kind of organisation (code)."),
            CODE,
            choices=OrganisationKind.values,
        ),
        _column(
            "parent",
            _("Part of"),
            _("Slug of the county of a municipality, or the municipality of a district."),
            SLUG,
            slug_of("parent"),
            refers="organisations",
        ),
        _column(
            "municipality_number",
            _("Municipality number"),
            _("Kommunenummer, four digits (SSB KLASS 131)."),
            STRING,
        ),
        _column("county_number", _("County number"), _("Fylkesnummer, two digits."), STRING),
        _column(
            "district_number",
            _("District number"),
            _("Bydelsnummer, six digits (SSB KLASS 103)."),
            STRING,
        ),
        _column(
            "org_number", _("Organisation number"), _("Nine digits, from Enhetsregisteret."), STRING
        ),
        _column(
            "ror_id",
            _("ROR id"),
            _("Research Organization Registry id, without https://ror.org/."),
            STRING,
        ),
        _column("dbh_code", _("DBH code"), _("Institution code in DBH (HK-dir)."), STRING),
        _column("population", _("Population"), _("Residents (SSB)."), INTEGER),
        _column(
            "population_date", _("Population as of"), _("Date of the population figure."), DATE
        ),
        _column("website", _("Website"), _("The organisation's website."), URL),
        _column(
            "record_source",
            _("Record source"),
            _("Where the record came from (code)."),
            CODE,
            choices=RecordSource.values,
        ),
        _column("source_url", _("Source"), _("Address of the source."), URL),
        _name_column("parent", _("Part of (name)"), _("Name of the parent organisation.")),
        _url_column(_("The organisation's page.")),
    ),
)

PARTNERSHIPS = Kind(
    name="partnerships",
    label=_("Partnerships"),
    description=_(
        "Long-term, formal partnerships between municipalities and academia. Members are "
        "in memberships."
    ),
    key=("slug",),
    columns=(
        _column("slug", _("Slug"), _("The partnership's identifier in unikom."), SLUG),
        _column("name", _("Name"), _("Name of the partnership."), STRING),
        _column("aliases", _("Other names"), _("Other names it is known by."), LIST),
        _column(
            "kind",
            _("Kind"),
            _("Bilateral, multilateral or cluster (code), as the KS compilation uses them."),
            CODE,
            choices=PartnershipKind.values,
        ),
        _column(
            "maturity",
            _("Stated maturity"),
            _("University municipality 1.0, 2.0 or 3.0, where stated (code)."),
            CODE,
            choices=Maturity.values,
        ),
        _column(
            "initiative",
            _("Initiative"),
            _("Who took the initiative (code)."),
            CODE,
            choices=Initiative.values,
        ),
        _column(
            "status",
            _("Status"),
            _("Active, pilot or ended (code)."),
            CODE,
            choices=PartnershipStatus.values,
        ),
        _column(
            "status_as_of",
            _("Status last confirmed"),
            _("The latest year a source confirms the status for."),
            INTEGER,
        ),
        _column(
            "facts_as_of",
            _("Facts as of"),
            _("The year the facts hold for (the KS compilation's are from 2021)."),
            INTEGER,
        ),
        _column(
            "roots_year",
            _("Roots: first year"),
            _("First year of the first collaboration (of the period, when a period)."),
            INTEGER,
        ),
        _column(
            "roots_year_to",
            _("Roots: last year"),
            _("Last year of the period the roots are dated to; empty for a single year."),
            INTEGER,
        ),
        _column(
            "roots_text",
            _("Roots as written"),
            _("The roots as the source words them (e.g. 'tidlig 2000-tall')."),
            STRING,
        ),
        _column(
            "agreement_year",
            _("Formal agreement: first year"),
            _("Year of the formal agreement (first year, when a period)."),
            INTEGER,
        ),
        _column(
            "agreement_year_to",
            _("Formal agreement: last year"),
            _("Last year of the period the agreement is dated to; empty for a single year."),
            INTEGER,
        ),
        _column(
            "agreement_text",
            _("Formal agreement as written"),
            _("The agreement's date as the source words it."),
            STRING,
        ),
        _column("summary", _("Summary"), _("Short description."), TEXT),
        _column("purpose", _("Purpose"), _("What the partnership is for."), TEXT),
        _column(
            "focus_areas",
            _("Focus areas"),
            _("The partnership's own list of what it works on."),
            LIST,
        ),
        _column(
            "themes",
            _("Themes"),
            _("Slugs of its themes (service areas)."),
            LIST,
            slugs_of("themes"),
            refers="themes",
        ),
        _column(
            "stated_municipality_count",
            _("Stated number of municipalities"),
            _("The number a source gives, when it names fewer municipalities."),
            INTEGER,
        ),
        _column(
            "reported_population",
            _("Reported population"),
            _("Population the partnership reports."),
            INTEGER,
        ),
        _column(
            "coordinator_fte",
            _("Coordinator capacity (FTE)"),
            _("Full-time equivalents of coordination."),
            NUMBER,
        ),
        _column("initiative_note", _("About the initiative"), "", TEXT),
        _column("roots_note", _("About the roots"), "", TEXT),
        _column("agreement_note", _("About the agreement"), "", TEXT),
        _column("member_note", _("About the members"), "", TEXT),
        _column("population_note", _("About the size"), "", TEXT),
        _column("coordinator_note", _("About the coordination"), "", TEXT),
        _column("funding_note", _("Funding"), "", TEXT),
        _column("organisation_note", _("About the organisation"), "", TEXT),
        _column("lead_note", _("About the lead"), "", TEXT),
        _column("source_url", _("Main source"), _("Address of the main source."), URL),
        _column(
            "lead",
            _("Lead municipality"),
            _("Slug of the current lead (motor) municipality, from memberships."),
            SLUG,
            lambda record, ctx: getattr(record.lead, "slug", ""),
            importable=False,
        ),
        _column(
            "lead_name",
            _("Lead municipality (name)"),
            _("Name of the current lead municipality."),
            STRING,
            lambda record, ctx: getattr(record.lead, "name", ""),
            importable=False,
        ),
        _column(
            "municipality_count",
            _("Municipalities"),
            _("Number of current member municipalities."),
            INTEGER,
            importable=False,
        ),
        _column(
            "knowledge_institution_count",
            _("Knowledge institutions"),
            _("Number of current member knowledge institutions."),
            INTEGER,
            importable=False,
        ),
        _url_column(_("The partnership's page.")),
    ),
)

MEMBERSHIPS = Kind(
    name="memberships",
    label=_("Memberships"),
    description=_(
        "Organisations' roles in partnerships over time; a row with an end date is history."
    ),
    key=("partnership", "organisation", "valid_from"),
    columns=(
        _column(
            "partnership",
            _("Partnership"),
            _("Slug of the partnership."),
            SLUG,
            slug_of("partnership"),
            refers="partnerships",
        ),
        _column(
            "organisation",
            _("Organisation"),
            _("Slug of the member organisation."),
            SLUG,
            slug_of("organisation"),
            refers="organisations",
        ),
        _column("role", _("Role"), _("Role in the partnership (code)."), CODE, choices=Role.values),
        _column("valid_from", _("Member from"), _("First day (YYYY-MM-DD)."), DATE),
        _column(
            "valid_to", _("Member until"), _("Last day (YYYY-MM-DD); empty while current."), DATE
        ),
        _column(
            "hosts_campus",
            _("Campus in the municipality"),
            _(
                "true when an academic partner has a campus in the member municipality; "
                "empty when unknown."
            ),
            BOOLEAN,
        ),
        _column("note", _("Note"), "", TEXT),
        _column("source_url", _("Source"), _("Address of the source."), URL),
        _name_column("partnership", _("Partnership (name)"), _("Name of the partnership.")),
        _name_column("organisation", _("Organisation (name)"), _("Name of the organisation.")),
    ),
)

THEMES = Kind(
    name="themes",
    label=_("Themes"),
    description=_("Service areas and fields that partnerships, activities and events work on."),
    key=("slug",),
    columns=(
        _column("slug", _("Slug"), _("The theme's identifier."), SLUG),
        _column("name", _("Name"), _("Name in Norwegian."), STRING),
        _column("name_en", _("English name"), _("Name in English."), STRING),
    ),
)

#: Every kind, in the order the open data page and the archive list them.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        PARTNERSHIPS,
        MEMBERSHIPS,
        ORGANISATIONS,
        PEOPLE,
        AFFILIATIONS,
        ACTIVITIES,
        NEEDS,
        EVENTS,
        THEMES,
    )
}


def columns(kind: str) -> tuple[Column, ...]:
    return KINDS[kind].columns


#: kind -> (name, getter, is a list) of each column, for ``row_values``.
_GETTERS = {
    name: tuple((c.name, c.get, c.type == LIST) for c in kind.columns)
    for name, kind in KINDS.items()
}


# -- values and strings ------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Typed value as exported: lists of strings, ints for whole amounts, None for unset."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


#: Exact types ``_plain`` returns unchanged (other than the empty string).
_AS_IS = frozenset({int, bool, float, date})


def row_values(kind: str, record, ctx: ExportContext) -> dict[str, Any]:
    """The record's typed values by column name: str, int, Decimal, bool, date,
    datetime, list[str] or None.

    Runs for every cell of a large export, so the common types skip
    ``_plain``'s checks (with the same result).
    """
    row = {}
    for name, get, is_list in _GETTERS[kind]:
        value = get(record, ctx)
        type_ = type(value)
        if type_ is str:
            if not value:
                value = None
        elif value is not None and type_ not in _AS_IS:
            value = _plain(value)
        if is_list:
            value = [str(v) for v in value] if value else []
        row[name] = value
    return row


def to_string(value: Any) -> str:
    """One typed value as the text CSV holds (without the formula guard)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _text(value: Any) -> str:
    """``to_string`` of a value from ``row_values``, quicker for text, empty cells and lists."""
    type_ = type(value)
    if type_ is str:
        return value
    if value is None:
        return ""
    if type_ is list:  # of strings, from row_values
        return LIST_SEPARATOR.join(value)
    return to_string(value)


def row_strings(kind: str, record, ctx: ExportContext) -> dict[str, str]:
    """The record as a row of strings (no formula guard: the writer adds it)."""
    return {name: _text(value) for name, value in row_values(kind, record, ctx).items()}


def row_cells(kind: str, record, ctx: ExportContext) -> list[str]:
    """The record's CSV cells in column order: ``row_strings`` with the formula guard."""
    return cells(row_values(kind, record, ctx))


def cells(values: dict[str, Any]) -> list[str]:
    """A row of ``row_values`` as CSV cells, with the formula guard."""
    texts = []
    for value in values.values():
        text = _text(value)
        if text and text[0] in FORMULA_TRIGGERS:
            text = FORMULA_GUARD + text
        texts.append(text)
    return texts


def parse(column: Column, text: str) -> Any:
    """Read a cell's text (formula guard already taken off) back into a typed value.

    The reverse of ``to_string``; raises ``ValueError`` on malformed input.
    Empty text is ``None`` (an empty list for list columns).
    """
    text = text.strip()
    if column.type == LIST:
        return [item.strip() for item in text.split(";") if item.strip()]
    if not text:
        return None
    if column.type == BOOLEAN:
        lowered = text.lower()
        if lowered not in ("true", "false"):
            raise ValueError(f"{column.name}: expected true or false, got {text!r}")
        return lowered == "true"
    if column.type == INTEGER:
        return int(text)
    if column.type == NUMBER:
        return Decimal(text)
    if column.type == DATE:
        return date.fromisoformat(text)
    if column.type == DATETIME:
        return datetime.fromisoformat(text)
    return text


# -- the formula guard (CSV injection) -------------------------------------------------


def neutralise(text: str) -> str:
    """Guard a spreadsheet cell against formula injection.

    A cell whose first character is one of ``= + - @``, TAB, CR or the guard
    ``'`` itself gets one ``'`` in front. Spreadsheets then show it as text
    instead of running it. Prefixing a leading ``'`` too makes the guard
    reversible without guessing: see ``unneutralise``.
    """
    return FORMULA_GUARD + text if text[:1] in FORMULA_TRIGGERS else text


def unneutralise(text: str) -> str:
    """Take the formula guard off: drop a leading ``'`` when the next character
    is one of ``= + - @``, TAB, CR or ``'``; other text is returned as it is."""
    if len(text) >= 2 and text[0] == FORMULA_GUARD and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def header(kind: str) -> list[str]:
    return KINDS[kind].names


def rows(kind: str, records: Iterable, ctx: ExportContext) -> Iterable[dict[str, Any]]:
    for record in records:
        yield row_values(kind, record, ctx)
