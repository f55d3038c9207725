"""Every read of the awards app that a view, the API or a service needs."""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from members.models import Member
from union_portal import tree
from union_portal.models import OrgUnit
from union_portal.notices.models import Objection
from union_portal.roles import Role
from union_portal.rounding import round_half_up
from union_portal.scoping import has_role, scope

from .models import AwardType, CompositionRule, Nomination, Quota, Round
from .permissions import STAFF_ROLES

# --- rounds ------------------------------------------------------------------------------------------------


def round_list(*, user) -> QuerySet[Round]:
    """Rounds run by a node above or at the user's assignments: every staff member under the district sees
    the district's rounds (they nominate into them)."""
    if not has_role(user, *STAFF_ROLES):
        return Round.objects.none()
    from union_portal.scoping import assignments_of

    paths = [path for role, _node, path in assignments_of(user) if role in STAFF_ROLES]
    query = Q(pk__in=[])
    for path in paths:
        # the round's org is an ancestor-or-self of an assignment, or lies in its subtree
        query |= tree.lineage_q(path, field="org")
    return Round.objects.filter(query).select_related("org", "notice").order_by("-year", "-id")


def round_get(*, user, pk: int) -> Round:
    try:
        return round_list(user=user).get(pk=pk)
    except Round.DoesNotExist:
        from django.http import Http404

        raise Http404 from None


def public_notice_rounds() -> QuerySet[Round]:
    return Round.objects.filter(status=Round.Status.NOTICE).select_related("notice").order_by("-notice__starts_on")


def published_rounds() -> QuerySet[Round]:
    return Round.objects.filter(status=Round.Status.PUBLISHED).order_by("-year", "-id")


# --- quotas ------------------------------------------------------------------------------------------------


def quota_for(*, award_type: AwardType, org: OrgUnit) -> Quota | None:
    """The quota of the nearest ancestor-or-self of ``org`` for the award type."""
    quotas = Quota.objects.filter(award_type=award_type).select_related("union")
    return tree.nearest_ancestor(org, quotas, include_self=True, field="union")


def quota_used(*, quota: Quota) -> int:
    """Nominations holding a place of this quota: those of its subtree that no deeper quota covers."""
    deeper = Quota.objects.filter(tree.subtree_q(quota.union, field="union"), award_type=quota.award_type_id).exclude(
        pk=quota.pk
    )
    qs = Nomination.objects.filter(
        tree.subtree_q(quota.union, field="org"), award_type=quota.award_type_id, status__in=Nomination.COUNTED
    )
    for path in deeper.values_list("union__path", flat=True):
        qs = qs.exclude(tree.subtree_q(path, field="org"))
    return qs.count()


@dataclass
class QuotaLeft:
    award_type: AwardType
    quota: Quota | None
    used: int

    @property
    def left(self) -> int:
        return max(0, self.quota.places - self.used) if self.quota else 0


def quotas_left(*, round_: Round, org: OrgUnit) -> list[QuotaLeft]:
    result = []
    for award_type in round_.award_types.all():
        quota = quota_for(award_type=award_type, org=org)
        result.append(QuotaLeft(award_type, quota, quota_used(quota=quota) if quota else 0))
    return result


def round_quotas(*, round_: Round) -> list[QuotaLeft]:
    quotas = list(round_.quotas.select_related("award_type", "union"))
    return [QuotaLeft(q.award_type, q, quota_used(quota=q)) for q in quotas]


# --- composition -------------------------------------------------------------------------------------------


@dataclass
class RuleCheck:
    rule: CompositionRule
    count: int
    total: int

    @property
    def share(self) -> Decimal:
        if not self.total:
            return Decimal("0")
        return round_half_up(Decimal(self.count) * 100 / Decimal(self.total), Decimal("0.1"))

    @property
    def ok(self) -> bool:
        if not self.total:
            return True
        exact = Decimal(self.count) * 100 / Decimal(self.total)
        if self.rule.comparison == CompositionRule.Comparison.AT_LEAST:
            return exact >= self.rule.percent
        return exact <= self.rule.percent

    @property
    def blocks(self) -> bool:
        return self.rule.blocks_notice

    def __str__(self) -> str:
        return _("%(who)s %(cmp)s %(pct)s%% (now %(share)s%%, %(count)s of %(total)s)") % {
            "who": self.rule.get_metric_display(),
            "cmp": self.rule.get_comparison_display(),
            "pct": format(self.rule.percent.normalize(), "f"),  # normalize() alone writes 20.00 as 2E+1
            "share": self.share,
            "count": self.count,
            "total": self.total,
        }


METRIC_FIELD: dict[str, str] = {
    CompositionRule.Metric.FRONTLINE_OR_TECHNICAL: "is_frontline_or_technical",
    CompositionRule.Metric.ENTERPRISE_HEAD: "is_enterprise_head",
    CompositionRule.Metric.FEMALE: "is_female",
    CompositionRule.Metric.MIGRANT: "is_migrant",
}


def composition(*, round_: Round, nominations) -> list[RuleCheck]:
    """Each rule of the round against the individual nominees among ``nominations`` (a list or queryset)."""
    people = [n for n in nominations if n.member_id is not None]
    return [
        RuleCheck(rule, sum(1 for n in people if getattr(n, METRIC_FIELD[rule.metric])), len(people))
        for rule in round_.rules.all()
    ]


def union_composition(*, round_: Round, org: OrgUnit) -> list[RuleCheck]:
    """The rules against the nominations of ``org``'s subtree that hold a place (and drafts), as made."""
    nominations = Nomination.objects.filter(tree.subtree_q(org, field="org"), round=round_).exclude(
        status=Nomination.Status.WITHDRAWN
    )
    return composition(round_=round_, nominations=list(nominations))


def slate(*, round_: Round) -> list[Nomination]:
    return list(
        round_.nominations.filter(status__in=[Nomination.Status.PASSED, Nomination.Status.APPROVED])
        .select_related("award_type")
        .order_by("award_type_id", "id")
    )


# --- past honours ------------------------------------------------------------------------------------------


def past_honours(*, person_hash: str, candidate_org: OrgUnit | None, since_year: int, before_year: int) -> list[dict]:
    """Honours of this portal's published rounds from ``since_year`` to before ``before_year`` for the same
    person (any membership: matched on the ID number's blind index) or the same unit."""
    if person_hash:
        qs = Nomination.objects.filter(person_hash=person_hash)
    elif candidate_org is not None:
        qs = Nomination.objects.filter(candidate_org=candidate_org)
    else:
        return []
    qs = qs.filter(
        status=Nomination.Status.APPROVED, round__year__gte=since_year, round__year__lt=before_year
    ).select_related("round", "award_type")
    return [
        {"year": n.round.year, "title": n.award_type.name, "level": n.award_type.level, "round": n.round.title}
        for n in qs.order_by("-round__year")
    ]


def blocking_honours(*, nomination: Nomination) -> list[dict]:
    """Honours within the round's window at the same or a higher level than the nominated award type."""
    round_ = nomination.round
    current = past_honours(
        person_hash=nomination.person_hash,
        candidate_org=nomination.candidate_org,
        since_year=round_.year - round_.recent_honour_years,
        before_year=round_.year,
    )
    return [h for h in current if h["level"] >= nomination.award_type.level]


# --- nominations -------------------------------------------------------------------------------------------


def nomination_list(*, user, round_: Round | None = None, status: str = "") -> QuerySet[Nomination]:
    qs = scope(Nomination.objects.all(), user, roles=STAFF_ROLES, include_owner=False)
    if round_ is not None:
        qs = qs.filter(round=round_)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("round", "award_type", "org").order_by("-id")


def review_queue(*, user) -> QuerySet[Nomination]:
    """Nominations waiting for a review this user may give."""
    from union_portal.scoping import scope_paths

    query = Q(pk__in=[])
    for path in scope_paths(user, [Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN]):
        query |= tree.subtree_q(path, field="org") & Q(status=Nomination.Status.TOWNSHIP_REVIEW)
    for path in scope_paths(user, [Role.DISTRICT_ADMIN]):
        query |= tree.subtree_q(path, field="org") & Q(status=Nomination.Status.DISTRICT_REVIEW)
    return (
        Nomination.objects.filter(query, round__status=Round.Status.NOMINATING)
        .select_related("round", "award_type", "org")
        .order_by("submitted_at", "id")
    )


def candidate_members(*, user, search: str = "") -> QuerySet[Member]:
    """Active members on the user's roll to pick a candidate from."""
    qs = scope(Member.objects.filter(status=Member.Status.ACTIVE), user, roles=STAFF_ROLES, include_owner=False)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(member_number__iexact=search))
    return qs.select_related("org", "enterprise").order_by("org__path", "name")


def candidate_units(*, user) -> QuerySet[OrgUnit]:
    return scope(
        OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.GRASSROOTS, OrgUnit.Kind.GROUP], status=OrgUnit.Status.ACTIVE),
        user,
        roles=STAFF_ROLES,
    ).order_by("path")


def nominating_unions(*, user) -> QuerySet[OrgUnit]:
    return scope(OrgUnit.objects.filter(kind=OrgUnit.Kind.GRASSROOTS), user, roles=STAFF_ROLES).order_by("path")


# --- public pages ------------------------------------------------------------------------------------------


def public_notice_entries(*, round_: Round) -> "OrderedDict[AwardType, list[dict]]":
    """Only name, unit and the deeds summary: nothing else leaves the building."""
    grouped: OrderedDict = OrderedDict()
    rows = (
        Nomination.objects.filter(round=round_, status=Nomination.Status.PASSED)
        .select_related("award_type")
        .order_by("award_type_id", "id")
        .only("id", "candidate_name", "unit_name", "deeds_summary", "award_type__name", "award_type__id")
    )
    for n in rows:
        grouped.setdefault(n.award_type.name, []).append(
            {"id": n.id, "name": n.candidate_name, "unit": n.unit_name, "deeds": n.deeds_summary}
        )
    return grouped


def honour_roll(*, year: int | None = None) -> list[tuple[int, "OrderedDict[str, list[dict]]"]]:
    """Published honours by year and award type (public: name, unit, deeds summary)."""
    qs = Nomination.objects.filter(status=Nomination.Status.APPROVED, round__status=Round.Status.PUBLISHED)
    if year:
        qs = qs.filter(round__year=year)
    qs = qs.select_related("round", "award_type").order_by("-round__year", "award_type_id", "id")
    years: OrderedDict = OrderedDict()
    for n in qs.only(
        "id", "candidate_name", "unit_name", "deeds_summary", "round__year", "award_type__name", "award_type__id"
    ):
        years.setdefault(n.round.year, OrderedDict()).setdefault(n.award_type.name, []).append(
            {"name": n.candidate_name, "unit": n.unit_name, "deeds": n.deeds_summary}
        )
    return list(years.items())


def honour_years() -> list[int]:
    return list(
        Round.objects.filter(status=Round.Status.PUBLISHED).values_list("year", flat=True).distinct().order_by("-year")
    )


def honour_roll_of(*, round_: Round) -> QuerySet[Nomination]:
    return (
        round_.nominations.filter(status=Nomination.Status.APPROVED)
        .select_related("award_type", "round__org")
        .order_by("certificate_number")
    )


def objection_list(*, user, round_: Round | None = None) -> QuerySet[Objection]:
    """Objections to candidates (the core's objections about a nomination), with the candidate's name and
    award type joined in the same query."""
    qs = scope(
        Objection.objects.filter(nomination__isnull=False), user, roles=[Role.DISTRICT_ADMIN], include_owner=False
    )
    if round_ is not None:
        qs = qs.filter(nomination__round=round_)
    return qs.annotate(
        candidate_name=F("nomination__candidate_name"), award_type_name=F("nomination__award_type__name")
    ).order_by("status", "-created_at")


def nominations_by_status(*, round_: Round) -> dict[str, int]:
    return dict(round_.nominations.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


class UnitHonours(TypedDict):
    org_id: int
    org__name: str
    org__path: str
    honours: int


def honours_by_unit(*, year: int | None = None, root: OrgUnit | None = None) -> list[UnitHonours]:
    """For the federation dashboard: published honours per nominating union (and its township path), one
    aggregate query. ``root`` limits it to a subtree."""
    qs = Nomination.objects.filter(status=Nomination.Status.APPROVED, round__status=Round.Status.PUBLISHED)
    if year:
        qs = qs.filter(round__year=year)
    if root is not None:
        qs = qs.filter(tree.subtree_q(root, field="org"))
    return list(
        qs.values("org_id", "org__name", "org__path").annotate(honours=Count("id")).order_by("-honours", "org__path")
    )


def nominations_by_stage(*, round_: Round, root: OrgUnit | None = None) -> dict[str, int]:
    """For the federation dashboard: nominations of a round per stage, optionally within a subtree."""
    qs = round_.nominations.all()
    if root is not None:
        qs = qs.filter(tree.subtree_q(root, field="org"))
    return dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def nomination_preview(
    *, round_: Round, award_type: AwardType | None, member: Member | None, unit: OrgUnit | None, node: OrgUnit
) -> dict:
    """What nominating this candidate would do, before saving: the quota left for the type at the
    candidate's union, the composition of the union's nominations with the candidate added, and the past
    honours that would block submission. ``member``/``unit`` must already be scoped to the user."""
    if member is not None:
        org = member.org
    elif unit is not None and unit.kind == OrgUnit.Kind.GROUP:
        parent = tree.parent(unit)  # a group nominates through its union
        assert parent is not None  # a union group sits under its grassroots union
        org = parent
    else:
        org = unit or node
    quota = quota_for(award_type=award_type, org=org) if award_type is not None else None
    nominations = list(
        Nomination.objects.filter(tree.subtree_q(node, field="org"), round=round_).exclude(
            status=Nomination.Status.WITHDRAWN
        )
    )
    honours: list[dict] = []
    blocking: list[dict] = []
    if member is not None:
        nominations.append(
            Nomination(
                member=member,
                is_frontline_or_technical=member.is_frontline or member.is_technical,
                is_enterprise_head=member.is_enterprise_head,
                is_female=member.sex == Member.Sex.FEMALE,
                is_migrant=member.is_migrant,
            )
        )
    if member is not None or unit is not None:
        honours = past_honours(
            person_hash=member.id_number_hash if member is not None else "",
            candidate_org=unit if member is None else None,
            since_year=round_.year - round_.recent_honour_years,
            before_year=round_.year,
        )
        if award_type is not None:
            blocking = [h for h in honours if h["level"] >= award_type.level]
    return {
        "quota": QuotaLeft(award_type, quota, quota_used(quota=quota)) if quota and award_type else None,
        "checks": composition(round_=round_, nominations=nominations),
        "honours": honours,
        "blocking": blocking,
        "candidate": member or unit,
    }


# --- Figures by union (read by the dashboard) ------------------------------------------------------------
# One grouped query each, over the nominations of the rounds of ``year``. Rows carry ``path``: the
# nominating union; the dashboard rolls them up the tree.

NOMINATION_STAGE_LABELS = dict(Nomination.Status.choices)
AWARD_TYPE_LABELS = dict(AwardType.Kind.choices)


def submitted_nomination_counts_by_org(*, year: int, by_stage: bool = False) -> QuerySet:
    """Nominations of the year's rounds that left the nominating union (drafts are not counted): rows
    ``path``, [``key``: the stage they are at now], ``n``."""
    nominations = Nomination.objects.filter(round__year=year).exclude(status=Nomination.Status.DRAFT)
    group = []
    if by_stage:
        nominations, group = nominations.annotate(key=F("status")), ["key"]
    return nominations.values(*group, path=F("org__path")).annotate(n=Count("id")).order_by()


def honour_counts_by_org(*, year: int, by_type: bool = False) -> QuerySet:
    """Nominations of the year's rounds approved and honoured: rows ``path``, [``key``: the kind of award
    type], ``n``."""
    honoured = Nomination.objects.filter(round__year=year, status=Nomination.Status.APPROVED)
    group = []
    if by_type:
        honoured, group = honoured.annotate(key=F("award_type__kind")), ["key"]
    return honoured.values(*group, path=F("org__path")).annotate(n=Count("id")).order_by()
