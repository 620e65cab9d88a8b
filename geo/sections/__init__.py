"""The sections of the site. Each module exposes ``section(ctx) -> Section`` (:class:`geo.render.output.Section`):
it takes one build context (:class:`geo.context.BuildContext`) and returns its pages, files and snippets. A section
never imports another; what two sections share lives below them, in :mod:`geo.render` and :mod:`geo.analysis`."""
