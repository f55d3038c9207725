"""Help campaigns: create (the budget posted to the funds ledger as spending), the proposed list built from the
open files by the campaign's rules, staff adjustments with reasons, submission and approval by a second person
(or return with comments), payment by the core's bank batches or hand-over of goods against a signed sign-off
sheet (签收表) per grassroots union.

Locks: every change of a campaign's list locks the campaign row first (SELECT FOR UPDATE), so two staff adding
the same file at once are serialised and the second is told the file is on the list already; the partial unique
constraints (one live recipient per campaign and file/child, one 金秋助学 grant per child and stage) stand behind
it. Payment decisions lock the recipient, then its payment (the core's order)."""

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funds import services as funds_services
from members import services as members_services
from mutual_aid import selectors as mutual_aid_selectors
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.models import OrgUnit, User
from union_portal.money import ZERO, fits_money_field, round_fen
from union_portal.payments import services as payments
from union_portal.payments.bankfile import nfc
from union_portal.payments.locks import payment_for_update
from union_portal.payments.models import Payment, PaymentBatch
from union_portal.uploads import check_upload

from .. import rules_campaigns as rules
from ..models import (
    Campaign,
    FilePerson,
    FileStatus,
    HardshipFile,
    Recipient,
    SignOffSheet,
    SpendingItem,
)
from ..models.choices import Relation
from ..permissions.campaigns import can_approve, can_handle_sheet, can_manage, can_pay

BATCH_APP = "assistance"
PAYMENT_PURPOSE = "困难职工帮扶"  # 用途 on the bank's transfer file: names no category, illness or income
BANK_REFERENCE_HEADER = "帮扶编号"
MY_HELP = "/assistance/my-help/"
LIVE = ~Q(status=Recipient.Status.REMOVED)


def _require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise ValidationError({field: message} if field else message)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)


def _amount(value, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001  (any text that is not a number)
        amount = None
    _require(
        amount is not None and amount.is_finite() and fits_money_field(amount) and amount >= 0,
        _("Give an amount of zero or more, in yuan."),
        field,
    )
    return round_fen(amount)  # type: ignore[arg-type]  # checked above


def live_total(campaign: Campaign) -> Decimal:
    return campaign.recipients.filter(LIVE).aggregate(total=Sum("amount"))["total"] or ZERO


# --- the campaign -------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    by: User,
    name: str,
    kind: str,
    org: OrgUnit,
    year: int,
    budget: Decimal,
    delivery: str = Campaign.Delivery.CASH,
    goods: str = "",
    campaign_rules: dict | None = None,
    today: dt.date | None = None,
) -> Campaign:
    """A new campaign of ``org`` (a union in ``by``'s subtree), its rules checked (``rules_campaigns``), its
    budget posted to ``org``'s funds as spending. Audited."""
    today = _today(today)
    _require(kind in Campaign.Kind.values, _("Choose the kind of campaign."), "kind")
    _require(bool(name.strip()), _("Give the campaign a name."), "name")
    _require(today.year - 1 <= year <= today.year + 1, _("The year must be last year, this year or next."), "year")
    budget = _amount(budget, "budget")
    _require(budget > 0, _("The budget must be more than zero."), "budget")
    _require(delivery in Campaign.Delivery.values, _("Choose how the help is given."), "delivery")
    _require(delivery == Campaign.Delivery.CASH or bool(goods.strip()), _("Say which goods are handed over."), "goods")
    _require(
        delivery == Campaign.Delivery.CASH or kind != Campaign.Kind.MEDICAL,
        _("Medical assistance is paid in cash."),
        "delivery",
    )
    if not can_manage(by, Campaign(org=org)):
        raise PermissionDenied
    campaign_rules = campaign_rules if campaign_rules is not None else rules.default_rules(kind)
    problems = rules.rules_problems(kind, campaign_rules)
    if problems:
        raise ValidationError({"rules": problems})
    campaign = Campaign.objects.create(
        name=name.strip()[:100],
        kind=kind,
        org=org,
        year=year,
        delivery=delivery,
        goods=goods.strip()[:200],
        budget=budget,
        rules=campaign_rules,
        created_by=by,
    )
    entry = funds_services.spending_record(
        by=by, org=org, amount=budget, memo=f"{campaign.get_kind_display()} · {campaign.name}", on=today
    )
    campaign.funds_entry_id = entry.pk
    campaign.save(update_fields=["funds_entry_id"])
    audit_record(
        actor=by, action="assistance.campaign_create", obj=campaign, detail={"budget": str(budget), "kind": kind}
    )
    return campaign


# --- building the list --------------------------------------------------------------------------------------


def _eligible_files(campaign: Campaign):
    return HardshipFile.objects.filter(
        tree.subtree_q(campaign.org, field="org"),
        status=FileStatus.OPEN,
        category__in=campaign.rules.get("categories", []),
    ).select_related("member", "org")


def _age(person: FilePerson, today: dt.date) -> int | None:
    if person.birth_date:
        born = person.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return person.household_member.age if person.household_member_id else None  # type: ignore[union-attr]


def _medical(campaign: Campaign, files: list[HardshipFile], today: dt.date) -> dict[int, tuple[Decimal, dict]]:
    """{file id: (amount, working)}: the household's self-paid medical costs over the application's 12 months,
    less the mutual aid paid to the worker in the 12 months before ``today``."""
    self_paid = dict(
        SpendingItem.objects.filter(
            application_id__in=[f.application_id for f in files], kind=SpendingItem.Kind.MEDICAL
        )
        .values_list("application_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = mutual_aid_selectors.paid_total_of_members(
        member_ids=[f.member_id for f in files], since=today - dt.timedelta(days=365), until=today
    )
    return {
        f.pk: rules.medical_amount(
            campaign.rules, self_paid=self_paid.get(f.application_id) or ZERO, mutual_aid=paid.get(f.member_id, ZERO)
        )
        for f in files
    }


def _children(files: list[HardshipFile]) -> dict[int, list[FilePerson]]:
    by_file: dict[int, list[FilePerson]] = defaultdict(list)
    for person in FilePerson.objects.filter(file__in=files, relation=Relation.CHILD).select_related("household_member"):
        by_file[person.file_id].append(person)
    return by_file


def _candidates(campaign: Campaign, files: list[HardshipFile], today: dt.date) -> list[tuple[Recipient, str]]:
    """Rows the rules give for ``files`` (unsaved), each with the reason it cannot be added ("" when it can)."""
    out: list[tuple[Recipient, str]] = []
    if campaign.kind == Campaign.Kind.EDUCATION:
        children = _children(files)
        granted = set(
            Recipient.objects.filter(LIVE, child_id_hash__in=[p.id_number_hash for ps in children.values() for p in ps])
            .exclude(stage="")
            .values_list("child_id_hash", "stage")
        )
        for file in files:
            if not children.get(file.pk):
                out.append((_row(campaign, file), _("The household has no child in the file.")))
            for child in children.get(file.pk, []):
                school = child.household_member.school if child.household_member_id else ""  # type: ignore[union-attr]
                stage = rules.stage_of(school)
                problem = rules.education_problem(campaign.rules, age=_age(child, today), stage=stage)
                if not problem and (child.id_number_hash, stage) in granted:
                    problem = _("This child has had the grant for this stage already.")
                row = _row(campaign, file, amount=rules.amount_for(campaign.rules, file.category))
                row.child, row.child_name, row.child_id_hash, row.stage = child, child.name, child.id_number_hash, stage
                row.working = {"school": school, "age": _age(child, today)}
                out.append((row, problem))
        return out
    if campaign.kind == Campaign.Kind.MEDICAL:
        medical = _medical(campaign, files, today)
        for file in files:
            amount, working = medical[file.pk]
            problem = "" if amount > 0 else _("The household's medical costs do not reach the threshold.")
            out.append((_row(campaign, file, amount=amount, working=working), problem))
        return out
    for file in files:
        out.append((_row(campaign, file, amount=rules.amount_for(campaign.rules, file.category)), ""))
    return out


def _row(campaign: Campaign, file: HardshipFile, *, amount: Decimal | None = None, working=None) -> Recipient:
    amount = amount if amount is not None else ZERO
    return Recipient(
        campaign=campaign,
        file=file,
        member=file.member,
        org=file.org,
        category=file.category,
        amount=amount,
        proposed_amount=amount,
        working=working or {},
    )


def _touch(campaign: Campaign, by: User, *, built: bool = False) -> None:
    campaign.changed_by = by
    fields = ["changed_by", "updated_at"]
    if built:
        campaign.built_by = by
        fields.append("built_by")
    campaign.save(update_fields=fields)


def _insert(row: Recipient) -> None:
    """Insert one row; a concurrent insert the locks missed is refused by the constraints, in words."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        if "assistance_education_once_per_child_stage" in str(exc):
            raise ValidationError(_("This child has had the grant for this stage already.")) from exc
        raise ValidationError(_("This household is on the campaign's list already.")) from exc


@transaction.atomic
def recipients_propose(*, by: User, campaign: Campaign, today: dt.date | None = None) -> int:
    """Add to the list every open file of the campaign's subtree the rules give (each household once; for
    金秋助学 each child starting a stage the grant is for), with its amount and working. Files on the list
    already are left as they are. Locks the campaign. Returns how many rows were added. Audited."""
    today = _today(today)
    campaign = _lock(campaign)
    if not can_manage(by, campaign):
        raise PermissionDenied
    _require(campaign.is_editable, _("The list can no longer be changed."))
    listed = set(campaign.recipients.filter(LIVE).values_list("file_id", "child_id_hash"))
    removed = set(campaign.recipients.filter(status=Recipient.Status.REMOVED).values_list("file_id", "child_id_hash"))
    files = list(_eligible_files(campaign))
    added = 0
    for row, problem in _candidates(campaign, files, today):
        key = (row.file_id, row.child_id_hash)
        # Staff removed it with a reason: building again does not bring it back (they may add it by hand).
        if problem or key in listed or key in removed:
            continue
        row.added_by = by
        _insert(row)
        listed.add(key)
        added += 1
    _touch(campaign, by, built=True)
    audit_record(actor=by, action="assistance.recipients_propose", obj=campaign, detail={"added": added})
    return added


@transaction.atomic
def recipient_add(
    *,
    by: User,
    campaign: Campaign,
    file: HardshipFile,
    reason: str,
    child: FilePerson | None = None,
    amount: Decimal | None = None,
    today: dt.date | None = None,
) -> Recipient:
    """Add one file (for 金秋助学 one child of it) by hand, with a reason; the amount by the rules unless
    ``amount`` is given. Refused with a clear message when the file is not open, outside the campaign's union,
    of a category the campaign does not help, or on the list already (the campaign is locked first). Audited."""
    today = _today(today)
    _require(bool(reason.strip()), _("Give the reason for the change."), "reason")
    campaign = _lock(campaign)
    if not can_manage(by, campaign):
        raise PermissionDenied
    _require(campaign.is_editable, _("The list can no longer be changed."))
    _require(file.status == FileStatus.OPEN, _("Only an open hardship file can receive help."))
    _require(tree.is_within(file.org, campaign.org), _("The file is outside the campaign's union."))
    _require(
        file.category in campaign.rules.get("categories", []),
        _("The campaign does not help households of this category."),
    )
    candidates = _candidates(campaign, [file], today)
    if campaign.kind == Campaign.Kind.EDUCATION:
        _require(child is not None and child.file_id == file.pk, _("Choose the child of the household."), "child")
        candidates = [(row, problem) for row, problem in candidates if row.child_id == child.pk]  # type: ignore[union-attr]
        _require(bool(candidates), _("Choose the child of the household."), "child")
    row, problem = candidates[0]
    # An amount by hand may stand in for a 医疗救助 working below the threshold, never for the other rules.
    if problem and not (campaign.kind == Campaign.Kind.MEDICAL and amount is not None):
        raise ValidationError(problem)
    _require(
        not campaign.recipients.filter(LIVE, file=file, child_id_hash=row.child_id_hash).exists(),
        _("This household is on the campaign's list already."),
    )
    if amount is not None:
        row.amount = _amount(amount)
    row.note = reason.strip()[:500]
    row.added_by = by
    _insert(row)
    _touch(campaign, by)
    audit_record(
        actor=by,
        action="assistance.recipient_add",
        obj=campaign,
        detail={"recipient": row.pk, "file": file.number, "amount": str(row.amount), "reason": row.note},
    )
    return row


def _lock_recipient(by: User, recipient: Recipient) -> tuple[Campaign, Recipient]:
    campaign = _lock(recipient.campaign)
    if not can_manage(by, campaign):
        raise PermissionDenied
    _require(campaign.is_editable, _("The list can no longer be changed."))
    recipient = Recipient.objects.select_for_update().get(pk=recipient.pk)
    _require(recipient.status == Recipient.Status.PROPOSED, _("This row is no longer on the list."))
    return campaign, recipient


@transaction.atomic
def recipient_remove(*, by: User, recipient: Recipient, reason: str) -> Recipient:
    """Take a row off the list, with a reason (the row stays, removed). Audited."""
    _require(bool(reason.strip()), _("Give the reason for the change."), "reason")
    campaign, recipient = _lock_recipient(by, recipient)
    recipient.status = Recipient.Status.REMOVED
    recipient.note = reason.strip()[:500]
    recipient.save(update_fields=["status", "note", "updated_at"])
    _touch(campaign, by)
    audit_record(
        actor=by,
        action="assistance.recipient_remove",
        obj=campaign,
        detail={"recipient": recipient.pk, "reason": recipient.note},
    )
    return recipient


@transaction.atomic
def recipient_change_amount(*, by: User, recipient: Recipient, amount: Decimal, reason: str) -> Recipient:
    """Change a row's amount, with a reason. Audited with the amounts before and after."""
    _require(bool(reason.strip()), _("Give the reason for the change."), "reason")
    amount = _amount(amount)
    _require(amount > 0, _("The amount must be more than zero; take the row off the list instead."), "amount")
    campaign, recipient = _lock_recipient(by, recipient)
    before = recipient.amount
    recipient.amount = amount
    recipient.note = reason.strip()[:500]
    recipient.save(update_fields=["amount", "note", "updated_at"])
    _touch(campaign, by)
    audit_record(
        actor=by,
        action="assistance.recipient_change",
        obj=campaign,
        detail={"recipient": recipient.pk, "from": str(before), "to": str(amount), "reason": recipient.note},
    )
    return recipient


# --- submission and approval --------------------------------------------------------------------------------


def _check_total(campaign: Campaign) -> None:
    total = live_total(campaign)
    _require(campaign.recipients.filter(LIVE).exists(), _("The list is empty."))
    _require(
        total <= campaign.budget,
        _("The list comes to %(total)s yuan, over the budget of %(budget)s yuan.")
        % {"total": total, "budget": campaign.budget},
    )


@transaction.atomic
def campaign_submit(*, by: User, campaign: Campaign, now: dt.datetime | None = None) -> Campaign:
    """The list goes for approval by a second person: refused when empty or over the budget. Audited."""
    campaign = _lock(campaign)
    if not can_manage(by, campaign):
        raise PermissionDenied
    _require(campaign.is_editable, _("The list was submitted already."))
    _check_total(campaign)
    before = campaign.status
    campaign.status = Campaign.Status.SUBMITTED
    campaign.submitted_at = now or timezone.now()
    campaign.changed_by = campaign.changed_by or by
    campaign.save(update_fields=["status", "submitted_at", "changed_by", "updated_at"])
    audit_record(
        actor=by,
        action="assistance.campaign_submit",
        obj=campaign,
        detail={"from": before, "total": str(live_total(campaign))},
    )
    return campaign


def _decide(by: User, campaign: Campaign) -> Campaign:
    campaign = _lock(campaign)
    if not can_manage(by, campaign):
        raise PermissionDenied
    _require(campaign.status == Campaign.Status.SUBMITTED, _("The list is not waiting for approval."))
    _require(
        can_approve(by, campaign),
        _("A second person approves the list: not the one who built it or changed it last."),
    )
    return campaign


@transaction.atomic
def campaign_approve(*, by: User, campaign: Campaign, now: dt.datetime | None = None) -> Campaign:
    """A second person (not who built or last changed the list) approves it, within the budget. A goods
    campaign gets one sign-off sheet per grassroots union of its recipients. Audited."""
    campaign = _decide(by, campaign)
    _check_total(campaign)
    campaign.status = Campaign.Status.APPROVED
    campaign.decided_by = by
    campaign.decided_at = now or timezone.now()
    campaign.return_comment = ""
    campaign.save(update_fields=["status", "decided_by", "decided_at", "return_comment", "updated_at"])
    if campaign.delivery == Campaign.Delivery.GOODS:
        orgs = set(campaign.recipients.filter(LIVE).values_list("org_id", flat=True))
        SignOffSheet.objects.bulk_create([SignOffSheet(campaign=campaign, org_id=org) for org in sorted(orgs)])
        for sheet in campaign.sheets.all():
            campaign.recipients.filter(LIVE, org_id=sheet.org_id).update(sheet=sheet)
    audit_record(
        actor=by, action="assistance.campaign_approve", obj=campaign, detail={"total": str(live_total(campaign))}
    )
    return campaign


@transaction.atomic
def campaign_return(*, by: User, campaign: Campaign, comment: str) -> Campaign:
    """The second person returns the list with comments; it may be changed and submitted again. The builder is
    told in the inbox. Audited."""
    _require(bool(comment.strip()), _("Give your comments."), "comment")
    campaign = _decide(by, campaign)
    campaign.status = Campaign.Status.RETURNED
    campaign.return_comment = comment.strip()[:2000]
    campaign.decided_by = by
    campaign.decided_at = timezone.now()
    campaign.save(update_fields=["status", "return_comment", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=by, action="assistance.campaign_return", obj=campaign, detail={"comment": campaign.return_comment}
    )
    from union_portal.notifications import notify

    for user in {campaign.built_by, campaign.changed_by} - {None}:
        notify(
            user=user,
            event_key=f"assistance.campaign.{campaign.pk}.returned.{campaign.decided_at.isoformat()}",  # type: ignore[union-attr]
            title=_("Help list returned"),
            body=_("The list of %(campaign)s was returned with comments.") % {"campaign": campaign.name},
            link=campaign.get_absolute_url(),
        )
    return campaign


# --- paying -------------------------------------------------------------------------------------------------


def _tell_paid(recipient: Recipient) -> None:
    """The worker is told (inbox, SMS): the SMS names no category, illness or income, only the amount."""
    if recipient.campaign.delivery == Campaign.Delivery.GOODS:
        body = _("Help from your union was handed over to you. Details are on your My help page.")
    else:
        body = _(
            "%(amount)s yuan of help from your union was transferred to your account. Details are on your My help page."
        ) % {"amount": recipient.amount}
    members_services.member_tell(
        member=recipient.member,
        event_key=f"assistance.recipient.{recipient.pk}.paid",
        title=_("Help paid"),
        body=body,
        link=MY_HELP,
    )


def _close_if_done(campaign: Campaign) -> None:
    open_rows = campaign.recipients.filter(
        status__in=[Recipient.Status.PROPOSED, Recipient.Status.IN_BATCH, Recipient.Status.FAILED]
    )
    if not open_rows.exists():
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)


@transaction.atomic
def batch_create(*, by: User, campaign: Campaign, now: dt.datetime | None = None) -> PaymentBatch:
    """Put the approved cash campaign's unpaid recipients (on the list, or whose payment failed) in a new bank
    batch of the campaign's union. Locks the campaign, then the recipients in pk order; the core's partial
    unique constraint keeps a recipient to one pending or paid payment. Refused, naming them, when a worker
    has no bank account on the roll."""
    campaign = _lock(campaign)
    if not can_pay(by, campaign):
        raise PermissionDenied
    _require(campaign.status == Campaign.Status.APPROVED, _("Only an approved list is paid."))
    _require(campaign.delivery == Campaign.Delivery.CASH, _("This campaign hands over goods."))
    rows = list(
        Recipient.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, status__in=[Recipient.Status.PROPOSED, Recipient.Status.FAILED], amount__gt=0)
        .select_related("member")
        .order_by("pk")
    )
    _require(bool(rows), _("Everyone on the list is paid or in a batch."))
    missing = [row.member.name for row in rows if not row.member.bank_account]
    _require(
        not missing,
        _("These workers have no bank account on the roll: %(names)s.") % {"names": "、".join(missing)},
    )
    batch = payments.batch_create(
        by=by,
        org=campaign.org,
        app_label=BATCH_APP,
        items=[
            payments.PaymentItem(
                payer=row,
                amount=row.amount,
                account_name=nfc(row.member.name),
                bank_account=row.member.bank_account,
                bank_name=row.member.bank_name,
                purpose=PAYMENT_PURPOSE,
                reference=f"H{row.pk}",
            )
            for row in rows
        ],
        now=now,
        reference_header=BANK_REFERENCE_HEADER,
    )
    Recipient.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=Recipient.Status.IN_BATCH, updated_at=timezone.now()
    )
    return batch


def _lock_payment(by: User, payment: Payment) -> tuple[Payment, Recipient]:
    recipient = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("campaign__org", "member")
        .get(pk=payment.payer_id)
    )
    if not can_pay(by, recipient.campaign):
        raise PermissionDenied
    return payment_for_update(payment), recipient


@transaction.atomic
def payment_mark_paid(*, by: User, payment: Payment, reference: str, now: dt.datetime | None = None) -> Payment:
    """The bank transferred the help: the recipient is paid (once, ever), the worker told; the campaign closes
    when nobody is left to pay. Locks the recipient, then the payment."""
    _require(bool((reference or "").strip()), _("Give the bank reference."), "reference")
    payment, recipient = _lock_payment(by, payment)
    _require(recipient.status == Recipient.Status.IN_BATCH, _("This recipient is not awaiting payment."))
    payments.payment_record_paid(by=by, payment=payment, reference=reference, now=now)
    recipient.status = Recipient.Status.PAID
    recipient.paid_at = payment.decided_at
    recipient.save(update_fields=["status", "paid_at", "updated_at"])
    audit_record(
        actor=by,
        action="assistance.recipient_paid",
        obj=recipient.campaign,
        detail={"recipient": recipient.pk, "amount": str(payment.amount), "reference": payment.bank_reference},
    )
    _tell_paid(recipient)
    _close_if_done(recipient.campaign)
    return payment


@transaction.atomic
def payment_mark_failed(*, by: User, payment: Payment, reason: str) -> Payment:
    """The transfer failed: the recipient may go into a later batch once the roll's account is corrected."""
    _require(bool((reason or "").strip()), _("Give the reason the payment failed."), "reason")
    payment, recipient = _lock_payment(by, payment)
    _require(recipient.status == Recipient.Status.IN_BATCH, _("This recipient is not awaiting payment."))
    payments.payment_record_failed(by=by, payment=payment, reason=reason)
    recipient.status = Recipient.Status.FAILED
    recipient.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="assistance.recipient_failed",
        obj=recipient.campaign,
        detail={"recipient": recipient.pk, "reason": payment.failure_reason},
    )
    return payment


# --- goods: the sign-off sheet ------------------------------------------------------------------------------


def sheet_pdf(*, by: User, sheet: SignOffSheet) -> bytes:
    """The printable sign-off sheet (签收表) of one grassroots union: each recipient's name, the goods, a column
    to sign and date. Names in CJK fonts; a name no font prints is refused in words (union_portal.pdf)."""
    if not can_handle_sheet(by, sheet):
        raise PermissionDenied
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from union_portal import pdf

    rows = list(sheet.recipients.filter(LIVE).select_related("member").order_by("member__name", "pk"))
    for row in rows:
        pdf.check_printable(row.member.name, field=_("name"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setTitle(f"{sheet.campaign.name} 签收表")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    columns = [left, left + 15 * mm, left + 55 * mm, left + 120 * mm, right]

    def header(y: float) -> float:
        pdf.draw_text(c, width / 2, y, f"{sheet.campaign.name} 签收表", 16, align="centre")
        y -= 10 * mm
        pdf.draw_text(c, left, y, f"单位：{sheet.org.name}", 11)
        pdf.draw_text(c, right, y, f"物品：{sheet.campaign.goods}", 11, align="right")
        y -= 10 * mm
        for x, title in zip(columns, ["序号", "姓名", "物品", "签名及日期"], strict=False):
            pdf.draw_text(c, x + 2 * mm, y, title, 11)
        c.line(left, y - 3 * mm, right, y - 3 * mm)
        return y - 12 * mm

    y = header(height - 25 * mm)
    for seq, row in enumerate(rows, start=1):
        if y < 25 * mm:
            c.showPage()
            y = header(height - 25 * mm)
        pdf.draw_text(c, columns[0] + 2 * mm, y, str(seq), 11)
        pdf.draw_text(c, columns[1] + 2 * mm, y, row.member.name, 11)
        pdf.draw_text(c, columns[2] + 2 * mm, y, sheet.campaign.goods[:24], 11)
        c.line(left, y - 4 * mm, right, y - 4 * mm)
        y -= 12 * mm
    c.showPage()
    c.save()
    audit_record(actor=by, action="assistance.sheet_print", obj=sheet, detail={"recipients": len(rows)})
    return buffer.getvalue()


@transaction.atomic
def sheet_upload(
    *, by: User, sheet: SignOffSheet, uploaded, handed_over_on: dt.date, today: dt.date | None = None
) -> SignOffSheet:
    """The signed sheet (PDF or photo, checked by content) is uploaded: its recipients are handed over on
    ``handed_over_on`` (not in the future) and told. Locks the sheet; a sheet uploaded already is refused."""
    today = _today(today)
    if not can_handle_sheet(by, sheet):
        raise PermissionDenied
    sheet = SignOffSheet.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=sheet.pk)
    _require(sheet.campaign.status == Campaign.Status.APPROVED, _("The campaign is not being handed over."))
    _require(not sheet.file, _("The signed sheet was uploaded already."))
    _require(handed_over_on <= today, _("The date cannot be in the future."), "handed_over_on")
    check_upload(uploaded)
    sheet.file = uploaded
    sheet.handed_over_on = handed_over_on
    sheet.uploaded_by = by
    sheet.uploaded_at = timezone.now()
    sheet.save()
    rows = list(sheet.recipients.filter(status=Recipient.Status.PROPOSED).select_related("member", "campaign"))
    at = timezone.make_aware(dt.datetime.combine(handed_over_on, dt.time(12)))
    for row in rows:
        row.status = Recipient.Status.HANDED_OVER
        row.paid_at = at
        row.save(update_fields=["status", "paid_at", "updated_at"])
        _tell_paid(row)
    audit_record(
        actor=by,
        action="assistance.sheet_upload",
        obj=sheet,
        detail={"recipients": len(rows), "on": str(handed_over_on)},
    )
    _close_if_done(sheet.campaign)
    return sheet
