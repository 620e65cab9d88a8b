"""The Open Geography Portal renames its services (a hash suffix was added to the lookups in 2023, and a ``_v2``
when one was replaced), so ``geo fetch`` looks each one up in the portal's service list before querying it.

``data/ward-vintages.csv`` keeps the last known name of each service; :func:`current` asks the portal's list
(``…/arcgis/rest/services?f=json``) for the service of the same base name and uses the newest listed, or the
last known name when the list cannot be read or does not name it.
"""

from __future__ import annotations

import json
import logging
import re

log = logging.getLogger(__name__)

SERVICE = re.compile(r"^(?P<root>.*/arcgis/rest/services)/(?P<name>[^/?]+)/(?:FeatureServer|MapServer)/")
SUFFIX = re.compile(r"(?:_v(?P<v>\d+))?(?:_[0-9a-f]{32})?$")


def base(name: str) -> str:
    """A service's name without the portal's version and hash suffixes.

    >>> base("LSOA11_WD20_LAD20_EW_LU_v2_f514a75a131249caa65227cdc6275a21"), base("LSOA11_WD15_LAD15_EW_LU")
    ('LSOA11_WD20_LAD20_EW_LU', 'LSOA11_WD15_LAD15_EW_LU')
    """
    return SUFFIX.sub("", name)


def newest(names) -> str:
    """Of several names of one service, the latest version (a ``_vN`` over none), then by name.

    >>> newest(["WD20_LU_0f9d85d4a7bd4bdc9b4c2c0b6ed6f1a1", "WD20_LU_v2_f514a75a131249caa65227cdc6275a21"])
    'WD20_LU_v2_f514a75a131249caa65227cdc6275a21'
    """
    return max(names, key=lambda n: (int(SUFFIX.search(n).group("v") or 0), n))


def current(url: str, listing: bytes) -> str:
    """``url`` with its service named as the portal's ``listing`` (its ``?f=json`` answer) names it now."""
    m = SERVICE.match(url)
    if not m:
        return url
    try:
        names = [s.get("name", "") for s in json.loads(listing).get("services", [])]
    except (ValueError, AttributeError):
        return url
    if m["name"] in names:
        return url
    same = [n for n in names if base(n) == base(m["name"])]
    if not same:
        log.warning("the portal's service list has no %s: trying the last known name", base(m["name"]))
        return url
    found = newest(same)
    log.warning("the portal renamed %s to %s", m["name"], found)
    return url.replace(f"/{m['name']}/", f"/{found}/", 1)


def listing_url(url: str) -> str | None:
    """The address of the service list of the portal ``url`` is on (None if it is not an ArcGIS service)."""
    m = SERVICE.match(url)
    return f"{m['root']}?f=json" if m else None
