"""One build context per (district, period): the reading step and the pure stages, run once.

:func:`make_context` reads every input (:func:`geo.read.inputs.load_inputs`), places every police.uk record in
its ward once, and runs the stages the sections share: ward tables, monthly control charts, the hexagon grid with
its ward join and Gi* per hotspot indicator, pedestrian casualties, the report's arithmetic checks, and the words
for the place and the period. Sections (:mod:`geo.sections`) take the frozen :class:`BuildContext` and never read
a file, place a record or rebuild a lookup it holds. A second vintage of data is a second context.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.analysis import deprivation, hotspots, indicators, outcomes, road, spc, wards
from geo.analysis.repeat import repeat_locations
from geo.analysis.report import all_flags
from geo.config import DEFAULT_PERIOD, REPORT_DISTRICT, Config, Period
from geo.errors import InputError
from geo.read import agreement
from geo.read.inputs import Inputs, load_inputs
from geo.render.maps.base import label_points, web_geometry
from geo.render.words import Place, period_words, ward_slugs
from geo.timing import stage


@dataclass(frozen=True)
class WardTables:
    """The ward tables of the build's period."""

    wards: gpd.GeoDataFrame
    """Ward boundaries (EPSG:27700) with ``population``."""
    crime: pd.DataFrame
    """One row per ward and crime indicator (see :func:`geo.analysis.indicators.rates_by_ward`)."""
    deprivation: pd.DataFrame
    """One row per ward (see :func:`geo.analysis.deprivation.imd_by_ward`)."""
    records: gpd.GeoDataFrame
    """Every police.uk row of the period with its ``status``, ``ward_code`` and ``indicator``."""
    reconciliation: wards.Reconciliation
    edition: deprivation.Edition
    """The Indices of Deprivation edition of ``deprivation``."""
    lookup_note: str
    """Where the 2011 LSOA -> ward lookup came from (ONS file, or derived from snap points)."""
    district_name: str
    series: pd.DataFrame
    """Monthly counts with control limits by ward and indicator (``ward_code`` ``"*"`` is the whole district);
    see :func:`geo.analysis.spc.charts_by_ward`."""
    wards_vintage: str
    """The year of the ward boundaries' codes (``WD13CD`` -> ``"2013"``): the December of that year's wards."""


@dataclass(frozen=True)
class Grid:
    """The hexagon grid and everything derived from it once per build, shared by the maps and pages."""

    cells: gpd.GeoDataFrame
    """The hexagons (EPSG:27700): ``cell_id``, ``x``, ``y``, ``geometry``."""
    ward_of_cell: pd.DataFrame
    """Each cell's ward (the one holding most of its area)."""
    cells_of_ward: dict
    """Ward code -> the ids of the cells touching the ward."""
    web_cells: gpd.GeoDataFrame
    """The same hexagons in WGS84."""
    centres: pd.DataFrame
    """Each cell's centre in WGS84 (``cell_id``, ``longitude``, ``latitude``, 5 decimals), in grid order."""
    results: dict
    """Hotspot indicator id -> (cells, points) from :func:`geo.analysis.hotspots.hotspot_analysis`."""
    cell_m: float
    """The hexagons' width across flats, in metres."""
    weights: object
    """The cells' Gi* weights (:func:`geo.analysis.hotspots.neighbour_weights`), built once for every indicator."""


@dataclass(frozen=True)
class BuildContext:
    """Everything the sections of one vintage's site need, made once (see the module's docstring)."""

    config: Config
    inputs: Inputs
    tables: WardTables
    place: Place
    period_text: str
    """The period in words, naming any months without data."""
    names: dict
    """Ward code -> name."""
    slugs: dict
    """Ward code -> the file name of its page."""
    placed: gpd.GeoDataFrame
    """Every month's police.uk records, labelled with their indicator and placed in wards once."""
    in_ward: gpd.GeoDataFrame
    """The period's records that lie in a ward."""
    web_wards: gpd.GeoDataFrame
    """The ward outlines simplified for the web, in WGS84."""
    labels: list
    """Where each ward's name is written on a map: (latitude, longitude, name)."""
    grid: Grid
    pedestrians: road.Pedestrians | None
    """Pedestrian casualties placed and analysed, when the data directory has STATS19."""
    flags: list
    """Checks of the report's arithmetic (report district only)."""
    prefix: str = ""
    """Where this vintage's pages go in the site ('' for the site root)."""
    repeats: pd.DataFrame | None = None
    """Each ward's repeat locations (:func:`geo.analysis.repeat.repeat_locations`)."""
    outcomes: pd.DataFrame | None = None
    """Each ward's outcome rates for the priorities with outcomes (:func:`geo.analysis.outcomes.outcome_rates`)."""
    related: dict = field(default_factory=dict)
    """Ward code -> the wards of the site's other vintage covering the same ground: ``(name, page from this
    vintage's root, share of this ward's area)``, largest share first (:func:`link_vintages`)."""
    vintages: tuple = ()
    """Every vintage of the site as ``(prefix, label)``, oldest first, for the pages that point between them."""
    since: tuple = ()
    """For the newest of several vintages: the assessment's year against this one, on this vintage's wards and on
    the assessment's (:func:`geo.analysis.since.compare_years`), with the assessment's period and Census."""

    @property
    def label(self) -> str:
        """The vintage in words, for the nav and the banner: the period, ward set and Census it uses."""
        return vintage_label(self)

    @property
    def indicators(self):
        return self.inputs.indicators

    @property
    def lead(self) -> str | None:
        """The indicator the ward pages and the Wards index lead with (``lead`` in the indicator table)."""
        return indicators.lead_of(self.indicators)

    @property
    def priorities(self) -> list:
        """The priority indicators in priority order (``priority`` in the indicator table)."""
        return indicators.priorities_of(self.indicators)

    @property
    def crime_titles(self) -> dict[str, str]:
        """Crime indicator id -> title, in the table's order."""
        return {i.id: i.title for i in self.indicators if i.kind == "crime"}

    @property
    def kent_comparison(self) -> bool:
        """Whether the site has the Kent comparison: the district is one of the Kent outlines' (or, for the report's
        district, whose site always has the page, the data directory has none and the page says so)."""
        kent = self.inputs.kent_districts
        if kent is None:
            return self.place.report
        return self.config.district in set(kent["district_code"])

    def records_of(self, period: Period) -> gpd.GeoDataFrame:
        """The placed records of ``period``'s months (no record is placed again)."""
        return self.placed[self.placed["month"].isin(period.months())].reset_index(drop=True)

    def months_missing(self, periods) -> list[str]:
        """The months of ``periods`` with no police.uk file (or one left out as not the district's)."""
        have = set(self.inputs.police_months)
        return [m for p in periods for m in p.months() if m not in have]


def make_context(config: Config, read_police=None, prefix: str = "") -> BuildContext:
    """Read every input and run the shared stages once for ``config`` (raises InputError on bad input)."""
    v = f"[{prefix.strip('/') or 'assessment'}] "
    with stage(v + "read inputs"):
        inputs = load_inputs(config, read_police)
    with stage(v + "ward tables"):
        placed = indicators.label_indicators(inputs.series_placed, inputs.indicators)
        t = ward_tables(inputs, config, placed)
    names = dict(zip(t.wards["ward_code"], t.wards["ward_name"], strict=True))
    in_ward = t.records[t.records["status"] == "in_ward"]
    with stage(v + "hotspot grid and Gi*"):
        grid = make_grid(t, config, in_ward, inputs.indicators)
    ped = None
    if inputs.pedestrians is not None:
        ped = road.pedestrian_results(
            inputs.pedestrians,
            t.wards,
            config.period.months(),
            grid,
            (config.permutations, config.seed),
        )
    place = Place(
        t.district_name,
        config.district == REPORT_DISTRICT and config.period.lsoa_year == 2011,  # the assessment's own wards
        t.edition,
        t.lookup_note,
        config.district == REPORT_DISTRICT and config.period == DEFAULT_PERIOD,
        t.wards_vintage,
        2021 if inputs.lsoa_year == 2021 else 2011,
    )
    return BuildContext(
        config=config,
        inputs=inputs,
        tables=t,
        place=place,
        period_text=period_words(config.period.start, config.period.end, t.reconciliation.missing_months),
        names=names,
        slugs=ward_slugs(t.wards["ward_code"], t.wards["ward_name"]),
        placed=placed,
        in_ward=in_ward,
        web_wards=web_geometry(t.wards[["ward_code", "ward_name", "geometry"]]),
        labels=label_points(t.wards),
        grid=grid,
        pedestrians=ped,
        flags=all_flags(inputs.report_tables) if inputs.report_tables else [],
        prefix=prefix,
        repeats=repeat_locations(in_ward),
        outcomes=outcomes.outcome_rates(in_ward, t.wards, outcomes.outcome_indicators(inputs.indicators)),
    )


def vintage_label(ctx: BuildContext) -> str:
    """e.g. ``January 2025 to December 2025 · 22 wards of 2024 · Census 2021``."""
    return f"{ctx.period_text} · {len(ctx.tables.wards)} wards of {ctx.place.wards_year} · Census {ctx.place.census}"


def tables_of(config: Config, inputs: Inputs | None = None) -> WardTables:
    """Only the ward tables of ``config`` (the reading step if ``inputs`` is not given, then the ward stages)."""
    inputs = inputs or load_inputs(config)
    return ward_tables(inputs, config, indicators.label_indicators(inputs.series_placed, inputs.indicators))


def make_grid(t: WardTables, config: Config, in_ward: pd.DataFrame, inds) -> Grid:
    """The hexagon grid over the wards, its ward join (once), and Gi* for each hotspot indicator."""
    from geo.analysis.bng import points_to_wgs84

    cells = hotspots.hex_grid(t.wards, config.hotspot_cell_m)
    ward_of_cell = hotspots.cell_wards(cells, t.wards)
    pairs = gpd.sjoin(cells[["cell_id", "geometry"]], t.wards[["ward_code", "geometry"]], predicate="intersects")
    lon, lat = points_to_wgs84(cells["x"], cells["y"], 5)
    results, weights = {}, hotspots.neighbour_weights(cells)
    for ind in (i for i in inds if i.hotspot):
        results[ind.id] = hotspots.hotspot_analysis(
            in_ward, cells, ward_of_cell, ind.id, permutations=config.permutations, seed=config.seed, weights=weights
        )
    return Grid(
        cells=cells,
        ward_of_cell=ward_of_cell,
        cells_of_ward=pairs.groupby("ward_code")["cell_id"].apply(set).to_dict(),
        web_cells=web_geometry(cells[["cell_id", "geometry"]], tolerance_m=0),
        centres=pd.DataFrame({"cell_id": cells["cell_id"].to_numpy(), "longitude": lon, "latitude": lat}),
        results=results,
        cell_m=config.hotspot_cell_m,
        weights=weights,
    )


def monthly_charts(inp: Inputs, placed: pd.DataFrame) -> pd.DataFrame:
    """Control charts of every crime indicator's monthly counts, by ward and for the district (pure)."""
    inds = [i for i in inp.indicators if i.kind == "crime"]
    months = sorted(placed["month"].unique())
    monthly = spc.monthly_counts(placed, inp.wards["ward_code"], [i.id for i in inds], months)
    return spc.charts_by_ward(monthly, {i.id: spc.breaks_of(i.police_categories) for i in inds})


def ward_tables(inp: Inputs, config: Config, placed: pd.DataFrame) -> WardTables:
    """Run the stages on the period's placed records: reconcile, count, rate, and summarise deprivation."""
    months = config.period.months()
    assigned = placed[placed["month"].isin(months)].reset_index(drop=True)
    assigned["outcome_group"] = outcomes.classify(assigned, inp.outcome_groups)  # every record's, checked once
    rec = wards.reconcile(assigned, months, inp.missing_months)
    district_lsoas = inp.population.loc[inp.population["lad_code"] == config.district, "lsoa_code"]
    agreement.boundaries_cover_records(assigned, district_lsoas, inp.paths["wards"])
    lookup, lookup_note = ward_lookup(inp, assigned, config.district)
    with _blame(
        inp.paths["lsoa_ward"],
        "the lookup needs every LSOA of every ward, and the Census file every LSOA of the lookup",
    ):
        pop = wards.ward_population(inp.population, lookup, inp.wards)
    agreement.residents_add_up(pop, inp.population, config.district, inp.paths["lsoa_ward"])
    counts = indicators.counts_by_ward(assigned, inp.wards, inp.indicators)
    totals = inp.population.attrs.get("district_totals")  # Census 2021: the district's own row is its total
    district = None
    if totals is not None:
        lsoas = inp.lsoa_ward.loc[inp.lsoa_ward["lad_code"] == config.district, "lsoa_code"]
        district = indicators.district_totals(assigned, lsoas, totals[config.district], inp.indicators)
    crime = indicators.suppress_small(indicators.rates_by_ward(counts, pop, district), inp.indicators)
    crime.insert(3, "period", config.period.label)
    return WardTables(
        inp.wards.merge(pop, on="ward_code", validate="1:1"),
        crime,
        ward_deprivation(inp, lookup),
        assigned,
        rec,
        inp.edition,
        lookup_note,
        district_name(inp, config.district),
        monthly_charts(inp, placed),
        inp.wards.attrs.get("vintage", "2013"),
    )


def district_name(inp: Inputs, district: str) -> str:
    """The district's name as the ONS lookup spells it (its code if the lookup has no row for it)."""
    names = inp.lsoa_ward.loc[inp.lsoa_ward["lad_code"] == district, "lad_name"]
    return str(names.iloc[0]) if len(names) else district


def ward_lookup(inp: Inputs, assigned: pd.DataFrame, district: str) -> tuple[pd.DataFrame, str]:
    """The 2011 LSOA -> ward lookup for this build, and a sentence saying where it came from.

    The ONS file is used when its wards of the district are the boundaries' wards. When they differ and the file
    is of another ward vintage (e.g. 2015 wards against 2013 boundaries, as for the Kent districts redrawn in
    2015), the lookup is derived from police.uk snap points (:func:`geo.analysis.wards.best_fit_from_points`). A file of
    the boundaries' own vintage that disagrees with them is an error.
    """
    path = inp.paths["lsoa_ward"]
    lk = inp.lsoa_ward[inp.lsoa_ward["lad_code"] == district]
    have, want = inp.lsoa_ward.attrs.get("vintage"), inp.wards.attrs.get("vintage")
    if set(lk["ward_code"]) == set(inp.wards["ward_code"]) or have == want or not have or not want:
        check_lookup_covers(inp.lsoa_ward, inp.wards, district, path)
        return inp.lsoa_ward, f"ONS best-fit lookup ({path.name})"
    lsoas = inp.population.loc[inp.population["lad_code"] == district, "lsoa_code"]
    if lsoas.empty:
        raise InputError(
            inp.paths["population"],
            f"no 2011 LSOA of district {district} in the Census file",
            column="lad_code",
            fix="use a Census file that covers the district",
        )
    with _blame(path, "give an ONS 2011 LSOA -> ward lookup of the same ward vintage as the boundaries"):
        derived = wards.best_fit_from_points(assigned, lsoas)
    note = (
        f"{path.name} has {have} wards and the boundaries {want} wards, which differ for {district}, so each of "
        f"the {len(derived)} 2011 LSOAs was placed in the ward holding most of its police.uk snap points in the "
        f"period (at least {derived['share'].min():.0%} of an LSOA's points fell in its ward; median "
        f"{derived['share'].median():.0%})"
    )
    return derived, note


def ward_deprivation(inp: Inputs, lookup: pd.DataFrame) -> pd.DataFrame:
    """Deprivation by ward in the build's edition (IMD 2010 via 2001 LSOAs, else IoD 2015 or 2019 via 2011
    LSOAs)."""
    if inp.edition is not deprivation.IMD_2010:
        why = f"every 2011 LSOA of a ward needs an {inp.edition.short} score"
        with _blame(inp.paths[f"imd{inp.edition.year}"], why):
            return deprivation.lsoa_imd_by_ward(inp.imd, lookup, inp.population, inp.wards, inp.edition)
    ward01 = inp.lsoa01_ward[inp.lsoa01_ward["ward_code"].isin(inp.wards["ward_code"])]
    for key, table in (("lsoa01_lsoa11", inp.lsoa01_lsoa11), ("imd2010", inp.imd)):
        gap = ward01[~ward01["lsoa01_code"].isin(table["lsoa01_code"])]
        if not gap.empty:
            raise InputError(
                inp.paths[key],
                f"2001 LSOA {gap['lsoa01_code'].iloc[0]!r} (line "
                f"{gap['line'].iloc[0]} of {inp.paths['lsoa01_ward'].name}) is missing",
                fix="use files of the same LSOA vintage (2001)",
            )
    with _blame(inp.paths["lsoa01_lsoa11"], "every 2011 LSOA it names needs a Census population"):
        pop01 = deprivation.lsoa01_population(inp.population, inp.lsoa01_lsoa11)
    with _blame(inp.paths["lsoa01_ward"], "every 2001 LSOA of a ward needs an IMD score and a 2001->2011 lookup row"):
        return deprivation.imd_by_ward(inp.imd, inp.lsoa01_ward, pop01, inp.wards)


@contextmanager
def _blame(path: Path, fix: str):
    """Turn a stage's ValueError about gaps between tables into an InputError naming the file."""
    try:
        yield
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(path, str(exc), fix=fix) from None


def check_lookup_covers(lookup: pd.DataFrame, ward_gdf: pd.DataFrame, district: str, path: Path) -> None:
    """Every ward of the boundaries is in the lookup, and the lookup's wards of the district are all known."""
    lk = lookup[lookup["lad_code"] == district]
    unknown = sorted(set(lk["ward_code"]) - set(ward_gdf["ward_code"]))
    if unknown:
        row = lk[lk["ward_code"] == unknown[0]].iloc[0]
        raise InputError(
            path,
            f"ward code {unknown[0]!r} is not in the ward boundaries",
            row=int(row["line"]),
            column=f"WD{lookup.attrs.get('vintage', '2015')[2:]}CD",
            fix="use a lookup and boundaries of the same ward vintage",
        )
