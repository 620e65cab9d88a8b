"""Issue 16 on the real bundle: control charts, funnel plots, multiple-testing notes and the monthly download."""

import io
import re

import pandas as pd
import pytest

from geo.analysis.funnel import funnel_position


@pytest.fixture(scope="module")
def series(site):
    return pd.read_csv(site / "downloads" / "ward-monthly-series.csv", dtype={"month": str})


@pytest.fixture(scope="module")
def crime(site):
    return pd.read_csv(site / "downloads" / "ward-indicators.csv")


def test_monthly_series_reconciles_with_the_ward_table(series, crime):
    assert list(series.columns) == [
        "ward_code", "ward_name", "indicator", "month", "count", "stretch", "average", "lower_limit", "upper_limit",
        "signal",
    ]  # fmt: skip
    wards = series[series["ward_code"] != "E07000110"]
    borough = series[series["ward_code"] == "E07000110"]
    assert wards["ward_code"].nunique() == 26 and (borough["ward_name"] == "(whole district)").all()
    # the district row of each month is the sum of its wards
    summed = wards.groupby(["indicator", "month"])["count"].sum()
    assert (borough.set_index(["indicator", "month"])["count"] == summed).all()
    # the 2012/13 months add up to the ward table's counts for the same year
    year = wards[(wards["month"] >= "2012-04") & (wards["month"] <= "2013-03")]
    got = year.groupby(["ward_code", "indicator"])["count"].sum()
    want = crime.dropna(subset=["count"]).set_index(["ward_code", "indicator"])["count"]
    assert (got.reindex(want.index) == want).all()
    # months: April 2012 to September 2013 and January to November 2014, never joined across the gap
    months = sorted(series["month"].unique())
    assert months[0] == "2012-04" and months[-1] == "2014-11" and len(months) == 29 and "2013-11" not in months
    asb = borough[borough["indicator"] == "asb"]
    assert asb.groupby("stretch")["month"].agg(["min", "max"]).values.tolist() == [
        ["2012-04", "2013-09"],
        ["2014-01", "2014-11"],
    ]
    violence = borough[borough["indicator"] == "violence"]  # police.uk's categories changed in May 2013
    assert violence["stretch"].nunique() == 3 and violence[violence["month"] == "2013-05"]["stretch"].iloc[0] == 2


def test_control_limits_and_signals_are_those_of_an_xmr_chart(series):
    asb = series[(series["ward_code"] == "E07000110") & (series["indicator"] == "asb") & (series["stretch"] == 2)]
    x = asb["count"].to_numpy(dtype=float)
    mr = abs(x[1:] - x[:-1]).mean()
    assert asb["average"].iloc[0] == pytest.approx(x.mean(), abs=1e-3)
    assert asb["upper_limit"].iloc[0] == pytest.approx(x.mean() + 2.66 * mr, abs=1e-3)
    above = asb[asb["count"] > asb["upper_limit"]]["month"].tolist()
    assert asb[asb["signal"] == "above"]["month"].tolist() == above


def test_ward_pages_say_whether_the_latest_month_is_unusual(site):
    page = (site / "wards" / "high-street.html").read_text()
    section = page[page.index('id="month-by-month"') :]
    for title in ("Anti-social behaviour", "Drug offences", "Violent crime"):
        assert f"<strong>{title}:</strong>" in section
    assert "in November 2014" in section and "2014-11" not in section and "this ward's usual range" in section
    assert section.count('class="spc-small"') == 3 and section.count("<desc>") >= 3
    assert "the months as a table" in section


def test_map_pages_have_a_funnel_plot_naming_the_outliers(site, crime):
    page = (site / "maps" / "drugs.html").read_text()
    assert "Funnel plot" in page and 'class="chart funnel"' in page
    pos = funnel_position(crime[crime["indicator"] == "drugs"])
    outside = pos[pos["funnel"].str.contains("99.8")]["ward_name"]
    assert len(outside) > 0
    named = page[page.index("Outside the 99.8 % limits") :][:3000]
    for ward in outside:
        assert ward in named
    assert "High Street" in pos[pos["funnel"] == "above 99.8 %"]["ward_name"].tolist()


def test_multiple_testing_is_stated_wherever_wards_are_flagged(site, crime):
    page = (site / "maps" / "asb.html").read_text()
    assert "26 wards were each compared" in page and "Benjamini-Hochberg" in page
    assert "After allowing for 26 comparisons" in page
    assert {"p_value", "q_value", "compared_fdr"} <= set(crime.columns)
    flagged = crime[crime["compared_fdr"].isin(["higher", "lower"])]
    assert (flagged["q_value"] < 0.05).all()
    assert (flagged["compared_fdr"] == flagged["compared_with_borough"]).all()
    for name in ("after/monitoring.html", "assessment/emerging-issues.html"):
        text = (site / name).read_text()
        assert "After FDR (5 %)" in text and "wards were tested for a change" in text, name


def test_borough_charts_on_the_performance_chapter_and_monitoring_page(site):
    for name in ("assessment/performance.html", "after/monitoring.html"):
        text = (site / name).read_text()
        assert text.count('class="chart spc"') >= 3 and "XmR" in text, name
    assert "Months outside their limits" in (site / "after" / "monitoring.html").read_text()


def test_series_download_is_listed_with_provenance(site):
    page = (site / "downloads.html").read_text()
    assert "ward-monthly-series.csv" in page
    text = (site / "downloads" / "ward-monthly-series.csv").read_text()
    assert pd.read_csv(io.StringIO(text)).shape[0] == 27 * 11 * 29


def _text(html: str) -> str:
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _borough_words_problems(text: str) -> list[str]:
    """What in a borough-wide chart's words speaks of the wrong subject, or gives a month as ``2014-11``."""
    problems = [] if "the borough's usual range" in text else ["no 'the borough's usual range'"]
    problems += ["speaks of 'this ward'"] if "this ward" in text else []
    months = re.findall(r"\b20\d\d-\d\d\b(?! to)", re.sub(r"\d{4}-\d{2} to \d{4}-\d{2}", "", text))
    return problems + [f"month {m} not in words" for m in months]


def _tested_count_problems(text: str, wards: int) -> list[str]:
    """Notes whose 'N wards were tested' plus the wards with no records is not every ward, or '1 were'."""
    notes = re.findall(r"(\d+) wards? (?:was|were) tested for a change(?: \((\d+) had no records)?", text)
    problems = [f"{n} tested + {s or 0} without records != {wards}" for n, s in notes if int(n) + int(s or 0) != wards]
    return problems + (["'1 were called'"] if re.search(r"\b1 were called", text) else [])


@pytest.mark.parametrize("rel", ["after/monitoring.html", "assessment/performance.html"])
def test_the_borough_charts_speak_of_the_borough(site, rel):
    assert _borough_words_problems(_text((site / rel).read_text())) == []


def test_wards_with_nothing_to_test_are_not_counted_as_tested(site):
    """Wards with no records in either period cannot be tested: the notes count only those that were."""
    text = _text((site / "after" / "monitoring.html").read_text())
    assert re.search(r"wards? (?:was|were) tested for a change \(\d+ had no records", text)  # 2014's drugs have such
    assert _tested_count_problems(text, 26) == []


def test_words_of_the_wrong_subject_are_caught():
    """The two checks above fail on a planted drift: a borough chart that says 'this ward', a count of all wards."""
    good = "November 2014 was within the borough's usual range."
    assert _borough_words_problems(good) == []
    assert _borough_words_problems(good.replace("the borough's", "this ward's")) == [
        "no 'the borough's usual range'",
        "speaks of 'this ward'",
    ]
    assert _borough_words_problems(good.replace("November 2014", "2014-11")) == ["month 2014-11 not in words"]
    assert _tested_count_problems("25 wards were tested for a change (1 had no records).", 26) == []
    assert _tested_count_problems("26 wards were tested for a change (1 had no records); 1 were called.", 26) == [
        "26 tested + 1 without records != 26",
        "'1 were called'",
    ]


def test_one_position_on_the_may_2013_category_change(site):
    """The charts never join across it, so no page calls a difference across it a change."""
    html = (site / "after" / "monitoring.html").read_text()
    violence = _text(html[html.index('id="violent-crime"') : html.index('id="anti-social-behaviour"')])
    assert "a real increase" not in violence and "not called a change" in violence
    assert "▲ increase" not in violence and "not compared: police.uk" in violence
    drugs = _text(html[html.index('id="drug-offences"') :])
    assert "not compared" not in drugs.split("Month by month")[0]  # unchanged categories are still compared
    chapter = _text((site / "assessment" / "emerging-issues.html").read_text())
    assert "(the same offences)" not in chapter and "Not called a change" in chapter


def test_the_chart_method_names_the_gaps_the_series_has(site, series):
    """The 'not joined across' sentence is computed from the months charted, so a different period (or a planted
    change of months) changes it: it names exactly the months missing between the first and the last."""
    from geo.config import Period
    from geo.render.words import month_words

    months = sorted(series["month"].unique())
    missing = sorted(set(Period(months[0], months[-1]).months()) - set(months))
    assert missing == ["2013-10", "2013-11", "2013-12"]  # the bundle's one gap
    said = f"a gap in the data ({month_words(missing[0])} to {month_words(missing[-1])} has none)"
    for page in ("wards/east.html", "assessment/performance.html"):
        assert said in (site / page).read_text(), page
