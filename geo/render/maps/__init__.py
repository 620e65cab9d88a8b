"""folium maps, self-hosted: Leaflet and plugins are copied from Python packages, never loaded from a CDN."""
