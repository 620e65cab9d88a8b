"""The assessment's transcribed tables, the checks of their arithmetic, and the narrative pages."""

import hashlib
import re
from pathlib import Path

import pytest

from geo.analysis.report import all_flags, check_changes, parse_num
from geo.config import PROJECT_ROOT
from geo.read.report_tables import load_table, report_tables

REPORT = PROJECT_ROOT / "data" / "report"
PROSE_PRINTS = Path(__file__).parent / "data" / "report-prose-shingles.txt"
"""Fingerprints of the report's prose (see :func:`shingle_prints`): the test needs no copy of the report."""
SHINGLE = 12


@pytest.fixture(scope="module")
def flags():
    return {(f.section, f.item): f for f in all_flags(report_tables(REPORT))}


@pytest.mark.parametrize(
    "section,item,published,recomputed",
    [
        ("3.1", "KSI road users aged 65 and over: % change", "-225%", "-69.2%"),
        ("3.1", "Theft & Handling Stolen Goods: per 1,000", "17.41", "16.93"),
        ("3.1", "KSI car drivers 17-24 yrs: per 1,000", "0.32", "0.03"),
        ("5.6", "Powered 2 wheelers: volume change", "5", "+6"),
        ("5.6", "Powered 2 wheelers: % change", "71.4%", "+85.7%"),
        ("3.2", "Total 2012-13: months covered", "13 months (2012-03 to 2013-03)", "12 months"),
        ("5.2", "Violence against the person in 2012/13", "1,579", "1,570"),
        ("1.2", "Change in KSI casualties since 2008 (89 to 58)", "-53%", "-34.8%"),
    ],
)
def test_known_disagreements_are_flagged(flags, section, item, published, recomputed):
    f = flags[(section, item)]
    assert (f.published, f.recomputed) == (published, recomputed)


def test_world_cup_weekdays_are_flagged(flags):
    f = flags[("5.1.5", "Days of England's World Cup matches")]
    assert "19 June 2014 was a Thursday" in f.recomputed and "24 June 2014 was a Tuesday" in f.recomputed


def test_figures_that_agree_are_not_flagged(flags):
    items = {i for _, i in flags}
    for ok in (
        "All Crime: % change",
        "Anti-Social Behaviour: per 1,000",
        "Drug Offences: per 1,000",
        "Shoplifting: % change",
        "Apr-Dec 2013: outcome rate",
        "2012/13 baseline: outcome rate",
    ):
        assert ok not in items


def test_check_changes_on_a_hand_made_row():
    import pandas as pd

    row = {
        "category": "X",
        "y2011_12": "200",
        "y2012_13": "150",
        "volume_change": "-50",
        "pct_change": "-20%",
        "per_1000": "0.96",
        "denominator": "population",
    }
    out = check_changes(pd.DataFrame([row]), section="t", table="t", per_1000=True)
    assert [f.item for f in out] == ["X: % change"]  # -25 %, not -20 %; 150/155.8 = 0.96 is right
    assert out[0].recomputed == "-25.0%"


def test_every_table_is_transcribed_with_numbers():
    names = [p.stem for p in REPORT.glob("*.csv")]
    assert len(names) >= 12
    t = load_table(REPORT, "s3-1-annual-changes")
    assert len(t) == 29 and parse_num(t.loc[t.category == "All Crime", "y2012_13"].iloc[0]) == 8296


# ---- the built site ---------------------------------------------------------------------------------------------

CHAPTERS = [
    "index",
    "introduction",
    "crime-outcomes-perceptions",
    "performance",
    "emerging-issues",
    "implementation",
    "review-date",
    "further-information",
    "methodology",
    "context",
    "terrorism",
    "glossary",
    "checks",
]


def _prose(html_text: str) -> str:
    """Visible prose of a page: no tables, figures, code, navigation or scripts."""
    main = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html_text, re.S).group(1)
    for tag in ("table", "figure", "svg", "script", "code", 'div class="map-embed"', "details"):
        name = tag.split()[0]
        main = re.sub(rf"<{tag}.*?</{name}>", " ", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", main)
    return re.sub(r"&[a-z#0-9]+;", " ", text)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def test_every_chapter_has_a_page_with_its_tables(site):
    for name in CHAPTERS:
        assert (site / "assessment" / f"{name}.html").is_file(), name
    for csv in REPORT.glob("*.csv"):
        if csv.stem == "text-checks":
            continue
        assert (site / "downloads" / "report" / csv.name).is_file()
    cop = (site / "assessment" / "crime-outcomes-perceptions.html").read_text()
    assert cop.count("<svg") >= 3 and "<desc>" in cop  # charts with a text alternative
    assert "Checked against its own figures" in cop
    checks = (site / "assessment" / "checks.html").read_text()
    assert "1,579" in checks and "Powered 2 wheelers" in checks
    assert '<abbr title="Anti-Social Behaviour">ASB</abbr>' in (site / "assessment" / "performance.html").read_text()


def test_narrative_maps_have_tables(site):
    for page, ind in (
        ("performance", "asb"),
        ("performance", "drugs"),
        ("emerging-issues", "violence"),
        ("context", "imd_score"),
    ):
        text = (site / "assessment" / f"{page}.html").read_text()
        assert f'src="../map-files/{ind}.html"' in text
        block = text[text.index(f'src="../map-files/{ind}.html"') :]
        assert "<table>" in block[:20000]
    ei = (site / "assessment" / "emerging-issues.html").read_text()
    assert "Apr-Sep 2013" in ei and "hotspots-shoplifting.html" in ei


def shingle_prints(text: str, n: int = SHINGLE) -> set[str]:
    """A short hash of every run of ``n`` words in ``text`` (lower case, letters and digits only).

    ``tests/data/report-prose-shingles.txt`` holds these for the report's prose (its lines without tabs, i.e. not
    its tables), made once from the report's text with
    ``"\\n".join(sorted(shingle_prints(" ".join(l for l in text.splitlines() if "\\t" not in l))))``.
    """
    words = _words(text)
    return {
        hashlib.blake2b(" ".join(words[i : i + n]).encode(), digest_size=6).hexdigest()
        for i in range(len(words) - n + 1)
    }


def test_prose_fingerprints_catch_a_copied_sentence():
    prints = set(PROSE_PRINTS.read_text().split())
    assert len(prints) > 10_000
    # twelve words of section 1.1.1, as a page that copied them would show them: caught
    copied = "For the first time, total recorded crime fell to under 100,000 crimes."
    assert shingle_prints(copied) & prints
    # the same fact in other words: not caught
    assert not shingle_prints("Recorded crime in Kent and Medway dropped below 100,000 for the first time.") & prints


def test_no_page_copies_the_reports_prose(site):
    prints = set(PROSE_PRINTS.read_text().split())
    copied = []
    for page in sorted(site.rglob("*.html")):
        if "map-files" in page.parts:
            continue
        words = _words(_prose(page.read_text(encoding="utf-8")))
        for i in range(len(words) - SHINGLE + 1):
            run = " ".join(words[i : i + SHINGLE])
            if shingle_prints(run) & prints:
                copied.append((page.relative_to(site).as_posix(), run))
                break
    assert copied == []


@pytest.mark.parametrize(
    "section,item,recomputed",
    [
        ("1.1.2", "Fall in all crime in the previous year (2011/12)", "-5.1%"),
        ("1.1.2", "All crime per 1,000 residents in 2011/12", "57.0"),
        ("5.5", "First-time entrants identified as re-offending", "13.3 of 85"),
        ("5.2.1", "Share of domestic abuse that is repeat", "—"),
    ],
)
def test_the_checks_page_lists_the_reports_own_disagreements(flags, section, item, recomputed):
    """Recomputed here from data/report/ (the tables and text-checks.csv), as the checks page shows them."""
    assert flags[(section, item)].recomputed == recomputed


def test_a_share_that_is_a_whole_number_is_not_flagged():
    import pandas as pd

    from geo.analysis.report import check_text

    checks = pd.DataFrame(
        {"section": ["x"], "claim": ["c"], "published": ["15.3%"], "kind": ["share"], "check": ["15.3|85"],
         "note": ["n"]}
    )  # fmt: skip
    assert check_text(checks, {}) == []  # 13 of 85 is 15.29 %


def test_chart_descriptions_are_read_from_the_tables():
    """The screen-reader descriptions of the report's charts come from the published tables, so a changed figure
    changes the words (they used to be typed in)."""
    import pandas as pd

    from geo.render.report import resolution_charts, road_chart

    road = pd.read_csv(PROJECT_ROOT / "data" / "report" / "s5-6-road-safety-ksi.csv", dtype=str)
    said = road_chart(road, "Maidstone")
    assert "went from 60 to 59 to 58" in said and "Powered 2 wheelers (7 to 13)" in said
    road.loc[road["category"] == "KSI casualties All ages", "y2012_13"] = "57"
    road.loc[road["category"] == "Cyclists", "y2012_13"] = "9"
    said = road_chart(road, "Maidstone")
    assert "went from 60 to 59 to 57" in said and "Cyclists (8 to 9)" in said

    monthly = pd.DataFrame(
        {"month": ["2012-04", "2012-05", "2012-06"], "outcome_rate": ["40.0", "30.0", "20.0"],
         "recorded_crime": ["900", "1,100", "1,000"]}
    )  # fmt: skip
    said = resolution_charts(monthly, 35.0)
    assert "from April 2012 to June 2012" in said and "Every month from May 2012 is below it" in said
    assert "the highest month is May 2012" in said
