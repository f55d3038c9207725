"""Paying approved claims through the core's payment batches: batches, paid/failed, the bank's return file,
corrected accounts, and revealing the payee's bank account."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from members import services as members_services
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.crypto import mask_account
from union_portal.excel import ExcelFileError, RowError
from union_portal.identity import BANK_ACCOUNT_RE, normalize_bank_account
from union_portal.models import OrgUnit, User
from union_portal.payments import bankfile
from union_portal.payments import selectors as payments_selectors
from union_portal.payments import services as payments
from union_portal.payments.bankfile import nfc
from union_portal.payments.layouts import bank_file_response, batch_spec, read_return_file
from union_portal.payments.locks import payment_for_update
from union_portal.payments.models import BankLayout, Payment, PaymentBatch
from union_portal.roles import Role
from union_portal.scoping import home_nodes

from .. import locks, selectors
from ..models import Claim
from ..permissions import can_act_for, can_confirm_payment, can_reveal_bank_account, is_own_claim, own_claims_q
from ._common import _event, _notify_event, _require


def _finance_node(by: User) -> OrgUnit:
    node = home_nodes(by, roles=[Role.FINANCE]).first()
    if node is None:
        raise PermissionDenied
    return node


CLAIM_PAYMENT_PURPOSE = "职工医疗互助金"  # 用途 on the bank's transfer file
BANK_REFERENCE_HEADER = "理赔编号"  # the header of our claim number in the generic bank file


@transaction.atomic
def batch_create(*, by: User, claim_ids: list[int] | None = None, now: dt.datetime | None = None) -> PaymentBatch:
    """Put approved claims (all in the finance officer's area, or the given ones) in a new batch of the
    core's payment batches at ``now`` (default: now). Locks the claims in pk order; a claim already pending or
    paid cannot get a second payment (the core's partial unique constraints, per paying object). Left out:
    claims whose changed payee account awaits confirmation (``payee_change_by``), and the finance officer's
    own claims (``is_own_claim``): another officer batches those. Claims the union's bank file layout cannot
    carry (a name with a character its encoding lacks) are refused before the batch is built, rows named."""
    node = _finance_node(by)
    qs = Claim.objects.filter(
        tree.subtree_q(node, field="member__org"),
        status=Claim.Status.APPROVED,
        approved_amount__gt=0,
        payee_change_by__isnull=True,
    ).exclude(own_claims_q(by))
    if claim_ids is not None:
        qs = qs.filter(pk__in=claim_ids)
    claims = locks.claims_for_update(qs)
    _require(bool(claims), _("There are no approved claims to pay."))
    batch = payments.batch_create(
        by=by,
        org=node,
        app_label=selectors.BATCH_APP,
        items=[
            payments.PaymentItem(
                payer=claim,
                amount=cast(Decimal, claim.approved_amount),  # approved_amount__gt=0 above
                account_name=nfc(claim.member.name),
                bank_account=claim.payee_bank_account,
                bank_name=claim.payee_bank_name,
                purpose=CLAIM_PAYMENT_PURPOSE,
                reference=claim.number,
            )
            for claim in claims
        ],
        now=now,
        reference_header=BANK_REFERENCE_HEADER,
    )
    for claim in claims:
        claim.status = Claim.Status.IN_BATCH
        claim.save(update_fields=["status", "updated_at"])
        _event(claim, action="in_batch", from_status=Claim.Status.APPROVED, by=by, note=str(batch), at=now)
    return batch


def _lock_payment(by: User, payment: Payment) -> tuple[Payment, Claim]:
    """Lock the claim, then its payment (the order every payment decision takes)."""
    if not can_confirm_payment(by, payment.batch.org):
        raise PermissionDenied
    claim = locks.claim_payer_for_update(payment.payer_id)
    _require(not is_own_claim(by, claim), _("You cannot decide the payment of your own claim."))
    return payment_for_update(payment), claim


@transaction.atomic
def payment_mark_paid(*, by: User, payment: Payment, reference: str, now: dt.datetime | None = None) -> Payment:
    """The bank transferred the money (at ``now``, default now). Locks the claim then the payment; the claim
    is paid once, ever."""
    _require(bool(reference.strip()), _("Give the bank reference."), "reference")
    payment, claim = _lock_payment(by, payment)
    _require(claim.status == Claim.Status.IN_BATCH and claim.paid_at is None, _("This claim is not awaiting payment."))
    payments.payment_record_paid(by=by, payment=payment, reference=reference, now=now)
    claim.status = Claim.Status.PAID
    claim.paid_at = payment.decided_at
    claim.save(update_fields=["status", "paid_at", "updated_at"])
    event = _event(
        claim,
        action="paid",
        from_status=Claim.Status.IN_BATCH,
        by=by,
        note=payment.bank_reference,
        amount=payment.amount,
        at=now,
    )
    _notify_event(
        claim,
        event,
        _("Claim paid"),
        _("%(amount)s yuan for your claim %(number)s was transferred to your account %(account)s.")
        % {"amount": payment.amount, "number": claim.number, "account": payment.bank_account_masked},
    )
    return payment


@transaction.atomic
def payment_mark_failed(*, by: User, payment: Payment, reason: str) -> Payment:
    """The transfer failed (e.g. wrong account): the worker is asked to correct the account; the claim then
    goes into a later batch."""
    _require(bool(reason.strip()), _("Give the reason the payment failed."), "reason")
    payment, claim = _lock_payment(by, payment)
    payments.payment_record_failed(by=by, payment=payment, reason=reason)
    claim.status = Claim.Status.PAYMENT_FAILED
    claim.save(update_fields=["status", "updated_at"])
    event = _event(
        claim, action="payment_failed", from_status=Claim.Status.IN_BATCH, by=by, note=payment.failure_reason
    )
    _notify_event(
        claim,
        event,
        _("Payment failed: check your bank account"),
        _("The transfer for claim %(number)s failed (%(reason)s). Please correct your bank account in the portal.")
        % {"number": claim.number, "reason": payment.failure_reason},
    )
    return payment


@dataclass(frozen=True)
class Reconciliation:
    """What a return file did to a batch: payments newly marked paid and failed, lines of payments decided
    before (skipped: reading a file twice changes nothing), and the amount newly paid."""

    paid: int
    failed: int
    skipped: int
    total_paid: Decimal


def _payee_name_errors(batch: PaymentBatch, payments: list[Payment]) -> list[RowError]:
    """A payment whose payee name is not exactly (NFC) the member's name as the roll has it now (the member
    was renamed after the batch was built): the bank would pay a name that is not the member's."""
    members = dict(Claim.objects.filter(pk__in=[p.payer_id for p in payments]).values_list("pk", "member__name"))
    errors = []
    for seq, payment in enumerate(payments, start=1):
        name = members.get(payment.payer_id, "")
        if nfc(payment.account_name) != nfc(name):
            errors.append(
                RowError(
                    seq,
                    _("Payee name"),
                    _(
                        "The payee name “%(payee)s” is not the member's name “%(member)s”; take the claim out of this batch."
                    )
                    % {"payee": payment.account_name, "member": name},
                )
            )
    return errors


def batch_bank_file(*, by: User, batch: PaymentBatch, fmt: str) -> HttpResponse:
    """The batch's bank transfer file in its layout (``fmt``: "xlsx" or "csv"), with full account numbers.
    Refused (ValidationError naming rows and columns) when a payee name is not the member's exact name or a
    field cannot be written in the layout. Audited as a reveal, with the count and control total."""
    if not can_confirm_payment(by, batch.org):
        raise PermissionDenied
    if fmt not in (bankfile.CSV, bankfile.XLSX):
        raise ValidationError(_("Choose .xlsx or CSV."))
    payments = list(payments_selectors.batch_payments(batch=batch))
    return bank_file_response(
        by=by,
        batch=batch,
        payments=payments,
        fmt=fmt,
        reference_header=BANK_REFERENCE_HEADER,
        errors=_payee_name_errors(batch, payments),
    )


@transaction.atomic
def batch_choose_layout(*, by: User, batch: PaymentBatch, layout: BankLayout) -> PaymentBatch:
    """Write the open batch's bank file in ``layout`` (every payee must be writable in it). Audited."""
    if not can_confirm_payment(by, batch.org):
        raise PermissionDenied
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    return payments.batch_set_layout(
        by=by,
        batch=batch,
        layout=layout,
        payments=list(payments_selectors.batch_payments(batch=batch)),
        reference_header=BANK_REFERENCE_HEADER,
    )


@dataclass(frozen=True)
class ReturnPreview:
    """What a return file would do to a batch, read without writing: the lines to be marked paid and failed,
    those of payments decided before, and the amount to be marked paid."""

    paid: list
    failed: list
    skipped: list
    total_paid: Decimal


def _return_file_lines(*, batch: PaymentBatch, data: bytes) -> list:
    """The return file's lines matched to the batch's payments as they are now; ValidationError (rows and
    columns named) for a file that cannot be read or has a wrong line."""
    try:
        lines, errors = read_return_file(
            data,
            payments=list(payments_selectors.batch_payments(batch=batch)),
            layout=batch_spec(batch),
            reference_header=BANK_REFERENCE_HEADER,
        )
    except ExcelFileError as exc:
        raise ValidationError(str(exc)) from exc
    if errors:
        raise ValidationError([str(error) for error in errors])
    return lines


def batch_preview_return_file(*, by: User, batch: PaymentBatch, data: bytes) -> ReturnPreview:
    """Read the bank's return file for the summary finance confirms (``batch_apply_return_file`` then reads
    it again under the locks and decides). Writes nothing; raises ValidationError (rows named) as the import
    would."""
    if not can_confirm_payment(by, batch.org):
        raise PermissionDenied
    lines = _return_file_lines(batch=batch, data=data)
    pending = [line for line in lines if line.payment.status == Payment.Status.PENDING]
    paid = [line for line in pending if line.paid]
    return ReturnPreview(
        paid=paid,
        failed=[line for line in pending if not line.paid],
        skipped=[line for line in lines if line.payment.status != Payment.Status.PENDING],
        total_paid=sum((line.payment.amount for line in paid), Decimal("0.00")),
    )


@transaction.atomic
def batch_apply_return_file(*, by: User, batch: PaymentBatch, data: bytes) -> Reconciliation:
    """Mark the batch's pending payments paid or failed from the bank's return file (回盘文件) in the batch's
    layout, or from a filled-in copy of the transfer file: all or nothing, in one transaction: a file with
    any wrong line changes nothing (ValidationError listing rows and columns). Locks every claim of the batch
    in pk order first, then reads the payments again, so two imports of one file (or an import while a
    payment is marked by hand) never decide a payment twice: lines of payments decided already are
    skipped. Returns the reconciliation."""
    if not can_confirm_payment(by, batch.org):
        raise PermissionDenied
    claim_ids = list(payments_selectors.batch_payments(batch=batch).values_list("payer_id", flat=True))
    locks.claims_for_update(Claim.objects.filter(pk__in=claim_ids))
    lines = _return_file_lines(batch=batch, data=data)
    paid = failed = skipped = 0
    total_paid = Decimal("0.00")
    for line in sorted(lines, key=lambda line: line.payment.payer_id):
        if line.payment.status != Payment.Status.PENDING:
            skipped += 1
            continue
        if line.paid:
            payment_mark_paid(by=by, payment=line.payment, reference=line.bank_reference)
            paid += 1
            total_paid += line.payment.amount
        else:
            payment_mark_failed(by=by, payment=line.payment, reason=line.reason)
            failed += 1
    audit_record(
        actor=by,
        action="mutual_aid.batch_return_file",
        obj=batch,
        detail={"paid": paid, "failed": failed, "skipped": skipped, "total_paid": str(total_paid)},
    )
    return Reconciliation(paid, failed, skipped, total_paid)


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


@transaction.atomic
def claim_correct_account(*, by: User, claim: Claim, bank_account: str, bank_name: str, account_holder: str) -> Claim:
    """After a failed payment the member (or a handler for them) gives a corrected account. The payee is the
    member: ``account_holder`` (the name on the account) must be the member's name, the name the bank file
    pays. A change the member makes is theirs; one a staff person enters waits (``payee_change_by``) until
    the member confirms it on their claim page or a second staff person approves it
    (``claim_confirm_account``): until then the claim enters no batch. Audited with the account masked;
    the member is told."""
    claim = locks.claim_for_update(claim.pk)
    if not can_act_for(by, claim.member):
        raise PermissionDenied
    _require(claim.status == Claim.Status.PAYMENT_FAILED, _("Only a claim whose payment failed needs a new account."))
    _require(
        _same_name(account_holder, claim.member.name),
        _("The account must be in the member's own name."),
        "account_holder",
    )
    account = normalize_bank_account(bank_account)
    _require(
        bool(BANK_ACCOUNT_RE.match(account)),
        _("Give a valid bank account number (12 to 30 digits)."),
        "bank_account",
    )
    _require(bool(bank_name.strip()), _("Give the bank."), "bank_name")
    by_member = claim.member.user_id == by.pk
    claim.payee_bank_account = account
    claim.payee_bank_name = bank_name.strip()
    claim.payee_change_by = None if by_member else by
    claim.status = Claim.Status.APPROVED
    claim.save()
    event = _event(claim, action="account_corrected", from_status=Claim.Status.PAYMENT_FAILED, by=by)
    audit_record(
        actor=by,
        action="mutual_aid.payee_account_changed",
        obj=claim,
        detail={"account": mask_account(account), "bank": claim.payee_bank_name, "confirmed": by_member},
    )
    if by_member:
        body = _("The bank account for your claim %(number)s was changed to %(account)s.")
    else:
        body = _(
            "The bank account for your claim %(number)s was changed to %(account)s by union staff. Confirm it on "
            "your claim page; if you did not ask for this change, tell your union."
        )
    # Told by SMS even without a login (members' member_tell): a change they did not ask for is noticed before
    # the money leaves.
    members_services.member_tell(
        member=claim.member,
        event_key=f"mutual_aid.claim.{claim.pk}.{event.action}.{event.pk}",
        title=_("Payee account changed"),
        body=body % {"number": claim.number, "account": mask_account(account)},
        link=claim.get_absolute_url(),
    )
    return claim


def can_confirm_account(user: User, claim: Claim) -> bool:
    """May confirm the claim's changed payee account: the member themself, or a second staff person (a
    handler, district admin or finance officer over the member's union) who did not enter it and whose own
    claim it is not."""
    if claim.payee_change_by_id is None or claim.status != Claim.Status.APPROVED:
        return False
    if claim.member.user_id == user.pk:
        return True
    if claim.payee_change_by_id == user.pk or is_own_claim(user, claim):
        return False
    return can_act_for(user, claim.member) or can_confirm_payment(user, claim.member.org)


@transaction.atomic
def claim_confirm_account(*, by: User, claim: Claim) -> Claim:
    """The member confirms, or a second staff person approves, the payee account a staff person entered;
    the claim may then enter a batch. Audited with the account masked."""
    claim = locks.claim_for_update(claim.pk)
    _require(claim.payee_change_by_id is not None, _("No changed account awaits confirmation."))
    if not can_confirm_account(by, claim):
        raise PermissionDenied
    entered_by = claim.payee_change_by_id
    claim.payee_change_by = None
    claim.save(update_fields=["payee_change_by", "updated_at"])
    _event(claim, action="account_confirmed", from_status=claim.status, by=by)
    audit_record(
        actor=by,
        action="mutual_aid.payee_account_confirmed",
        obj=claim,
        detail={
            "account": mask_account(claim.payee_bank_account),
            "entered_by": entered_by,
            "by_member": claim.member.user_id == by.pk,
        },
    )
    return claim


def reveal_bank_account(*, by: User, claim: Claim) -> str:
    """The payee's bank account in full, for a role in REVEAL_ROLES over the member's union; every reveal
    and every refusal is audited (as ``members.reveal``)."""
    if not can_reveal_bank_account(by, claim):
        audit_record(actor=by, action="mutual_aid.reveal", obj=claim, result="denied", detail={"field": "bank_account"})
        raise PermissionDenied
    audit_record(actor=by, action="mutual_aid.reveal", obj=claim, detail={"field": "bank_account"})
    return claim.payee_bank_account
