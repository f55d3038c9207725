"""Reads of the surveys capability: what a worker may answer, what staff may see, and results as aggregates
only (never who said what). Each function runs a constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from union_portal import tree
from union_portal.membership import member_of_user
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.rounding import round_half_up
from union_portal.scoping import home_nodes, node_in_scope, paths_above, scope

from .models import Survey, SurveyAnswer, SurveyParticipation, SurveyQuestion

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Answered(TypedDict):
    answered: bool


def surveys_for_member(*, user) -> "QuerySet[WithAnnotations[Survey, _Answered]]":
    """Open surveys the worker may answer: published by a node above their union, today within dates,
    annotated with ``answered`` (bool). Two queries at most (member, then surveys)."""
    member = member_of_user(user=user, holding_only=True)
    if member is None:
        return cast("QuerySet[WithAnnotations[Survey, _Answered]]", Survey.objects.none())
    today = timezone.localdate()
    answered = SurveyParticipation.objects.filter(user=user).values("survey_id")
    return (
        Survey.objects.filter(
            status=Survey.Status.OPEN, owner__path__in=tree.ancestor_paths(member.org, include_self=True)
        )
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .annotate(answered=Q(pk__in=answered))
        .order_by("-created_at", "-id")
    )


def open_survey_for_member(*, user, pk: int) -> Survey:
    """An open survey the worker may answer and has not answered yet; 404 otherwise (one answer each)."""
    survey = surveys_for_member(user=user).filter(pk=pk).first()
    if survey is None or survey.answered:
        raise Http404
    return survey


def published_surveys_of(*, owner) -> QuerySet[Survey]:
    """The open and closed surveys ``owner`` (an OrgUnit) published: what an assessment of its units may use."""
    return Survey.objects.filter(owner=owner).exclude(status=Survey.Status.DRAFT)


def surveys_for_staff(*, user) -> QuerySet[Survey]:
    """Admins: surveys of nodes in their scope. Township staff: published surveys of a node above them."""
    query = Q(pk__in=scope(Survey.objects.all(), user, roles=ADMIN_ROLES).values("pk"))
    above = paths_above(user, Role.TOWNSHIP_STAFF)
    if above:
        query |= Q(owner__path__in=above) & ~Q(status=Survey.Status.DRAFT)
    return Survey.objects.filter(query).select_related("owner").order_by("-created_at", "-id")


def survey_for_staff(*, user, pk: int) -> tuple[Survey, object | None]:
    """(survey, None) for an admin of its owner; (survey, their township) for township staff it reaches;
    404 otherwise. Two queries at most."""
    survey = Survey.objects.select_related("owner").filter(pk=pk).first()
    if survey is None:
        raise Http404
    if node_in_scope(user, survey.owner, roles=ADMIN_ROLES):
        return survey, None
    if survey.status != Survey.Status.DRAFT:
        township = home_nodes(user, roles=[Role.TOWNSHIP_STAFF]).filter(tree.subtree_q(survey.owner)).first()
        if township is not None and township.path != survey.owner.path:
            return survey, township
    raise Http404


@dataclass
class SurveyResult:
    question: SurveyQuestion
    mean: Decimal | None
    count: int
    by_rating: dict[int, int]

    @property
    def bars(self) -> list[tuple[int, int]]:
        return [(r, self.by_rating.get(r, 0)) for r in range(1, 6)]


def _mean(total: int, count: int) -> Decimal | None:
    return round_half_up(Decimal(total) / count, Decimal("0.01")) if count else None


def survey_results(*, survey: Survey, within=None) -> tuple[int, list[SurveyResult]]:
    """Aggregates only: respondents and, per rating question, the mean and the distribution. Two queries."""
    answers = SurveyAnswer.objects.filter(response__survey=survey, rating__isnull=False)
    responses = survey.responses.all()
    if within is not None:
        answers = answers.filter(tree.subtree_q(within, field="response__union"))
        responses = responses.filter(tree.subtree_q(within, field="union"))
    dist: dict[int, dict[int, int]] = {}
    for row in answers.values("question_id", "rating").annotate(n=Count("id")).order_by():
        rating = row["rating"]
        assert rating is not None  # rating__isnull=False above
        dist.setdefault(row["question_id"], {})[rating] = row["n"]
    results = []
    for q in survey.questions.all():
        counts = dist.get(q.pk, {})
        mean = _mean(sum(r * n for r, n in counts.items()), sum(counts.values()))
        results.append(SurveyResult(question=q, mean=mean, count=sum(counts.values()), by_rating=counts))
    return responses.count(), results


def survey_comments(*, survey: Survey, within=None, limit: int = 200) -> list[str]:
    """Free-text comments in random-key order (never the order given), with nothing about who wrote them."""
    qs = SurveyAnswer.objects.filter(response__survey=survey).exclude(comment="")
    if within is not None:
        qs = qs.filter(tree.subtree_q(within, field="response__union"))
    return list(qs.order_by("response_id", "id").values_list("comment", flat=True)[:limit])


# A unit's mean rating is shown in survey reports only when at least this many members of it answered:
# the mean of one or two people would tell who said what to anyone who knows who answered.
MIN_REPORT_GROUP = 5


@dataclass
class UnitRating:
    unit: object  # an OrgUnit
    mean: Decimal | None
    ratings: int
    respondents: int

    @property
    def reportable_mean(self) -> Decimal | None:
        return self.mean if self.respondents >= MIN_REPORT_GROUP else None


def survey_by_unit(*, survey: Survey, units: list) -> dict[int, UnitRating]:
    """The mean rating (all rating questions) and respondents of each unit's subtree: one query grouped by
    the respondent's union, rolled up to ``units`` by path prefix. Exact: sums of integer ratings."""
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey, rating__isnull=False)
        .values("response__union__path")
        .annotate(total=Sum("rating"), n=Count("id"), people=Count("response", distinct=True))
        .order_by()
    )
    sums: dict[int, list[int]] = {u.pk: [0, 0, 0] for u in units}
    for row in rows:
        for unit in units:
            if tree.is_within(row["response__union__path"], unit):
                cell = sums[unit.pk]
                cell[0] += row["total"]
                cell[1] += row["n"]
                cell[2] += row["people"]
    return {u.pk: UnitRating(u, _mean(sums[u.pk][0], sums[u.pk][1]), sums[u.pk][1], sums[u.pk][2]) for u in units}
