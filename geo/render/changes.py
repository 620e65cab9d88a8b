"""Change between two periods, ward by ward, as a table with its multiple-testing note (the in-year comparison
of the assessment and the 2014 monitoring page share it)."""

from __future__ import annotations

import pandas as pd

from geo.analysis.change import ratio_text
from geo.render.markup import md_table

CATEGORY_WORDS = "– not compared: police.uk's categories changed"
"""The verdict of a change across police.uk's May 2013 change of categories, which the site never claims as a trend."""
CATEGORY_NOTE = (
    "police.uk renamed and regrouped these categories in May 2013, between the two periods, so the counts are shown "
    "but no ward's change is tested or called an increase or a decrease: the new categories need not count the same "
    "offences (the control charts do not join across that month either)."
)


def change_table(cmp: pd.DataFrame, names: dict[str, str], label_a: str, label_b: str, comparable=True) -> str:
    """Each ward's change between two periods with its verdict; where the indicator's police.uk categories changed
    between them (``comparable`` false), the counts are shown but no change is claimed, as the control charts
    never join across that change either."""
    t = cmp.copy()
    t["ward_name"] = t.index.map(names)
    t = t.sort_values("change", ascending=False)
    words = {
        "increase": "▲ increase",
        "decrease": "▼ decrease",
        "no clear change": "● no clear change",
        "no records": "– no records",
    }
    called = int(t["verdict"].isin(["increase", "decrease"]).sum())
    kept = int(t["fdr_verdict"].isin(["increase", "decrease"]).sum())
    tested = int(t["p_value"].notna().sum())
    return md_table(
        ["Ward", label_a, label_b, "Change", "Ratio (95% interval)", "Verdict", "After FDR (5 %)"],
        (
            [
                r["ward_name"],
                f"{r['before']:,}",
                f"{r['after']:,}",
                f"{r['change']:+,}",
                ratio_text(r),
                words[r["verdict"]] if comparable else CATEGORY_WORDS,
                words[r["fdr_verdict"]] if comparable else CATEGORY_WORDS,
            ]
            for _, r in t.iterrows()
        ),
        ["l", "r", "r", "r", "r", "l", "l"],
    ) + ("\n" + (change_fdr_note(tested, called, kept, len(t)) if comparable else CATEGORY_NOTE) + "\n")


def change_fdr_note(n_tests: int, n_called: int, n_kept: int, n_wards: int | None = None) -> str:
    """The same note for a table of before/after changes: ``n_tests`` wards had records to test (of ``n_wards``).

    >>> change_fdr_note(25, 1, 0, 26)[:94]
    '25 wards were tested for a change (1 had no records in either period and could not be), so abo'
    """
    skipped = (n_wards or n_tests) - n_tests
    untested = f" ({skipped} had no records in either period and could not be)" if skipped else ""
    return (
        f"{n_tests} {'ward was' if n_tests == 1 else 'wards were'} tested for a change{untested}, so about "
        f"{0.05 * n_tests:.1f} would be called a change by chance alone. {n_called} "
        f"{'was' if n_called == 1 else 'were'} called; {n_kept} stay significant with the false discovery rate "
        "across the wards held at 5 % (Benjamini-Hochberg)."
    )
