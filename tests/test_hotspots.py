"""Hotspot stage on tiny fixed grids: Gi* finds a planted cluster, not noise; the grid tiles the area once."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.analysis.bng import BNG
from geo.analysis.hotspots import cell_of_points, cell_wards, counts_by_cell, getis_ord, hex_grid, top_locations

AREA = gpd.GeoDataFrame(geometry=[box(0, 0, 6000, 6000)], crs=BNG)


@pytest.fixture(scope="module")
def grid():
    return hex_grid(AREA, 400)


def test_grid_covers_the_area_exactly_once(grid):
    area = AREA.geometry.iloc[0]
    assert grid.union_all().covers(area)
    # no overlaps: the cells' areas inside the area add up to the area itself
    assert grid.geometry.intersection(area).area.sum() == pytest.approx(area.area, rel=1e-9)
    # every cell touches the area with more than an edge
    assert (grid.geometry.intersection(area).area > 0).all()
    assert grid["cell_id"].tolist() == list(range(len(grid)))
    w = grid.geometry.iloc[0].bounds
    assert w[2] - w[0] == pytest.approx(400)


def test_grid_on_an_irregular_area():
    shape = Point(0, 0).buffer(1500).union(box(1000, -200, 4000, 200))
    g = hex_grid(gpd.GeoDataFrame(geometry=[shape], crs=BNG), 250)
    assert g.union_all().covers(shape)
    assert g.geometry.intersection(shape).area.sum() == pytest.approx(shape.area, rel=1e-9)


def test_every_point_falls_in_exactly_one_cell(grid):
    rng = np.random.default_rng(1)
    pts = gpd.GeoSeries(gpd.points_from_xy(rng.uniform(0, 6000, 500), rng.uniform(0, 6000, 500)), crs=BNG)
    # add points on a shared edge and on a shared vertex
    c0 = grid.geometry.iloc[len(grid) // 2]
    coords = list(c0.exterior.coords)
    edge_mid = Point((coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2)
    pts = pd.concat([pts, gpd.GeoSeries([edge_mid, Point(coords[2])], crs=BNG)], ignore_index=True)
    cid = cell_of_points(pts, grid)
    assert len(cid) == len(pts) and cid.index.is_unique
    hits = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), grid, predicate="intersects")
    assert hits.index.nunique() == len(pts)
    assert counts_by_cell(cid, grid).sum() == len(pts)


def _cluster_counts(grid, rng):
    counts = rng.poisson(0.5, len(grid))
    centre = np.array([3000.0, 3000.0])
    d = np.hypot(grid["x"] - centre[0], grid["y"] - centre[1]).to_numpy()
    counts[d < 700] += 12  # a planted cluster of about 10 cells
    return counts, d < 700


def test_a_planted_cluster_comes_out_hot(grid):
    counts, inside = _cluster_counts(grid, np.random.default_rng(7))
    res = getis_ord(counts, grid, permutations=199, seed=3)
    hot = res["hotspot"].str.startswith("Hot").to_numpy()
    assert hot[inside].mean() > 0.8  # most of the cluster is hot
    assert set(res.loc[inside, "hotspot"]) <= {"Hot 99%", "Hot 95%", "Hot 90%"}
    far = np.hypot(grid["x"] - 3000, grid["y"] - 3000).to_numpy() > 1800
    assert not hot[far].any()  # nothing far from it
    assert (res["q_value"] >= res["p_value"] - 1e-12).all()  # FDR never makes a p-value smaller


def test_a_uniform_random_field_has_no_hot_cells_after_fdr(grid):
    counts = np.random.default_rng(11).poisson(2.0, len(grid))
    res = getis_ord(counts, grid, permutations=199, seed=5)
    assert (res["p_value"] < 0.05).any()  # raw p-values alone would flag some cells...
    assert (res["hotspot"] == "Not significant").all()  # ...the false-discovery-rate control flags none


def test_constant_field_and_seed_reproducibility(grid):
    assert (getis_ord(np.full(len(grid), 3), grid)["hotspot"] == "Not significant").all()
    counts, _ = _cluster_counts(grid, np.random.default_rng(2))
    a = getis_ord(counts, grid, permutations=99, seed=9)
    b = getis_ord(counts, grid, permutations=99, seed=9)
    pd.testing.assert_frame_equal(a, b)


def test_cell_wards_picks_the_largest_share():
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000001", "E05000002"], "ward_name": ["West", "East"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=BNG,
    )
    g = hex_grid(wards, 400)
    cw = cell_wards(g, wards).set_index("cell_id")
    assert len(cw) == len(g)
    for cid, row in g.set_index("cell_id").iterrows():
        expected = "West" if row["x"] < 1000 else "East"
        if abs(row["x"] - 1000) > 1:
            assert cw.loc[cid, "ward_name"] == expected


def test_top_locations_ranks_and_breaks_ties_by_name():
    rec = pd.DataFrame(
        {
            "indicator": ["asb"] * 6 + ["drugs"],
            "location": ["On or near B", "On or near B", "On or near A", "On or near A", "On or near C", "x", "y"],
            "ward_code": ["W1"] * 5 + [None, "W2"],
            "ward_name": ["One"] * 5 + [None, "Two"],
        }
    )
    top = top_locations(rec, n=2)
    assert top[top.indicator == "asb"][["rank", "location", "count"]].values.tolist() == [
        [1, "On or near A", 2],
        [2, "On or near B", 2],
    ]
    assert top[top.indicator == "drugs"]["count"].tolist() == [1]


def test_top_locations_per_ward_rank_each_wards_own():
    """Ranked within each indicator of each ward (the ward pages' lists), not across the district."""
    rec = pd.DataFrame(
        {
            "indicator": ["asb"] * 6,
            "location": ["On or near A"] * 3 + ["On or near B"] * 2 + ["On or near C"],
            "ward_code": ["W1", "W1", "W1", "W2", "W2", "W2"],
            "ward_name": ["One"] * 3 + ["Two"] * 3,
        }
    )
    top = top_locations(rec, n=1, per=("indicator", "ward_code"))
    assert top[["ward_code", "rank", "location", "count"]].values.tolist() == [
        ["W1", 1, "On or near A", 3],
        ["W2", 1, "On or near B", 2],
    ]
    assert top_locations(rec, n=1)["location"].tolist() == ["On or near A"]  # across the district: one in all
