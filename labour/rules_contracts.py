"""Pure rules of collective contracts (no ORM): the term of 1 to 3 years and the workers' congress vote
(DOMAIN.md "Labour relations": 2/3 of the delegates present, more than half of ALL delegates in favour)."""

import datetime as dt

from dateutil.relativedelta import relativedelta

MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 3


def term_end_limits(starts_on: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest last day of a contract in force from ``starts_on`` (a term of 1 to 3 years:
    from 2026-01-01, 2026-12-31 to 2028-12-31)."""
    one_day = dt.timedelta(days=1)
    return (
        starts_on + relativedelta(years=MIN_TERM_YEARS) - one_day,
        starts_on + relativedelta(years=MAX_TERM_YEARS) - one_day,
    )


def quorum_met(*, delegates: int, present: int) -> bool:
    return delegates > 0 and present * 3 >= delegates * 2


def vote_passes(*, delegates: int, present: int, in_favour: int) -> bool:
    """Passed: a quorum (2/3 present) and more than half of all delegates (not of those present) in favour."""
    return quorum_met(delegates=delegates, present=present) and in_favour * 2 > delegates
