"""Every claim says where the report says it (issue 27, method 1): see ``tests/claims.py``.

The built site's Markdown (its docs folder, every page after the build filled and linked it) is read; each
sentence with a section marker is checked against the report's passage at that section, and a sentence that says
what the report says without a marker fails. On the chapters that retell the report, a sentence with a number of
the report's carries a marker too. Each check is shown failing on a planted drift of its kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geo.config import PROJECT_ROOT
from geo.render.claims import CLAIM, SECTIONS_PAGE, anchor, cited, link_claims, markers
from tests.claims import (
    Claim,
    claim_numbers,
    claim_problems,
    claims_in,
    load_sections,
    passage,
    sentences,
    unmarked_attributions,
    words_of,
)

RETELLING = sorted(
    p.relative_to(PROJECT_ROOT / "docs").as_posix()
    for p in (PROJECT_ROOT / "docs" / "assessment").glob("*.md")
    if p.name not in ("checks.md", "sections.md")  # the checks recompute; the list of sections lists
)
"""The chapters that retell the report: a number of the report's in them is a claim and cites its section."""


@pytest.fixture(scope="module")
def sections():
    return load_sections()


@pytest.fixture(scope="module")
def docs(site) -> dict[str, str]:
    """The built docs folder's pages (Markdown, markers filled and linked), root vintage and later ones."""
    folder = site.parent / "build" / "docs"
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md"))}


def _all_claims(docs) -> list[Claim]:
    return [c for page, text in docs.items() for c in claims_in(page, text)]


def test_the_sections_file_has_every_section_of_the_report(sections):
    chapters = {s for s in sections if "." not in s}
    assert chapters == {"1", "2", "3", "4", "5", "6", "7", "8", "A1", "A2", "A3", "A4"}
    assert {"1.1.4", "3.3.2", "5.1.5", "5.2.2", "5.9"} <= set(sections)
    # the passage of a chapter holds its subsections' figures: 911 ASB incidents in High Street (4.1)
    assert "911" in passage(sections, ["4"]).numbers and "911" not in passage(sections, ["4.2"]).numbers


def test_every_marked_claim_agrees_with_its_section(docs, sections):
    claims = _all_claims(docs)
    assert len(claims) >= 140
    problems = [(c.page, c.sentence[:90], p) for c in claims for p in claim_problems(c, sections)]
    assert problems == []


def test_no_sentence_attributes_to_the_report_without_a_marker(docs):
    unmarked = [(page, s[:120]) for page, text in docs.items() for s in unmarked_attributions(text)]
    assert unmarked == []


def _retelling_unmarked(page: str, source: str) -> list[str]:
    """Sentences of a retelling chapter's source that state a number of the report's with no marker."""
    linked = link_claims(source, page)
    return [s[:120] for s in sentences(linked) if claim_numbers(s) and not claims_in(page, s)]


def test_a_report_number_in_a_retelling_chapter_carries_a_marker():
    """In the chapters' own words (their sources; the generated tables and maps they embed are the data's)."""
    docs = PROJECT_ROOT / "docs"
    assert len(RETELLING) == 12
    unmarked = [(page, s) for page in RETELLING for s in _retelling_unmarked(page, (docs / page).read_text("utf-8"))]
    assert unmarked == []
    planted = "Recorded incidents fell by 79 to 1,788. Road safety stays {§5.6}."
    assert _retelling_unmarked("assessment/performance.md", planted) == ["Recorded incidents fell by 79 to 1,788."]


def test_every_cited_section_has_its_anchor_on_the_list_of_sections(docs, site, sections):
    listed = (site / SECTIONS_PAGE.replace(".md", ".html")).read_text(encoding="utf-8")
    for sec in sections:
        assert f'id="{anchor(sec)}"' in listed, sec
    page = (site / "assessment" / "performance.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="cite" href="sections.html#s4-1" title="The report, section 4.1">§4.1</a>', page)


def test_ward_mentions_agree_with_the_sections_they_cite(sections):
    """Each sentence the ward pages give as the report's (``data/report-ward-mentions.csv``), by its sections."""
    mentions = pd.read_csv(PROJECT_ROOT / "data" / "report-ward-mentions.csv", dtype=str)
    claims = [
        Claim("mentions", cited(m.summary, m.section), tuple(re.findall(r"§([\w.]+)", markers(m.section))), ())
        for m in mentions.itertuples()
    ]
    assert len(claims) == len(mentions) > 30
    problems = [(c.sentence[:90], p) for c in claims for p in claim_problems(c, sections)]
    assert problems == []


# ---- each check fails on a planted drift of its kind --------------------------------------------------------


def _claim(source: str, page: str = "assessment/performance.md") -> Claim:
    (claim,) = claims_in(page, link_claims(source, page))
    return claim


def test_a_changed_number_is_caught(sections):
    good = "High Street, Park Wood and Fant recorded 911, 342 and 333 incidents {§4.1}."
    assert claim_problems(_claim(good), sections) == []
    assert claim_problems(_claim(good.replace("342", "343")), sections) == ["343 is not in §4.1"]
    # the right number under the wrong section is caught too
    assert claim_problems(_claim(good.replace("§4.1", "§4.2")), sections)


def test_a_shifted_word_is_caught(sections):
    good = "Road safety was suggested at the county workshop in October 2013 {§1.1.6 suggested workshop}."
    assert claim_problems(_claim(good), sections) == []
    shifted = good.replace("suggested workshop}", "added workshop}")
    assert claim_problems(_claim(shifted), sections) == ["the word 'added' is not in §1.1.6"]
    quoted = 'The report writes that Maidstone has "the 4th highest levels in the County" {§5.3}.'
    assert claim_problems(_claim(quoted), sections) == []
    assert claim_problems(_claim(quoted.replace("highest", "lowest")), sections) == ["the word 'lowest' is not in §5.3"]


def test_an_unmarked_attribution_and_an_unknown_section_are_caught(sections):
    assert unmarked_attributions("Text. The assessment recommends keeping it as a priority. More.") == [
        "The assessment recommends keeping it as a priority."
    ]
    marked = link_claims("The assessment recommends keeping it as a priority {§5.3}.", "assessment/index.md")
    assert unmarked_attributions(marked) == []
    assert claim_problems(_claim("Something {§9.9}."), sections) == ["the report has no section 9.9"]


def test_markers_in_the_source_are_all_linked(docs):
    """No ``{§…}`` survives into a built page: each became a link."""
    left = [(page, m.group()) for page, text in docs.items() for m in CLAIM.finditer(text)]
    assert left == []


def test_a_mentions_section_without_a_number_is_refused(tmp_path):
    from geo.errors import InputError
    from geo.read.tables import report_mentions_from_csv

    path = tmp_path / "mentions.csv"
    rows = Path(PROJECT_ROOT / "data" / "report-ward-mentions.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([rows[0], rows[1], rows[2].replace("1.2 Key facts", "Key facts", 1)]) + "\n")
    with pytest.raises(InputError) as e:
        report_mentions_from_csv(path)
    assert e.value.row == 3 and e.value.column == "section"


def test_words_are_compared_as_the_report_spells_them():
    assert words_of("“the 4th highest” – Maidstone’s") == ["the", "4th", "highest", "maidstone's"]
