"""Jinja2 templates for the site's prose: the words live in ``geo/render/templates/*.md.j2``, the figures come in.

Every value a template shows arrives through its context; the ``md`` filter escapes text for Markdown (ward,
street and file names), ``num`` formats a number with thousands separators and a fixed number of decimals,
``cited`` ends a sentence with the claim markers of the report's sections it rests on.
Undefined names are errors, so a template cannot silently print nothing.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined


def _num(value, decimals: int = 0) -> str:
    """``1234.5 | num(1)`` -> ``'1,234.5'``."""
    return f"{value:,.{decimals}f}"


@functools.cache
def environment() -> Environment:
    from geo.render.claims import cited
    from geo.render.markup import fmt_ci, fmt_num, md_text

    env = Environment(
        loader=PackageLoader("geo.render", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a line holding only a block tag leaves no blank line
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML: data are escaped with the md filter where they are shown
    )
    env.filters["md"] = md_text
    env.filters["cited"] = cited
    env.filters["num"] = _num
    env.filters["fmt"] = fmt_num  # like num, but 1 decimal by default and an en dash for a missing value
    env.filters["ci"] = fmt_ci
    return env


def render(template: str, /, **context) -> str:
    """Render ``template`` (e.g. ``"data-and-methods.md.j2"``) with ``context``.

    >>> render("_doctest.md.j2", place="Fant & Co")
    'Ward: Fant &amp; Co\\n'
    """
    return environment().get_template(template).render(**context)
