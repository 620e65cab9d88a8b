"""Signal feeds (Atom, RFC 4287): one entry for each month a ward's (or the district's) monthly count left its
control limits, so that a feed reader hears of a pattern rather than of every incident.

Entry ids are UUIDs made from the district, ward, indicator and month (:func:`uuid.uuid5`) and each entry is
dated by its month, so a rebuild gives the same feed and a reader shows each signal once.
"""

from __future__ import annotations

import calendar
import uuid
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = uuid.UUID("6f3e2b1a-8c4d-5e6f-9a0b-1c2d3e4f5a6b")
"""The namespace of the feeds' entry ids (fixed, so ids never change between builds)."""
WORDS = {"above": "above its usual range", "below": "below its usual range"}


def month_words(month: str) -> str:
    """``2025-03`` -> ``March 2025``."""
    return f"{calendar.month_name[int(month[5:])]} {month[:4]}"


def entry_id(*parts: str) -> str:
    """A stable id for one signal.

    >>> entry_id("E07000110", "E05015608", "asb", "2025-07") == entry_id("E07000110", "E05015608", "asb", "2025-07")
    True
    """
    return "urn:uuid:" + str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def entries(signals, titles: dict, place: str, district: str, page: str) -> list[dict]:
    """Feed entries from control-chart rows with a signal (``ward_code``, ``indicator``, ``month``, ``count``,
    ``centre``, ``lower``, ``upper``, ``signal``), newest first; ``page`` is the ward page the entries link to."""
    out = []
    for r in signals.itertuples(index=False):
        what, when = titles[r.indicator], month_words(r.month)
        out.append(
            {
                "id": entry_id(district, r.ward_code, r.indicator, r.month),
                "updated": f"{r.month}-01T00:00:00Z",
                "title": f"{what} in {place}, {when}: {int(r.count)} records, {WORDS[r.signal]}",
                "summary": (
                    f"police.uk recorded {int(r.count)} {what.lower()} records in {place} in {when}, outside the "
                    f"control limits of {r.lower:.1f} to {r.upper:.1f} around its usual {r.centre:.1f} a month."
                ),
                "link": page,
            }
        )
    return sorted(out, key=lambda e: (e["updated"], e["title"]), reverse=True)


def atom(feed_id: str, title: str, self_href: str, page: str, items: list[dict], updated: str) -> str:
    """The feed's XML; its links are relative to the feed's own address."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>{escape(feed_id)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{escape(updated)}</updated>",
        "  <author><name>Safer neighbourhoods open data site</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_href)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(page)}/>',
    ]
    for e in items:
        lines += [
            "  <entry>",
            f"    <id>{escape(e['id'])}</id>",
            f"    <title>{escape(e['title'])}</title>",
            f"    <updated>{escape(e['updated'])}</updated>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(e["link"])}/>',
            f"    <summary>{escape(e['summary'])}</summary>",
            "  </entry>",
        ]
    return "\n".join([*lines, "</feed>"]) + "\n"
