"""Signal feeds (issue 28, item 1): an Atom feed per ward and for the district, read here with feedparser, whose
entries are exactly the months the downloaded monthly series marks as outside its control limits."""

from __future__ import annotations

import csv
from collections import Counter

import feedparser
import pytest


@pytest.mark.parametrize("vintage", ["", "2025/"])
def test_every_ward_feed_is_valid_atom_with_one_entry_per_signal(site, vintage):
    root = site / vintage
    with open(root / "downloads" / "ward-monthly-series.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    signals = Counter(r["ward_name"] for r in rows if r["signal"] in ("above", "below"))
    names = {r["ward_code"]: r["ward_name"] for r in rows}
    feeds = sorted((root / "feeds").glob("*.xml"))
    assert len(feeds) == len(names)  # every ward and the district
    seen_ids, total = set(), 0
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.feed.id.startswith("urn:uuid:")
        page = next(link.href for link in parsed.feed.links if link.rel == "alternate")
        assert (path.parent / page).resolve().is_file()
        place = parsed.feed.title.split(":")[0].removesuffix(" ward")
        name = "(whole district)" if path.stem == "district" else place
        assert len(parsed.entries) == signals.get(name, 0), path
        for e in parsed.entries:
            assert e.id not in seen_ids and (path.parent / e.link).resolve().is_file()
            seen_ids.add(e.id)
            assert e.updated[:7] in e.title or e.updated[:4] in e.title
        total += len(parsed.entries)
    assert total == sum(signals.values()) and total > 0


def test_the_ward_pages_link_their_feed(site):
    page = (site / "wards" / "park-wood.html").read_text(encoding="utf-8")
    assert '<a href="../feeds/park-wood.xml" type="application/atom+xml">' in page
    assert 'href="../feeds/district.xml"' in (site / "2025" / "wards" / "index.html").read_text(encoding="utf-8")
