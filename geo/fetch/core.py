"""Fresh data: download the build's inputs from their publishers into the data directory.

``python -m geo fetch`` reads ``data/sources.csv`` (one row per source: where the file goes in the data
directory, where it is published, and for police.uk which member of the monthly archive), works out the files a
district and period need, and downloads the ones that are missing.

- **Cached by name:** a file whose name the build would already find (the ``present`` pattern) is not fetched
  again; ``--refresh`` fetches it anyway.
- **Atomic writes:** every download goes to a ``.part`` file beside its target and is renamed into place only
  once it is complete and checked, so an interrupted or failed download never leaves a file the build would read.
- **No cached failures:** an HTTP error, a short body, a bad zip or a checksum that differs from the pinned one
  leaves nothing behind, and the next run tries again.
- **Checksums:** every file fetched is recorded with its URL, size and SHA-256 in ``fetch-manifest.csv`` in the
  data directory; a source pinned with a ``sha256`` in ``data/sources.csv`` must match it.
- **Progress:** a ``tqdm`` bar per download on standard error.

``mirror`` (``--mirror`` / ``$GEO_FETCH_MIRROR``) replaces the scheme and host of every URL, keeping the path:
the tests serve fixture files from a loopback server this way, and a partnership can point it at its own copy.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.analysis.deprivation import lsoa11_edition
from geo.config import PROJECT_ROOT, Period, ward_vintage_for
from geo.errors import InputError
from geo.fetch import query as fetch_query
from geo.fetch import services
from geo.fetch.archives import FIRST_MONTH, archive_for
from geo.fetch.plan_check import publisher
from geo.fetch.transfer import (
    TIMEOUT_S,
    FetchError,
    download_to,
    extract,
    http_errors,
    service_list,
    with_mirror,
    write_atomic,
)
from geo.read.io import raise_first, read_table
from geo.read.manifest import FETCHED

log = logging.getLogger(__name__)

MANIFEST = FETCHED  # the data directory's record of every file fetched: path, url, bytes, sha256
CACHE = ".fetch-cache"
"""Folder in the data directory for downloaded archives (police.uk's monthly zips); the build ignores it."""
KINDS = ("file", "police-archive", "manual", *fetch_query.KINDS)
SOURCE_COLUMNS = {
    "id": "text",
    "kind": "text",
    "path": "text",
    "present": "text",
    "url": "text",
    "member": "str",
    "needs": "str",
    "sha256": "str",
    "notes": "str",
    "lsoa": "str",
}
VINTAGES = PROJECT_ROOT / "data" / "ward-vintages.csv"
"""Per ward vintage (December of ``year``): the boundaries' address and the LSOA -> ward lookup's query, from 2011
LSOAs (``lookup``) and from 2021 LSOAs (``lookup21``); a vintage ONS gives no lookup from one geography has it blank.
A vintage whose wards no lookup names (December 2013) gives the query of the district's ``outline`` of the same
December, to cut the ward layer by place; ``copy`` is a public copy of the boundaries, tried when the publisher's
address fails."""
VINTAGE_COLUMNS = {"year": "int", "boundaries": "text", "outline": "str", "copy": "str", "lookup": "str",
                   "lookup21": "str", "evidence": "str"}  # fmt: skip
LOOKUP_COLUMN = {2011: "lookup", 2021: "lookup21"}
"""The column of ``data/ward-vintages.csv`` holding the lookup from each LSOA geography."""


@dataclass(frozen=True)
class Source:
    """One row of ``data/sources.csv``. ``path``, ``present``, ``url``, ``member`` and ``needs`` may hold
    ``{district}``, ``{month}``, ``{force}``, ``{archive}`` (the police.uk archive month), ``{year}`` (each year of
    the period), and from the period's row of ``data/ward-vintages.csv`` ``{ward_year}``, ``{wards_url}`` and
    ``{lookup_url}``.

    ``member`` is the zip member for a police archive, the households query for ``census``, and for ``wards`` the
    query of the district's outline where the vintage's wards are cut by place (``{outline_url}``). ``url`` may
    list several addresses, separated by spaces, tried in order (a ward vintage's public ``copy``). ``needs`` names a
    file (in the data directory) that must be fetched first: the LSOA -> ward lookup, whose district LSOAs and
    wards the Census queries and the ward boundaries are cut to, and for a STATS19 casualty file the collision
    file of the same year whose collisions it keeps (:mod:`geo.fetch.query`)."""

    id: str
    kind: str
    path: str
    present: str
    url: str
    member: str = ""
    needs: str = ""
    sha256: str = ""
    notes: str = ""
    lsoa: str = ""
    """The LSOA geography (``2011`` or ``2021``) of the periods that need this source; blank for every period."""


@dataclass(frozen=True)
class Target:
    """One file to have in the data directory."""

    source: str
    path: str
    """Relative to the data directory."""
    present: str
    """Glob (relative to the data directory): if it matches a file, the target is already there."""
    url: str
    member: str = ""
    """For archives: the zip member to extract to ``path``."""
    sha256: str = ""
    manual: bool = False
    kind: str = "file"
    district: str = ""
    year: int | None = None
    """The year of a per-year target (STATS19), or the vintage of ward boundaries."""
    needs: str = ""
    """A file (relative to the data directory) this one is made from, fetched before it."""

    @property
    def addresses(self) -> list[str]:
        """The addresses to try in order: ward boundaries may list a public copy after the publisher's address;
        every other target has one address."""
        return (self.url.split() if self.kind == "wards" else []) or [self.url]


@dataclass
class Report:
    """What a fetch did."""

    fetched: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    manual: list[tuple[str, str]] = field(default_factory=list)
    """Targets that are not there and cannot be fetched: (path, where to get it)."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(path, why: the publisher, the address and what went wrong)."""

    def text(self) -> str:
        lines = [f"fetched {len(self.fetched)}, already present {len(self.cached)}, failed {len(self.failed)}"]
        lines += [f"  failed: {p}: {why}" for p, why in self.failed]
        lines += [f"  not fetched (get it by hand): {p} from {url}" for p, url in self.manual]
        if self.failed:
            lines.append(f"  what to do: {RETRY}")
        return "\n".join(lines)


RETRY = (
    "run the same command again: nothing partial was kept, and only what failed is fetched again. If an address "
    "keeps failing, `python -m geo fetch --check` asks each publisher whether it has moved; the addresses are in "
    "data/sources.csv and data/ward-vintages.csv (or fetch from a copy with --mirror)."
)


def sources_from_csv(path: Path) -> list[Source]:
    """Read ``data/sources.csv``; an unknown kind is an InputError naming the row."""
    df = read_table(path, SOURCE_COLUMNS)  # every column is text ("" where blank)
    bad = ~df["kind"].isin(KINDS)
    raise_first(path, df, bad, "kind", lambda i: f"unknown kind {df['kind'].iloc[i]!r}", f"use one of {KINDS}")
    return [Source(*r) for r in df[list(SOURCE_COLUMNS)].itertuples(index=False)]


def ward_vintage(path: Path, end_year: int, lsoa_year: int = 2011) -> dict:
    """The row of ``data/ward-vintages.csv`` for a period ending in ``end_year`` on ``lsoa_year``'s LSOAs: of the
    vintages with a lookup from that geography, the one :func:`geo.config.ward_vintage_for` picks (so a 2011-LSOA
    period of 2022 takes the 2020 wards, the newest that ONS looks up from 2011 LSOAs)."""
    df = read_table(path, VINTAGE_COLUMNS)
    raise_first(path, df, df["year"].duplicated(), "year", lambda i: f"{df['year'].iloc[i]} again", "one row a year")
    neither = (df["lookup"] == "") & (df["lookup21"] == "")
    raise_first(path, df, neither, "lookup", lambda i: "no lookup from either LSOA geography", "give one")
    column = LOOKUP_COLUMN[lsoa_year]
    year = ward_vintage_for(df.loc[df[column] != "", "year"].tolist(), end_year)
    if year is None:
        raise InputError(path, f"no ward vintage with a lookup from {lsoa_year} LSOAs", fix=f"fill in {column}")
    r = df[df["year"] == year].iloc[0]
    return {"ward_year": int(r["year"]), "ward_yy": f"{int(r['year']) % 100:02d}",
            "wards_url": " ".join(u for u in (r["boundaries"], r["copy"]) if u), "outline_url": r["outline"],
            "lookup_url": r[column]}  # fmt: skip


def plan(
    sources: list[Source], *, district: str, period: Period, force: str = "kent", vintages: Path = VINTAGES
) -> list[Target]:
    """The files a build of ``district`` for ``period`` needs, one :class:`Target` per file.

    police.uk months come from the archive :func:`~geo.fetch.archives.archive_for` names (a month never
    published is a ``manual`` target that says so);
    STATS19 files come one per year of the period. The ward boundaries and the LSOA -> ward lookup are those of
    the newest vintage in ``vintages`` not after the period's last year (:func:`ward_vintage`); of the Indices
    of Deprivation on 2011 LSOAs (rows ``imd<year>``) only the edition the build will use for the period
    (:func:`geo.analysis.deprivation.lsoa11_edition`) is planned. A source marked with an LSOA geography
    (``lsoa``) is planned only for periods on it (:attr:`geo.config.Period.lsoa_year`): Census 2011, the 2011-LSOA
    lookups and IoD 2015 or 2019 before June 2023; Census 2021, the 2021-LSOA lookups and IoD 2025 from then on.
    """
    out = []
    years = sorted({m[:4] for m in period.months()})
    lsoa_year = period.lsoa_year
    wanted_iod = f"imd{lsoa11_edition(period.end).year}"
    vintage = ward_vintage(vintages, int(period.end[:4]), lsoa_year)
    for s in sources:
        if s.lsoa and int(s.lsoa) != lsoa_year:
            continue
        if re.fullmatch(r"imd\d{4}", s.id) and s.id != wanted_iod:
            continue
        months = period.months() if "{month}" in s.path else (None,)
        for m in months:
            for y in years if "{year}" in s.path else (None,):
                archive = archive_for(m, period.end) if m else period.end
                v = {"district": district, "month": m or "", "force": force, "archive": archive, "year": y or ""}
                v |= vintage
                # a vintage's addresses hold {district} in turn, hence formatting twice
                url = fetch_query.stats19_url(s.url, int(y)) if s.kind == "stats19" else s.url.format(**v).format(**v)
                if s.kind == "police-archive" and archive is None:  # listed as manual, saying why
                    url = f"nowhere: police.uk's archives hold street-level data from {FIRST_MONTH} on"
                out.append(
                    Target(
                        s.id,
                        s.path.format(**v),
                        s.present.format(**v),
                        url,
                        s.member.format(**v).format(**v),
                        s.sha256,
                        s.kind == "manual" or (s.kind == "police-archive" and archive is None),
                        s.kind,
                        district,
                        int(y) if y else vintage["ward_year"] if s.kind == "wards" else None,
                        s.needs.format(**v),
                    )
                )
    return out


def fetch(
    targets: list[Target],
    data_dir: Path,
    *,
    mirror: str | None = None,
    refresh: bool = False,
    progress: bool = True,
    opener=None,
) -> Report:
    """Make every target present in ``data_dir``; see the module docstring for the guarantees."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    opener = opener or urllib.request.build_opener()
    report, lists = Report(), {}
    recorded = _read_manifest(data_dir)
    for t in targets:
        if not refresh and any(p.is_file() and p.suffix != ".part" for p in data_dir.glob(t.present)):
            report.cached.append(t.path)
            continue
        if t.kind in fetch_query.KINDS:  # the portal renames its services
            t = replace(t, url=_named_now(t.addresses, opener, mirror, lists),
                        member=_named_now([t.member] if t.member else [], opener, mirror, lists))  # fmt: skip
        url = with_mirror(t.url, mirror)
        if t.manual:
            report.manual.append((t.path, t.url))
            continue
        try:
            if t.kind in fetch_query.KINDS:
                digest, size, url = _query(t, data_dir, opener, (mirror, refresh, progress))
            elif t.member:
                archive = data_dir / CACHE / Path(urllib.parse.urlparse(url).path).name
                if refresh or not archive.is_file():
                    download_to(opener, url, archive, progress=progress)
                digest, size = extract(archive, t.member, data_dir / t.path)
            else:
                digest, size = download_to(opener, url, data_dir / t.path, sha256=t.sha256, progress=progress)
        except FetchError as exc:
            report.failed.append((t.path, f"{publisher(t.url)}: {exc}"))
            log.error("%s: %s", t.path, exc)
            continue
        recorded[t.path] = {"path": t.path, "url": url, "bytes": str(size), "sha256": digest}
        _write_manifest(data_dir, recorded)
        report.fetched.append(t.path)
    return report


def _named_now(urls: list[str], opener, mirror, lists: dict) -> str:
    """The addresses ``urls``, space-separated, each with its portal service named as the portal's list names it
    now (:func:`geo.fetch.services.current`); other addresses as they are."""
    return " ".join(
        services.current(u, service_list(opener, services.listing_url(u), mirror, lists))
        if services.listing_url(u)
        else u
        for u in urls
    )


def download(url: str, dest: Path, *, progress: bool = True, opener=None) -> tuple[str, int]:
    """Stream ``url`` to ``dest`` atomically with a progress bar; returns (sha256, bytes). Raises FetchError."""
    return download_to(opener or urllib.request.build_opener(), url, dest, progress=progress)


def _query(t: Target, data_dir: Path, opener, how: tuple) -> tuple[str, int, str]:
    """Make a target that a publisher offers as a query (:mod:`geo.fetch.query`); returns (sha256, bytes, the
    address that answered)."""
    mirror, refresh, progress = how

    def get(url: str) -> bytes:
        url = with_mirror(url, mirror)
        with http_errors(url), opener.open(url, timeout=TIMEOUT_S) as resp:
            return resp.read()

    try:
        if t.kind == "census":
            data = fetch_query.census(get, (t.url, t.member), t.district, _needed(t, data_dir))
        elif t.kind == "census21":
            data = fetch_query.census21(get, t.url, t.district, _needed(t, data_dir))
        elif t.kind == "arcgis-csv":
            data = fetch_query.arcgis_csv(get, t.url)
        elif t.kind == "wards":
            return _wards(t, data_dir, opener, get, how)
        else:
            data = _stats19(t, data_dir, opener, how)
    except (fetch_query.QueryError, InputError) as exc:  # an answer, or a file fetched before, not as it should be
        raise FetchError(str(exc)) from None
    return (*write_atomic(data_dir / t.path, data), with_mirror(t.url, mirror))


def _needed(t: Target, data_dir: Path) -> Path:
    """The file ``t`` is made from (fetched before it); a FetchError if it is not there."""
    path = data_dir / t.needs
    if not path.is_file():
        raise FetchError(f"{t.path} needs {t.needs} first")
    return path


def _wards(t: Target, data_dir: Path, opener, get, how: tuple) -> tuple[str, int, str]:
    """A district's ward boundaries from the first of the target's addresses that answers: a layer query (for the
    lookup's ward codes, or cut by place to the district's outline, the ``member`` query), or a file downloaded as
    it is. Each address that fails is logged, and named in the error if none answers."""
    mirror, _, progress = how
    failures = []
    for url in t.addresses:
        try:
            if not fetch_query.is_arcgis_query(url):
                got = with_mirror(url, mirror)
                return (*download_to(opener, got, data_dir / t.path, sha256=t.sha256, progress=progress), got)
            if t.member:
                data = fetch_query.arcgis_geojson_within(get, url, t.member, t.district)
            else:
                data = fetch_query.arcgis_geojson(
                    get, url, fetch_query.ward_codes(_needed(t, data_dir), t.district, f"WD{str(t.year)[2:]}CD")
                )
            return (*write_atomic(data_dir / t.path, data), with_mirror(url, mirror))
        except (FetchError, fetch_query.QueryError) as exc:
            failures.append(str(exc))
            if url != t.addresses[-1]:
                log.warning("%s: %s; trying the next address", t.path, exc)
    raise FetchError("; ".join(failures))


def _stats19(t: Target, data_dir: Path, opener, how: tuple) -> bytes:
    """One year of DfT's collision or casualty file, cut to the district (the raw file is kept in the cache)."""
    mirror, refresh, progress = how
    url = with_mirror(t.url, mirror)
    raw = data_dir / CACHE / Path(urllib.parse.urlparse(url).path).name
    if refresh or not raw.is_file():
        download_to(opener, url, raw, progress=progress)
    keep = None
    if t.needs:  # a casualty file: keep the casualties of the collisions already cut
        keep = fetch_query.stats19_cut(_needed(t, data_dir), t.district, t.year)[1]
    return fetch_query.stats19_cut(raw, t.district, t.year, keep)[0]


def _read_manifest(data_dir: Path) -> dict[str, dict]:
    path = data_dir / MANIFEST
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["path"]: r for r in csv.DictReader(f)}


def _write_manifest(data_dir: Path, rows: dict[str, dict]) -> None:
    """Rewrite the fetch manifest atomically, sorted by path."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["path", "url", "bytes", "sha256"], lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for k in sorted(rows):
        w.writerow(rows[k])
    tmp = data_dir / f".{MANIFEST}.part"
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    os.replace(tmp, data_dir / MANIFEST)
