"""Output folders the build may replace: only those it can prove it made itself.

Every site and out folder the build creates carries a marker file, :data:`MARKER`. A folder is replaced only if
it is absent, empty, or holds that marker; and never if it is, contains or lies inside a folder the build must not
touch (the data directory, ``docs/``), nor if it is or contains the repository root, the home folder or ``/``.
Anything else is an :class:`~geo.errors.InputError` naming the folder, raised before any work is done.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from geo.config import PROJECT_ROOT
from geo.errors import InputError

MARKER = ".geo-build"
"""File written into every folder the build makes; its presence is the proof that the build may replace it."""

MARKER_TEXT = "Made by `python -m geo build`. The build replaces this folder on its next run; nothing else does.\n"


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _overlap(p: Path, option: str, inside_forbidden: Iterable[Path], project_root: Path) -> str | None:
    """Why the build may not replace ``p`` because of where it lies (None if it may)."""
    for name, protected in (("/", Path("/")), ("the home folder", Path.home()), ("the repository", project_root)):
        protected = protected.resolve()
        if _within(protected, p):
            return f"{option} is or contains {name} ({protected}); the build replaces the whole folder"
    for other in inside_forbidden:
        other = Path(other).expanduser().resolve()
        if _within(p, other) or _within(other, p):
            return f"{option} is, contains or lies inside {other}, which the build must not replace"
    return None


def check_output_dir(
    path: str | os.PathLike,
    *,
    option: str,
    inside_forbidden: Iterable[Path] = (),
    project_root: Path = PROJECT_ROOT,
) -> Path:
    """Resolve ``path`` and check that the build may replace it; return the resolved path.

    Parameters
    ----------
    path : path-like
        The folder the build is about to replace.
    option : str
        The option that named it (for the message), e.g. ``"--site-dir"``.
    inside_forbidden : iterable of Path
        Folders that ``path`` may not be, contain or lie inside (the data directory, ``docs/``, the other
        output folder).
    project_root : Path
        The repository root, which ``path`` may not be or contain.

    Raises
    ------
    InputError
        If the folder is a file, is or contains ``/``, the home folder or the repository, overlaps one of
        ``inside_forbidden``, or holds files but no :data:`MARKER`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> check_output_dir(root / "site", option="--site-dir", project_root=root / "repo") == root / "site"
    True
    >>> (root / "mine").mkdir(); _ = (root / "mine" / "notes.txt").write_text("keep")
    >>> check_output_dir(root / "mine", option="--site-dir", project_root=root / "repo")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: ...mine: --site-dir names a folder that the build did not make ...
    """
    p = Path(path).expanduser().resolve()
    fix = f"give {option} a new or empty folder, e.g. the default"
    if p.exists() and not p.is_dir():
        raise InputError(p, f"{option} names a file, not a folder", fix=fix)
    overlap = _overlap(p, option, inside_forbidden, project_root)
    if overlap:
        raise InputError(p, overlap, fix=fix)
    if p.is_dir() and any(p.iterdir()) and not (p / MARKER).is_file():
        raise InputError(
            p,
            f"{option} names a folder that the build did not make (it holds files but no {MARKER} marker), "
            "so the build will not replace it",
            fix=f"{fix}; or, if you are sure the folder holds nothing you need, delete it yourself",
        )
    check_writable(p, option)
    return p


def umask() -> int:
    """The process's umask (read without changing it for longer than an instant)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_dir(target: Path) -> Path:
    """Make a temporary folder beside ``target``, readable as the umask allows, with the build's marker."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    tmp.chmod(0o777 & ~umask())  # mkdtemp makes 0700: a web server running as another user could not read it
    (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return tmp


@contextmanager
def deferred_sigterm():
    """Hold a SIGTERM that comes during the block until it ends, then act on it as the process would have, so that
    ``tmp = new_dir(...)`` inside the block is never cut off between making the folder and naming it.

    Blocking the signal (``pthread_sigmask``) is not enough: it blocks it for this thread only, and the libraries
    the build uses start threads of their own (convertbng's Rust pool), any of which may receive a SIGTERM sent to
    the process; Python then runs its handler in this thread at once. A handler that only records the signal is
    safe whichever thread receives it. Outside the main thread (where handlers cannot be set) the block runs as
    it is."""
    got: list[int] = []
    try:
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: got.append(signum))
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if got:
            if callable(previous):
                previous(got[0], None)  # the command line's handler raises SystemExit(143) here
            elif previous != signal.SIG_IGN:
                signal.raise_signal(signal.SIGTERM)


def replace_dir(new: Path, target: Path) -> None:
    """Swap the finished folder ``new`` in for ``target`` (which :func:`check_output_dir` has cleared).

    The previous folder is first moved into a fresh temporary folder that this call makes beside it, and only that
    folder is removed after the swap, so ``target`` always holds a complete build and nothing is ever deleted by
    its name: a user's ``.site-old`` (a backup made with ``cp -a site .site-old``) is never touched.
    """
    aside = None
    if target.exists():
        if any(target.iterdir()) and not (target / MARKER).is_file():  # changed since it was checked
            raise InputError(target, "the folder was filled by something else during the build", fix="run again")
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.replace(target, aside / target.name)
    try:
        os.replace(new, target)
    except BaseException:
        if aside is not None and not target.exists():  # put the last good build back
            os.replace(aside / target.name, target)
            aside.rmdir()
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def check_writable(path: Path, option: str) -> None:
    """Refuse, before any work, an output folder whose parent the build cannot write in (a read-only folder or
    disk): the build makes its temporary folder there. The nearest existing ancestor is probed by making and
    removing a folder in it."""
    parent = Path(path).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    try:
        if not os.access(parent, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied", str(parent))
        os.rmdir(tempfile.mkdtemp(prefix=".geo-probe-", dir=parent))
    except OSError as exc:
        raise InputError(
            parent,
            f"{option}: the build cannot write here ({exc.strerror or exc})",
            fix=f"give {option} a folder you can write in, or make this one writable",
        ) from None


def protected_dirs(config) -> tuple[Path, ...]:
    """Folders an output folder may never be, contain or lie inside: the data directory, the repository's own
    ``data/`` tables and its hand-written ``docs/``."""
    return (Path(config.data_dir), PROJECT_ROOT / "data", PROJECT_ROOT / "docs")
