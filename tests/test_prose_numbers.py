"""The retelling's numbers: each chapter's figures are the report's, or marked as the site's own."""

import pytest

from tests.prose_numbers import CHAPTERS, report_numbers, unsourced


@pytest.fixture(scope="module")
def known():
    return report_numbers()


@pytest.mark.parametrize("page", sorted(p.name for p in CHAPTERS.glob("*.md")))
def test_every_number_in_the_chapter_is_the_reports_or_marked(page, known):
    assert unsourced((CHAPTERS / page).read_text(encoding="utf-8"), known) == []


def test_a_wrong_number_is_caught(known):
    text = (CHAPTERS / "performance.md").read_text(encoding="utf-8")
    assert "1,788" in text and unsourced(text, known) == []
    assert unsourced(text.replace("1,788", "1,798", 1), known) == [
        (text[: text.index("1,788")].count("\n") + 1, "1,798")
    ]
    assert unsourced(text.replace("1,788", "17.88 %", 1), known)  # a percentage is not the same number


def test_a_derived_note_marks_the_sites_own_figure(known):
    assert unsourced("Residents: 155,143.", known) == [(1, "155,143")]
    assert unsourced("Residents: 155,143<!-- derived: Census table sum -->.", known) == []
    assert unsourced("<!-- geo:map-asb --> and a link [x](../y/2099.md)", known) == []
