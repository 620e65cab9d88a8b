"""The vintages of one site: the assessment's context at the site root and a context per further period
(``Config.also``) at its own addresses, each told which of the other's wards cover the same ground, and the newest
told what changed since the assessment (:mod:`geo.analysis.since`)."""

from __future__ import annotations

from dataclasses import replace

from geo.analysis import since, wards
from geo.config import Config, vintage_prefix
from geo.context import BuildContext, make_context


def make_contexts(config: Config, read_police=None) -> list[BuildContext]:
    """The contexts of one site: ``config``'s at the site root, then one per further vintage (``config.also``)
    at its own addresses, each pointing to the other's wards that cover the same ground."""
    contexts = [make_context(config, read_police)]
    for period in config.also:
        later = replace(config, period=period, mentions_file=None, also=())
        contexts.append(make_context(later, read_police, prefix=vintage_prefix(period)))
    return link_vintages(contexts)


def link_vintages(contexts: list[BuildContext]) -> list[BuildContext]:
    """Give each context the wards of the site's other vintages that cover the same ground (``related``):
    the newest context points to the oldest (the assessment's), every other one to the newest."""
    if len(contexts) < 2:
        return contexts
    vintages = tuple((c.prefix, c.label) for c in contexts)
    out = []
    for i, ctx in enumerate(contexts):
        other = contexts[0] if i == len(contexts) - 1 else contexts[-1]
        out.append(replace(ctx, related=overlapping_wards(ctx, other), vintages=vintages))
    first, last = (since.Year(c.config.period, c.tables.records, c.tables.wards, c.inputs.population, c.place.census)
                   for c in (contexts[0], contexts[-1]))  # fmt: skip
    views = tuple(
        since.compare_years(first, last, native, out[-1].config.district, out[-1].priorities, out[-1].indicators)
        for native in (1, 0)
    )
    out[-1] = replace(out[-1], since=(*views, first.period, first.census))
    return out


def overlapping_wards(ctx: BuildContext, other: BuildContext) -> dict:
    """Ward code of ``ctx`` -> ``(name, page from ``ctx``'s root, share)`` of each of ``other``'s wards holding
    at least :data:`geo.analysis.wards.MIN_SHARED_AREA` of it, largest share first."""
    parts = wards.shared_ground(ctx.tables.wards, other.tables.wards)
    out: dict = {}
    for r in parts.itertuples(index=False):
        page = "../" * ctx.prefix.count("/") + f"{other.prefix}wards/{other.slugs[r.other]}.html"
        out.setdefault(r.ward_code, []).append((str(r.ward_name), page, round(float(r.share), 3)))
    return {k: tuple(v) for k, v in out.items()}
