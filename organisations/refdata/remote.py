"""Fetching reference data from SSB KLASS (and boundaries from ``UNIKOM_BOUNDARIES_URL``).

The codes are converted into the same tables the CSV files give, and loaded as
they are.
"""

from __future__ import annotations

import http.client
import json
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils.translation import gettext as _

from core.loading import Problems

from ..choices import OrganisationKind
from ..models import Organisation
from .base import (
    COUNTY_SUFFIX,
    INSTITUTIONS_FILE,
    KLASS_COUNTIES,
    KLASS_DISTRICTS,
    KLASS_MUNICIPALITIES,
    MUNICIPALITIES_FILE,
    REFERENCE_DATE,
    Progress,
    RefdataError,
    RefdataUnavailable,
    Sources,
    Table,
    quiet,
)
from .reading import feature_set
from .writing import LoadReport, load

#: "Uoppgitt" (unknown) codes in KLASS, and Oslo's statistical non-districts
#: (Sentrum, Marka, Uoppgitt), which are not administrative units.
KLASS_UNKNOWN_CODES = {"99", "9999"}

OSLO = "0301"
OSLO_NON_DISTRICTS = {"030116", "030117", "030199"}


def fetch(
    *, timeout: float | None = None, progress: Progress | None = None, dry_run: bool = False
) -> LoadReport:
    """Download reference data from SSB KLASS (and boundaries, if configured) and load it.

    Municipalities (KLASS 131), counties (104) and Oslo's districts (103) as
    of :data:`REFERENCE_DATE`; boundaries from ``UNIKOM_BOUNDARIES_URL`` when
    set. KLASS has no population figures, so stored ones are kept. Raises
    :class:`RefdataUnavailable` when a source cannot be reached or answers
    with something unusable, and :class:`RefdataError` as
    :func:`load_directory` does.
    """
    say = progress or quiet
    problems = Problems(RefdataError)
    timeout = settings.UNIKOM_FETCH_TIMEOUT if timeout is None else timeout
    base = settings.UNIKOM_KLASS_URL.rstrip("/")
    codes = {}
    for number in (KLASS_MUNICIPALITIES, KLASS_COUNTIES, KLASS_DISTRICTS):
        url = f"{base}/classifications/{number}/codesAt?date={REFERENCE_DATE.isoformat()}"
        say(_("Downloading %(url)s") % {"url": url})
        codes[number] = _klass_codes(url, timeout)

    sources = _sources_from_klass(
        codes[KLASS_MUNICIPALITIES], codes[KLASS_COUNTIES], codes[KLASS_DISTRICTS]
    )
    boundaries_url = settings.UNIKOM_BOUNDARIES_URL
    if boundaries_url:
        say(_("Downloading %(url)s") % {"url": boundaries_url})
        sources.municipality_features = feature_set(
            boundaries_url, _download_json(boundaries_url, timeout), problems
        )
    else:
        sources.skipped.append(
            _("municipality boundaries (UNIKOM_BOUNDARIES_URL is not set)"),
        )
    sources.skipped.append(_("county boundaries (no download source)"))
    sources.skipped.append(
        _("knowledge institutions (no download source; load %(file)s with 'unikom refdata load')")
        % {"file": INSTITUTIONS_FILE}
    )
    sources.notes.append(
        _(
            "Population is not in SSB KLASS, so population figures were left as they "
            "were. Load %(file)s with 'unikom refdata load DIR' to update them."
        )
        % {"file": MUNICIPALITIES_FILE}
    )
    return load(sources, problems, dry_run=dry_run, progress=say)


def _download_json(url: str, timeout: float) -> object:
    """GET ``url`` and parse its JSON; any failure becomes :class:`RefdataUnavailable`."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise RefdataUnavailable(
            _("%(url)s is not an http or https address; check the settings.") % {"url": url}
        )
    # The scheme is checked above, so urllib cannot be made to open a local file.
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "unikom"})  # noqa: S310
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except HTTPError as exc:
        raise RefdataUnavailable(_unavailable(url, f"HTTP {exc.code} {exc.reason}")) from exc
    except URLError as exc:
        raise RefdataUnavailable(_unavailable(url, str(exc.reason))) from exc
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise RefdataUnavailable(_unavailable(url, str(exc) or type(exc).__name__)) from exc
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefdataUnavailable(_unavailable(url, _("the answer is not JSON"))) from exc


def _unavailable(url: str, reason: str) -> str:
    return _(
        "Could not download reference data from %(url)s (%(reason)s). This machine seems "
        "to be offline, or the server is not answering. To load reference data from files "
        "instead, run: unikom refdata load DIR (DIR holds %(file)s and the other files)."
    ) % {"url": url, "reason": reason, "file": MUNICIPALITIES_FILE}


def _klass_codes(url: str, timeout: float) -> list[dict]:
    """Download one KLASS ``codesAt`` answer and return its list of codes."""
    data = _download_json(url, timeout)
    codes = data.get("codes") if isinstance(data, dict) else None
    if not isinstance(codes, list) or not all(isinstance(code, dict) for code in codes):
        raise RefdataUnavailable(_unavailable(url, _("the answer has no list of codes")))
    return codes


def _sources_from_klass(
    municipality_codes: list[dict], county_codes: list[dict], district_codes: list[dict]
) -> Sources:
    """Turn KLASS codes into the tables that the CSV files would give.

    KLASS names are official, multilingual forms ("Guovdageaidnu -
    Kautokeino", "Herøy (Nordland)"). The Norwegian name alone is kept from
    the database where it is one of the parts, and otherwise taken as the
    first part without a county suffix.
    """
    known = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality_number__isnull=False
        ).values_list("municipality_number", "name")
    )
    known_counties = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.COUNTY, county_number__isnull=False
        ).values_list("county_number", "name")
    )
    counties = {
        str(code.get("code", "")): str(code.get("name", "")).strip() for code in county_codes
    }

    municipalities = Table(source=_klass_label(KLASS_MUNICIPALITIES), rows=[])
    for number, code in enumerate(municipality_codes, start=1):
        value, name = str(code.get("code", "")).strip(), str(code.get("name", "")).strip()
        if value in KLASS_UNKNOWN_CODES:
            continue
        county_number = value[:2]
        county = counties.get(county_number, "")
        municipalities.rows.append(
            (
                number,
                {
                    "kommunenummer": value,
                    "name": name,
                    "name_norwegian": _norwegian_name(name, known.get(value)),
                    "fylkesnummer": county_number,
                    "fylke_name": _norwegian_name(county, known_counties.get(county_number)),
                    "fylke_name_official": county,
                    "population_2024_01_01": "",
                },
            )
        )

    districts = Table(source=_klass_label(KLASS_DISTRICTS), rows=[])
    for number, code in enumerate(district_codes, start=1):
        value = str(code.get("code", "")).strip()
        if value.startswith(OSLO) and value not in OSLO_NON_DISTRICTS:
            districts.rows.append(
                (
                    number,
                    {
                        "bydelsnummer": value,
                        "name": str(code.get("name", "")).strip(),
                        "kommunenummer": OSLO,
                    },
                )
            )
    return Sources(municipalities=municipalities, districts=districts, has_population=False)


def _klass_label(classification: int) -> str:
    return _("SSB KLASS %(number)d") % {"number": classification}


def _norwegian_name(official: str, current: str | None) -> str:
    parts = [part.strip() for part in COUNTY_SUFFIX.sub("", official).split(" - ")]
    if current in parts:
        return current
    return parts[0]
