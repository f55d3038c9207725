"""Factories of mutual aid: last year's scheme (its benefits and rules come with ``scheme_create``), a union's
enrolment and its members' cover (``enrolment_create``, ``enrolment_confirm_payment``), claims filed through
``claim_submit`` (its invoices, documents and events come with it) and the period ledger an approval writes."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mutual_aid.models import (
    Benefit,
    Claim,
    ClaimDocument,
    ClaimEvent,
    ClaimInvoice,
    Cover,
    DecisionLetter,
    DecisionSequence,
    Enrolment,
    EnrolmentAddition,
    Ledger,
    RuleVersion,
    Scheme,
)
from union_portal.models import OrgUnit
from union_portal.roles import Role

from .core import RoleAssignmentFactory, ancestor_of_kind, district_admin_of, holder, pdf
from .members import MemberFactory

_invoice = itertools.count(1)


def last_year() -> int:
    return timezone.localdate().year - 1


class SchemeFactory(DjangoModelFactory):
    """Last year's scheme (one per year: an existing one is returned), through ``scheme_create``; its claim
    deadline moved to the end of this year (``scheme_update``) so that any of its claims may still be filed."""

    class Meta:
        model = Scheme

    year = factory.LazyFunction(last_year)

    @classmethod
    def _create(cls, model_class, *, year):
        from mutual_aid import services

        existing = Scheme.objects.filter(year=year).first()
        if existing is not None:
            return existing
        by = district_admin_of(ancestor_of_kind(_any_district(), OrgUnit.Kind.DISTRICT))
        scheme = services.scheme_create(by=by, year=year)
        return services.scheme_update(by=by, scheme=scheme, deadline_month=12, deadline_day=31)


def _any_district() -> OrgUnit:
    from .core import DistrictFactory

    return OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).first() or DistrictFactory()


class BenefitFactory(DjangoModelFactory):
    """A benefit of last year's scheme (inpatient by default)."""

    class Meta:
        model = Benefit

    scheme = factory.SubFactory(SchemeFactory)
    kind = Benefit.Kind.INPATIENT

    @classmethod
    def _create(cls, model_class, *, scheme, kind):
        return scheme.benefits.get(kind=kind)


class RuleVersionFactory(DjangoModelFactory):
    """A second version of a benefit's rules from July (the default rules, a new note), through
    ``rule_version_create``."""

    class Meta:
        model = RuleVersion

    benefit = factory.SubFactory(BenefitFactory)
    effective_from = factory.LazyAttribute(lambda o: dt.date(o.benefit.scheme.year, 7, 1))
    note = "年中调整"

    @classmethod
    def _create(cls, model_class, *, benefit, effective_from, note):
        from mutual_aid import services

        rules = benefit.versions.order_by("effective_from").first().rules
        return services.rule_version_create(
            by=district_admin_of(_any_district()),
            benefit=benefit,
            effective_from=effective_from,
            rules=rules,
            note=note,
        )


class EnrolmentFactory(DjangoModelFactory):
    """A new union with one member enrolled in a benefit (``enrolment_create`` by its handler); ``paid=True``
    (the default) has finance confirm the premium on 5 January (``enrolment_confirm_payment``): cover from the
    6th."""

    class Meta:
        model = Enrolment

    paid = True
    benefit = factory.SubFactory(BenefitFactory)
    members = factory.LazyFunction(lambda: [MemberFactory(sex="F")])

    @classmethod
    def _create(cls, model_class, *, benefit, members, paid):
        from mutual_aid import services

        org = members[0].org
        enrolment = services.enrolment_create(by=holder(Role.HANDLER, org), benefit=benefit, org=org, members=members)
        if paid:
            on = dt.datetime(benefit.scheme.year, 1, 5, 10, 0, tzinfo=timezone.get_current_timezone())
            finance = holder(Role.FINANCE, ancestor_of_kind(org, OrgUnit.Kind.DISTRICT))
            enrolment = services.enrolment_confirm_payment(by=finance, enrolment=enrolment, reference="BANK-1", on=on)
        return enrolment


class CoverFactory(DjangoModelFactory):
    """A member's cover from a paid enrolment."""

    class Meta:
        model = Cover

    enrolment = factory.SubFactory(EnrolmentFactory)

    @classmethod
    def _create(cls, model_class, *, enrolment):
        return enrolment.covers.get()


def covered_member(**fields):
    """A member covered for every benefit of last year's scheme (past the waiting periods from April)."""
    member = MemberFactory(**fields)
    scheme = SchemeFactory()
    for benefit in scheme.benefits.all():
        if benefit.female_only and member.sex != "F":
            continue
        EnrolmentFactory(benefit=benefit, members=[member])
    return member


class ClaimFactory(DjangoModelFactory):
    """An inpatient claim of a covered member, admitted on 1 June last year for five days, filed by their
    union's handler through ``claim_submit``; ``reviewed`` (default) runs the automatic review as the task
    would after commit (``auto_review``): the claim waits for its first review."""

    class Meta:
        model = Claim

    member = factory.LazyFunction(lambda: covered_member(sex="F"))
    benefit_kind = Benefit.Kind.INPATIENT
    hospital = "绍兴市人民医院"
    admission_date = factory.LazyFunction(lambda: dt.date(last_year(), 6, 1))
    discharge_date = factory.LazyAttribute(lambda o: o.admission_date + dt.timedelta(days=5))
    total_amount = Decimal("24000.00")
    self_paid_amount = Decimal("12000.00")
    excluded_amount = Decimal("0.00")
    reviewed = True

    @classmethod
    def _create(cls, model_class, *, member, benefit_kind, reviewed, **fields):
        from mutual_aid import services
        from mutual_aid.rules import INPATIENT_DOCUMENTS, LUMP_SUM_DOCUMENTS

        inpatient = benefit_kind == Benefit.Kind.INPATIENT
        kinds = INPATIENT_DOCUMENTS if inpatient else LUMP_SUM_DOCUMENTS
        claim = services.claim_submit(
            by=holder(Role.HANDLER, member.org),
            member=member,
            benefit_kind=benefit_kind,
            invoice_numbers=[f"FINV{next(_invoice):06d}"] if inpatient else [],
            documents=[(kind, pdf(f"{kind}.pdf")) for kind in kinds],
            consent_document=pdf("consent.pdf"),  # filed by a handler: the member's signed consent
            **fields,
        )
        if reviewed:
            claim = services.auto_review(claim.pk)
        return claim


class ClaimInvoiceFactory(DjangoModelFactory):
    class Meta:
        model = ClaimInvoice

    claim = factory.SubFactory(ClaimFactory)

    @classmethod
    def _create(cls, model_class, *, claim):
        return claim.invoices.get()


class ClaimDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ClaimDocument

    claim = factory.SubFactory(ClaimFactory)

    @classmethod
    def _create(cls, model_class, *, claim):
        return claim.documents.order_by("pk").first()


class ClaimEventFactory(DjangoModelFactory):
    """The filing event of a new claim."""

    class Meta:
        model = ClaimEvent

    claim = factory.SubFactory(ClaimFactory)

    @classmethod
    def _create(cls, model_class, *, claim):
        return claim.events.order_by("pk").first()


class LedgerFactory(DjangoModelFactory):
    """A member's period ledger as an approved claim leaves it: the claim approved by two reviewers
    (``claim_approve``)."""

    class Meta:
        model = Ledger

    claim = factory.SubFactory(ClaimFactory)

    @classmethod
    def _create(cls, model_class, *, claim):
        from mutual_aid import services

        district = ancestor_of_kind(claim.member.org, OrgUnit.Kind.DISTRICT)
        first = holder(Role.REVIEWER, district)
        second = RoleAssignmentFactory(role=Role.REVIEWER, node=district).user
        services.claim_approve(by=first, claim=claim)
        services.claim_approve(by=second, claim=claim)
        return Ledger.objects.get(scheme=claim.scheme, member=claim.member)


def _approve(claim: Claim, now: dt.datetime | None = None) -> Claim:
    """``claim`` approved by two reviewers of its district (``claim_approve``)."""
    from mutual_aid import services

    district = ancestor_of_kind(claim.member.org, OrgUnit.Kind.DISTRICT)
    first = holder(Role.REVIEWER, district)
    second = RoleAssignmentFactory(role=Role.REVIEWER, node=district).user
    services.claim_approve(by=first, claim=claim, now=now)
    return services.claim_approve(by=second, claim=claim, now=now)


class DecisionLetterFactory(DjangoModelFactory):
    """The letter of a claim approved by two reviewers (``claim_approve`` issues it with the year's next
    document number); ``decided_at``: the moment of the decision (default now)."""

    class Meta:
        model = DecisionLetter

    claim = factory.SubFactory(ClaimFactory)
    decided_at = None

    @classmethod
    def _create(cls, model_class, *, claim, decided_at):
        return _approve(claim, decided_at).decision_letters.get()


class DecisionSequenceFactory(DjangoModelFactory):
    """The year's sequence of decision letter numbers as a decision leaves it."""

    class Meta:
        model = DecisionSequence

    letter = factory.SubFactory(DecisionLetterFactory)

    @classmethod
    def _create(cls, model_class, *, letter):
        return DecisionSequence.objects.get(year=letter.year)


class EnrolmentAdditionFactory(DjangoModelFactory):
    """A member who joined the union later, added to its paid enrolment (增员, ``enrolment_add_members`` by the
    handler), waiting for finance to confirm the added premium."""

    class Meta:
        model = EnrolmentAddition

    enrolment = factory.SubFactory(EnrolmentFactory)

    @classmethod
    def _create(cls, model_class, *, enrolment):
        from mutual_aid import services

        org = enrolment.org
        # in the period's second month, whatever year the scheme is
        on = enrolment.scheme.starts_on + dt.timedelta(days=40)
        return services.enrolment_add_members(
            by=holder(Role.HANDLER, org), enrolment=enrolment, members=[MemberFactory(org=org, sex="F")], today=on
        )
