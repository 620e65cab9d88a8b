"""Which police force's police.uk files hold a district's records, found in the monthly archive itself.

data.police.uk's archive holds every force's street-level file for each month. Rather than ask the user for
the force's name (``kent``, ``thames-valley``, ``metropolitan``…), ``geo fetch`` opens the archive of the
period's last month and counts, in each force's file of that month, the records whose ``LSOA code`` is one of the
district's LSOAs of the period's geography (2011 LSOAs before June 2023, 2021 LSOAs from then on, from the
period's LSOA -> ward lookup, fetched first). The force with most is the district's.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
import zipfile
from pathlib import Path

from geo.config import Period
from geo.errors import InputError
from geo.fetch import core as fetch
from geo.fetch import query as fetch_query
from geo.fetch.archives import archive_for


def force_of(archive: Path, month: str, lsoas: set[str]) -> tuple[str, int]:
    """The force whose street-level file of ``month`` in ``archive`` has most records in ``lsoas``, and how
    many; ``("", 0)`` when no file has any."""
    name_re = re.compile(rf"(?:^|/){re.escape(month)}-([a-z0-9-]+)-street\.csv$")
    best = ("", 0)
    try:
        with zipfile.ZipFile(archive) as z:
            for name in sorted(z.namelist()):
                m = name_re.search(name)
                if not m:
                    continue
                with z.open(name) as f:
                    rows = csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig", newline=""))
                    header = next(rows, [])
                    if "LSOA code" not in header:
                        continue
                    col = header.index("LSOA code")
                    n = sum(1 for r in rows if len(r) > col and r[col] in lsoas)
                if n > best[1]:
                    best = (m.group(1), n)
    except zipfile.BadZipFile:
        archive.unlink(missing_ok=True)  # as fetch does: a broken archive is not kept for next time
        raise fetch.FetchError(f"{archive.name} is not a complete zip file (deleted; run again)") from None
    return best


def resolve_force(
    sources: list[fetch.Source], data_dir: Path, *, district: str, period: Period, mirror=None, progress=True
) -> tuple[str, int, fetch.Report]:
    """The district's police force, its record count in the period's last month, and the report of what was
    fetched to find it (the LSOA -> ward lookup and the archive, both kept for the fetch that follows).

    When every month's police.uk file is already in the data directory no force is needed: ``("", 0, report)``.
    """
    data_dir = Path(data_dir)
    planned = fetch.plan(sources, district=district, period=period, force="any")
    months = [t for t in planned if t.kind == "police-archive"]
    if all(any(data_dir.glob(t.present)) for t in months):
        return "", 0, fetch.Report()
    lookup = [t for t in planned if t.source in ("lsoa11_ward", "lsoa21_ward")]  # the period's LSOA geography
    report = fetch.fetch(lookup, data_dir, mirror=mirror, progress=progress)
    if report.failed or not lookup:
        raise fetch.FetchError(f"the police force cannot be found without the LSOA -> ward lookup: {report.text()}")
    police = next(s for s in sources if s.kind == "police-archive")
    url = fetch.with_mirror(police.url.format(archive=archive_for(period.end, period.end)), mirror)
    archive = data_dir / fetch.CACHE / Path(urllib.parse.urlparse(url).path).name
    if not archive.is_file():
        fetch.download(url, archive, progress=progress)
    try:
        lsoas = fetch_query.district_lsoas(data_dir / lookup[0].path, district)
    except (fetch_query.QueryError, InputError) as exc:
        raise fetch.FetchError(str(exc)) from None
    force, n = force_of(archive, period.end, lsoas)
    if not force:
        raise fetch.FetchError(
            f"{archive.name}: no force's records of {period.end} lie in {district}'s {period.lsoa_year} LSOAs"
        )
    return force, n, report
