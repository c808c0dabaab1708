"""Reference data: municipalities, counties, Oslo districts, institutions, boundaries.

The raw official files are never bundled (see DESIGN.md, "Data"); a compact
snapshot derived from them is. Three ways in, one way to the database:

- :func:`load_snapshot` reads the snapshot shipped in ``organisations/data``
  (what ``unikom setup`` loads when nothing else is configured), which
  :func:`build_snapshot` derives from the official files
  (``scripts/build_refdata_snapshot.py``): the same tables, only the
  columns the loader reads, and boundaries simplified as the map draws them;
- :func:`load_directory` reads files in the formats of ``shared/data/ref``
  (``municipalities.csv`` and, optionally, ``institutions.csv``,
  ``oslo_bydeler.csv``, ``fylker_2024.geojson``, ``kommuner_2024.geojson``);
- :func:`fetch` downloads the same facts from SSB KLASS (and boundaries from
  ``UNIKOM_BOUNDARIES_URL``) and converts them into the same tables.

Each hands a :class:`~.base.Sources` to :func:`.writing.load`, which first
validates everything and collects every problem (so that a user fixes a file
once, not once per error), then writes all of it in one transaction. Any
problem raises :class:`RefdataError` before anything is written, so a bad
file never leaves the database half-loaded. Loading is idempotent: a record
is saved only when one of its values changed, which keeps the change history
free of noise.

The modules, by job (each imports only those before it):

- ``base``: the files and their columns, the errors, the inputs as read;
- ``validation``: every row and feature checked, into records;
- ``writing``: the all-or-nothing load and its report;
- ``reading``: files in the formats of ``shared/data/ref`` (CSV by
  ``core.tabular``, the importer's reader);
- ``remote``: SSB KLASS and the boundaries download;
- ``snapshot``: the bundled snapshot, built, encoded and loaded.

Problems are :class:`core.loading.Problem` values, collected as in every
loader of unikom (see docs/architecture.md, "Loading").
"""

from .base import (
    COUNTY_BOUNDARIES_FILE,
    DISTRICTS_FILE,
    INSTITUTIONS_FILE,
    MUNICIPALITIES_FILE,
    MUNICIPALITY_BOUNDARIES_FILE,
    REFERENCE_DATE,
    RefdataError,
    RefdataUnavailable,
)
from .reading import load_directory
from .remote import fetch
from .snapshot import (
    SNAPSHOT_FILE,
    build_snapshot,
    decode_snapshot,
    encode_snapshot,
    load_snapshot,
)
from .writing import Counts, LoadReport, has_refdata

__all__ = [
    "COUNTY_BOUNDARIES_FILE",
    "DISTRICTS_FILE",
    "INSTITUTIONS_FILE",
    "MUNICIPALITIES_FILE",
    "MUNICIPALITY_BOUNDARIES_FILE",
    "REFERENCE_DATE",
    "SNAPSHOT_FILE",
    "Counts",
    "LoadReport",
    "RefdataError",
    "RefdataUnavailable",
    "build_snapshot",
    "decode_snapshot",
    "encode_snapshot",
    "fetch",
    "has_refdata",
    "load_directory",
    "load_snapshot",
]
