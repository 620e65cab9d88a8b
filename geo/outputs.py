"""Where the page-making stages put what they make: an in-memory collection that only the orchestrator writes.

A :class:`Target` is a path inside the build's output folder (``files/…``, ``pages/…``, ``snippets/…``) bound to
the collection; ``target / "name"`` extends it and :func:`put` records content for it. Stages that make pages
and maps therefore never touch the disk; :func:`geo.build.build` writes the collection into the folder it made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Target:
    """A path in the build's output, bound to the collection its content goes to."""

    store: dict
    rel: PurePosixPath

    def __truediv__(self, other) -> Target:
        return Target(self.store, self.rel / str(other))

    @property
    def name(self) -> str:
        return self.rel.name


def roots(store: dict) -> tuple[Target, Target, Target]:
    """The three output areas: ``files`` (copied as they are), ``pages`` (Markdown) and ``snippets``.

    >>> store = {}
    >>> files, pages, snippets = roots(store)
    >>> put(files / "maps" / "a.html", "<p>")
    >>> store
    {'files/maps/a.html': '<p>'}
    """
    return (
        Target(store, PurePosixPath("files")),
        Target(store, PurePosixPath("pages")),
        Target(store, PurePosixPath("snippets")),
    )


def put(target: Target, content: str | bytes) -> None:
    """Record ``content`` for ``target``; a second put for the same path is a programming error."""
    key = target.rel.as_posix()
    if key in target.store:
        raise ValueError(f"{key} was made twice")
    target.store[key] = content
