"""Leaflet and plugin files copied from Python packages (xstatic) into the site."""

from __future__ import annotations

from pathlib import Path

import xstatic.pkg.leaflet as leaflet
import xstatic.pkg.leaflet_gesturehandling as gesture
import xstatic.pkg.leaflet_markercluster as markercluster

VENDOR = "assets/vendor"
"""Site-relative folder that holds the copied files."""

_FILES = {
    "leaflet/leaflet.js": (leaflet, "leaflet.js"),
    "leaflet/leaflet.css": (leaflet, "leaflet.css"),
    "leaflet/images/layers.png": (leaflet, "images/layers.png"),
    "leaflet/images/layers-2x.png": (leaflet, "images/layers-2x.png"),
    "leaflet/images/marker-icon.png": (leaflet, "images/marker-icon.png"),
    "leaflet/images/marker-icon-2x.png": (leaflet, "images/marker-icon-2x.png"),
    "leaflet/images/marker-shadow.png": (leaflet, "images/marker-shadow.png"),
    "gesture-handling/leaflet-gesture-handling.min.js": (gesture, "leaflet-gesture-handling.min.js"),
    "gesture-handling/leaflet-gesture-handling.min.css": (gesture, "leaflet-gesture-handling.min.css"),
    "markercluster/leaflet.markercluster.js": (markercluster, "leaflet.markercluster.js"),
    "markercluster/MarkerCluster.css": (markercluster, "MarkerCluster.css"),
    "markercluster/MarkerCluster.Default.css": (markercluster, "MarkerCluster.Default.css"),
}


OWN = {
    "assets/maps/map.css": Path(__file__).parent / "static" / "map.css",
    "assets/maps/view.js": Path(__file__).parent / "static" / "view.js",
}
"""Our own static files for the map pages (site-relative path -> source)."""


def vendor_files() -> dict[str, Path]:
    """Site-relative path -> source file for every vendored asset.

    Examples
    --------
    >>> "assets/vendor/leaflet/leaflet.js" in vendor_files()
    True
    """
    out = {}
    for rel, (pkg, name) in _FILES.items():
        src = Path(pkg.BASE_DIR) / name
        if not src.is_file():
            raise FileNotFoundError(f"{src} is missing from the installed {pkg.__name__}; reinstall it")
        out[f"{VENDOR}/{rel}"] = src
    return out | OWN


def scripts(prefix: str) -> list[tuple[str, str]]:
    """(name, url) of the scripts a map page loads, relative to the page by ``prefix`` (e.g. ``"../"``)."""
    return [
        ("leaflet", f"{prefix}{VENDOR}/leaflet/leaflet.js"),
        ("gesture_handling", f"{prefix}{VENDOR}/gesture-handling/leaflet-gesture-handling.min.js"),
        ("view_state", f"{prefix}assets/maps/view.js"),
    ]


def stylesheets(prefix: str) -> list[tuple[str, str]]:
    """(name, url) of the stylesheets a map page loads."""
    return [
        ("leaflet_css", f"{prefix}{VENDOR}/leaflet/leaflet.css"),
        ("gesture_handling_css", f"{prefix}{VENDOR}/gesture-handling/leaflet-gesture-handling.min.css"),
        ("map_css", f"{prefix}assets/maps/map.css"),
    ]


def cluster_scripts(prefix: str) -> list[tuple[str, str]]:
    """Leaflet.markercluster, for maps that show individual records."""
    return [("markerclusterjs", f"{prefix}{VENDOR}/markercluster/leaflet.markercluster.js")]


def cluster_stylesheets(prefix: str) -> list[tuple[str, str]]:
    return [
        ("markerclustercss", f"{prefix}{VENDOR}/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{prefix}{VENDOR}/markercluster/MarkerCluster.Default.css"),
    ]
