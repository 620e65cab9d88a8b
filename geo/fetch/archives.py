"""Which of data.police.uk's monthly archives holds a month of street-level data."""

from __future__ import annotations

FIRST_MONTH = "2010-12"
"""police.uk's first month of street-level data."""
WHOLE_HISTORY_ARCHIVE = "2017-04"
"""The archive that holds every month from :data:`FIRST_MONTH` to itself (77 months); from 2017-05 each archive
holds the 36 months to its own month. A public loader of police.uk's archives (the ``fryer`` package's
``police_uk`` module) downloads ``2017-04.zip`` for 2010-12 to 2017-04, ``2020-04.zip`` for 2017-05 to 2020-04
and ``2023-04.zip`` for 2020-05 to 2023-04, and reads each month from the members named after that month."""
ROLLING_MONTHS = 36


def archive_for(month: str, newest: str) -> str | None:
    """The police.uk archive to take ``month`` from, given the newest archive wanted (the period's last month):
    :data:`WHOLE_HISTORY_ARCHIVE` for months up to it, else the newest archive, no later than ``newest``, whose 36
    months hold ``month``; None for a month police.uk never published (before :data:`FIRST_MONTH`) or after
    ``newest``.

    >>> archive_for("2012-04", "2013-03"), archive_for("2017-04", "2025-12"), archive_for("2025-01", "2025-12")
    ('2017-04', '2017-04', '2025-12')
    >>> archive_for("2018-01", "2025-12"), archive_for("2010-11", "2013-03")
    ('2020-12', None)
    """
    if month < FIRST_MONTH or month > newest:
        return None
    if month <= WHOLE_HISTORY_ARCHIVE:
        return WHOLE_HISTORY_ARCHIVE
    y, m = (int(x) for x in month.split("-"))
    last = (y * 12 + m - 1) + ROLLING_MONTHS - 1  # the latest archive still holding the month
    return min(newest, f"{last // 12:04d}-{last % 12 + 1:02d}")
