"""Row locks of mutual aid. Where several rows are locked they are taken in primary-key order; a payment
decision locks the claim first, then its payment (the core's ``payment_for_update``)."""

from django.db.models import QuerySet

from .models import Claim, DecisionSequence, Enrolment, EnrolmentAddition, Ledger


def enrolment_for_update(pk: int) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("benefit", "scheme").get(pk=pk)


def addition_for_update(pk: int) -> EnrolmentAddition:
    """Members added to an enrolment, locked; taken after the enrolment's own lock."""
    return EnrolmentAddition.objects.select_for_update(of=("self",)).select_related("enrolment").get(pk=pk)


def claim_for_update(pk: int) -> Claim:
    """One claim, locked (its own row only), with what the human review reads."""
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("member", "member__org", "member__user", "scheme", "benefit", "rule_version")
        .get(pk=pk)
    )


def claim_payer_for_update(pk: int) -> Claim:
    """The claim a payment pays, locked before the payment."""
    return Claim.objects.select_for_update(of=("self",)).select_related("member", "member__user").get(pk=pk)


def claims_for_review_update(qs: QuerySet) -> QuerySet:
    """``qs`` as the automatic review locks it (lazy; callers filter it): its own rows only, in primary-key
    order, with what the review reads, and the member's and payee's personal data left unread."""
    return (
        qs.select_for_update(of=("self",))
        .select_related("member", "scheme", "benefit", "rule_version")
        .defer("payee_bank_account", "member__id_number", "member__mobile", "member__bank_account")
        .order_by("pk")
    )


def claims_for_update(qs: QuerySet) -> list[Claim]:
    """The claims of ``qs``, locked in primary-key order (two batches never wait on each other in a cycle)."""
    return list(qs.select_for_update(of=("self",)).select_related("member").order_by("pk"))


def ledger_for_update(claim: Claim) -> Ledger:
    """The member's period ledger, created if missing, held FOR UPDATE until the transaction ends."""
    Ledger.objects.get_or_create(scheme=claim.scheme, member=claim.member)
    return Ledger.objects.select_for_update().get(scheme=claim.scheme, member=claim.member)


def decision_sequence_for_update(year: int) -> DecisionSequence:
    """The year's counter of decision letter numbers, created if missing, held FOR UPDATE until the transaction
    ends. Taken last, after the claim (and the ledger)."""
    DecisionSequence.objects.get_or_create(year=year)
    return DecisionSequence.objects.select_for_update().get(year=year)
