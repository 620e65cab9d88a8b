"""Turning figures into what a reader sees: escaped Markdown and HTML, Jinja2 templates, SVG charts, folium maps
and the in-page map assets. Nothing here reads an input or decides a figure."""
