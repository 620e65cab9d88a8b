"""``geo fetch --dry-run`` and ``geo fetch --check``: the plan in words, and whether each publisher still answers at
the address the plan would call, without downloading anything.

``--check`` asks each address once for its headers (HEAD; the first page of a query), with a short timeout, so that
a renamed service or a withdrawn file is found before a build needs it. With no network it says so and fails; it
never waits longer than :data:`TIMEOUT_S` an address.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from geo.fetch import query as fetch_query

TIMEOUT_S = 15
"""Seconds to wait for one publisher's first answer."""
PUBLISHERS = {
    "data.police.uk": "data.police.uk (Home Office)",
    "services1.arcgis.com": "ONS Open Geography Portal",
    "www.nomisweb.co.uk": "Nomis (ONS Census)",
    "assets.publishing.service.gov.uk": "GOV.UK (Indices of Deprivation)",
    "data.dft.gov.uk": "Department for Transport (STATS19)",
}


def publisher(url: str) -> str:
    """The publisher of an address, by its host.

    >>> publisher("https://data.police.uk/data/archive/2017-04.zip")
    'data.police.uk (Home Office)'
    """
    host = urllib.parse.urlsplit(url).netloc
    return PUBLISHERS.get(host, host or "(no address)")


def describe(targets, *, force: str, vintage: int | None) -> str:
    """The plan, one line per file: where it goes, the address it comes from (with the archive member), and what
    it needs first; a file no publisher holds says so. Nothing is downloaded."""
    lines = [
        f"police force: {force or 'found in the archive when fetching'}",
        f"ward boundaries and LSOA -> ward lookup: the December {vintage} vintage (data/ward-vintages.csv)"
        if vintage
        else "ward boundaries: none planned",
    ]
    for t in targets:
        first, *copies = t.addresses
        where = first + (f" [member {t.member}]" if t.member and t.kind == "police-archive" else "")
        where += f" (the wards inside the district's outline from {t.member})" if t.member and t.kind == "wards" else ""
        where += "".join(f"\n    or, if that fails, <- {c}" for c in copies)  # a ward vintage's public copy
        how = " (not fetched: get it by hand)" if t.manual else ""
        how += " (asked for the district and its LSOAs in the lookup, by code)" if t.kind == "census21" else ""
        after = f" (made after {t.needs})" if t.needs else ""
        lines.append(f"{t.path}\n    <- {where}{how}{after}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Answer:
    url: str
    publisher: str
    ok: bool
    words: str


def addresses(targets) -> list[str]:
    """Each address the plan would call, once, in plan order (for queries, the first page)."""
    out: list[str] = []
    for t in targets:
        if t.manual:
            continue
        queries = [t.member] if t.kind == "wards" and t.member else []  # a district outline's query
        for url in t.addresses + queries:
            url = first_page(url)
            if url.startswith(("http://", "https://")) and url not in out:
                out.append(url)
    return out


def first_page(url: str) -> str:
    """An ArcGIS query asked for one row (any row, when it has no ``where``), a Nomis query for one record
    (``RecordLimit``, as public code pages Nomis); other addresses as they are.

    >>> first_page("https://services1.arcgis.com/x/arcgis/rest/services/S/FeatureServer/0/query?f=json")
    'https://services1.arcgis.com/x/arcgis/rest/services/S/FeatureServer/0/query?f=json&resultRecordCount=1&where=1%3D1'
    >>> first_page("https://www.nomisweb.co.uk/api/v01/dataset/NM_2021_1.data.csv?geography=TYPE151")
    'https://www.nomisweb.co.uk/api/v01/dataset/NM_2021_1.data.csv?geography=TYPE151&RecordLimit=1'
    """
    if urllib.parse.urlsplit(url).netloc == "www.nomisweb.co.uk" and "?" in url:
        return fetch_query.with_params(url, RecordLimit=1)
    if not fetch_query.is_arcgis_query(url):
        return url
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    return fetch_query.with_params(url, resultRecordCount=1, **({} if "where" in q else {"where": "1=1"}))


def check(urls, opener=None, timeout: float = TIMEOUT_S) -> list[Answer]:
    """Ask each address for its headers (HEAD, or GET for a query's first page) and say what came back."""
    opener = opener or urllib.request.build_opener()
    out = []
    for url in urls:
        method = "GET" if "?" in url else "HEAD"
        req = urllib.request.Request(url, method=method, headers={"User-Agent": "geo-fetch-check"})
        try:
            with opener.open(req, timeout=timeout) as r:
                moved = urllib.parse.urlsplit(r.geturl()).path != urllib.parse.urlsplit(url).path
                words = f"moved to {r.geturl()}" if moved else f"HTTP {r.status}"
                out.append(Answer(url, publisher(url), not moved, words))
        except urllib.error.HTTPError as exc:
            exc.close()
            out.append(Answer(url, publisher(url), False, f"HTTP {exc.code} {exc.reason}: moved or withdrawn"))
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            out.append(Answer(url, publisher(url), False, f"no answer ({getattr(exc, 'reason', exc)})"))
    return out


def unreachable(answers: list[Answer]) -> bool:
    """Whether no publisher answered at all (no network here), rather than some having moved."""
    return bool(answers) and all(a.words.startswith("no answer") for a in answers)
