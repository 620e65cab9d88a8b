"""The open, static API (issue 28, item 5): every ward document and index validates against its published JSON
Schema, agrees with the CSV downloads and the feeds, names every input with its SHA-256, and the "Use the data"
page's pandas example runs against the built site."""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from jsonschema import Draft202012Validator

from geo.config import DEFAULT_DATA_DIR
from geo.render.api import INDEX_SCHEMA, WARD_SCHEMA

VINTAGES = {"": 26, "2025/": 22}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_schemas_are_valid_and_published(site):
    for schema, name in ((WARD_SCHEMA, "ward"), (INDEX_SCHEMA, "index")):
        Draft202012Validator.check_schema(schema)
        assert _load(site / "api" / f"{name}.schema.json") == json.loads(json.dumps(schema))
    assert not (site / "2025" / "api" / "ward.schema.json").exists()  # one copy, at the root


def test_field_names_are_stable():
    """The API's names, frozen here: renaming one is a new API version, not an edit."""
    props = WARD_SCHEMA["properties"]
    assert sorted(props) == [
        "api_version", "district", "indicators", "outcomes", "provenance", "repeat_locations",
        "repeat_locations_min_records", "signals", "vintage", "ward",
    ]  # fmt: skip
    assert sorted(props["indicators"]["items"]["properties"]) == [
        "compared_fdr", "compared_with_district", "count", "district_rate_per_1000", "funnel", "id", "p_value",
        "q_value", "rank", "rate_lower_95", "rate_per_1000", "rate_upper_95", "title",
    ]  # fmt: skip
    assert "share_pct" in props["outcomes"]["items"]["properties"]
    assert "months" in props["repeat_locations"]["items"]["properties"]


@pytest.mark.parametrize("prefix", list(VINTAGES))
def test_every_document_validates_and_agrees_with_the_downloads(site, prefix):
    ward_v, index_v = Draft202012Validator(WARD_SCHEMA), Draft202012Validator(INDEX_SCHEMA)
    index = _load(site / prefix / "api" / "index.json")
    assert list(index_v.iter_errors(index)) == []
    assert len(index["wards"]) == VINTAGES[prefix]
    csv = pd.read_csv(site / prefix / "downloads" / "ward-indicators.csv").set_index(["ward_code", "indicator"])
    outcomes = pd.read_csv(site / prefix / "downloads" / "ward-outcomes.csv").set_index(["ward_code", "indicator"])
    repeats = pd.read_csv(site / prefix / "downloads" / "ward-repeat-locations.csv")
    for w in index["wards"]:
        doc = _load(site / prefix / "api" / w["document"])
        assert list(ward_v.iter_errors(doc)) == [], w["name"]
        assert (site / doc["ward"]["page"]).is_file() and doc["ward"]["code"] == w["code"]
        for i in doc["indicators"]:
            row = csv.loc[(w["code"], i["id"])]
            assert i["count"] == row["count"] and i["rate_per_1000"] == pytest.approx(row["rate_per_1000"], abs=1e-4)
            assert i["compared_fdr"] == row["compared_fdr"]
        for o in doc["outcomes"]:
            row = outcomes.loc[(w["code"], o["indicator"])]
            assert (o["crimes"], o["formal"], o["with_outcome"]) == (row["crimes"], row["formal"], row["with_outcome"])
        mine = repeats[repeats["ward_code"] == w["code"]]
        assert [r["records"] for r in doc["repeat_locations"]] == mine["records"].tolist()
        assert all(r["records"] >= doc["repeat_locations_min_records"] for r in doc["repeat_locations"])


def test_provenance_names_every_input_with_its_sha256(site):
    doc = _load(site / "2025" / "api" / "wards" / "high-street.json")
    files = {i["file"]: i["sha256"] for i in doc["provenance"]["inputs"]}
    police = [f for f in files if f.startswith("police/")]
    assert len(police) == 12
    for f in police[:3]:
        assert hashlib.sha256((DEFAULT_DATA_DIR / f).read_bytes()).hexdigest() == files[f]


def test_signals_carry_the_ids_of_the_feed(site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    checked = 0
    for doc_path in sorted((site / "2025" / "api" / "wards").glob("*.json")):
        doc = _load(doc_path)
        feed = ET.parse(site / "2025" / "feeds" / f"{doc['ward']['slug']}.xml").getroot()
        ids = {e.findtext("a:id", namespaces=ns) for e in feed.findall("a:entry", ns)}
        assert {s["id"] for s in doc["signals"]} == ids
        checked += len(ids)
    assert checked > 0


def test_the_pandas_example_runs_against_the_site(site):
    page = (site / "use-the-data.html").read_text(encoding="utf-8")
    plain = re.sub(r"<span[^>]*>|</span>|<a [^>]*>|</a>", "", page)
    assert "curl -s" in plain
    code = html.unescape(re.search(r"<code>(import json.*?)</code>", plain, re.S).group(1))
    code = code.replace('SITE = "https://example.org/site"', f'SITE = "{site.as_uri()}"')
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "use-the-data", "exec"), {})
    printed = out.getvalue()
    assert "rate_per_1000" in printed and "High Street" in printed
