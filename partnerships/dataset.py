"""Load a partnership dataset (the bundled one, or another file in its format).

The format (``unikom-dataset/1``) is described in docs/dataset.md. Loading is
all or nothing: the whole file is parsed and validated first, and every
problem is reported with its place in the file (``partnerships[3]
«usn-drammen» › members[1] › org``), collected as in every loader of unikom
(``core.loading``). Only a valid file is written, inside one
transaction; a second load of the same file changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.dates import WhenError, parse_when
from core.loading import LoadError, Problem, Problems
from core.sync import SyncCounter, check_constraints, save_changed, sync_children
from core.text import slugify_nb
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind, RecordSource
from organisations.models import Organisation
from organisations.refdata import has_refdata

from .models import (
    Agreement,
    Anchoring,
    Body,
    Membership,
    Partnership,
    Plan,
    ReportedResult,
    Source,
    Statement,
    Theme,
)

BUNDLED_PATH = Path(__file__).resolve().parent / "data" / "partnerships.json"
FORMAT = "unikom-dataset/1"
REASON = "dataset load"

PARTNERSHIP_FIELDS = [
    "slug",
    "name",
    "aliases",
    "kind",
    "maturity",
    "initiative",
    "initiative_note",
    "status",
    "status_as_of",
    "facts_as_of",
    "roots_note",
    "agreement_note",
    "summary",
    "purpose",
    "focus_areas",
    "stated_municipality_count",
    "member_note",
    "reported_population",
    "population_note",
    "coordinator_fte",
    "coordinator_note",
    "funding_note",
    "organisation_note",
    "lead_note",
    "source_url",
]
ORGANISATION_FIELDS = ["kind", "name", "short_name", "name_en", "municipality_number", "website"]

# Child collections: JSON key -> (model, JSON field -> model field, natural key).
CHILDREN: dict[str, tuple[type, dict[str, str], Callable[[dict], tuple]]] = {
    "members": (
        Membership,
        {
            "org": "organisation",
            "role": "role",
            "note": "note",
            "valid_from": "valid_from",
            "valid_to": "valid_to",
            "source_url": "source_url",
        },
        lambda v: (v["organisation_id"], v["valid_to"]),
    ),
    "agreements": (
        Agreement,
        {
            "title": "title",
            "kind": "kind",
            "signed_year": "signed_year",
            "signed_date": "signed_date",
            "valid_from_year": "valid_from_year",
            "valid_to_year": "valid_to_year",
            "signed_by": "signed_by",
            "note": "note",
            "source_url": "source_url",
        },
        lambda v: (v["title"],),
    ),
    "anchoring": (
        Anchoring,
        {
            "org": "organisation",
            "party_label": "party_label",
            "level": "level",
            "absent": "absent",
            "evidence": "evidence",
            "body": "body",
            "year": "year",
            "description": "description",
            "source_url": "source_url",
        },
        lambda v: (v["organisation_id"], v["party_label"], v["level"]),
    ),
    "bodies": (
        Body,
        {
            "name": "name",
            "kind": "kind",
            "composition": "composition",
            "meetings_per_year": "meetings_per_year",
            "source_url": "source_url",
        },
        lambda v: (v["name"],),
    ),
    "plans": (
        Plan,
        {
            "org": "organisation",
            "name": "name",
            "kind": "kind",
            "adopted_by": "adopted_by",
            "politically_adopted": "politically_adopted",
            "year": "year",
            "note": "note",
            "source_url": "source_url",
        },
        lambda v: (v["name"],),
    ),
    "results": (
        ReportedResult,
        {
            "type": "result_type",
            "count": "count",
            "unit": "unit",
            "unit_note": "unit_note",
            "year": "year",
            "description": "description",
            "source_url": "source_url",
        },
        lambda v: (v["result_type"], v["description"]),
    ),
    "statements": (
        Statement,
        {
            "org": "organisation",
            "topic": "topic",
            "text": "text",
            "year": "year",
            "source_url": "source_url",
        },
        lambda v: (v["topic"], v["organisation_id"], v["text"]),
    ),
    "sources": (
        Source,
        {"url": "url", "title": "title"},
        lambda v: (v["url"],),
    ),
}
#: Dates written as the sources give them; each fills ``<name>_year``,
#: ``<name>_year_to`` and ``<name>_text``.
DATED_FIELDS = ("roots", "agreement")
KNOWN_PARTNERSHIP_KEYS = {*PARTNERSHIP_FIELDS, *DATED_FIELDS, "themes", *CHILDREN}

RELATED_NAME = {
    "members": "memberships",
    "agreements": "agreements",
    "anchoring": "anchorings",
    "bodies": "bodies",
    "plans": "plans",
    "results": "reported_results",
    "statements": "statements",
    "sources": "sources",
}


class DatasetError(LoadError):
    """The dataset cannot be loaded; ``errors`` says where and why, one line each.

    Each problem's place is its path in the file (``column``: ``partnerships[3]
    «usn-drammen» › members[1] › org``); the file is ``path``.
    """

    def __init__(self, path: Path, problems: Iterable[Problem]) -> None:
        self.path = path
        super().__init__(problems)

    def describe(self, problem: Problem) -> str:
        return f"{problem.column}: {problem.message}" if problem.column else problem.message

    def __str__(self) -> str:
        return "\n".join(f"{self.path.name}: {e}" for e in self.errors)


@dataclass
class DatasetReport:
    path: Path
    counter: SyncCounter = field(default_factory=SyncCounter)
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return self.counter.changed()

    def summary(self) -> str:
        head = (
            _("Dry run of %(file)s (nothing written):") if self.dry_run else _("Loaded %(file)s:")
        )
        return "\n".join([head % {"file": self.path.name}, *self.counter.lines()])


@dataclass
class _Plan:
    """The validated content of a dataset file, ready to be written."""

    themes: list[dict[str, Any]]
    organisations: dict[str, dict[str, Any]]
    partnerships: list[dict[str, Any]]


def load_bundled(*, dry_run: bool = False) -> DatasetReport:
    """Load the dataset that ships with unikom (the KS compilation's partnerships)."""
    return load_dataset(BUNDLED_PATH, dry_run=dry_run)


def load_dataset(path: Path, *, dry_run: bool = False) -> DatasetReport:
    """Validate ``path`` completely, then write it in one transaction."""
    path = Path(path)
    plan = _validate(path, _read(path))
    report = DatasetReport(path=path, dry_run=dry_run)
    with transaction.atomic():
        _write(plan, report.counter)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        _refuse(path, _("cannot read the file: %s") % error.strerror, error)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        _refuse(
            path,
            _("line %(line)d: the file is not UTF-8 (byte %(byte)d)")
            % {"line": line, "byte": error.start},
            error,
        )
    try:
        # Decimals stay exact (0.8 FTE is 0.8, not 0.8000000000000000444).
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        _refuse(
            path,
            _("line %(line)d, column %(col)d: malformed JSON (%(msg)s)")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg},
            error,
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        _refuse(path, _("not a unikom dataset: 'format' must be %s") % FORMAT)
    return data


def _refuse(path: Path, message: str, cause: Exception | None = None) -> NoReturn:
    """Refuse a file that cannot be read as a dataset at all."""
    raise DatasetError(path, [Problem(message, source=path.name)]) from cause


class _Errors(Problems):
    """The problems of one dataset file, each placed by its path in the file."""

    def __init__(self, path: Path) -> None:
        super().__init__(partial(DatasetError, path))
        self.source = path.name

    def at(self, where: str, message: str) -> None:
        self.add(message, source=self.source, column=where)

    def add_validation(self, where: str, error: ValidationError, names: dict[str, str]) -> None:
        """Report a model ValidationError under the JSON names the file uses."""
        json_name = {model: js for js, model in names.items()}
        if hasattr(error, "error_dict"):
            for model_field, errs in error.message_dict.items():
                label = json_name.get(model_field, model_field)
                for message in errs:
                    self.at(f"{where} › {label}" if label != "__all__" else where, message)
        else:
            for message in error.messages:
                self.at(where, message)


def _list(data: dict, key: str, where: str, errors: _Errors) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        errors.at(f"{where}{key}", _("must be a list"))
        return []
    return value


def _validate(path: Path, data: dict[str, Any]) -> _Plan:
    """Check the whole file and plan what to write; raise DatasetError listing every
    problem, in the order of the file."""
    errors = _Errors(path)
    register_loaded, known_numbers = _municipality_register()
    themes = _validate_themes(data, errors)
    theme_slugs = {t["slug"] for t in themes}
    organisations = _validate_organisations(data, register_loaded, known_numbers, errors)
    partnerships: list[dict[str, Any]] = []
    seen_slugs: set[str] = set()
    for i, row in enumerate(_list(data, "partnerships", "", errors)):
        partnerships.append(
            _validate_partnership(i, row, seen_slugs, theme_slugs, organisations, errors)
        )
    errors.check()
    return _Plan(themes=themes, organisations=organisations, partnerships=partnerships)


def _municipality_register() -> tuple[bool, set[str]]:
    """Whether the municipality register is loaded, and its municipality numbers."""
    register_loaded = has_refdata()
    known_numbers = (
        set(Organisation.objects.municipalities().values_list("municipality_number", flat=True))
        if register_loaded
        else set()
    )
    return register_loaded, known_numbers


def _validate_themes(data: dict[str, Any], errors: _Errors) -> list[dict[str, Any]]:
    """The file's themes, each checked against the Theme model."""
    themes: list[dict[str, Any]] = []
    for i, row in enumerate(_list(data, "themes", "", errors)):
        where = f"themes[{i}]"
        values = {k: row.get(k, "") for k in ("slug", "name", "name_en")}
        try:
            Theme(**values).full_clean(validate_unique=False)
        except ValidationError as error:
            errors.add_validation(where, error, {k: k for k in values})
        themes.append(values)
    return themes


def _validate_organisations(
    data: dict[str, Any], register_loaded: bool, known_numbers: set[str], errors: _Errors
) -> dict[str, dict[str, Any]]:
    """The file's organisations by key, each checked against the Organisation model
    and, when the register is loaded, its municipality number against the register."""
    organisations: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(_list(data, "organisations", "", errors)):
        key = str(row.get("key") or "")
        where = f"organisations[{i}] «{key}»"
        if not key:
            errors.at(where, _("'key' is required"))
            continue
        if key in organisations:
            errors.at(where, _("duplicate key '%s'") % key)
            continue
        values = {
            k: row.get(k) or None if k == "municipality_number" else row.get(k, "")
            for k in ORGANISATION_FIELDS
        }
        probe = Organisation(slug=slugify_nb(key) or "x", **values)
        try:
            probe.full_clean(validate_unique=False, validate_constraints=False)
            check_constraints(probe)
        except ValidationError as error:
            errors.add_validation(where, error, {k: k for k in ORGANISATION_FIELDS})
        number = values["municipality_number"]
        if register_loaded and number and number not in known_numbers:
            errors.at(
                f"{where} › municipality_number",
                _("municipality number %s does not exist in the municipality register") % number,
            )
        organisations[key] = values
    return organisations


def _validate_partnership(
    i: int,
    row: dict[str, Any],
    seen_slugs: set[str],
    theme_slugs: set[str],
    organisations: dict[str, dict[str, Any]],
    errors: _Errors,
) -> dict[str, Any]:
    """Check the ``i``-th partnership and its children; return its plan entry.

    Adds its slug to ``seen_slugs``, to find duplicates among those that follow.
    """
    slug = str(row.get("slug") or "")
    where = f"partnerships[{i}] «{slug}»"
    if slug in seen_slugs:
        errors.at(where, _("duplicate slug '%s'") % slug)
    seen_slugs.add(slug)
    for name in sorted(set(row) - KNOWN_PARTNERSHIP_KEYS):
        errors.at(f"{where} › {name}", _("unknown field"))
    values = {k: row.get(k) for k in PARTNERSHIP_FIELDS}
    values.update(_dated_values(row, where, errors))
    _fill_partnership_blanks(values)
    _check_partnership_model(values, where, errors)
    unknown_themes = [t for t in row.get("themes", []) if t not in theme_slugs]
    for t in unknown_themes:
        errors.at(f"{where} › themes", _("unknown theme '%s'") % t)
    entry = {"values": values, "themes": list(row.get("themes", [])), "children": {}}
    for json_key, (model, names, key_fn) in CHILDREN.items():
        entry["children"][json_key] = _validate_children(
            row, json_key, model, names, key_fn, where, organisations, errors
        )
    _check_single_lead(row, where, errors)
    return entry


def _dated_values(row: dict[str, Any], where: str, errors: _Errors) -> dict[str, Any]:
    """The stored fields (``_year``, ``_year_to``, ``_text``) of each dated field."""
    # "roots" and "agreement" are written as the sources give them: a year,
    # a month, a day or a period ("tidlig 2000-tall"); see core.dates.
    values: dict[str, Any] = {}
    for prefix in DATED_FIELDS:
        try:
            when = parse_when(row.get(prefix))
        except WhenError as error:
            errors.at(f"{where} › {prefix}", str(error))
            when = None
        values[f"{prefix}_year"] = when.year_from if when else None
        values[f"{prefix}_year_to"] = when.year_to if when and when.is_range else None
        values[f"{prefix}_text"] = when.text if when else ""
    return values


def _fill_partnership_blanks(values: dict[str, Any]) -> None:
    """Replace missing values of fields that cannot be null by empty ones, in place."""
    for text_field in ("aliases", "focus_areas"):
        values[text_field] = values[text_field] or []
    for name, value in list(values.items()):
        if value is None and not Partnership._meta.get_field(name).null:
            values[name] = "" if name not in ("aliases", "focus_areas") else []


def _check_partnership_model(values: dict[str, Any], where: str, errors: _Errors) -> None:
    """Report what the Partnership model's validation finds in ``values``."""
    try:
        probe = Partnership(**values)
        probe.full_clean(validate_unique=False, validate_constraints=False)
        check_constraints(probe)
    except ValidationError as error:
        names = {k: k for k in PARTNERSHIP_FIELDS} | {d: f"{d}_year" for d in DATED_FIELDS}
        errors.add_validation(where, error, names)
    except (TypeError, ValueError) as error:
        errors.at(where, str(error))


def _check_single_lead(row: dict[str, Any], where: str, errors: _Errors) -> None:
    """Report a partnership with more than one current lead member."""
    leads = [m for m in row.get("members", []) if m.get("role") == "lead" and not m.get("valid_to")]
    if len(leads) > 1:
        errors.at(
            f"{where} › members", _("a partnership has at most one lead municipality at a time")
        )


def _validate_children(row, json_key, model, names, key_fn, where, organisations, errors):
    """Check a partnership's ``json_key`` entries (members, bodies, ...); return their
    values by model field."""
    cleaned: list[dict[str, Any]] = []
    keys: set[tuple] = set()
    for j, child in enumerate(_list(row, json_key, f"{where} › ", errors)):
        here = f"{where} › {json_key}[{j}]"
        if not isinstance(child, dict):
            errors.at(here, _("must be an object"))
            continue
        unknown = sorted(set(child) - set(names))
        for name in unknown:
            errors.at(f"{here} › {name}", _("unknown field"))
        values = _child_values(child, model, names)
        org_key = values.get("organisation")
        if "organisation" in values:
            if org_key is not None and str(org_key) not in organisations:
                errors.at(f"{here} › org", _("unknown organisation '%s'") % org_key)
            values["organisation"] = None if org_key is None else str(org_key)
        _check_child_model(model, values, names, here, errors)
        _check_child_rules(model, values, org_key, here, organisations, errors)
        # The same natural key the write step matches existing rows by.
        k = key_fn(
            {("organisation_id" if f == "organisation" else f): v for f, v in values.items()}
        )
        if k in keys:
            errors.at(here, _("duplicate entry"))
        keys.add(k)
        cleaned.append(values)
    return cleaned


def _child_values(child: dict[str, Any], model: type, names: dict[str, str]) -> dict[str, Any]:
    """A child's values by model field: a missing one takes the field's default,
    or an empty string when the field cannot be null (relations excepted)."""
    values: dict[str, Any] = {}
    for js, model_field in names.items():
        value = child.get(js)
        f = model._meta.get_field(model_field)
        if value is None and f.has_default():
            value = f.get_default()
        if value is None and not f.null and not f.is_relation:
            value = ""
        values[model_field] = value
    return values


def _check_child_model(
    model: type, values: dict[str, Any], names: dict[str, str], here: str, errors: _Errors
) -> None:
    """Report what the child model's validation finds in ``values`` (without its
    partnership and organisation, which are not saved yet)."""
    probe = model(**{k: v for k, v in values.items() if k != "organisation"})
    exclude = ["partnership", "organisation"]
    try:
        probe.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        # Anchoring's party rule and a result's unit are reported by field, by
        # _check_child_rules.
        if model not in (Anchoring, ReportedResult):
            check_constraints(probe)
    except ValidationError as error:
        errors.add_validation(here, error, names)


def _check_child_rules(
    model: type,
    values: dict[str, Any],
    org_key: Any,
    here: str,
    organisations: dict[str, dict[str, Any]],
    errors: _Errors,
) -> None:
    """Report the rules of a result, an anchoring and a membership that are told by
    field: a counted result's unit, an anchoring's party, a member's role."""
    if model is ReportedResult and values.get("count") is not None and not values.get("unit"):
        errors.at(
            f"{here} › unit",
            _("a counted result needs a unit saying what is counted"),
        )
    if model is Anchoring and not values.get("organisation") and not values.get("party_label"):
        errors.at(here, _("name the party: 'org' or 'party_label'"))
    if model is Membership and org_key in organisations:
        kind = organisations[str(org_key)]["kind"]
        if (
            values["role"] in ("lead", "member_municipality")
            and kind != OrganisationKind.MUNICIPALITY
        ):
            errors.at(
                f"{here} › role",
                _("only a municipality can have the role '%s'") % values["role"],
            )


def _write(plan: _Plan, counter: SyncCounter) -> None:
    for values in plan.themes:
        _upsert(Theme, {"slug": values["slug"]}, values, counter, "themes")

    orgs: dict[str, Organisation] = {}
    for key, values in plan.organisations.items():
        orgs[key] = _upsert_organisation(key, values, counter)

    for entry in plan.partnerships:
        values = entry["values"]
        partnership = _upsert(
            Partnership, {"slug": values["slug"]}, values, counter, "partnerships"
        )
        wanted_themes = set(
            Theme.objects.filter(slug__in=entry["themes"]).values_list("pk", flat=True)
        )
        if set(partnership.themes.values_list("pk", flat=True)) != wanted_themes:
            partnership.themes.set(wanted_themes)
        for json_key, rows in entry["children"].items():
            model, _names, key_fn = CHILDREN[json_key]
            resolved = []
            for row in rows:
                row = dict(row, partnership=partnership)
                if "organisation" in row:
                    row["organisation"] = orgs[row["organisation"]] if row["organisation"] else None
                resolved.append(row)
            sync_children(
                getattr(partnership, RELATED_NAME[json_key]).all(),
                resolved,
                key_fn,
                counter=counter,
                label=json_key,
                reason=REASON,
            )


def _upsert(
    model, lookup: dict[str, Any], values: dict[str, Any], counter: SyncCounter, label: str
):
    # Records in the trash count as existing: a reload never duplicates them.
    manager = getattr(model, "all_objects", model.objects)
    obj = manager.filter(**lookup).first() or model()
    counter.add(label, save_changed(obj, values, reason=REASON))
    return obj


def _upsert_organisation(key: str, values: dict[str, Any], counter: SyncCounter) -> Organisation:
    """Find the dataset's organisation among existing ones, or create it.

    Records from the reference data are authoritative and left as they are;
    records the dataset created earlier are kept in step with it.
    """
    number = values.get("municipality_number")
    if number:
        org = Organisation.objects.filter(municipality_number=number).first()
    else:
        org = (
            Organisation.objects.filter(slug=slugify_nb(key)).first()
            or Organisation.objects.filter(
                kind__in=KNOWLEDGE_KINDS, short_name__iexact=values.get("short_name") or key
            ).first()
        )
    if org is not None and org.record_source == RecordSource.REFDATA:
        counter.add("organisations", "unchanged")
        return org
    if org is None:
        slug = slugify_nb(values["name"]) if number else slugify_nb(key)
        org = Organisation(slug=_free_slug(slug))
    wanted = dict(values, record_source=RecordSource.DATASET)
    counter.add("organisations", save_changed(org, wanted, reason=REASON))
    return org


def _free_slug(slug: str) -> str:
    candidate, n = slug, 2
    while Organisation.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
