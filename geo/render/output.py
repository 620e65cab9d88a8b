"""What a section of the site hands back: its pages, its files and its snippets, in memory.

Sections never touch the disk; the site declaration (:mod:`geo.site`) gathers every section's :class:`Section`
for each build context, and the orchestrator (:mod:`geo.build`) writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """One page of the site."""

    path: str
    """Markdown path in the docs folder (``maps/asb.md``)."""
    section: str = ""
    """Nav section it sits in ('' for the top level)."""
    title: str | None = None
    """Nav title; None for a section's own index page."""
    markdown: str | None = field(default=None, compare=False, repr=False)
    """The page's Markdown, or None for a hand-written page of ``docs/``."""
    listed: bool = True
    """Whether the nav lists it (ward profiles are reached from the Wards index instead)."""


@dataclass
class Section:
    """One section's output: pages (in nav order), files (site path -> content) and snippets (marker name ->
    Markdown, for the ``<!-- geo:NAME -->`` markers of hand-written pages and templates)."""

    pages: list[Page] = field(default_factory=list)
    files: dict[str, str | bytes] = field(default_factory=dict)
    snippets: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, markdown: str | None, nav: str = "", title: str | None = None, listed=True) -> None:
        self.pages.append(Page(path, nav, title, markdown, listed))

    def file(self, path: str, content: str | bytes) -> None:
        """Record a file; the same path twice is a programming error."""
        if path in self.files:
            raise ValueError(f"{path} was made twice")
        self.files[path] = content

    def snippet(self, name: str, markdown: str) -> None:
        if name in self.snippets:
            raise ValueError(f"snippet {name} was made twice")
        self.snippets[name] = markdown
