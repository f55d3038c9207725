"""Filing a claim (by the member or a handler), with the separate consent to processing medical data."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member
from union_portal.audit import audit_record
from union_portal.identity import BANK_ACCOUNT_RE, normalize_bank_account
from union_portal.models import User
from union_portal.money import ZERO
from union_portal.onetime import issue_code, verify_code
from union_portal.uploads import check_upload

from .. import selectors
from ..models import CLAIM_DOCUMENT_KINDS, Benefit, Claim, ClaimDocument, ClaimInvoice, Cover
from ..permissions import can_act_for
from ..rules import resolve_disease
from ._common import _attach_documents, _clean_amount, _enqueue_review, _event, _notify_event

CONSENT_VERSION = "2026-01"
# The one-time code purpose of a member's consent confirmed by SMS (union_portal.onetime).
CONSENT_CODE_PURPOSE = "claim_consent"


CONSENT_TEXT = gettext_lazy(
    "I separately consent to the district trade union federation processing my medical information (hospital "
    "records, invoices, settlement sheets, diagnoses) only to review and pay this mutual-aid claim, keeping it "
    "for the period the rules require, and sharing it with no one else except as the law requires "
    "(Personal Information Protection Law, art. 29)."
)


def files_for_self(*, by: User, member: Member) -> bool:
    """Whether ``by`` files for themselves (ticks the consent) rather than a handler for the member."""
    return member.user_id is not None and member.user_id == by.pk


def claim_consent_send_code(*, by: User, member: Member) -> None:
    """A handler about to file a claim for ``member`` sends the member an SMS saying what they consent to, with a
    code the handler then enters on the claim (``claim_submit(consent_code=...)``). Refused (ValidationError)
    without a mobile number on the roll, or by the one-time codes' rate limits."""
    if not can_act_for(by, member):
        raise PermissionDenied
    if files_for_self(by=by, member=member):
        raise ValidationError(_("You give the consent yourself by ticking it."))
    if not member.mobile:
        raise ValidationError(
            {
                "consent_code": _("%(name)s has no mobile number on the roll: upload the signed consent form.")
                % {"name": member.name}
            }
        )
    try:
        issue_code(purpose=CONSENT_CODE_PURPOSE, mobile=member.mobile, text=CONSENT_SMS % {"union": member.org.name})
    except ValidationError as exc:
        raise ValidationError({"consent_code": exc.messages}) from None
    audit_record(actor=by, action="mutual_aid.consent_code_sent", obj=member, detail={"version": CONSENT_VERSION})


# The SMS to the member: what they consent to, and that giving the code to the handler is the consent.
CONSENT_SMS = gettext_lazy(
    "%(union)s is filing a mutual-aid claim for you and asks your consent to processing your medical information "
    "(hospital records, invoices, diagnoses) only to review and pay this claim. If you agree, give this code to "
    "the union's handler: %%(code)s (valid for %%(minutes)s minutes)."
)


@transaction.atomic
def claim_submit(
    *,
    by: User,
    member: Member,
    benefit_kind: str,
    hospital: str,
    admission_date: dt.date,
    discharge_date: dt.date,
    total_amount,
    self_paid_amount,
    excluded_amount=ZERO,
    disease_code: str = "",
    invoice_numbers: list[str],
    documents: list[tuple[str, object]],
    bank_account: str = "",
    bank_name: str = "",
    consent: bool = False,
    consent_document=None,
    consent_code: str = "",
    now: dt.datetime | None = None,
) -> Claim:
    """File a claim for ``member`` (by the member, or a handler over their union). Validates everything
    before writing; the automatic review runs in Celery after commit. Raises ValidationError. ``now``: the
    moment of filing (default: now); the dates may not lie after its day.

    The separate consent to processing medical data: a member filing for themselves ticks it (``consent``); a
    handler filing for a member cannot give it for them and brings the member's signed consent form
    (``consent_document``, an upload) or the code the member received by SMS (``consent_code``, sent by
    ``claim_consent_send_code``)."""
    if not can_act_for(by, member):
        raise PermissionDenied
    errors: dict[str, str] = {}
    filed_at = now or timezone.now()
    today = timezone.localdate(filed_at)
    own = files_for_self(by=by, member=member)
    consent_method = Claim.ConsentMethod.TICKED
    consent_checked = None
    consent_code = (consent_code or "").strip()
    if own:
        if not consent:
            errors["consent"] = _("The separate consent to processing medical data is required to file a claim.")
    elif consent_document is not None:
        consent_method = Claim.ConsentMethod.SIGNED
        try:
            consent_checked = (ClaimDocument.Kind.CONSENT, consent_document, check_upload(consent_document))
        except ValidationError as exc:
            errors["consent_document"] = exc.messages[0]
    elif consent_code:
        consent_method = Claim.ConsentMethod.SMS
    else:
        errors["consent"] = _(
            "Filing for a member needs the member's consent: upload their signed consent form or enter the code "
            "the member received by SMS."
        )
    if admission_date > discharge_date:
        errors["discharge_date"] = _("The discharge date cannot be before the admission date.")
    if discharge_date > today or admission_date > today:
        errors["discharge_date"] = _("The dates cannot be in the future.")
    if not hospital.strip():
        errors["hospital"] = _("Give the hospital.")
    try:
        total: Decimal | None = _clean_amount(total_amount, _("The total cost"), "total_amount")
        self_paid: Decimal | None = _clean_amount(self_paid_amount, _("The self-paid amount"), "self_paid_amount")
        excluded: Decimal | None = _clean_amount(excluded_amount or ZERO, _("The excluded items"), "excluded_amount")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        total = self_paid = excluded = None
    if total is not None and self_paid is not None and excluded is not None:  # all three or none
        if self_paid > total:
            errors["self_paid_amount"] = _("The self-paid amount cannot be larger than the total cost.")
        elif excluded > self_paid:
            errors["excluded_amount"] = _("The excluded items cannot be larger than the self-paid amount.")
    scheme = selectors.scheme_for_date(admission_date)
    benefit = selectors.benefit_of(scheme=scheme, kind=benefit_kind) if scheme else None
    if scheme is None or benefit is None:
        errors["admission_date"] = _("No mutual-aid scheme offers this benefit on the admission date.")
    elif not Cover.objects.filter(member=member, benefit=benefit, starts_on__isnull=False).exists():
        errors["benefit"] = _("%(name)s is not covered by this benefit in the %(year)s period.") % {
            "name": member.name,
            "year": scheme.year,
        }
    version = selectors.rule_version_in_force(benefit=benefit, on=admission_date) if benefit else None
    numbers = [n.strip().upper() for n in invoice_numbers if n and n.strip()]
    if len(set(numbers)) != len(numbers):
        errors["invoice_numbers"] = _("An invoice number is listed twice.")
    if benefit is not None and benefit.kind == Benefit.Kind.INPATIENT:
        if not numbers:
            errors["invoice_numbers"] = _("Give the hospital invoice number(s).")
        disease_code = ""
    elif version is not None:
        disease_code = resolve_disease(version.rules, disease_code)
        if not disease_code:
            errors["disease_code"] = _("Choose a disease of this benefit from the scheme's list.")
    checked = []
    for kind, upload in documents:
        if kind not in CLAIM_DOCUMENT_KINDS:
            errors["documents"] = _("Unknown document type.")
            continue
        try:
            checked.append((kind, upload, check_upload(upload)))
        except ValidationError as exc:
            errors["documents"] = exc.messages[0]
    bank_account = normalize_bank_account(bank_account or member.bank_account or "")
    bank_name = bank_name or member.bank_name or ""
    if not BANK_ACCOUNT_RE.match(bank_account):
        errors["bank_account"] = _("Give a valid bank account number (12 to 30 digits).")
    if not bank_name.strip():
        errors["bank_name"] = _("Give the bank.")
    if errors:
        raise ValidationError(errors)
    if consent_method == Claim.ConsentMethod.SMS:
        # Checked last, so that a claim refused for another reason leaves the member's code usable.
        try:
            verify_code(purpose=CONSENT_CODE_PURPOSE, mobile=member.mobile or "", code=consent_code)
        except ValidationError as exc:
            raise ValidationError({"consent_code": exc.messages}) from None
    assert scheme and benefit and total is not None and self_paid is not None and excluded is not None  # else errors
    claim = Claim.objects.create(
        member=member,
        scheme=scheme,
        benefit=benefit,
        rule_version=version,
        filed_by=by,
        hospital=hospital.strip(),
        admission_date=admission_date,
        discharge_date=discharge_date,
        total_amount=total,
        self_paid_amount=self_paid,
        excluded_amount=excluded,
        disease_code=disease_code,
        payee_bank_account=bank_account,
        payee_bank_name=bank_name.strip(),
        consent_version=CONSENT_VERSION,
        consent_at=filed_at,
        consent_method=consent_method,
        submitted_at=filed_at,
    )
    ClaimInvoice.objects.bulk_create(ClaimInvoice(claim=claim, number=n) for n in numbers)
    _attach_documents(claim, checked + ([consent_checked] if consent_checked else []), by=by)
    event = _event(claim, action="submitted", from_status="", by=by, at=now)
    audit_record(
        actor=by,
        action="mutual_aid.consent",
        obj=claim,
        detail={"version": CONSENT_VERSION, "method": consent_method},
    )
    _notify_event(
        claim,
        event,
        _("Claim received"),
        _("Your mutual-aid claim %(number)s was received and is being reviewed.") % {"number": claim.number},
    )
    _enqueue_review(claim)
    return claim
