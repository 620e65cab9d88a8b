"""The comparison of the assessment's year with today's (geo.analysis.since) places the other year's records in a
ward set again; it first sets aside the records that cannot lie in any of its wards. None that can is set aside."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.analysis import bng, since
from geo.read.boundaries import wards_from_geojson


def test_no_point_of_a_ward_is_set_aside(bundle_data):
    for path in sorted((bundle_data / "boundaries").glob("wards-*/*.geojson")):
        wards = wards_from_geojson(path)
        # every vertex of every ward and a point inside each: the extremes of the ward set, and its interior
        xy = np.vstack([shapely.get_coordinates(wards.geometry), shapely.get_coordinates(wards.representative_point())])
        lon, lat = bng.to_wgs84(xy[:, 0], xy[:, 1])
        recs = pd.DataFrame({"longitude": lon, "latitude": lat})
        assert since._near(recs, wards).all(), path
        far = pd.DataFrame({"longitude": [lon.min() - 0.05, lon.max() + 0.05], "latitude": [lat.mean()] * 2})
        assert not since._near(far, wards).any()  # and a record a few kilometres beyond the set is
