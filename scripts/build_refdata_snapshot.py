"""Build the reference data snapshot that unikom ships.

    python scripts/build_refdata_snapshot.py [REF_DIR] [--output FILE] [--check]

REF_DIR holds the official reference files in the formats of
``shared/data/ref`` (municipalities.csv, oslo_bydeler.csv, institutions.csv,
fylker_2024.geojson, kommuner_2024.geojson); by default the folder
``../shared/data/ref`` beside the checkout. The files are read and checked
as ``unikom refdata load`` reads and checks them, then compacted by
``organisations.refdata.snapshot.build_snapshot``: the columns the loader reads, and
boundaries simplified as the map draws them. Sources, licences, attribution,
the reference date and the checksum of every file are recorded inside.

The result, ``organisations/data/refdata-snapshot.json.gz``, is committed;
the raw files never are. ``--check`` builds in memory and exits with status 1
when the committed snapshot holds anything else (CI and the tests use it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REF_DIR = ROOT.parent / "shared" / "data" / "ref"

#: What the snapshot says about its sources. The facts come from the README of
#: the reference files (compiled 2026-11); the data's licences require naming
#: SSB and Kartverket, which the site does on every page.
ABOUT = {
    "title": "unikom reference data: Norwegian municipalities, counties and boundaries of 2024",
    "compiled": "2026-11",
    "attribution": [
        "Contains data from Statistisk sentralbyrå (SSB)",
        "© Kartverket",
    ],
    "sources": [
        {
            "data": "municipality and county numbers and names valid from 2024-01-01",
            "source": "Statistisk sentralbyrå (SSB), KLASS classifications 131 and 104",
            "url": "https://www.ssb.no/klass/klassifikasjoner/131",
            "licence": "NLOD 2.0 / CC BY 4.0",
            "date": "2024-01-01",
        },
        {
            "data": "population on 1 January 2024",
            "source": "Statistisk sentralbyrå (SSB), table 07459",
            "url": "https://www.ssb.no/statbank/table/07459",
            "licence": "NLOD 2.0 / CC BY 4.0",
            "date": "2024-01-01",
        },
        {
            "data": "Oslo's 15 city districts",
            "source": "Statistisk sentralbyrå (SSB), KLASS classification 103",
            "url": "https://www.ssb.no/klass/klassifikasjoner/103",
            "licence": "NLOD 2.0 / CC BY 4.0",
            "date": "2004 (unchanged since)",
        },
        {
            "data": "municipality and county boundaries, clipped to the coastline; "
            "simplified further for the overview map",
            "source": "Kartverket, Administrative enheter (kommuner, fylker), "
            "as simplified in github.com/robhop/fylker-og-kommuner",
            "url": "https://kartkatalog.geonorge.no/metadata/041f1e6e-bdbc-4091-b48f-8a5990f3cc5b",
            "licence": "CC BY 4.0",
            "date": "extract 2023-12-15, valid from 2024-01-01",
        },
        {
            "data": "knowledge institutions (not exhaustive) with DBH codes, "
            "organisation numbers and ROR ids where known",
            "source": "DBH (HK-dir) institution codes, Enhetsregisteret (Brønnøysundregistrene), "
            "ROR; names compiled for the project",
            "url": "https://ror.org/",
            "licence": "NLOD 2.0 (Enhetsregisteret), CC0 (ROR)",
            "date": "2026-11",
        },
    ],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build organisations/data/refdata-snapshot.json.gz from the reference files."
    )
    parser.add_argument(
        "ref_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_REF_DIR,
        metavar="REF_DIR",
        help="folder of reference files (default: ../shared/data/ref beside the checkout)",
    )
    parser.add_argument("--output", type=Path, help="where to write (default: the shipped file)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the snapshot differs from what REF_DIR gives",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    from organisations import refdata

    translation.activate("en")  # a developer's tool: messages as in the code

    output = args.output or refdata.SNAPSHOT_FILE
    try:
        snapshot = refdata.build_snapshot(args.ref_dir, about=ABOUT, progress=print)
    except refdata.RefdataError as exc:
        print("\n".join(exc.errors), file=sys.stderr)
        print(f"{args.ref_dir}: no snapshot was built.", file=sys.stderr)
        return 2
    data = refdata.encode_snapshot(snapshot)
    if args.check:
        try:
            current = refdata.decode_snapshot(output.read_bytes(), output.name)
        except (OSError, refdata.RefdataError) as exc:
            print(f"{output}: cannot be read ({exc})", file=sys.stderr)
            return 1
        if current != refdata.decode_snapshot(data):
            print(
                f"{output} is not what {args.ref_dir} gives: run "
                "python scripts/build_refdata_snapshot.py and commit the result.",
                file=sys.stderr,
            )
            return 1
        print(f"{output} is up to date ({output.stat().st_size:,} bytes).")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"Wrote {output} ({len(data):,} bytes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
