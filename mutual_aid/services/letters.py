"""Decision letters: the document number (文号) allocated once when a claim is decided, and the letter itself, an
official document dated by the decision however late it is downloaded."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from union_portal import pdf
from union_portal.models import OrgUnit
from union_portal.tree import ancestors

from .. import locks, selectors
from ..models import Claim, DecisionLetter
from .appeals import appeal_deadline

# The claim states whose latest decision letter may be downloaded.
DECIDED_STATES = (
    Claim.Status.APPROVED,
    Claim.Status.IN_BATCH,
    Claim.Status.PAID,
    Claim.Status.PAYMENT_FAILED,
    Claim.Status.REJECTED,
)


def _issue_letter(claim: Claim, *, outcome: str, appealable: bool) -> DecisionLetter:
    """The letter of the decision just made on ``claim`` (``claim.decided_at`` set), with the next document number
    of the decision's year. Caller holds the claim lock (and the ledger's, for an approval); the year's
    sequence is locked last, so two decisions wait for each other's number and never share one (the unique
    constraint on year and number stands behind the lock)."""
    assert claim.decided_at is not None
    decided_on = timezone.localdate(claim.decided_at)
    sequence = locks.decision_sequence_for_update(decided_on.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return DecisionLetter.objects.create(
        claim=claim,
        year=decided_on.year,
        sequence=sequence.last,
        number=f"{settings.MUTUAL_AID_DOCUMENT_PREFIX}〔{decided_on.year}〕{sequence.last}号",
        outcome=outcome,
        decided_on=decided_on,
        appealable=appealable,
    )


def _federation_name(org: OrgUnit) -> str:
    """The district federation over ``org`` (which runs the scheme), else the root of the tree."""
    chain = list(ancestors(org, include_self=True))
    districts = [node for node in chain if node.kind == OrgUnit.Kind.DISTRICT]
    return (districts[-1] if districts else chain[0]).name


def decision_letter_pdf(*, claim: Claim) -> bytes:
    """The letter of ``claim``'s latest decision (PDF, in Chinese): the district federation's letterhead, the
    document number, the decision and its working, for a first rejection the last day to appeal (a date), the
    federation's signature with a place for the seal, dated by the decision.

    Raises DecisionLetter.DoesNotExist when the claim has no decision; ``pdf.UnprintableCharacter`` (a
    ValidationError naming the field and the character, in the active language) when a character of the name,
    the hospital or a reason is in none of the fonts."""
    letter = selectors.decision_letter_of(claim=claim)
    if letter is None:
        raise DecisionLetter.DoesNotExist
    member = claim.member
    pdf.check_printable(member.name, field=_("the name"))
    pdf.check_printable(claim.hospital, field=_("the hospital"))
    pdf.check_printable(claim.rejection_reason or "", field=_("the reason for rejection"))
    pdf.check_printable(claim.adjust_reason or "", field=_("the reason for the amount"))
    federation = _federation_name(member.org)
    with translation.override("zh-hans"):
        if letter.outcome == DecisionLetter.Outcome.APPROVED:
            body = _approval_paragraphs(claim)
        else:
            body = [
                _("Your claim %(number)s (%(benefit)s, %(hospital)s) was rejected.")
                % {"number": claim.number, "benefit": claim.benefit.name, "hospital": claim.hospital},
                _("Reason: %(reason)s") % {"reason": claim.rejection_reason},
            ]
            if letter.appealable:
                body.append(
                    _("If you disagree with this decision, you may appeal once, in the portal, by %(date)s.")
                    % {"date": pdf.chinese_date(appeal_deadline(letter.decided_on))}
                )
            else:
                body.append(_("This decision was made on your appeal and is final."))
        return pdf.official_letter(
            letterhead=federation,
            document_number=letter.number,
            title=_("Decision on a mutual-aid claim"),
            addressee=_("Dear %(name)s:") % {"name": member.name},
            paragraphs=body,
            signature=federation,
            date=letter.decided_on,
        )


def _approval_paragraphs(claim: Claim) -> list[str]:
    body = [
        _("Your claim %(number)s (%(benefit)s, %(hospital)s, %(admitted)s to %(discharged)s) was approved.")
        % {
            "number": claim.number,
            "benefit": claim.benefit.name,
            "hospital": claim.hospital,
            "admitted": pdf.chinese_date(claim.admission_date),
            "discharged": pdf.chinese_date(claim.discharge_date),
        },
        _("Amount granted: %(amount)s yuan.") % {"amount": claim.approved_amount},
    ]
    for line in (claim.approved_working or {}).get("lines", []):
        if line.get("kind") == "band":
            body.append(
                _("Base %(from)s–%(to)s at %(rate)s: %(amount)s yuan.")
                % {"from": line["from"], "to": line["to"], "rate": line["rate"], "amount": line["amount"]}
            )
        elif line.get("kind") == "cap":
            body.append(_("Limited by the period cap of %(cap)s yuan.") % {"cap": line["cap"]})
    if claim.adjust_reason:
        body.append(_("Amount set by the reviewer: %(reason)s") % {"reason": claim.adjust_reason})
    return body
