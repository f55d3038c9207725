"""Medical mutual aid: schemes, versioned benefit rules, unit enrolment and cover, the per-member period
ledger, claims with documents and history. Claims are paid through the core's payment batches
(``union_portal.payments``): a claim's payments are ``claim.payments``.

Money is Decimal everywhere (``DecimalField(**union_portal.money.MONEY)``); amounts are rounded by
``union_portal.money.round_fen`` only."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Member
from union_portal.crypto import EncryptedTextField, mask_account
from union_portal.models import OrgUnit
from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo

__all__ = [
    "Benefit",
    "Claim",
    "ClaimDocument",
    "ClaimEvent",
    "ClaimInvoice",
    "Cover",
    "Enrolment",
    "EnrolmentAddition",
    "Ledger",
    "RuleVersion",
    "Scheme",
]


class Scheme(models.Model):
    """One scheme period (a year) with its enrolment and claim rules."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Claims are due by this month/day of the year after discharge (default 31 March).
    deadline_month = models.PositiveSmallIntegerField(_("claim deadline month"), default=3)
    deadline_day = models.PositiveSmallIntegerField(_("claim deadline day"), default=31)
    min_participation_pct = models.PositiveSmallIntegerField(_("minimum participation (%)"), default=80)
    large_unit_size = models.PositiveIntegerField(_("large unit from (members)"), default=1000)
    large_unit_min_pct = models.PositiveSmallIntegerField(_("minimum participation of large units (%)"), default=50)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="scheme_dates")]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mutual_aid:scheme_detail", args=[self.pk])


class Benefit(models.Model):
    """A benefit type on offer in a scheme; its money rules live in versioned ``RuleVersion`` rows."""

    class Kind(models.TextChoices):
        INPATIENT = "inpatient", _("Inpatient aid")
        MAJOR_DISEASE = "major_disease", _("Major-disease lump sum")
        FEMALE_DISEASE = "female_disease", _("Women workers' special diseases")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("benefit"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    premium = models.DecimalField(_("premium per person"), **MONEY)
    female_only = models.BooleanField(_("female members only"), default=False)
    # Benefits enrolled together pay one premium per person; a separate package (the women's) its own.
    package = models.CharField(_("package"), max_length=20, default="base")

    class Meta:
        ordering = ["scheme", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "kind"], name="one_benefit_kind_per_scheme")]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """The rules of a benefit from ``effective_from`` on; a claim uses the version in force on its admission
    date. ``rules`` is validated by ``mutual_aid.rules.validate_rules``."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("effective from"))
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["benefit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "effective_from"], name="one_rule_version_per_day"),
        ]
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")

    def __str__(self) -> str:
        return f"{self.benefit} {self.effective_from}"


class Enrolment(models.Model):
    """A grassroots union enrols its members in one benefit for a scheme period; finance confirms payment."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid, cover confirmed")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="enrolments")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="enrolments")
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("union"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    member_count = models.PositiveIntegerField(_("members enrolled"))
    eligible_count = models.PositiveIntegerField(_("eligible members"))
    premium_due = models.DecimalField(_("premium due"), **MONEY)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("payment confirmed at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    cover_starts_on = models.DateField(_("cover starts on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "benefit", "org"], name="one_enrolment_per_unit_benefit"),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.org} · {self.benefit}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mutual_aid:enrolment_detail", args=[self.pk])


class EnrolmentAddition(models.Model):
    """Members added to a unit's enrolment during the period (增员), with their own premium (full or by the
    whole months remaining, as the rules in force say) and their own payment: their cover starts the day
    after finance confirms it."""

    Status = Enrolment.Status

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="additions")
    status = models.CharField(
        _("status"), max_length=20, choices=Enrolment.Status.choices, default=Enrolment.Status.AWAITING_PAYMENT
    )
    member_count = models.PositiveIntegerField(_("members added"))
    months = models.PositiveSmallIntegerField(_("months charged"), null=True, blank=True)
    premium_per_person = models.DecimalField(_("premium per person"), **MONEY)
    premium_due = models.DecimalField(_("premium due"), **MONEY)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("payment confirmed at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    cover_starts_on = models.DateField(_("cover starts on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "enrolment__org"

    class Meta:
        ordering = ["enrolment", "id"]
        verbose_name = _("members added to an enrolment")
        verbose_name_plural = _("members added to enrolments")

    def __str__(self) -> str:
        return f"{self.enrolment} +{self.member_count}"


class Cover(models.Model):
    """One member enrolled in one benefit for one period. Cover starts when the unit's payment is confirmed
    (an added member's: when the addition's payment is) and ends with the period, or on ``ends_on`` when the
    member was taken off the enrolment (减员; no refund)."""

    class EndReason(models.TextChoices):
        LEFT = "left", _("Left the union")
        RETIRED = "retired", _("Retired")
        DECEASED = "deceased", _("Deceased")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out of the district")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="covers")
    # Null: enrolled with the unit; else the addition (增员) that enrolled the member.
    addition = models.ForeignKey(
        EnrolmentAddition, on_delete=models.CASCADE, null=True, blank=True, related_name="covers"
    )
    # The last day covered when the member was taken off the enrolment (null: to the period's end).
    ends_on = models.DateField(_("cover ends on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=20, choices=EndReason.choices, blank=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mutual_aid_covers")
    # Enrolled without a gap in the previous period: no waiting period.
    continuing = models.BooleanField(_("continuing from the previous period"), default=False)
    starts_on = models.DateField(_("cover starts on"), null=True, blank=True)
    waiting_ends_on = models.DateField(_("waiting period ends on"), null=True, blank=True)

    SCOPE_ORG = "member__org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["scheme", "benefit"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "benefit", "member"], name="one_cover_per_member_benefit"),
        ]
        verbose_name = _("cover")
        verbose_name_plural = _("covers")

    def __str__(self) -> str:
        return f"{self.member} · {self.benefit}"


class Ledger(models.Model):
    """What a member has used in a period: the cumulative inpatient base, the inpatient amount committed
    (approved, paid or to be paid) against the cap, and the lump sums taken. Locked with SELECT FOR UPDATE
    whenever money is decided."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mutual_aid_ledgers")
    cumulative_base = models.DecimalField(_("cumulative base"), default=0, **MONEY)
    inpatient_paid = models.DecimalField(_("inpatient aid granted"), default=0, **MONEY)
    lump_sums_paid = models.DecimalField(_("lump sums granted"), default=0, **MONEY)
    lump_sums_used = models.JSONField(_("lump sums used"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "member__org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["scheme", "member"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "member"], name="one_ledger_per_member_period"),
            models.CheckConstraint(condition=Q(inpatient_paid__gte=0), name="ledger_paid_not_negative"),
        ]
        verbose_name = _("ledger")
        verbose_name_plural = _("ledgers")

    def __str__(self) -> str:
        return f"{self.member} · {self.scheme}"


def claim_number(scheme_id: int, pk: int) -> str:
    """A claim's number as people see it (MA01-0000002), from its scheme's and its own id."""
    return f"MA{int(scheme_id):02d}-{int(pk):07d}"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, automatic review pending")
    FIRST_REVIEW = "first_review", _("First review")
    SECOND_REVIEW = "second_review", _("Second review")
    RETURNED = "returned", _("Returned for documents")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appeal under review")
    APPROVED = "approved", _("Approved, awaiting payment")
    IN_BATCH = "in_batch", _("In a payment batch")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    # A context: the members app's "Paid" (dues paid in, 已缴) would win the shared catalogue.
    PAID = "paid", pgettext_lazy("money paid out", "Paid")


class ConsentMethod(models.TextChoices):
    TICKED = "ticked", _("Ticked by the member filing the claim")
    SIGNED = "signed", _("The member's signed consent form")
    SMS = "sms", _("Confirmed by the member with an SMS code")


# Claims a reviewer has in hand (the reviewers' queue).
REVIEW_STATES = (ClaimStatus.FIRST_REVIEW, ClaimStatus.SECOND_REVIEW, ClaimStatus.APPEALED)


class Claim(models.Model):
    Status = ClaimStatus
    ConsentMethod = ConsentMethod

    REVIEW_STATES = REVIEW_STATES

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="mutual_aid_claims")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="claims")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="claims")
    rule_version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, null=True, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    hospital = models.CharField(_("hospital"), max_length=100)
    admission_date = models.DateField(_("admission date"))
    discharge_date = models.DateField(_("discharge date"))
    total_amount = models.DecimalField(_("total medical cost"), **MONEY)
    self_paid_amount = models.DecimalField(_("in-policy self-paid amount"), **MONEY)
    excluded_amount = models.DecimalField(_("excluded items"), default=0, **MONEY)
    disease_code = models.CharField(_("disease"), max_length=20, blank=True)
    payee_bank_account = EncryptedTextField(_("bank account"))
    payee_bank_name = models.CharField(_("bank"), max_length=50)
    # Who entered a changed payee account that still awaits the member's confirmation or a second staff
    # person's approval (null: nothing awaits). Such a claim enters no payment batch.
    payee_change_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_version = models.CharField(_("medical data consent wording"), max_length=20)
    consent_at = models.DateTimeField(_("medical data consent given at"))
    # How the member gave it: ticked by the member filing themselves, or, when a handler files for them, a
    # signed consent form uploaded (a ClaimDocument of kind CONSENT) or a code the member received by SMS.
    consent_method = models.CharField(
        _("medical data consent given by"), max_length=10, choices=ConsentMethod.choices, default=ConsentMethod.TICKED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submission = models.PositiveSmallIntegerField(default=1)  # bumped on each re-submission
    # Automatic review (one result per submission: auto_reviewed_submission == submission when done).
    auto_reviewed_submission = models.PositiveSmallIntegerField(default=0)
    auto_checks = models.JSONField(default=list, blank=True)
    auto_passed = models.BooleanField(null=True)
    proposed_amount = models.DecimalField(_("proposed amount"), null=True, blank=True, **MONEY)
    working = models.JSONField(default=dict, blank=True)
    # Human review.
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusted_amount = models.DecimalField(_("amount set by reviewer"), null=True, blank=True, **MONEY)
    adjust_reason = models.CharField(_("reason for the amount"), max_length=300, blank=True)
    missing_documents = models.JSONField(default=list, blank=True)
    return_note = models.CharField(_("note to the worker"), max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_amount = models.DecimalField(_("approved amount"), null=True, blank=True, **MONEY)
    approved_working = models.JSONField(default=dict, blank=True)
    # Appeal (once).
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_reason = models.CharField(_("appeal reason"), max_length=500, blank=True)
    appeal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Paid through the core's payment batches: at most one pending-or-paid and one paid payment, ever.
    payments = GenericRelation(
        "union_portal.Payment", content_type_field="payer_type", object_id_field="payer_id", related_query_name="claim"
    )

    SCOPE_ORG = "member__org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["status", "submitted_at", "id"], name="claim_queue_idx"),
            # The reviewers' queue walks this in order and stops after a page, at any table size.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=list(REVIEW_STATES)),
                name="claim_review_queue_idx",
            ),
            models.Index(fields=["member", "scheme"], name="claim_member_scheme_idx"),
            # Year first (docs/partitioning.md): the year's scheme (one scheme a year) for the dashboard's
            # counts of a year's claims, the day paid for the year's payments; older years are never read.
            models.Index(fields=["scheme", "status", "member"], name="claim_year_status_idx"),
            models.Index(fields=["paid_at"], condition=Q(paid_at__isnull=False), name="claim_paid_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(discharge_date__gte=models.F("admission_date")), name="claim_dates"),
            models.CheckConstraint(condition=Q(self_paid_amount__gte=0), name="claim_self_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(total_amount__gte=models.F("self_paid_amount")), name="claim_self_paid_le_total"
            ),
            models.CheckConstraint(
                condition=Q(self_paid_amount__gte=models.F("excluded_amount")), name="claim_excluded_le_self_paid"
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0), name="claim_approved_ge_0"
            ),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"#{self.pk} {self.member.name if self.member_id else ''}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mutual_aid:claim_detail", args=[self.pk])

    @property
    def base(self):
        return self.self_paid_amount - self.excluded_amount

    @property
    def bank_account_masked(self) -> str:
        return mask_account(self.payee_bank_account)

    @property
    def number(self) -> str:
        return claim_number(self.scheme_id, self.pk)

    @property
    def disease_name(self) -> str:
        """The claimed disease in words (the rules' Chinese name, its English name when switched)."""
        from .rules import disease_name

        if not self.disease_code:
            return ""
        rules = self.rule_version.rules if self.rule_version_id and self.rule_version else {}
        return disease_name(rules, self.disease_code)


class DecisionSequence(models.Model):
    """The per-year counter of decision letters' document numbers (文号), taken under SELECT FOR UPDATE
    (``locks.decision_sequence_for_update``) so that two decisions never get the same number."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        ordering = ["year"]
        verbose_name = _("decision number sequence")
        verbose_name_plural = _("decision number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DecisionLetter(models.Model):
    """The letter of one decision on a claim (an approval or a rejection, an appeal's decision included): its
    document number (文号, e.g. 柯工互〔2026〕12号), allocated once from the year's sequence when the decision is
    made, and the decision's date, by which the letter is dated however late it is downloaded."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="decision_letters")
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    number = models.CharField(_("document number"), max_length=40, unique=True)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    # A first rejection may be appealed (by a date the letter gives); an appeal's own decision is final.
    appealable = models.BooleanField(_("may be appealed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "claim__member__org"
    SCOPE_OWNER = "claim__member__user"

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="decision_letter_number_once_a_year"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="decision_letter_sequence_from_1"),
        ]
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self) -> str:
        return self.number


class ClaimInvoice(models.Model):
    """One hospital invoice of a claim. An invoice number may be claimed once (checked by the automatic
    review and again under the ledger lock at approval)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40, db_index=True)

    SCOPE_ORG = "claim__member__org"
    SCOPE_OWNER = "claim__member__user"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["claim", "number"], name="invoice_once_per_claim")]

    def __str__(self) -> str:
        return self.number


class ClaimDocument(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application form")
        ID_CARD = "id_card", _("ID card")
        BANK_CARD = "bank_card", _("Bank card")
        INVOICE = "invoice", _("Hospital invoice")
        SETTLEMENT = "settlement", _("Settlement sheet")
        DISCHARGE = "discharge", _("Discharge record")
        PATHOLOGY = "pathology", _("Pathology report")
        # Not claim documents a scheme can require: the member's signed consent when a handler files for them,
        # and what the worker sends with an appeal.
        CONSENT = "consent", _("Signed consent form")
        APPEAL = "appeal", _("Appeal document")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=RandomUploadTo("mutual_aid/claims"))
    content_kind = models.CharField(max_length=10)  # pdf / jpeg / png, judged by content
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "claim__member__org"
    SCOPE_OWNER = "claim__member__user"

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")

    def __str__(self) -> str:
        return self.get_kind_display()

    def download_name(self) -> str:
        """The file's name when downloaded: the claim's number, the kind, and the extension of what the content
        is (fetch the document through ``claim.documents`` so that ``self.claim`` costs no query)."""
        ext = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(self.content_kind, "bin")
        return f"{self.claim.number}-{self.kind}.{ext}"


# The document kinds a scheme's rules may require and a reviewer may ask for.
CLAIM_DOCUMENT_KINDS = [
    k for k in ClaimDocument.Kind.values if k not in (ClaimDocument.Kind.CONSENT, ClaimDocument.Kind.APPEAL)
]


class ClaimEvent(models.Model):
    """The claim's status history: who did what, when, why. Each event notifies the worker once."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "claim__member__org"
    SCOPE_OWNER = "claim__member__user"

    class Meta:
        ordering = ["at", "id"]
        # Time first (docs/partitioning.md): a year's events (reports, retention) read only that year; a
        # claim's own history reads by the claim's key.
        indexes = [models.Index(fields=["at", "claim"], name="claimevent_at_idx")]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action}"

    # What happened, in words (the history says "初审通过 · 互助审核员一").
    ACTIONS = {
        "submitted": pgettext_lazy("claim history", "Claim filed"),
        "auto_reviewed": pgettext_lazy("claim history", "Automatic review"),
        "first_approved": pgettext_lazy("claim history", "First review passed"),
        "approved": pgettext_lazy("claim history", "Second review passed"),
        "amount_changed": pgettext_lazy("claim history", "Amount cut"),
        "returned": pgettext_lazy("claim history", "Returned for documents"),
        "resubmitted": pgettext_lazy("claim history", "Documents added, filed again"),
        "rejected": pgettext_lazy("claim history", "Rejected"),
        "appealed": pgettext_lazy("claim history", "Appealed"),
        "appeal_upheld": pgettext_lazy("claim history", "Appeal upheld, approved"),
        "appeal_rejected": pgettext_lazy("claim history", "Appeal rejected"),
        "in_batch": pgettext_lazy("claim history", "Put in a payment batch"),
        "paid": pgettext_lazy("claim history", "Paid"),
        "payment_failed": pgettext_lazy("claim history", "Payment failed"),
        "account_corrected": pgettext_lazy("claim history", "Bank account corrected"),
        "account_confirmed": pgettext_lazy("claim history", "Bank account confirmed"),
    }

    def get_action_display(self) -> str:
        """What this event did, in words (the claim status it led to for an action without a label)."""
        label = self.ACTIONS.get(self.action)
        return str(label) if label is not None else self.get_to_status_display()

    def get_to_status_display(self) -> str:
        """The claim status this event led to, in words."""
        try:
            return str(Claim.Status(self.to_status).label)
        except ValueError:
            return self.to_status
