"""The open, static API: one JSON document per ward and vintage, an index of them, and their JSON Schema.

Field names are part of the API (``API_VERSION`` 1): a change of meaning is a new version, never a silent rename.
The downloads hold the same data as CSV with the same field names (``ward-outcomes.csv``,
``ward-repeat-locations.csv``, ``ward-indicators.csv``). Numbers keep 4 decimals (a small one 4 significant
figures, so a tiny p-value stays itself), a missing value is ``null``, and keys are sorted, so a rebuild gives
the same bytes.
"""

from __future__ import annotations

import json
import math

API_VERSION = 1
API_DIR = "api"
SCHEMA_FILE = f"{API_DIR}/ward.schema.json"
INDEX_SCHEMA_FILE = f"{API_DIR}/index.schema.json"

_NUM = {"type": ["number", "null"]}
_INT = {"type": "integer", "minimum": 0}
_STR = {"type": "string"}


def _obj(props: dict, required=None) -> dict:
    return {"type": "object", "properties": props, "required": sorted(required or props), "additionalProperties": False}


_INDICATOR = _obj(
    {
        "id": _STR,
        "title": _STR,
        "count": {"type": ["integer", "null"], "minimum": 0},
        "rate_per_1000": _NUM,
        "rate_lower_95": _NUM,
        "rate_upper_95": _NUM,
        "district_rate_per_1000": _NUM,
        "compared_with_district": {"enum": ["higher", "lower", "similar", "suppressed"]},
        "p_value": _NUM,
        "q_value": _NUM,
        "compared_fdr": {"enum": ["higher", "lower", "similar", "suppressed"]},
        "funnel": {"enum": ["above 99.8 %", "above 95 %", "within", "below 95 %", "below 99.8 %", "suppressed"]},
        "rank": {"type": ["integer", "null"], "minimum": 1},
    }
)
_SIGNAL = _obj(
    {
        "id": _STR,
        "indicator": _STR,
        "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "count": _INT,
        "usual": {"type": "number"},
        "lower_limit": {"type": "number"},
        "upper_limit": {"type": "number"},
        "direction": {"enum": ["above", "below"]},
    }
)
_REPEAT = _obj(
    {
        "rank": {"type": "integer", "minimum": 1},
        "location": _STR,
        "latitude": {"type": "number", "minimum": 49, "maximum": 61},
        "longitude": {"type": "number", "minimum": -9, "maximum": 3},
        "records": _INT,
        "months": _INT,
        "months_in_period": _INT,
        "categories": {
            "type": "array",
            "items": _obj({"category": _STR, "records": _INT}),
        },
    }
)
_OUTCOME = _obj(
    {
        "indicator": _STR,
        "crimes": _INT,
        "charge_summons": _INT,
        "caution": _INT,
        "community_resolution": _INT,
        "other_formal": _INT,
        "no_formal_action": _INT,
        "pending": _INT,
        "no_outcome": _INT,
        "with_outcome": _INT,
        "formal": _INT,
        "share_pct": _NUM,
        "lower_pct": _NUM,
        "upper_pct": _NUM,
        "district_share_pct": _NUM,
        "compared": {"enum": ["higher", "lower", "similar", "no outcomes"]},
    }
)
_INPUT = _obj(
    {
        "file": _STR,
        "bytes": _INT,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "fetched_from": {"type": ["string", "null"]},
    }
)
_VINTAGE = _obj(
    {
        "prefix": _STR,
        "period_start": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "period_end": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
        "label": _STR,
        "ward_set": _STR,
        "census": {"type": "integer"},
        "deprivation": _STR,
    }
)
_HEAD = {"api_version": {"const": API_VERSION}, "district": _obj({"code": _STR, "name": _STR}), "vintage": _VINTAGE}
"""The properties every document of the API starts with."""


def _document(file: str, title: str, props: dict) -> dict:
    """A draft 2020-12 schema of one kind of document: the common head, then ``props``."""
    draft = "https://json-schema.org/draft/2020-12/schema"
    return {"$schema": draft, "$id": file, "title": title, **_obj(_HEAD | props)}


WARD_SCHEMA = _document(
    SCHEMA_FILE,
    "One ward in one vintage of the site",
    {
        "ward": _obj({"code": _STR, "name": _STR, "slug": _STR, "page": _STR, "residents": _INT}),
        "indicators": {"type": "array", "items": _INDICATOR},
        "signals": {"type": "array", "items": _SIGNAL},
        "repeat_locations": {"type": "array", "items": _REPEAT},
        "repeat_locations_min_records": _INT,
        "outcomes": {"type": "array", "items": _OUTCOME},
        "provenance": _obj({"inputs": {"type": "array", "items": _INPUT, "minItems": 1}}),
    },
)
"""The JSON Schema (draft 2020-12) every ward document follows; the tests validate each against it."""
INDEX_SCHEMA = _document(
    INDEX_SCHEMA_FILE,
    "The ward documents of one vintage",
    {
        "schema": _STR,
        "wards": {"type": "array", "items": _obj({"code": _STR, "name": _STR, "document": _STR})},
        "other_vintages": {"type": "array", "items": _obj({"label": _STR, "index": _STR})},
    },
)


def clean(value):
    """JSON-ready: NaN and None as None, numpy numbers as Python ones, floats to 4 decimals (as the CSV
    downloads) but a small one to 4 significant figures, so that a tiny p-value stays itself.

    >>> clean({"a": float("nan"), "b": [116.688312, 2, 3.2149e-12, 0.0]})
    {'a': None, 'b': [116.6883, 2, 3.215e-12, 0.0]}
    """
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, 4) if abs(value) >= 0.01 or value == 0 else float(f"{value:.4g}")
    return value


def dumps(document: dict) -> str:
    """The document's bytes: sorted keys, one space of indent, UTF-8 text, a final newline."""
    return json.dumps(clean(document), sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
