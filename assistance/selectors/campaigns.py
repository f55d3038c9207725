"""Reads of the help campaigns: staff lists in the subtree, a campaign's recipients and totals, a worker's own
help, statistics by campaign and township, and the dashboard's figures."""

from django.db.models import Count, F, Q, QuerySet, Sum

from union_portal import tree
from union_portal.models import OrgUnit, User
from union_portal.money import ZERO
from union_portal.payments.models import Payment, PaymentBatch
from union_portal.scoping import scope

from ..models import Campaign, HardshipFile, Recipient, SignOffSheet
from ..permissions.campaigns import PAYING_ROLES, SHEET_ROLES, VIEW_ROLES, visible_campaigns, visible_recipients

BATCH_APP = "assistance"
LIVE = ~Q(status=Recipient.Status.REMOVED)
DONE = Q(status__in=[Recipient.Status.PAID, Recipient.Status.HANDED_OVER])


def campaign_list(*, user: User, year: int | None = None, kind: str = "") -> QuerySet[Campaign]:
    """Campaigns of the unions in the user's subtree, with their live recipients' count and total."""
    qs = visible_campaigns(user).select_related("org")
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        n_recipients=Count("recipients", filter=Q(recipients__status__in=_live_states())),
        total=Sum("recipients__amount", filter=Q(recipients__status__in=_live_states())),
        paid_total=Sum("recipients__amount", filter=Q(recipients__status__in=_done_states())),
    )


def _live_states() -> list[str]:
    return [s for s in Recipient.Status.values if s != Recipient.Status.REMOVED]


def _done_states() -> list[str]:
    return [Recipient.Status.PAID, Recipient.Status.HANDED_OVER]


def campaign_recipients(*, campaign: Campaign, user: User | None = None) -> QuerySet[Recipient]:
    """The campaign's rows (removed ones last), with the worker and union; limited to the user's subtree when
    ``user`` is given (township staff see their part of a district campaign)."""
    qs = campaign.recipients.select_related("member", "org", "file", "sheet")
    if user is not None:
        qs = qs.filter(pk__in=visible_recipients(user).filter(campaign=campaign).values("pk"))
    return qs.order_by("org__path", "member__name", "pk")


def campaign_totals(*, campaign: Campaign) -> dict:
    """One query: live rows and their total, rows paid or handed over and their total."""
    return campaign.recipients.aggregate(
        n=Count("id", filter=LIVE),
        total=Sum("amount", filter=LIVE),
        n_done=Count("id", filter=DONE),
        done=Sum("amount", filter=DONE),
    )


def recipient_list(*, user: User, campaign_id: int | None = None, status: str = "") -> QuerySet[Recipient]:
    """Recipients of every campaign in the user's subtree (by the worker's union)."""
    qs = visible_recipients(user).select_related("campaign", "member", "org")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-campaign__year", "campaign_id", "org__path", "member__name", "pk")


def sheets_to_handle(*, user: User) -> QuerySet[SignOffSheet]:
    """Sign-off sheets of the user's units of approved goods campaigns not yet uploaded."""
    return (
        scope(SignOffSheet.objects.all(), user, roles=SHEET_ROLES, include_owner=False)
        .filter(campaign__status=Campaign.Status.APPROVED, file="")
        .select_related("campaign", "org")
        .order_by("campaign_id", "org__path")
    )


def files_for_adding(*, campaign: Campaign) -> QuerySet[HardshipFile]:
    """Open files of the campaign's subtree not on its live list (what staff may add by hand)."""
    listed = campaign.recipients.filter(LIVE).values("file_id")
    return (
        HardshipFile.objects.filter(tree.subtree_q(campaign.org, field="org"), status=HardshipFile.Status.OPEN)
        .exclude(pk__in=listed)
        .select_related("member", "org")
        .order_by("org__path", "member__name")
    )


def my_help(*, user: User) -> QuerySet[Recipient]:
    """The help the worker received (paid or handed over), newest first."""
    return Recipient.objects.filter(DONE, member__user=user).select_related("campaign").order_by("-paid_at", "-pk")


def campaign_batches(*, campaign: Campaign) -> QuerySet[PaymentBatch]:
    ids = campaign.recipients.values("pk")
    return (
        PaymentBatch.objects.filter(app_label=BATCH_APP, payments__payer_id__in=ids).distinct().order_by("-created_at")
    )


def batch_get(*, user: User, pk: int) -> PaymentBatch:
    from django.http import Http404

    batch = scope(PaymentBatch.objects.filter(app_label=BATCH_APP), user, roles=VIEW_ROLES).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def payment_get(*, user: User, pk: int) -> Payment:
    """A payment of a help batch in the user's subtree (paying roles), else 404."""
    from django.http import Http404

    payment = (
        scope(Payment.objects.filter(batch__app_label=BATCH_APP), user, roles=PAYING_ROLES)
        .select_related("batch")
        .filter(pk=pk)
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def batch_payments(*, batch: PaymentBatch) -> QuerySet[Payment]:
    return batch.payments.order_by("pk")


def recipients_by_pk(*, pks: list[int]) -> dict[int, Recipient]:
    return {r.pk: r for r in Recipient.objects.filter(pk__in=pks).select_related("member", "campaign")}


def help_by_campaign(*, user: User, year: int) -> list[dict]:
    """Help paid or handed over in ``year`` by campaign, in the user's subtree: recipients and amounts."""
    rows = (
        visible_recipients(user)
        .filter(DONE, paid_at__year=year)
        .values("campaign_id", name=F("campaign__name"), kind=F("campaign__kind"))
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("campaign_id")
    )
    return [dict(row, kind_label=Campaign.Kind(row["kind"]).label) for row in rows]


def help_by_township(*, user: User, year: int) -> list[dict]:
    """Help paid or handed over in ``year`` by township (of the worker's union):
    rows ``name``, ``n``, ``total``. Grouped in Python over one grouped query by union path."""
    rows = (
        visible_recipients(user)
        .filter(DONE, paid_at__year=year)
        .values(path=F("org__path"))
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    townships = {t.path: t.name for t in OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP)}
    out: dict[str, dict] = {}
    for row in rows:
        name = next((n for p, n in townships.items() if tree.is_within(row["path"], p)), "—")
        entry = out.setdefault(name, {"name": name, "n": 0, "total": ZERO})
        entry["n"] += row["n"]
        entry["total"] += row["total"] or ZERO
    return sorted(out.values(), key=lambda e: e["name"])


# --- dashboard (no user: the dashboard scopes by path) -------------------------------------------------------


def help_paid_by_org(*, year: int, by_campaign_kind: bool = False) -> QuerySet:
    """Help paid or handed over in ``year``: rows ``path`` (the worker's union), ``total``, ``n`` (and ``key``,
    the campaign kind). One grouped query."""
    fields = {"path": F("org__path")}
    if by_campaign_kind:
        fields["key"] = F("campaign__kind")
    return (
        Recipient.objects.filter(DONE, paid_at__year=year)
        .values(**fields)
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by()
    )


def recipients_by_org(*, year: int) -> QuerySet:
    """Distinct workers helped in ``year``: rows ``path``, ``n``."""
    return (
        Recipient.objects.filter(DONE, paid_at__year=year)
        .values(path=F("org__path"))
        .annotate(n=Count("member", distinct=True))
        .order_by()
    )


KIND_LABELS = dict(Campaign.Kind.choices)
__all__ = [
    "campaign_list",
    "campaign_recipients",
    "campaign_totals",
    "recipient_list",
    "files_for_adding",
    "sheets_to_handle",
    "my_help",
    "campaign_batches",
    "batch_get",
    "batch_payments",
    "payment_get",
    "recipients_by_pk",
    "help_by_campaign",
    "help_by_township",
    "help_paid_by_org",
    "recipients_by_org",
    "KIND_LABELS",
]
