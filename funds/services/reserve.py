"""The founding reserve: funds collected for an enterprise without a union, handed over once it has one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.locks import enterprise_for_update
from members.models import Enterprise
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.money import ZERO

from ..models import FoundingReserveHandover, JournalEntry, LedgerAccount
from ..permissions import can_record_for
from ._ledger import _allocation_lines, _Ledger, _post, _reserve_balances, district_of
from .parsing import month_start
from .ratios import ratios_in_force


@transaction.atomic
def founding_reserve_hand_over(*, enterprise: Enterprise, by: User | None) -> FoundingReserveHandover:
    """Hand the founding reserve held for ``enterprise`` over to its (newly founded) union: the whole
    balance leaves the township's reserve account and is allocated like collected funds, with the new union
    as the grassroots level, by the ratios in force today.

    Idempotent, and safe under concurrency: it locks the enterprise row (SELECT FOR UPDATE) first, so of two
    concurrent calls the second waits, then finds the first's hand-over and returns it. The database also
    refuses a second hand-over for the same enterprise and union. ``by`` may be None (the periodic sweep);
    otherwise it must record funds for the enterprise's township. Raises ValidationError when the enterprise
    has no union yet."""
    enterprise = enterprise_for_update(enterprise.pk)
    if by is not None and not can_record_for(by, enterprise):
        raise PermissionDenied
    if enterprise.union is None:
        raise ValidationError(_("The enterprise has no union yet; its founding reserve stays with the township."))
    existing = FoundingReserveHandover.objects.filter(enterprise=enterprise, union=enterprise.union).first()
    if existing is not None:
        return existing
    balances = _reserve_balances(enterprise)
    total = sum(balances.values(), ZERO)
    entry = None
    if total:
        district = district_of(enterprise.township)
        today = timezone.localdate()
        ratios = ratios_in_force(district=district, on=today)
        accounts = LedgerAccount.objects.in_bulk(list(balances))
        lines = [(accounts[account_id], balance, enterprise) for account_id, balance in balances.items()]
        lines += _allocation_lines(
            ledger=_Ledger(),
            amount=total,
            ratios=ratios,
            district=district,
            union=enterprise.union,
            enterprise=enterprise,
        )
        entry = _post(
            kind=JournalEntry.Kind.HANDOVER,
            district=district,
            period=month_start(today),
            memo=_("Founding reserve of %(enterprise)s handed over to %(union)s")
            % {"enterprise": enterprise.name, "union": enterprise.union.name},
            lines=lines,
            by=by,
            ratios=ratios.as_json(),
        )
    handover = FoundingReserveHandover.objects.create(
        enterprise=enterprise,
        union=enterprise.union,
        amount=total,
        entry=entry,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_record(
        actor=by,
        action="funds.reserve_hand_over",
        obj=handover,
        detail={"amount": str(total), "union": enterprise.union.code, "entry": entry.pk if entry else None},
    )
    return handover


def founding_reserve_sweep(*, by: User | None = None, root: OrgUnit | None = None) -> list[FoundingReserveHandover]:
    """Hand over the reserves of every enterprise (under ``root``, or in ``by``'s scope) that now has a
    union and still has a reserve held. Each hand-over is its own transaction and is idempotent, so the
    sweep may run at any time, twice, or next to a hand-over from the founding approval."""
    from ..selectors import enterprises_with_reserve_to_hand_over

    handovers = []
    for enterprise in enterprises_with_reserve_to_hand_over(user=by, root=root):
        handovers.append(founding_reserve_hand_over(enterprise=enterprise, by=by))
    return handovers
