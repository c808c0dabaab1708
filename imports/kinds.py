"""What each kind of record reads from a row, which rules a row must meet, and how it is written.

The columns are the export's (``opendata.columns``): every importable column
of a kind has a reader here, and the read-only ones (``*_name``, ``url``) are
ignored. A row's values are read into *targets* — model fields, or relations
(partnerships, themes, organisations in roles) — so that the importer can
compare a row with the record it updates and write only what differs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import rules as activity_rules
from activities.choices import ActivityStatus, ActivityType, OrganisationRole, ThesisLevel
from activities.models import Activity, ActivityOrganisation, folded_title_key, title_key
from core import bulk
from core.rules import Rule, problems
from core.validators import no_direction_controls
from events import rules as event_rules
from events.choices import EventKind
from events.models import Event
from needs import rules as need_rules
from needs.choices import NeedStatus, SuitedFor
from needs.models import Need
from opendata.columns import KINDS
from organisations.models import Person
from partnerships.choices import AnchoringLevel
from partnerships.models import Partnership, Theme
from search.text import fold

from . import values as v
from .matching import OrganisationIndex, SlugIndex

#: How many rows are read, checked against the database and written together.
CHUNK = 1000


class Lookups:
    """Organisations, partnerships, themes, people and activities by key, read once."""

    def __init__(self, accepted: dict[str, int] | None = None) -> None:
        self.organisations = OrganisationIndex(accepted)
        self._partnerships: SlugIndex | None = None
        self._themes: SlugIndex | None = None
        self._people: dict[str, int] | None = None
        self._activities: dict[str, int] | None = None

    @property
    def partnerships(self) -> SlugIndex:
        if self._partnerships is None:
            self._partnerships = SlugIndex(Partnership)
        return self._partnerships

    @property
    def themes(self) -> SlugIndex:
        if self._themes is None:
            self._themes = SlugIndex(Theme)
        return self._themes

    def person(self, value: str) -> int:
        if self._people is None:
            self._people = {str(k): pk for pk, k in Person.objects.values_list("pk", "public_id")}
        return self._by_uuid(self._people, value, _("No person with the id “%(value)s”."))

    def activity(self, value: str) -> int:
        if self._activities is None:
            self._activities = {
                str(k): pk for pk, k in Activity.objects.values_list("pk", "public_id")
            }
        return self._by_uuid(self._activities, value, _("No activity with the id “%(value)s”."))

    @staticmethod
    def _by_uuid(table: dict[str, int], value: str, message: str) -> int:
        try:
            key = str(uuid.UUID(value.strip()))
        except ValueError:
            key = ""
        if key not in table:
            raise v.CellError(message % {"value": value})
        return table[key]


# A reader turns one cell into a target value: reader(cell, lookups, row number).
Reader = Callable[[Any, Lookups, int], Any]


def _plain(parse: Callable[[Any], Any]) -> Reader:
    return lambda cell, lookups, row: parse(cell)


def _within(parse: Callable[[Any], Any], years) -> Reader:
    """A date or moment, refused outside the years its model allows (``DATE_YEARS``),
    as the model's form refuses it."""

    def read(cell, lookups, row):
        value = parse(cell)
        if problem := years.problem(value):
            raise v.CellError(problem)
        return value

    return read


def _text(max_length: int, *validators) -> Reader:
    """Text of at most ``max_length`` characters that passes the model field's own
    ``validators`` (core.validators): the checks, and the words, of the form."""
    validators = (MaxLengthValidator(max_length), *validators)

    def read(cell, lookups, row):
        value = v.text(cell)
        _validate(value, validators)
        return value

    return read


def _validate(value, validators) -> None:
    """Run the validators (a model field's) as its form does; each message once."""
    errors: dict[str, None] = {}
    for validate in validators:
        try:
            validate(value)
        except ValidationError as error:
            errors.update(dict.fromkeys(error.messages))
    if errors:
        raise v.CellError(" ".join(errors))


def _choice(choices) -> Reader:
    return lambda cell, lookups, row: v.choice(cell, choices)


def _organisation(cell, lookups: Lookups, row: int) -> int | None:
    value = v.text(cell)
    return lookups.organisations.resolve(value, row) if value else None


def _partnership(cell, lookups: Lookups, row: int) -> int | None:
    value = v.text(cell)
    return lookups.partnerships.resolve(value) if value else None


def _theme(cell, lookups: Lookups, row: int) -> int | None:
    value = v.text(cell)
    return lookups.themes.resolve(value) if value else None


def _each(resolve: Callable[[str], int]) -> Reader:
    """A list cell whose items are each resolved; every bad item is reported in one message."""

    def read(cell, lookups, row):
        found, bad = set(), []
        for item in v.items(cell):
            try:
                found.add(resolve(lookups)(item))
            except v.CellError as error:
                bad.append(str(error))
        if bad:
            raise v.CellError(" ".join(bad))
        return frozenset(found)

    return read


def _external_id(name: str, address) -> Reader:
    """An external id, or the project's pasted address, read as the form reads it
    (activities.rules.external_id) and checked by the model field's validators."""
    field = Activity._meta.get_field(name)

    def read(cell, lookups, row):
        value = activity_rules.external_id(v.text(cell), address)
        if value:
            _validate(value, field.validators)
        return value

    return read


def _roles(cell, lookups: Lookups, row: int) -> frozenset:
    """``role:organisation`` items: ``partner:usn; funder:971526920``."""
    found, bad = set(), []
    for item in v.items(cell):
        role_text, sep, ref = item.partition(":")
        try:
            role = v.choice(role_text, OrganisationRole) if sep else ""
            if not role or not ref.strip():
                raise v.CellError(
                    _("“%(value)s” is not role:organisation (roles: %(roles)s).")
                    % {"value": item, "roles": ", ".join(OrganisationRole.values)}
                )
            org = lookups.organisations.resolve(ref.strip(), row)
            found.add((org, role))
        except v.CellError as error:
            bad.append(str(error))
    if bad:
        raise v.CellError(" ".join(bad))
    return frozenset(found)


def _suited_for(cell, lookups, row) -> list[str]:
    chosen = [v.choice(item, SuitedFor) for item in v.items(cell)]
    return sorted(set(chosen), key=SuitedFor.values.index)


def _url(field) -> Reader:
    """A web address, checked by the model field's validators (the form's checks)."""

    def read(cell, lookups, row):
        value = v.text(cell)
        if value:
            _validate(value, field.validators)
        return value

    return read


@dataclass
class Existing:
    """A record the file refers to by id, with its values as the importer compares them."""

    obj: Any
    state: dict[str, Any]


class Kind:
    """The import rules of one kind of record. Subclasses fill in the class attributes."""

    name: str
    model: type[models.Model]
    #: column name -> (target, reader)
    readers: dict[str, tuple[str, Reader]]
    #: targets that are relations rather than fields of the record
    relations: tuple[str, ...] = ()
    #: targets a new record must have (with the column that gives them)
    required: tuple[str, ...] = ()
    #: targets that keep their current value (or default) when the cell is empty
    keep_when_blank: tuple[str, ...] = ()
    #: values of a new record for targets the file leaves out
    defaults: dict[str, Any] = {}

    @property
    def columns(self):
        return KINDS[self.name].columns

    def column_of(self, target: str) -> str:
        return next(c for c, (t, _r) in self.readers.items() if t == target)

    # -- the database side ------------------------------------------------------------

    def load(self, public_ids: Iterable[uuid.UUID], *, lock: bool = False) -> dict:
        """The records with these ids (live or in the trash), with their state."""
        manager = self.model.all_objects
        queryset = manager.filter(public_id__in=list(public_ids))
        if lock:
            queryset = queryset.select_for_update()
        objects = list(queryset)
        relations = self.relation_states([o.pk for o in objects])
        return {
            o.public_id: Existing(o, {**self.field_state(o), **relations.get(o.pk, {})})
            for o in objects
        }

    def field_state(self, obj) -> dict[str, Any]:
        return {
            target: getattr(obj, target)
            for target, _reader in self.readers.values()
            if target not in self.relations
        }

    def relation_states(self, pks: list[int]) -> dict[int, dict[str, frozenset]]:
        return {}

    def natural_keys(self, state: dict[str, Any]) -> list[tuple[str, Any]]:
        """(column, key) pairs that must be unique among live records."""
        return []

    def database_keys(self, keys: set) -> Iterable[tuple[Any, int]]:
        """(natural key, primary key) of the live records that hold one of ``keys``:
        a few queries on indexed columns, whatever the number of records (integers,
        not public ids, which cost a UUID each to read)."""
        return ()

    #: the app's rules over several fields (core.rules), as its form asks them
    record_rules: tuple[Rule, ...] = ()

    def values(self, state: dict[str, Any]) -> dict[str, Any]:
        """A record's state by column, which is the form's field name: the values the
        app's rules read."""
        return {column: state.get(target) for column, (target, _r) in self.readers.items()}

    def rules(self, state: dict[str, Any], before: dict[str, Any] | None) -> list[tuple[str, str]]:
        """(column, message) for each rule the complete record breaks; ``before`` is the
        stored record's state when the row updates one (None for a new record)."""
        return problems(self.record_rules, self.values(state))

    def scope(self, state: dict[str, Any]) -> tuple[set[int], set[int]]:
        return set(), set()

    def set_relation(self, obj, target: str, value: frozenset, reason: str, user) -> None:
        raise NotImplementedError

    def create_all(self, new: list[tuple[Any, dict[str, Any]]], reason: str, user) -> None:
        """Save the checked new records (unsaved objects and their row's values), each
        with its history under ``reason`` and ``user``, then their relations."""
        for obj, values in new:
            obj._change_reason = reason
            obj._history_user = user
            obj.save()
            for target in self.relations:
                if values.get(target):
                    self.set_relation(obj, target, values[target], reason, user)

    def snapshot(self, state: dict[str, Any]) -> dict[str, list]:
        """The relations of a record before the import, as JSON, for undo."""
        return {
            name: sorted(list(x) if isinstance(x, tuple) else x for x in state[name])
            for name in self.relations
        }

    def restore_relations(self, obj, snapshot: dict[str, list], reason: str, user) -> None:
        for name in self.relations:
            if name in snapshot:
                items = frozenset(tuple(x) if isinstance(x, list) else x for x in snapshot[name])
                self.set_relation(obj, name, items, reason, user)


def _required_message() -> str:
    return _("This column must have a value.")


class ActivityRows(Kind):
    name = "activities"
    model = Activity
    record_rules = activity_rules.RULES
    relations = ("partnerships", "themes", "roles")
    required = ("title", "activity_type")
    keep_when_blank = ("status", "is_public")
    defaults = {"status": ActivityStatus.ONGOING, "is_public": True}
    readers = {
        "title": ("title", _text(250, no_direction_controls)),
        "activity_type": ("activity_type", _choice(ActivityType)),
        "thesis_level": ("thesis_level", _choice(ThesisLevel)),
        "status": ("status", _choice(ActivityStatus)),
        "start_date": ("start_date", _within(v.date, Activity.DATE_YEARS)),
        "end_date": ("end_date", _within(v.date, Activity.DATE_YEARS)),
        "summary": ("summary", _text(10_000)),
        "partnerships": ("partnerships", _each(lambda lookups: lookups.partnerships.resolve)),
        "themes": ("themes", _each(lambda lookups: lookups.themes.resolve)),
        "funding_source": ("funding_source", _text(200)),
        "funding_amount": ("funding_amount", _plain(v.amount)),
        "cristin_project_id": (
            "cristin_project_id",
            _external_id("cristin_project_id", activity_rules.CRISTIN_ADDRESS),
        ),
        "nfr_project_number": (
            "nfr_project_number",
            _external_id("nfr_project_number", activity_rules.NFR_ADDRESS),
        ),
        "professional_owner": ("professional_owner_id", _organisation),
        "professional_owner_level": ("professional_owner_level", _choice(AnchoringLevel)),
        "strategic_owner": ("strategic_owner_id", _organisation),
        "strategic_owner_level": ("strategic_owner_level", _choice(AnchoringLevel)),
        "organisations": ("roles", _roles),
        "is_public": ("is_public", _plain(v.boolean)),
    }

    def relation_states(self, pks):
        states: dict[int, dict[str, set]] = {
            pk: {"partnerships": set(), "themes": set(), "roles": set()} for pk in pks
        }
        for pk, other in Activity.partnerships.through.objects.filter(
            activity_id__in=pks
        ).values_list("activity_id", "partnership_id"):
            states[pk]["partnerships"].add(other)
        for pk, other in Activity.themes.through.objects.filter(activity_id__in=pks).values_list(
            "activity_id", "theme_id"
        ):
            states[pk]["themes"].add(other)
        for pk, org, role in ActivityOrganisation.objects.filter(activity_id__in=pks).values_list(
            "activity_id", "organisation_id", "role"
        ):
            states[pk]["roles"].add((org, role))
        return {pk: {k: frozenset(s) for k, s in d.items()} for pk, d in states.items()}

    def natural_keys(self, state):
        keys = []
        if state.get("cristin_project_id"):
            keys.append(("cristin_project_id", ("cristin", state["cristin_project_id"])))
        if state.get("nfr_project_number"):
            keys.append(("nfr_project_number", ("nfr", state["nfr_project_number"])))
        title = fold(state.get("title") or "")
        for partnership in sorted(state.get("partnerships") or ()):
            keys.append(("title", ("title", title, partnership)))
        return keys

    def database_keys(self, keys):
        for kind, column in (("cristin", "cristin_project_id"), ("nfr", "nfr_project_number")):
            if numbers := {k[1] for k in keys if k[0] == kind}:
                for pk, number in (
                    Activity.objects.filter(**{f"{column}__in": numbers})
                    .values_list("pk", column)
                    .order_by()
                ):
                    yield (kind, number), pk
        titles = {k for k in keys if k[0] == "title"}
        if titles:
            # Candidates by the hashed title, then the folded titles themselves.
            candidates = Activity.objects.filter(
                title_key__in={folded_title_key(title) for _t, title, _p in titles}
            )
            for pk, title, partnership in (
                candidates.filter(partnerships__isnull=False)
                .values_list("pk", "title", "partnerships")
                .order_by()
            ):
                key = ("title", fold(title), partnership)
                if key in titles:
                    yield key, pk

    def rules(self, state, before):
        found = super().rules(state, before)
        if problem := activity_rules.scope(*self.scope(state)):
            found.append(("partnerships", problem))
        return found

    def scope(self, state):
        partnerships = set(state.get("partnerships") or ())
        organisations = {
            state[name]
            for name in ("professional_owner_id", "strategic_owner_id")
            if state.get(name)
        }
        organisations |= {org for org, _role in state.get("roles") or ()}
        return partnerships, organisations

    def set_relation(self, obj, target, value, reason, user):
        if target in ("partnerships", "themes"):
            getattr(obj, target).set(value)
            return
        current = {(r.organisation_id, r.role): r for r in obj.organisation_roles.all()}
        for key, role in current.items():
            if key not in value:
                role._change_reason = reason
                role._history_user = user
                role.delete()
        for org, role_code in sorted(value - set(current)):
            role = ActivityOrganisation(activity=obj, organisation_id=org, role=role_code)
            role._change_reason = reason
            role._history_user = user
            role.save()

    def create_all(self, new, reason, user):
        """In bulk: the activities and their history, the links to partnerships and
        themes, the organisations' roles and their history, written by the bulk
        writer of ``unikom synth`` under reserved ids (core.bulk): about a third of
        the time of ``bulk_create_with_history``, which prepares every value through
        the field API and builds each statement afresh."""
        sink = bulk.Sink(now=timezone.now(), reason=reason, user_id=user.pk if user else None)
        for obj, _values in new:
            obj.title_key = title_key(obj.title)  # what save() would set
        bulk.write_instances(sink, [obj for obj, _values in new])
        for target, through, column in (
            ("partnerships", Activity.partnerships.through, "partnership_id"),
            ("themes", Activity.themes.through, "theme_id"),
        ):
            links = sink.table(through, explicit_ids=False, history=False)
            for obj, values in new:
                for other in sorted(values.get(target) or ()):
                    links.add({"activity_id": obj.pk, column: other})
        bulk.write_instances(
            sink,
            [
                ActivityOrganisation(activity=obj, organisation_id=org, role=role)
                for obj, values in new
                for org, role in sorted(values.get("roles") or ())
            ],
        )
        sink.flush()


class NeedRows(Kind):
    name = "needs"
    model = Need
    relations = ("led_to",)
    required = ("title", "description", "organisation_id")
    keep_when_blank = ("status", "is_public")
    defaults = {"status": NeedStatus.OPEN, "is_public": True, "suited_for": []}
    readers = {
        "title": ("title", _text(250, no_direction_controls)),
        "description": ("description", _text(20_000)),
        "status": ("status", _choice(NeedStatus)),
        "service_area": ("service_area_id", _theme),
        "suited_for": ("suited_for", _suited_for),
        "organisation": ("organisation_id", _organisation),
        "partnership": ("partnership_id", _partnership),
        "contact": (
            "contact_id",
            lambda cell, lookups, row: lookups.person(v.text(cell)) if v.text(cell) else None,
        ),
        "deadline": ("deadline", _within(v.date, Need.DATE_YEARS)),
        "led_to": ("led_to", _each(lambda lookups: lookups.activity)),
        "is_public": ("is_public", _plain(v.boolean)),
    }

    def relation_states(self, pks):
        states: dict[int, set] = {pk: set() for pk in pks}
        for pk, activity in Need.led_to.through.objects.filter(need_id__in=pks).values_list(
            "need_id", "activity_id"
        ):
            states[pk].add(activity)
        return {pk: {"led_to": frozenset(s)} for pk, s in states.items()}

    def natural_keys(self, state):
        if state.get("organisation_id") and state.get("title"):
            return [("title", ("need", fold(state["title"]), state["organisation_id"]))]
        return []

    def database_keys(self, keys):
        # The needs of the file's organisations (an organisation has tens).
        for pk, title, org in (
            Need.objects.filter(organisation_id__in={k[2] for k in keys})
            .values_list("pk", "title", "organisation_id")
            .order_by()
        ):
            if (key := ("need", fold(title), org)) in keys:
                yield key, pk

    def scope(self, state):
        return (
            {state["partnership_id"]} if state.get("partnership_id") else set(),
            {state["organisation_id"]} if state.get("organisation_id") else set(),
        )

    def rules(self, state, before):
        # The workflow rules of the edit form (needs.rules), so a file cannot do what
        # the form refuses.
        return need_rules.problems(self.values(state), self.values(before) if before else None)

    def set_relation(self, obj, target, value, reason, user):
        obj.led_to.set(value)


class EventRows(Kind):
    name = "events"
    model = Event
    record_rules = event_rules.RULES
    relations = ("themes",)
    required = ("title", "kind", "starts_at", "ends_at", "organiser_id")
    keep_when_blank = ("is_public",)
    defaults = {"is_public": True}
    readers = {
        "title": ("title", _text(250, no_direction_controls)),
        "kind": ("kind", _choice(EventKind)),
        "starts_at": ("starts_at", _within(v.date_time, Event.DATE_YEARS)),
        "ends_at": ("ends_at", _within(v.date_time, Event.DATE_YEARS)),
        "location": ("location", _text(300)),
        "online_url": ("online_url", _url(Event._meta.get_field("online_url"))),
        "organiser": ("organiser_id", _organisation),
        "partnership": ("partnership_id", _partnership),
        "themes": ("themes", _each(lambda lookups: lookups.themes.resolve)),
        "description": ("description", _text(20_000)),
        "is_public": ("is_public", _plain(v.boolean)),
    }

    def relation_states(self, pks):
        states: dict[int, set] = {pk: set() for pk in pks}
        for pk, theme in Event.themes.through.objects.filter(event_id__in=pks).values_list(
            "event_id", "theme_id"
        ):
            states[pk].add(theme)
        return {pk: {"themes": frozenset(s)} for pk, s in states.items()}

    def natural_keys(self, state):
        if state.get("starts_at") and state.get("title") and state.get("organiser_id"):
            key = ("event", fold(state["title"]), state["starts_at"], state["organiser_id"])
            return [("title", key)]
        return []

    def database_keys(self, keys):
        # The events of the file's organisers at the file's times.
        for pk, title, starts, org in (
            Event.objects.filter(
                organiser_id__in={k[3] for k in keys}, starts_at__in={k[2] for k in keys}
            )
            .values_list("pk", "title", "starts_at", "organiser_id")
            .order_by()
        ):
            if (key := ("event", fold(title), starts, org)) in keys:
                yield key, pk

    def scope(self, state):
        return (
            {state["partnership_id"]} if state.get("partnership_id") else set(),
            {state["organiser_id"]} if state.get("organiser_id") else set(),
        )

    def set_relation(self, obj, target, value, reason, user):
        obj.themes.set(value)


KIND_CLASSES: dict[str, Kind] = {k.name: k for k in (ActivityRows(), NeedRows(), EventRows())}


def get_kind(name: str) -> Kind:
    return KIND_CLASSES[name]
