"""A site is built again only when what it is made from changed (issue 29): a second build with nothing changed
leaves the site alone; an edit to ``docs/`` reaches the site without the analysis; a site folder changed by
anything else is built again."""

from __future__ import annotations

from tests.repo_copy import PERIOD, run


def _build(repo, *args):
    proc = run(["build", "--data-dir", "fixture-data", *PERIOD, "--site-dir", "stamped", *args], repo)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stderr


def test_the_site_is_built_again_only_when_its_sources_change(repo):
    site = repo / "stamped"
    assert "site built in" in _build(repo)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    again = _build(repo)
    assert "site unchanged" in again and "site built in" not in again and "Building documentation" not in again
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before  # not one file rewritten

    sheet = repo / "docs" / "stylesheets" / "extra.css"  # a file of docs/ that every build's site has
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n/* added by the test */\n", encoding="utf-8")
    edited = _build(repo)
    assert "site built in" in edited and "added by the test" in (site / "stylesheets" / "extra.css").read_text()

    (site / "404.html").unlink()  # the site folder changed behind the build's back
    assert "site built in" in _build(repo) and (site / "404.html").is_file()
    assert "site built in" in _build(repo, "--site-url", "https://example.org/maps/")  # another address
    assert "site built in" in _build(repo, "--engine", "zensical")  # another engine
    assert "site unchanged" in _build(repo, "--engine", "zensical")


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_edited_page_alone_is_built_again_and_the_site_is_the_whole_builds(repo):
    """The default site (both vintages, from the copy's bundle): after one hand-written page changes, MkDocs builds
    that page alone, and the site is byte for byte the one a whole build makes; a page whose title would change
    every page's nav makes a whole build."""
    import json

    def build(*args):
        proc = run(["build", *args], repo, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stderr

    build()
    page = repo / "docs" / "assessment" / "introduction.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the test.\n", encoding="utf-8")
    edited = build()
    assert "site built in" in edited and "building every page" not in edited
    built = _files(repo / "site")
    assert "A sentence added by the test." in built["assessment/introduction.html"].decode()
    assert "site built in" in build("--site-dir", "whole")  # another folder: every page built
    whole = _files(repo / "whole")
    assert built.keys() == whole.keys() and [k for k in built if built[k] != whole[k]] == []

    stamp = repo / "build" / ".site-mkdocs"  # now of "whole": say its page had another title when it was built
    kept = json.loads(stamp.read_text())
    kept["titles"]["assessment/introduction.md"] = "Another title"
    stamp.write_text(json.dumps(kept))
    page.write_text(page.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    again = build("--site-dir", "whole")
    assert (
        "building every page" in again
        and "And another." in (repo / "whole" / "assessment" / "introduction.html").read_text()
    )
