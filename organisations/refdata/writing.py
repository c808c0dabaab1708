"""Writing validated reference data: all of it in one transaction, or nothing.

:func:`load` validates :class:`~.base.Sources` and, when there is no problem,
writes them; any problem raises :class:`~.base.RefdataError` first. A record
is saved only when one of its values changed, which keeps the change history
free of noise, and an existing record keeps its slug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.loading import Problems
from core.sync import save_changed
from core.text import slugify_nb

from ..choices import KNOWLEDGE_KINDS, OrganisationKind, RecordSource
from ..models import Boundary, Organisation
from .base import (
    COUNTY_SUFFIX,
    KLASS_COUNTIES,
    KLASS_DISTRICTS,
    KLASS_MUNICIPALITIES,
    KLASS_PAGE_URL,
    REFERENCE_DATE,
    Progress,
    RefdataError,
    Sources,
    at,
)
from .validation import InstitutionRecord, Outline, Refdata, validate

CHANGE_REASON = "Reference data"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadReport:
    """What a load created, updated and left unchanged, per kind of record."""

    counties: Counts = field(default_factory=Counts)
    municipalities: Counts = field(default_factory=Counts)
    districts: Counts = field(default_factory=Counts)
    institutions: Counts = field(default_factory=Counts)
    boundaries: Counts = field(default_factory=Counts)
    #: Optional inputs that were not there, each with the reason.
    skipped: list[str] = field(default_factory=list)
    #: Anything else the user should know (e.g. population not in the source).
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for _label, counts in self.by_kind())

    def by_kind(self) -> list[tuple[str, Counts]]:
        """(translated label, counts) for each kind of record, in load order."""
        return [
            (_("Counties"), self.counties),
            (_("Municipalities"), self.municipalities),
            (_("Oslo districts"), self.districts),
            (_("Knowledge institutions"), self.institutions),
            (_("Boundaries"), self.boundaries),
        ]

    def summary(self) -> str:
        lines = []
        if self.dry_run:
            lines.append(_("Dry run: nothing was written. A load would change this:"))
        for label, counts in self.by_kind():
            lines.append(
                _("%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {
                    "label": label,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                }
            )
        lines += [_("Skipped: %(what)s") % {"what": what} for what in self.skipped]
        lines += self.notes
        return "\n".join(lines)


def load(sources: Sources, problems: Problems, *, dry_run: bool, progress: Progress) -> LoadReport:
    """Validate ``sources`` and, if all is well, write them in one transaction."""
    data = validate(sources, problems)
    problems.check()
    report = LoadReport(skipped=sources.skipped, notes=list(sources.notes), dry_run=dry_run)
    unknown_population = sum(1 for m in data.municipalities if m.population is None)
    if unknown_population and sources.has_population:
        report.notes.append(
            ngettext(
                "%(count)d municipality has no population figure; the stored one was kept.",
                "%(count)d municipalities have no population figure; the stored ones were kept.",
                unknown_population,
            )
            % {"count": unknown_population}
        )
    with transaction.atomic():
        _Writer(report, progress).write(data)
        if dry_run:
            transaction.set_rollback(True)
    return report


def has_refdata() -> bool:
    """Whether municipalities from reference data are in the database."""
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, record_source=RecordSource.REFDATA
    ).exists()


class _Slugs:
    """Hands out unique slugs, deterministically, in the order asked for.

    A record that exists keeps its slug: slugs are in public URLs.
    """

    MAX_LENGTH = 120

    def __init__(self) -> None:
        self.taken = set(Organisation.objects.values_list("slug", flat=True))

    def claim(self, current: Organisation | None, *candidates: str) -> str:
        if current is not None and current.slug:
            return current.slug
        options = [slugify_nb(c)[: self.MAX_LENGTH].strip("-") for c in candidates]
        options = [option for option in options if option] or ["organisation"]
        slug = next((option for option in options if option not in self.taken), None)
        suffix = 2
        while slug is None:
            candidate = f"{options[0][: self.MAX_LENGTH - 6]}-{suffix}"
            slug = None if candidate in self.taken else candidate
            suffix += 1
        self.taken.add(slug)
        return slug


@dataclass
class _Plan:
    """What a load decided before its first write: existing records and slugs."""

    counties: dict[str, Organisation]
    municipalities: dict[str, Organisation]
    districts: dict[str, Organisation]
    institutions: list[tuple[InstitutionRecord, Organisation | None]]
    #: The slug each record gets, by number (by position for institutions).
    slugs: dict[str, dict] = field(
        default_factory=lambda: {
            "county": {},
            "municipality": {},
            "district": {},
            "institution": {},
        }
    )


class _Writer:
    """Writes validated reference data; called inside one transaction."""

    def __init__(self, report: LoadReport, progress: Progress) -> None:
        self.report = report
        self.say = progress

    def write(self, data: Refdata) -> None:
        plan = self._plan(data)
        counties = self._write_counties(data, plan)
        municipalities = self._write_municipalities(data, plan, counties)
        self._write_districts(data, plan, municipalities)
        self._write_institutions(plan)
        outlines = [
            (municipalities[number], outline)
            for number, outline in sorted(data.municipality_outlines.items())
        ] + [
            (counties[number], outline) for number, outline in sorted(data.county_outlines.items())
        ]
        if outlines:
            self.say(_("Writing %(count)d boundaries") % {"count": len(outlines)})
        self._save_boundaries(outlines)

    def _plan(self, data: Refdata) -> _Plan:
        """Settle everything that reads the database to decide: matches, clashes, slugs."""
        plan = _Plan(
            counties=_existing("county_number", data.counties),
            municipalities=_existing(
                "municipality_number", [m.number for m in data.municipalities]
            ),
            districts=_existing("district_number", [d.number for d in data.districts]),
            institutions=self._match_institutions(data.institutions),
        )
        # Municipalities choose first: "oslo" is Oslo municipality's, and Oslo
        # county gets "oslo-fylke". A name with a county suffix ("Herøy
        # (Nordland)") is ambiguous without it, so it gives "heroy-nordland".
        slugs = _Slugs()
        for record in sorted(data.municipalities, key=lambda m: m.number):
            candidates = [record.official_name]
            if not COUNTY_SUFFIX.search(record.official_name):
                candidates.insert(0, record.name)
            current = plan.municipalities.get(record.number)
            plan.slugs["municipality"][record.number] = slugs.claim(current, *candidates)
        for number, county in sorted(data.counties.items()):
            current = plan.counties.get(number)
            plan.slugs["county"][number] = slugs.claim(current, county.name, f"{county.name} fylke")
        names = {m.number: m.name for m in data.municipalities}
        for record in data.districts:
            current = plan.districts.get(record.number)
            name = f"{names[record.municipality_number]} {record.name}"
            plan.slugs["district"][record.number] = slugs.claim(current, name)
        for index, (record, match) in enumerate(plan.institutions):
            plan.slugs["institution"][index] = slugs.claim(match, record.short_name, record.name)
        return plan

    def _write_counties(self, data: Refdata, plan: _Plan) -> dict[str, Organisation]:
        if data.counties:
            self.say(_("Writing %(count)d counties") % {"count": len(data.counties)})
        return {
            number: self._save(
                plan.counties.get(number),
                self.report.counties,
                slug=plan.slugs["county"][number],
                kind=OrganisationKind.COUNTY,
                county_number=number,
                name=county.name,
                official_name=county.official_name,
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_COUNTIES),
            )
            for number, county in sorted(data.counties.items())
        }

    def _write_municipalities(
        self, data: Refdata, plan: _Plan, counties: dict[str, Organisation]
    ) -> dict[str, Organisation]:
        if data.municipalities:
            self.say(_("Writing %(count)d municipalities") % {"count": len(data.municipalities)})
        written = {}
        for record in data.municipalities:
            population = {}
            if record.population is not None:
                population = {"population": record.population, "population_date": REFERENCE_DATE}
            written[record.number] = self._save(
                plan.municipalities.get(record.number),
                self.report.municipalities,
                slug=plan.slugs["municipality"][record.number],
                kind=OrganisationKind.MUNICIPALITY,
                municipality_number=record.number,
                name=record.name,
                official_name=record.official_name,
                parent=counties[record.county_number],
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_MUNICIPALITIES),
                **population,
            )
        return written

    def _write_districts(
        self, data: Refdata, plan: _Plan, municipalities: dict[str, Organisation]
    ) -> None:
        if data.districts:
            self.say(_("Writing %(count)d Oslo districts") % {"count": len(data.districts)})
        for record in data.districts:
            self._save(
                plan.districts.get(record.number),
                self.report.districts,
                slug=plan.slugs["district"][record.number],
                kind=OrganisationKind.DISTRICT,
                district_number=record.number,
                name=record.name,
                parent=municipalities[record.municipality_number],
                record_source=RecordSource.REFDATA,
                source_url=KLASS_PAGE_URL.format(KLASS_DISTRICTS),
            )

    def _write_institutions(self, plan: _Plan) -> None:
        if plan.institutions:
            count = len(plan.institutions)
            self.say(_("Writing %(count)d knowledge institutions") % {"count": count})
        for index, (record, match) in enumerate(plan.institutions):
            # Empty cells never erase what is known: the file is not exhaustive.
            known = {
                "name_en": record.name_en,
                "short_name": record.short_name,
                "dbh_code": record.dbh_code,
                "org_number": record.org_number,
                "ror_id": record.ror_id,
            }
            self._save(
                match,
                self.report.institutions,
                slug=plan.slugs["institution"][index],
                kind=record.kind,
                name=record.name,
                record_source=RecordSource.REFDATA,
                **{name: value for name, value in known.items() if value},
            )

    def _save(self, current: Organisation | None, counts: Counts, **values) -> Organisation:
        """Create or update one organisation, saving only if a value changed."""
        organisation = current or Organisation()
        outcome = save_changed(organisation, values, reason=CHANGE_REASON)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        return organisation

    def _save_boundaries(self, outlines: list[tuple[Organisation, Outline]]) -> None:
        counts = self.report.boundaries
        existing = {
            boundary.organisation_id: boundary
            for boundary in Boundary.objects.filter(
                organisation_id__in=[organisation.pk for organisation, _outline in outlines]
            )
        }
        for organisation, outline in outlines:
            boundary = existing.get(organisation.pk)
            values = {
                "svg_path": outline.svg_path,
                "centroid_x": outline.centroid_x,
                "centroid_y": outline.centroid_y,
            }
            if boundary is not None and all(getattr(boundary, k) == v for k, v in values.items()):
                counts.unchanged += 1
                continue
            _boundary, created = Boundary.objects.update_or_create(
                organisation=organisation, defaults=values
            )
            if created:
                counts.created += 1
            else:
                counts.updated += 1

    def _match_institutions(
        self, records: list[InstitutionRecord]
    ) -> list[tuple[InstitutionRecord, Organisation | None]]:
        """Find the organisation each row describes, and refuse identifier clashes.

        A row matches by DBH code, then organisation number, then ROR id, then
        (case-insensitively) by short name among knowledge institutions, so
        that an institution created by hand or by the bundled dataset is
        updated rather than duplicated.
        """
        columns = {"dbh_code": "dbh_code", "org_number": "orgnr", "ror_id": "ror_id"}
        wanted = Q(kind__in=KNOWLEDGE_KINDS)
        for attribute in columns:
            values = {getattr(record, attribute) for record in records} - {None}
            wanted |= Q(**{f"{attribute}__in": values})
        candidates = list(Organisation.objects.filter(wanted).order_by("pk")) if records else []
        index = {
            attribute: {getattr(o, attribute): o for o in candidates if getattr(o, attribute)}
            for attribute in columns
        }
        by_short_name: dict[str, Organisation] = {}
        for organisation in candidates:
            if organisation.kind in KNOWLEDGE_KINDS and organisation.short_name:
                by_short_name.setdefault(organisation.short_name.casefold(), organisation)

        problems = Problems(RefdataError)
        claimed: dict[int, int] = {}
        matches = []
        for record in records:
            match = next(
                (
                    index[attribute][getattr(record, attribute)]
                    for attribute in columns
                    if getattr(record, attribute) in index[attribute]
                ),
                None,
            )
            if match is None and record.short_name:
                match = by_short_name.get(record.short_name.casefold())
            if match is not None and match.pk in claimed:
                problems.append(
                    at(
                        record.source,
                        _("this row and row %(row)d both describe “%(name)s” in the database.")
                        % {"row": claimed[match.pk], "name": match.name},
                        row=record.row,
                    )
                )
            elif match is not None:
                claimed[match.pk] = record.row
            for attribute, column in columns.items():
                holder = index[attribute].get(getattr(record, attribute))
                if holder is not None and holder is not match:
                    problems.append(
                        at(
                            record.source,
                            _("“%(value)s” already belongs to “%(name)s” in the database.")
                            % {"value": getattr(record, attribute), "name": holder.name},
                            row=record.row,
                            column=column,
                        )
                    )
            matches.append((record, match))
        problems.check()
        return matches


def _existing(field_name: str, numbers: Iterable[str]) -> dict[str, Organisation]:
    """The organisations that already have one of ``numbers`` in ``field_name``."""
    numbers = list(numbers)
    if not numbers:
        return {}
    found = Organisation.objects.filter(**{f"{field_name}__in": numbers})
    return {getattr(organisation, field_name): organisation for organisation in found}
