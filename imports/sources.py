"""Project lists from NVA/Cristin (JSON) and Prosjektbanken (CSV), read as activity rows.

Both become a ``Table`` with unikom's activity columns, so they go through the
same checks, matching, preview and undo as a spreadsheet. The fields used are
described in docs/import.md, with what is assumed where the sources'
documentation is thin.

NVA/Cristin: the NVA project resource (``identifier`` with a
``CristinIdentifier``, ``title``, ``startDate``, ``endDate``,
``coordinatingInstitution``, ``contributors``, ``funding``, ``status``) and the
older Cristin REST API v2 project (``cristin_project_id``, ``title`` by
language, ``start_date``, ``end_date``, ``coordinating_institution``,
``project_funding_sources``, ``academic_summary``). A file may hold one
project, a list of them, or an NVA search result (``hits``).

Prosjektbanken: the Research Council's project list, with the column names
of its open data (``prosjektnummer`` / "Prosjektnummer", ``prosjekttittel``,
``prosjektfase``, ``prosjektstart``, ``prosjektslutt``,
``prosjektansvarlig_navn``, ``kortnavn``, ``organisasjonsnummer``,
``tildelt_belop``, ``aktivitet``, ``soknadstype``).
"""

from __future__ import annotations

import json
import re

from django.utils.translation import gettext as _

from opendata.columns import neutralise
from organisations.models import Organisation
from search.text import fold

from .reading import ReadError, Table, decode, read_csv

ACTIVITY_COLUMNS = [
    "title",
    "activity_type",
    "status",
    "start_date",
    "end_date",
    "summary",
    "funding_source",
    "funding_amount",
    "cristin_project_id",
    "nfr_project_number",
    "organisations",
]

NVA_STATUS = {"ACTIVE": "ongoing", "CONCLUDED": "completed", "NOTSTARTED": "planned"}
NFR_CODES = {"NFR", "FORSKNINGSRADET", "NORGES FORSKNINGSRÅD", "THE RESEARCH COUNCIL OF NORWAY"}
TRAILING_DIGITS = re.compile(r"([0-9]+)/?$")
LANGUAGES = ("nb", "no", "nn", "en")


def _text(value) -> str:
    """A plain string from a string or a {language: text} map (bokmål first)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for language in LANGUAGES:
            if isinstance(value.get(language), str) and value[language].strip():
                return value[language].strip()
        return next((t.strip() for t in value.values() if isinstance(t, str) and t.strip()), "")
    return ""


def _date(value) -> str:
    return value[:10] if isinstance(value, str) else ""


def _guard(text: str) -> str:
    """Data from another system is text: guard it like the exporter does."""
    return neutralise(text)


def _projects(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("hits"), list):
        return data["hits"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise ReadError(_("The JSON holds no projects (expected a project, a list, or “hits”)."))


def _nva_row(project: dict) -> dict[str, str]:
    row = dict.fromkeys(ACTIVITY_COLUMNS, "")
    row["activity_type"] = "research_project"
    cristin = str(project.get("cristin_project_id") or "")
    for identifier in project.get("identifier") or []:
        if isinstance(identifier, dict) and identifier.get("type") == "CristinIdentifier":
            cristin = str(identifier.get("value") or "")
    if not cristin and isinstance(project.get("id"), str):
        match = TRAILING_DIGITS.search(project["id"])
        cristin = match.group(1) if match else ""
    row["cristin_project_id"] = cristin
    row["title"] = _guard(_text(project.get("title")))
    row["start_date"] = _date(project.get("startDate") or project.get("start_date"))
    row["end_date"] = _date(project.get("endDate") or project.get("end_date"))
    row["status"] = NVA_STATUS.get(str(project.get("status") or "").upper(), "")
    summary = project.get("academicSummary") or project.get("academic_summary")
    popular = project.get("popularScientificSummary") or project.get("popular_scientific_summary")
    row["summary"] = _guard(_text(summary) or _text(popular))
    roles = []
    coordinating = project.get("coordinatingInstitution") or project.get("coordinating_institution")
    if isinstance(coordinating, dict):
        institution = coordinating.get("institution") or coordinating
        name = _text(institution.get("name") or institution.get("institution_name"))
        if name:
            roles.append(f"owner:{name}")
    for contributor in project.get("contributors") or []:
        affiliation = (contributor or {}).get("affiliation") or {}
        name = _text(affiliation.get("name")) if isinstance(affiliation, dict) else ""
        if name and f"owner:{name}" not in roles and f"partner:{name}" not in roles:
            roles.append(f"partner:{name}")
    row["organisations"] = _guard("; ".join(roles))
    for funding in project.get("funding") or project.get("project_funding_sources") or []:
        if not isinstance(funding, dict):
            continue
        source = funding.get("source") if isinstance(funding.get("source"), dict) else {}
        code = str(
            funding.get("funding_source_code")
            or source.get("identifier")
            or source.get("code")
            or ""
        )
        name = _text(
            funding.get("funding_source_name")
            or source.get("name")
            or source.get("names")
            or source.get("labels")
        )
        number = str(funding.get("project_code") or funding.get("identifier") or "")
        if code.upper() in NFR_CODES or fold(name) in {fold(n) for n in NFR_CODES}:
            row["nfr_project_number"] = row["nfr_project_number"] or number
        row["funding_source"] = row["funding_source"] or _guard(name or code)
    return row


def read_nva(raw: bytes) -> Table:
    """NVA/Cristin project JSON as activity rows; a row number is the project's place (1, 2...)."""
    text, _encoding = decode(raw)
    if not text.strip():
        raise ReadError(_("The file is empty."))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            _("Line %(line)d, column %(col)d: malformed JSON (%(msg)s).")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from error
    projects = _projects(data)
    rows = []
    for position, project in enumerate(projects, start=1):
        if not isinstance(project, dict):
            raise ReadError(_("Project %(n)d is not a JSON object.") % {"n": position})
        rows.append((position, [_nva_row(project)[c] for c in ACTIVITY_COLUMNS]))
    return Table(
        header=list(ACTIVITY_COLUMNS),
        _rows=lambda: iter(rows),
        total=len(rows),
        notes=[_("NVA/Cristin projects: a row number is the project's place in the file.")],
    )


# -- Prosjektbanken ----------------------------------------------------------------------

#: Prosjektbanken's column (its short name and its display name) -> our use of it.
PROSJEKTBANKEN_COLUMNS = {
    "prosjektnummer": "number",
    "prosjekttittel": "title",
    "tittel": "title",
    "prosjektfase": "phase",
    "prosjektstart": "start",
    "prosjektets fra-år": "start",
    "prosjektslutt": "end",
    "prosjektets til-år": "end",
    "prosjektansvarlig_navn": "owner_name",
    "prosjektansvarlig navn": "owner_name",
    "prosjektansvarlig": "owner_name",
    "kortnavn": "owner_short",
    "prosjektansvarlig kortnavn": "owner_short",
    "organisasjonsnummer": "org_number",
    "tildelt_belop": "amount",
    "tildelt beløp": "amount",
    "total bevilgning": "amount",
    "aktivitet": "programme",
    "aktivitetsnavn": "programme",
    "soknadstype": "application_type",
    "søknadstype": "application_type",
}
PHASES = {"bevilgning": "ongoing", "avsluttet": "completed"}
YEAR = re.compile(r"[0-9]{4}")


def is_prosjektbanken(table: Table) -> bool:
    return "prosjektnummer" in {fold(h.strip()) for h in table.header}


def read_prosjektbanken(raw: bytes) -> Table:
    source = read_csv(raw)
    uses = [PROSJEKTBANKEN_COLUMNS.get(fold(h.strip().lstrip("\ufeff"))) for h in source.header]
    if "number" not in uses or "title" not in uses:
        raise ReadError(
            _("Row 1: a Prosjektbanken file needs the columns Prosjektnummer and Prosjekttittel.")
        )
    known_numbers = set(
        Organisation.objects.exclude(org_number=None).values_list("org_number", flat=True)
    )

    def rows():
        for number, cells in source.rows():
            record = {use: str(cell).strip() for use, cell in zip(uses, cells, strict=False) if use}
            row = _prosjektbanken_row(record, known_numbers)
            yield number, [row[c] for c in ACTIVITY_COLUMNS]

    return Table(header=list(ACTIVITY_COLUMNS), _rows=rows, total=source.total, notes=source.notes)


def _prosjektbanken_row(record: dict[str, str], known_numbers: set[str]) -> dict[str, str]:
    row = dict.fromkeys(ACTIVITY_COLUMNS, "")
    row["nfr_project_number"] = record.get("number", "")
    row["title"] = _guard(" ".join(record.get("title", "").split()))
    application = fold(record.get("application_type", ""))
    row["activity_type"] = (
        "innovation_project" if "innovasjon" in application else "research_project"
    )
    # A phase other than granted or finished (an application, a rejection) is
    # left as it is, so the row is reported as having an unknown status.
    phase = record.get("phase", "")
    row["status"] = PHASES.get(fold(phase), phase)
    if match := YEAR.search(record.get("start", "")):
        row["start_date"] = f"{match.group(0)}-01-01"
    if match := YEAR.search(record.get("end", "")):
        row["end_date"] = f"{match.group(0)}-12-31"
    org_number = re.sub(r"\s", "", record.get("org_number", ""))
    owner = (
        org_number
        if org_number in known_numbers
        else record.get("owner_short") or record.get("owner_name", "")
    )
    if owner:
        row["organisations"] = _guard(f"owner:{owner}")
    row["funding_amount"] = record.get("amount", "")
    programme = record.get("programme", "")
    row["funding_source"] = _guard(
        f"Norges forskningsråd – {programme}" if programme else "Norges forskningsråd"
    )
    return row


def read_file(raw: bytes, filename: str, source_format: str = "auto") -> tuple[Table, str]:
    """The file as activity (or other) rows, and its format: table, nva or prosjektbanken.

    ``auto`` tells by content: JSON is NVA/Cristin, a CSV with a Prosjektnummer
    column is Prosjektbanken, anything else is a table in unikom's columns.
    """
    from .reading import read_table

    if source_format == "auto":
        head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if filename.lower().endswith(".json") or head in (b"{", b"["):
            source_format = "nva"
    if source_format == "nva":
        return read_nva(raw), "nva"
    if source_format == "prosjektbanken":
        return read_prosjektbanken(raw), "prosjektbanken"
    table = read_table(raw, filename)
    if source_format == "auto" and is_prosjektbanken(table):
        return read_prosjektbanken(raw), "prosjektbanken"
    return table, "table"
