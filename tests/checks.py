"""Checks shared by several tests."""

import re

_TAG = re.compile(r"<(script|link|img|iframe|source)\b[^>]*>", re.I)
_URL_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.I)
_CSS = re.compile(
    r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)|@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s]+)""", re.I
)
_PAGE_LINKS = re.compile(r"""\brel\s*=\s*["']?(?:canonical|alternate|author|license)""", re.I)


def external_loads(text: str) -> list[str]:
    """URLs on other hosts that a page would load (scripts, stylesheets, images, frames, fonts, CSS imports).

    Plain hyperlinks and ``<link rel="canonical">`` are not loads and are ignored.

    >>> external_loads('<script src="https://cdn.x/a.js"></script><a href="https://x">x</a>')
    ['https://cdn.x/a.js']
    """
    found = []
    for m in _TAG.finditer(text):
        tag = m.group(0)
        if m.group(1).lower() == "link" and _PAGE_LINKS.search(tag):
            continue
        found += _URL_ATTR.findall(tag)
    for a, b in _CSS.findall(text):
        found.append(a or b)
    return found


def data_script(text: str, key: str):
    """The value a data script of the site puts at ``geoField.data[key]`` (see ``geo.render.markup.js_data``).

    >>> data_script('((window.geoField=window.geoField||{}).data=window.geoField.data||{}).ward={"a":[1]};\\n', "ward")
    {'a': [1]}
    """
    import json

    start = text.index(f").{key}=") + len(f").{key}=")
    return json.JSONDecoder().raw_decode(text, start)[0]
