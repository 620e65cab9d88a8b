"""The embedded default data bundle (``data/bundle/``): what the default build reads when no data directory is
given, cut from the open data as published, with a manifest of publisher, licence, source and SHA-256 per file.

``python scripts/make_bundle.py SOURCE`` cuts it (:func:`cut_bundle`); every build from a folder holding
:data:`MANIFEST` checks it first (:func:`verify_bundle`), so a changed, missing or unlisted file is named before
anything is computed from it.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

from geo.config import PROJECT_ROOT
from geo.errors import InputError
from geo.read.hashing import sha256

BUNDLE_DIR = PROJECT_ROOT / "data" / "bundle"
"""Where the repository carries its default data."""
MANIFEST = "MANIFEST.csv"
"""The bundle's manifest: one row per file."""
MANIFEST_COLUMNS = ("path", "bytes", "sha256", "publisher", "licence", "canonical_url", "source_url", "how_cut")
"""``canonical_url`` is the publisher's own address; ``source_url`` the public copy the file was taken from (a
repository at a commit), since no publisher can be reached from where the bundle is cut."""
OGL = "Open Government Licence v3.0"
KENT_DISTRICTS = tuple(f"E07000{n}" for n in range(105, 117))
"""The twelve Kent districts (2013 codes), for cutting England-wide tables to Kent."""


@dataclass(frozen=True)
class Part:
    """One kind of file in the bundle: where it comes from in the source folder and how it is cut."""

    source: str
    """Glob relative to the source folder."""
    dest: str
    """Folder relative to the bundle."""
    publisher: str
    source_url: str
    how_cut: str
    gzip: bool = False
    """Store gzip-compressed (``.gz`` added; the readers inflate it)."""
    kent_lsoa11_only: bool = False
    """Keep only rows whose ``lsoa11_code`` is a Kent LSOA (per the Census file)."""
    rename: tuple[str, str] | None = None
    """Replace the first string of the file name with the second."""
    canonical_url: str = ""
    """The publisher's address for the data."""
    from_provenance: bool = False
    """Take publisher, canonical address, public copy and how it was cut from the ``PROVENANCE.csv`` beside the
    file's top folder (one row per file, as the team's ``now/`` folder keeps it)."""


POLICE = "data.police.uk (Home Office; Kent Police)"
POLICE_URL = "https://data.police.uk/data/"
GEOPORTAL = "https://geoportal.statistics.gov.uk/"
ONS = "Office for National Statistics"
DCLG = "Department for Communities and Local Government"

PARTS = (
    Part(
        "police/20*-maidstone-street.csv",
        "police/maidstone",
        POLICE,
        "https://github.com/chriscarter90/police_data/tree/edc7c069/data",
        "Maidstone rows (LSOA name 'Maidstone ...') of Kent Police's monthly files, April 2012 to September 2013; "
        "gzip-compressed",
        gzip=True,
        canonical_url=POLICE_URL,
    ),
    Part(
        "police/kent-2014-full/2014-*-kent-street.csv.gz",
        "police/kent-2014",
        POLICE,
        "https://github.com/MatthewDooler/gpscrime/tree/b87fd3f2",
        "Kent Police's complete monthly files, January to November 2014, byte-identical (gzip)",
        canonical_url=POLICE_URL,
    ),
    Part(
        "boundaries/wards-2013-kent/E07*.geojson",
        "boundaries/wards-2013-kent",
        ONS,
        "https://github.com/martinjc/UK-GeoJSON/tree/88339000/json/electoral/eng/wards_by_lad",
        "as published: each Kent district's December 2013 wards, generalised and clipped, WGS84",
        canonical_url=GEOPORTAL,
    ),
    Part(
        "boundaries/districts-2013-kent.geojson",
        "boundaries",
        ONS,
        "https://github.com/martinjc/UK-GeoJSON/tree/88339000/json/administrative/eng",
        "as in the source folder: Kent's 12 districts (2013) converted from topo_lad.json (coarse, about 60 m)",
        canonical_url=GEOPORTAL,
    ),
    Part(
        "population/census-2011-lsoa11-kent.csv",
        "population",
        ONS,
        "https://pypi.org/project/crime-sim-toolkit/1.5.0/",
        "as in the source folder: Census 2011 (KS101EW) usual residents and households of Kent's 902 2011 LSOAs",
        canonical_url="https://www.nomisweb.co.uk/census/2011/ks101ew",
    ),
    Part(
        "lookups/lsoa11-to-ward-kent.csv",
        "lookups",
        ONS,
        "https://github.com/jtrim-ons/ons-lookups/tree/85d0ba6",
        "as in the source folder: ONS best-fit 2011 LSOA to 2015 ward lookup, Kent rows",
        canonical_url=GEOPORTAL,
    ),
    Part(
        "lookups/lsoa01-to-*-maidstone.csv",
        "lookups",
        ONS,
        "https://github.com/jtrim-ons/ons-lookups/tree/85d0ba6",
        "as in the source folder: ONS 2001 LSOA lookups (to December 2011 wards; to 2011 LSOAs), Maidstone rows",
        canonical_url=GEOPORTAL,
    ),
    Part(
        "deprivation/imd-2010-lsoa01-maidstone.csv",
        "deprivation",
        DCLG,
        "https://github.com/humaniverse/IMD",
        "as in the source folder: English Indices of Deprivation 2010 for Maidstone's 92 2001 LSOAs (ranks are "
        "of all 32,482 in England)",
        canonical_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2010",
    ),
    Part(
        "deprivation/imd-2015-lsoa11-england.csv",
        "deprivation",
        DCLG,
        "https://github.com/humaniverse/IMD",
        "Kent's 2011 LSOAs (those in the Census file) cut from the England file; ranks are of all 32,844",
        kent_lsoa11_only=True,
        rename=("england", "kent"),
        canonical_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2015",
    ),
    # Today's vintage (2021 LSOAs, Census 2021, the 2024 wards, IoD 2025, police.uk 2025): the source folder's
    # now/PROVENANCE.csv gives each file's publisher, canonical address and public copy, read as they are.
    Part("now/police/kent-2025/2025-*-kent-street.csv.gz", "police/kent-2025", "", "", "", from_provenance=True),
    Part(
        "now/population/census-2021-ts001-lsoa21-kent.csv",
        "population",
        "",
        "",
        "",
        rename=("census-2021-ts001-", "census-2021-"),
        from_provenance=True,
    ),
    Part("now/lookups/lsoa21-to-ward2*-kent.csv", "lookups", "", "", "", from_provenance=True),
    Part("now/boundaries/wards-2024/E07000110.geojson", "boundaries/wards-2024", "", "", "", from_provenance=True),
    Part("now/boundaries/districts-2024-kent.geojson", "boundaries", "", "", "", from_provenance=True),
    Part("now/deprivation/iod-2025-lsoa21-kent.csv", "deprivation", "", "", "", from_provenance=True),
)


def _kent_lsoas(source: Path) -> set[str]:
    with open(source / "population" / "census-2011-lsoa11-kent.csv", newline="", encoding="utf-8-sig") as f:
        return {row["lsoa11_code"] for row in csv.DictReader(f) if row["lad_code"] in KENT_DISTRICTS}


def _only_rows(data: bytes, keep: set[str]) -> bytes:
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    col = header.index("lsoa11_code")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(row for row in reader if row and row[col] in keep)
    return out.getvalue().encode("utf-8")


def _provenance(source: Path, src: Path) -> dict:
    """The ``PROVENANCE.csv`` row of ``src`` (in the top folder of ``src`` under ``source``, e.g. ``now/``)."""
    top = source / src.relative_to(source).parts[0]
    path = top / "PROVENANCE.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = {r["path"]: r for r in csv.DictReader(f)}
    rel = src.relative_to(top).as_posix()
    if rel not in rows:
        raise InputError(path, f"no row for {rel}", fix="give every file of the folder its provenance row")
    return rows[rel]


def _public_copy(copied_from: str) -> str:
    """``github:owner/repo@commit:path …`` as an address on GitHub, with the rest of the note kept.

    >>> _public_copy("github:a/b@0123abc:data/x.csv (added in 9f); sha256 as found 12")
    'https://github.com/a/b/blob/0123abc/data/x.csv (added in 9f); sha256 as found 12'
    """
    head, _, rest = copied_from.partition(" ")
    m = re.fullmatch(r"github:([^@]+)@([0-9a-f]+):(.+)", head)
    if not m:
        return copied_from
    return f"https://github.com/{m.group(1)}/blob/{m.group(2)}/{m.group(3)}" + (f" {rest}" if rest else "")


def cut_bundle(source: Path, dest: Path = BUNDLE_DIR) -> list[dict]:
    """Write the bundle from ``source`` (laid out like the team's open-data folder) into ``dest``.

    Output is deterministic: gzip members carry no name or time, files and manifest rows are sorted.

    Returns
    -------
    list of dict
        The manifest rows (:data:`MANIFEST_COLUMNS`), also written to ``dest/MANIFEST.csv``.
    """
    source, dest = Path(source), Path(dest)
    kent = _kent_lsoas(source)
    rows = []
    for part in PARTS:
        files = sorted(source.glob(part.source))
        if not files:
            raise InputError(source / part.source, "no file matches", fix="give the folder the bundle is cut from")
        for src in files:
            facts = _provenance(source, src) if part.from_provenance else {}
            data = src.read_bytes()
            name = src.name if part.rename is None else src.name.replace(*part.rename)
            if part.kent_lsoa11_only:
                data = _only_rows(data, kent)
            if part.gzip:
                data, name = gzip.compress(data, compresslevel=9, mtime=0), name + ".gz"
            out = dest / part.dest / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            rel = out.relative_to(dest).as_posix()
            rows.append(
                {
                    "path": rel,
                    "bytes": len(data),
                    "sha256": sha256(out),
                    "publisher": facts.get("publisher", part.publisher),
                    "licence": facts.get("licence", OGL),
                    "canonical_url": facts.get("canonical_source", part.canonical_url),
                    "source_url": _public_copy(facts["copied_from"]) if facts else part.source_url,
                    "how_cut": facts.get("how_cut", part.how_cut)
                    + (f"; renamed from {src.name}" if part.rename else ""),
                }
            )
    rows.sort(key=lambda r: r["path"])
    with open(dest / MANIFEST, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return rows


def verify_bundle(data_dir: Path) -> int:
    """Check every file of a data directory that carries :data:`MANIFEST` against it; return the files checked.

    A folder without a manifest (a user's own data directory) is not checked here and gives 0.

    Raises
    ------
    InputError
        Naming the first file that is missing, differs from its SHA-256, or is not listed.
    """
    from geo.read.io import LINE, read_table

    data_dir = Path(data_dir)
    path = data_dir / MANIFEST
    if not path.is_file():
        return 0
    df = read_table(path, {"path": "text", "bytes": "int", "sha256": "text", "publisher": "text", "licence": "text"})
    for rel, digest, line in zip(df["path"], df["sha256"], df[LINE], strict=True):
        f = data_dir / rel
        if not f.is_file():
            raise InputError(f, f"listed on line {line} of {MANIFEST} but missing", fix="restore it (git checkout)")
        got = sha256(f)
        if got != digest:
            raise InputError(
                f,
                f"differs from the bundle: SHA-256 {got[:12]}… where line {line} of {MANIFEST} says {digest[:12]}…",
                fix="restore it (git checkout), or cut the bundle again with scripts/make_bundle.py",
            )
    listed = set(df["path"]) | {MANIFEST, "README.md"}
    extra = sorted(
        p.relative_to(data_dir).as_posix()
        for p in data_dir.rglob("*")
        if p.is_file() and p.relative_to(data_dir).as_posix() not in listed
    )
    if extra:
        raise InputError(
            data_dir / extra[0],
            f"not listed in {MANIFEST}, so its source and licence are unknown",
            fix="remove it, or build from another folder with --data-dir",
        )
    return len(df)
