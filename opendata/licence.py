"""The licence of the open data and the attribution its sources require.

Every export carries these (JSON ``meta``, JSON-LD ``Dataset``, the archive's
LICENSE.txt and datapackage.json, the open data page): SSB and Kartverket
allow reuse on the condition that they are named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

SOURCE_NAME = "unikom"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Attribution:
    source: str
    #: The credit line, as the files carry it (English); marked with gettext_noop
    #: so that the open data page can show it in the reader's language.
    credit: str
    covers: object
    licence: str
    url: str


ATTRIBUTIONS = (
    Attribution(
        source="Statistisk sentralbyrå (SSB)",
        credit=gettext_noop("Contains data from Statistisk sentralbyrå (SSB)"),
        covers=_(
            "Municipality, county and city district numbers and names (KLASS 131 and 103) "
            "and population (table 07459)."
        ),
        licence="NLOD 2.0 / CC BY 4.0",
        url="https://www.ssb.no/en/informasjon/copyright",
    ),
    Attribution(
        source="Kartverket",
        credit=gettext_noop("© Kartverket"),
        covers=_(
            "County names and the municipality and county boundaries behind the maps "
            "(Administrative enheter)."
        ),
        licence="CC BY 4.0",
        url="https://kartkatalog.geonorge.no/",
    ),
    Attribution(
        source="Brønnøysundregistrene (Enhetsregisteret)",
        credit=gettext_noop("Organisation numbers from Enhetsregisteret"),
        covers=_("Organisation numbers of institutions."),
        licence="NLOD 2.0",
        url="https://www.brreg.no/",
    ),
    Attribution(
        source="Research Organization Registry (ROR)",
        credit=gettext_noop("ROR ids from the Research Organization Registry"),
        covers=_("ROR ids of institutions."),
        licence="CC0 1.0",
        url="https://ror.org/",
    ),
)


def attribution_text() -> str:
    """One line naming every source, for ``meta.attribution`` and page footers."""
    return "; ".join(a.credit for a in ATTRIBUTIONS) + "."
