"""Scoring an assessment: each assessed unit's points per item, its total and its rank.

Reads only the figure store, the entries and the survey answers: a constant number of queries whatever
the number of units (units, items, figures, entries, one per satisfaction item)."""

from dataclasses import dataclass, field
from decimal import Decimal

from union_portal import tree
from union_portal.models import OrgUnit
from union_portal.scores import SCORE_STEP, round_score
from union_portal.surveys.selectors import survey_by_unit

from .models import AssessmentEntry, AssessmentItem, AssessmentScheme, FigureSnapshot

MAX_RATING = Decimal(5)


def figure_points(item: AssessmentItem, value: Decimal | None) -> Decimal:
    """Full points at or beyond the target; below it, points in proportion to the distance covered."""
    if value is None or item.target is None:
        return Decimal(0)
    weight, target = Decimal(item.weight), Decimal(item.target)
    if item.lower_is_better:
        if value <= target:
            return round_score(weight)
        return round_score(weight * target / value) if value > 0 else Decimal(0)
    if value >= target:
        return round_score(weight)
    return round_score(weight * value / target) if target > 0 else Decimal(0)


def satisfaction_points(item: AssessmentItem, mean: Decimal | None) -> Decimal:
    """Mean rating (1–5) ÷ 5 of the weight; no answers give no points."""
    if mean is None:
        return Decimal(0)
    return round_score(Decimal(item.weight) * mean / MAX_RATING)


@dataclass
class ItemScore:
    item: AssessmentItem
    points: Decimal
    shown: str  # the figure, the mean rating or the entry's state, for the breakdown
    entry: AssessmentEntry | None = None


@dataclass
class UnitResult:
    unit: OrgUnit
    total: Decimal = Decimal(0)
    rank: int = 0
    scores: list[ItemScore] = field(default_factory=list)


def assessed_units(scheme: AssessmentScheme) -> list[OrgUnit]:
    return list(tree.children(scheme.owner).filter(kind=scheme.target_kind))


def scheme_results(scheme: AssessmentScheme, *, units: list[OrgUnit] | None = None) -> list[UnitResult]:
    """Every assessed unit's breakdown and total, ranked (ties share a rank, then by code)."""
    units = assessed_units(scheme) if units is None else units
    items = list(scheme.items.select_related("survey"))
    unit_ids = [u.pk for u in units]
    metrics = {i.metric for i in items if i.kind == AssessmentItem.Kind.FIGURE}
    figures = {
        (f.node_id, f.metric): f
        for f in FigureSnapshot.objects.filter(node_id__in=unit_ids, metric__in=metrics, period=scheme.period, key="")
    }
    entries = {
        (e.item_id, e.unit_id): e
        for e in AssessmentEntry.objects.filter(item__scheme=scheme, unit_id__in=unit_ids).select_related("unit")
    }
    ratings = {
        i.pk: survey_by_unit(survey=i.survey, units=units)
        for i in items
        if i.kind == AssessmentItem.Kind.SATISFACTION and i.survey_id
    }
    results = []
    for unit in units:
        result = UnitResult(unit=unit)
        for item in items:
            result.scores.append(_score(item, unit, figures, entries, ratings))
        result.total = sum((s.points for s in result.scores), Decimal(0))
        results.append(result)
    results.sort(key=lambda r: (-r.total, r.unit.code))
    previous, rank = None, 0
    for position, result in enumerate(results, start=1):
        if result.total != previous:
            rank, previous = position, result.total
        result.rank = rank
    return results


def _score(item, unit, figures, entries, ratings) -> ItemScore:
    from django.utils.translation import gettext as _

    if item.kind == AssessmentItem.Kind.FIGURE:
        snapshot = figures.get((unit.pk, item.metric))
        value = snapshot.value if snapshot else None
        shown = "—" if value is None else f"{value.quantize(SCORE_STEP)}"
        return ItemScore(item, figure_points(item, value), shown)
    if item.kind == AssessmentItem.Kind.SATISFACTION:
        rating = ratings.get(item.pk, {}).get(unit.pk)
        if rating is None or rating.mean is None:
            return ItemScore(item, Decimal(0), _("no answers"))
        shown = _("%(mean)s / 5 (%(n)s people)") % {"mean": rating.mean, "n": rating.respondents}
        return ItemScore(item, satisfaction_points(item, rating.mean), shown)
    entry = entries.get((item.pk, unit.pk))
    if entry is None:
        return ItemScore(item, Decimal(0), _("not entered"))
    if entry.score is None:
        return ItemScore(item, Decimal(0), _("awaiting score"), entry)
    return ItemScore(item, round_score(entry.score), _("scored"), entry)
