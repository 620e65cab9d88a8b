"""One verdict per comparison: a ward's funnel position, its "compared with the borough" verdict and its
false-discovery-rate verdict come from one exact Poisson test, so the map page's text, its table, its funnel and
the ward pages never call the same ward different things. Checked on the built site against its own download."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.analysis.funnel import verdicts
from geo.render.words import COMPARISON_WORDS, slugify

HEADLINE = ["asb", "drugs", "violence"]


def _text(html: str) -> str:
    m = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', html, re.S)
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", m.group(1), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&amp;", "&")


def map_page_verdicts(html: str) -> dict:
    """What a map page says about each ward: the text's lists, each table row's two verdicts, the funnel's names."""
    text = _text(html)
    out = {"above": set(), "below": set(), "rows": {}, "funnel99": {}, "between95": None}
    for side, word in (("above", "above"), ("below", "below")):
        m = re.search(rf"Wards significantly {word} (?:the \w+ rate|it) \(\d+\): ([^.]*)\.", text)
        out[side] = {w.strip() for w in m.group(1).split(",")} - {"none"}
    for m in re.finditer(r"<tr>\s*<td[^>]*>\d+ of \d+</td>\s*<td[^>]*>(.*?)</td>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)
        out["rows"][m.group(1).replace("&amp;", "&")] = (cells[-2].strip(), cells[-1].strip())
    m = re.search(r"Outside the 99\.8 % limits: (.*?)\. Between the 95 % and 99\.8 % limits: (\d+)", text)
    for part in m.group(1).split("; "):
        if part != "none":
            side, names = part.split(": ", 1)
            for n in names.split(", "):
                out["funnel99"][n] = side.split(" ")[0]
    out["between95"] = int(m.group(2))
    return out


def check_map_page(page: dict, table: pd.DataFrame) -> list[str]:
    """Disagreements between one map page and the ward table of its indicator."""
    bad = []
    for _, r in table.iterrows():
        name, cmp_, fdr = r["ward_name"], r["compared_with_borough"], r["compared_fdr"]
        if page["rows"].get(name) != (COMPARISON_WORDS[cmp_], COMPARISON_WORDS[fdr]):
            bad.append(f"table row of {name}: {page['rows'].get(name)} against {cmp_}/{fdr}")
        listed = "above" if name in page["above"] else "below" if name in page["below"] else "similar"
        if {"higher": "above", "lower": "below"}.get(cmp_, "similar") != listed:
            bad.append(f"text lists {name} as {listed}, the test says {cmp_}")
        if name in page["funnel99"] and {"above": "higher", "below": "lower"}[page["funnel99"][name]] != cmp_:
            bad.append(f"funnel puts {name} {page['funnel99'][name]} 99.8 %, the test says {cmp_}")
        if fdr != "similar" and fdr != cmp_:
            bad.append(f"FDR calls {name} {fdr}, the test {cmp_}")
    called = int(table["compared_with_borough"].isin(["higher", "lower"]).sum())
    if len(page["funnel99"]) + page["between95"] != called:
        bad.append(f"{len(page['funnel99'])} + {page['between95']} wards outside the 95 % funnel, {called} called")
    return bad


@pytest.fixture(scope="module")
def table(site) -> pd.DataFrame:
    return pd.read_csv(site / "downloads" / "ward-indicators.csv")


@pytest.mark.parametrize("ind", HEADLINE)
def test_map_page_text_table_and_funnel_agree(site, table, ind):
    page = map_page_verdicts((site / "maps" / f"{ind}.html").read_text(encoding="utf-8"))
    assert check_map_page(page, table[table["indicator"] == ind]) == []


def test_ward_pages_give_the_map_pages_verdicts(site, table):
    import html as h

    bad = []
    for p in sorted((site / "wards").glob("*.html")):
        text = p.read_text(encoding="utf-8")
        name = h.unescape(re.search(r'data-ward="(E05\d{6})"', text).group(1)) if 'data-ward="E05' in text else None
        if name is None:
            continue
        for ind, title in (("asb", "Anti-social behaviour"), ("drugs", "Drug offences"), ("violence", "Violent crime")):
            row = table[(table["ward_code"] == name) & (table["indicator"] == ind)].iloc[0]
            m = re.search(rf">{title}</th>.*?data-label=\"Compared with borough\">(.*?)</td>", text, re.S)
            if COMPARISON_WORDS[row["compared_with_borough"]] not in m.group(1):
                bad.append((p.name, ind, m.group(1), row["compared_with_borough"]))
    assert bad == []


def test_a_contradicting_verdict_is_caught(site, table):
    """Plant a drift: a table that calls one ward below while the page calls it otherwise."""
    page = map_page_verdicts((site / "maps" / "drugs.html").read_text(encoding="utf-8"))
    t = table[table["indicator"] == "drugs"].copy()
    i = t.index[t["compared_with_borough"] == "similar"][0]
    t.loc[i, "compared_with_borough"] = "lower"
    assert check_map_page(page, t)


def test_one_record_against_six_expected_is_inside_the_99_8_funnel():
    """The case that set the funnel and the FDR apart: P(X <= 1 | 6) = 1.7 %, outside 95 % but not 99.8 %."""
    v = verdicts([1], [6.0]).iloc[0]
    assert v["funnel"] == "below 95 %" and v["compared"] == "lower" and round(v["p_value"], 4) == 0.0347


def test_ward_pages_count_their_comparisons_and_fdr_survivors(site):
    """Each ward page says how many comparisons stand behind its verdicts and how many of its own survive the
    false discovery rate, in words that fit the count (no '(the table says which do not)' when none fall)."""
    ward = pd.read_csv(site / "downloads" / "ward-indicators.csv")
    for code, rows in ward.groupby("ward_code"):
        flagged = int((rows["compared_with_borough"].isin(["higher", "lower"])).sum())
        kept = int((rows["compared_fdr"].isin(["higher", "lower"])).sum())
        slug = slugify(rows["ward_name"].iloc[0], code)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", (site / "wards" / f"{slug}.html").read_text()))
        assert f"one of {len(ward)} comparisons" in text, slug
        if flagged == 0:
            assert "stay significant" not in text, slug
        elif kept == flagged:
            assert f"all {flagged} of this ward's stay significant" in text and "which do not" not in text, slug
        else:
            assert f"{kept} of this ward's {flagged} stay significant" in text and "which do not" in text, slug
