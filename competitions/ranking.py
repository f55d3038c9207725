"""The ranking rules, as pure functions (no database): tested with cases worked by hand.

- A criterion's score is the judges' mean; with five or more judges the highest and the lowest score are
  dropped first (去掉一个最高分和一个最低分).
- A team's total is the sum over criteria of mean / max_score x weight (weights sum to 100, so a team with
  full marks everywhere has 100; a skills-contest trade may carry its own weights), plus any bonus (安康杯: adopted hazard reports and proposals), rounded half
  up to 0.01.
- Teams rank by total, ties break on the safety score, then the quality score, then the random tie-breaker
  stored on the team (lower first), so a rerun gives the same order.
- A team with a serious safety accident (安全一票否决) is ranked like any other but ``honour_eligible`` is
  False.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from union_portal.scores import round_score

TRIM_FROM = 5  # judges needed before the highest and lowest are dropped
ZERO = Decimal("0")
SAFETY = "safety"
QUALITY = "quality"


@dataclass(frozen=True)
class CriterionSpec:
    key: str  # the criterion's id as text
    weight: Decimal
    max_score: Decimal
    code: str = ""  # "safety", "quality", ... for the tie rules


@dataclass(frozen=True)
class Entry:
    team_id: int
    scores: dict[str, Sequence[Decimal]]  # criterion key -> one score per judge
    tie_breaker: int
    vetoed: bool = False
    bonus: Decimal = ZERO
    weights: dict[str, Decimal] = field(default_factory=dict)  # per-entry weight overrides (a trade's own)


@dataclass
class Ranked:
    team_id: int
    means: dict[str, Decimal]
    total: Decimal
    rank: int
    vetoed: bool
    judge_count: int
    bonus: Decimal = ZERO
    tie_note: str = ""
    sort_key: tuple = field(default=(), repr=False)

    @property
    def honour_eligible(self) -> bool:
        return not self.vetoed


def trimmed_mean(values: Sequence[Decimal]) -> Decimal | None:
    """The judges' mean, dropping one highest and one lowest when there are five or more. Unrounded."""
    values = sorted(Decimal(v) for v in values)
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return sum(values, ZERO) / len(values)


def weighted_total(
    means: dict[str, Decimal | None], criteria: Iterable[CriterionSpec], bonus: Decimal = ZERO
) -> Decimal:
    total = ZERO
    for spec in criteria:
        mean = means.get(spec.key)
        if mean is not None and spec.max_score:
            total += mean / Decimal(spec.max_score) * Decimal(spec.weight)
    return round_score(total + Decimal(bonus))


def _code_mean(means: dict[str, Decimal | None], criteria: Sequence[CriterionSpec], code: str) -> Decimal:
    for spec in criteria:
        if spec.code == code:
            mean = means.get(spec.key)
            return round_score(mean) if mean is not None else ZERO
    return ZERO


def rank(entries: Iterable[Entry], criteria: Sequence[CriterionSpec]) -> list[Ranked]:
    """Rank the entries; returns them best first with ranks 1..n (the tie rules leave no shared rank)."""
    rows: list[Ranked] = []
    for entry in entries:
        raw = {spec.key: trimmed_mean(entry.scores.get(spec.key, ())) for spec in criteria}
        sheet = [replace(s, weight=entry.weights[s.key]) if s.key in entry.weights else s for s in criteria]
        total = weighted_total(raw, sheet, entry.bonus)
        safety = _code_mean(raw, criteria, SAFETY)
        quality = _code_mean(raw, criteria, QUALITY)
        judge_count = max((len(v) for v in entry.scores.values()), default=0)
        rows.append(
            Ranked(
                team_id=entry.team_id,
                means={k: round_score(v) for k, v in raw.items() if v is not None},
                total=total,
                rank=0,
                vetoed=entry.vetoed,
                judge_count=judge_count,
                bonus=Decimal(entry.bonus),
                sort_key=(-total, -safety, -quality, entry.tie_breaker, entry.team_id),
            )
        )
    rows.sort(key=lambda r: r.sort_key)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    # Say why neighbours with equal totals are in this order (shown on the results page).
    for previous, row in zip(rows, rows[1:], strict=False):
        if previous.sort_key[0] == row.sort_key[0]:
            if previous.sort_key[1] != row.sort_key[1]:
                row.tie_note = SAFETY
            elif previous.sort_key[2] != row.sort_key[2]:
                row.tie_note = QUALITY
            else:
                row.tie_note = "random"
    return rows


def band_for(rank_position: int, bands: Sequence[tuple[str, int]]) -> str | None:
    """The honour of a rank by cumulative bands [(kind, last rank), ...] in order: with
    [("merit_1", 1), ("merit_2", 3), ("merit_3", 6)] rank 1 takes merit_1, ranks 2-3 merit_2, 4-6 merit_3."""
    for kind, last in bands:
        if rank_position <= last:
            return kind
    return None
