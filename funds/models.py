"""Union funds (工会经费), the founding reserve (建会筹备金), the allocation ledger and member dues (会费).

Money is Decimal with two places (``union_portal.money.MONEY``) and is rounded only by
``union_portal.money.round_fen``.
The ledger is double-entry: a JournalEntry's lines sum to zero (debit positive, credit negative), posted
entries and lines never change (save()/delete() refuse; on PostgreSQL a trigger refuses UPDATE/DELETE), and a
correction is a reversing entry."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Enterprise, Member
from union_portal.models import OrgUnit
from union_portal.money import MONEY

PERCENT = {"max_digits": 5, "decimal_places": 2}


class LedgerImmutableError(PermissionError):
    """A posted journal entry or line was about to be changed or deleted."""


class Level(models.TextChoices):
    """Levels that receive a share of the collected funds."""

    GRASSROOTS = "grassroots", _("Grassroots union")
    DISTRICT = "district", _("District federation")
    CITY = "city", _("City federation")
    PROVINCE = "province", _("Provincial federation")
    NATIONAL = "national", _("National federation")


class AllocationRatioSet(models.Model):
    """The shares of the collected 2% by level, kept by a district, in force from ``effective_from`` until
    the next set of the same district. Percentages of the whole collected amount; they sum to 100. The
    rounding residue of each split goes to ``residue_level``. A set is never edited: a change is a new set."""

    district = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="funds_ratio_sets", verbose_name=_("district")
    )
    effective_from = models.DateField(_("effective from"))
    grassroots_pct = models.DecimalField(_("grassroots union %"), **PERCENT)
    district_pct = models.DecimalField(_("district %"), **PERCENT)
    city_pct = models.DecimalField(_("city %"), **PERCENT)
    province_pct = models.DecimalField(_("province %"), **PERCENT)
    national_pct = models.DecimalField(_("national %"), **PERCENT)
    residue_level = models.CharField(
        _("rounding residue goes to"), max_length=16, choices=Level.choices, default=Level.GRASSROOTS
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "district"

    class Meta:
        ordering = ["district", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "effective_from"], name="funds_ratio_one_per_date"),
            models.CheckConstraint(
                condition=Q(grassroots_pct__gte=0)
                & Q(district_pct__gte=0)
                & Q(city_pct__gte=0)
                & Q(province_pct__gte=0)
                & Q(national_pct__gte=0),
                name="funds_ratio_non_negative",
            ),
        ]
        verbose_name = _("allocation ratio set")
        verbose_name_plural = _("allocation ratio sets")

    def __str__(self) -> str:
        return f"{self.district} {self.effective_from}"

    def shares(self) -> dict[str, Decimal]:
        return {
            Level.GRASSROOTS: self.grassroots_pct,
            Level.DISTRICT: self.district_pct,
            Level.CITY: self.city_pct,
            Level.PROVINCE: self.province_pct,
            Level.NATIONAL: self.national_pct,
        }


class PayrollDeclaration(models.Model):
    """An enterprise's total payroll for one month and the 2% union funds due on it."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="payroll_declarations", verbose_name=_("enterprise")
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    total_payroll = models.DecimalField(_("total payroll"), **MONEY)
    funds_due = models.DecimalField(_("union funds due"), **MONEY)
    source = models.CharField(_("source"), max_length=16, default="manual")
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "enterprise__township"

    class Meta:
        ordering = ["-period", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="funds_one_declaration_per_month"),
            models.CheckConstraint(condition=Q(total_payroll__gte=0), name="funds_payroll_non_negative"),
        ]
        verbose_name = _("payroll declaration")
        verbose_name_plural = _("payroll declarations")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period:%Y-%m}"


class CollectionStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


class FundsCollection(models.Model):
    """The 2% union funds of one enterprise and month as the tax authority collected it (代收).

    Posted at once to the ledger: allocated by level when the enterprise has a union, held whole as the
    founding reserve at its township when it has none. At most one posted collection per enterprise and
    month; a wrong one is reversed (its journal entry gets a reversing entry) and entered again."""

    Status = CollectionStatus

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Tax authority import")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="funds_collections", verbose_name=_("enterprise")
    )
    period = models.DateField(_("month"))
    amount = models.DecimalField(_("amount collected"), **MONEY)
    collected_on = models.DateField(_("collected on"))
    tax_reference = models.CharField(_("tax voucher number"), max_length=40, blank=True)
    is_reserve = models.BooleanField(_("founding reserve"), default=False)
    union = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grassroots union")
    )
    township = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("township"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.POSTED)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    entry = models.OneToOneField(
        "JournalEntry", on_delete=models.PROTECT, related_name="collection", verbose_name=_("journal entry")
    )
    batch = models.ForeignKey(
        "FundsImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="collections"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reversed_reason = models.CharField(_("reason for reversal"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "enterprise__township"

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"],
                condition=Q(status=CollectionStatus.POSTED),
                name="funds_one_collection_per_month",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_collection_positive"),
        ]
        indexes = [models.Index(fields=["period", "status"], name="funds_coll_period_idx")]
        verbose_name = _("funds collection")
        verbose_name_plural = _("funds collections")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period:%Y-%m} {self.amount}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("funds:collection_detail", args=[self.pk])


class FundsImportBatch(models.Model):
    """One upload of the tax authority's export: previewed (every row checked, nothing posted), then
    posted whole in one transaction. ``rows`` holds the checked rows between preview and confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        POSTED = "posted", _("Posted")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file"), max_length=200)
    rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    total = models.DecimalField(_("total"), **MONEY, default=Decimal("0.00"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    SCOPE_OWNER = "uploaded_by"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("funds import")
        verbose_name_plural = _("funds imports")

    def __str__(self) -> str:
        return self.filename


class LedgerAccount(models.Model):
    """An account of the funds ledger, held at an organisation unit.

    - funds: a level's share of the union funds (credit balance). Province and national shares are held at
      the district as amounts payable upward, so every account belongs to a unit of the tree.
    - reserve: the founding reserve a township holds for enterprises without a union (credit balance; each
      line names its enterprise, so the reserve of one enterprise is the sum of its lines).
    - collection: funds received from the tax authority, at the district (debit balance).
    - spending: a unit's funds committed to spending, e.g. a help campaign's budget (credit balance)."""

    class Kind(models.TextChoices):
        FUNDS = "funds", _("Union funds share")
        RESERVE = "reserve", _("Founding reserve")
        COLLECTION = "collection", _("Received from the tax authority")
        SPENDING = "spending", _("Committed to spending")

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="funds_accounts", verbose_name=_("unit"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["org__path", "kind", "level"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "level"], name="funds_one_account_per_kind")]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.level:
            label = f"{label} · {self.get_level_display()}"
        return f"{self.org} · {label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("funds:account_detail", args=[self.pk])

    @property
    def credit_normal(self) -> bool:
        return self.kind != self.Kind.COLLECTION


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutableError("Posted ledger rows cannot be changed.")

    def delete(self):
        raise LedgerImmutableError("Posted ledger rows cannot be deleted.")


class JournalEntry(models.Model):
    """A posted journal entry. Its lines sum to zero. Never changed; corrected by a reversing entry."""

    class Kind(models.TextChoices):
        COLLECTION = "collection", _("Funds collected")
        HANDOVER = "handover", _("Founding reserve handed over")
        SPENDING = "spending", _("Spending")
        REVERSAL = "reversal", _("Reversal")

    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    district = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    period = models.DateField(_("month"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    ratios = models.JSONField(_("ratios applied"), default=dict, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses")
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)

    objects = _AppendOnlyQuerySet.as_manager()

    SCOPE_ORG = "district"

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.period:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LedgerImmutableError("Posted journal entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("Posted journal entries cannot be deleted.")


class JournalLine(models.Model):
    """One line of a journal entry: debit positive, credit negative. ``enterprise`` names the enterprise
    whose funds the line moves (the sub-ledger of the founding reserve; the scope of allocation reports)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="lines")
    amount = models.DecimalField(_("amount"), **MONEY)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    objects = _AppendOnlyQuerySet.as_manager()

    SCOPE_ORG = "account__org"

    class Meta:
        ordering = ["entry_id", "id"]
        indexes = [models.Index(fields=["account", "entry"], name="funds_line_account_idx")]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise LedgerImmutableError("Posted journal lines cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError("Posted journal lines cannot be deleted.")

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


class FoundingReserveHandover(models.Model):
    """The founding reserve held for an enterprise, handed over when its union was founded. One per
    enterprise and union (the database refuses a second); ``entry`` is None when nothing was held."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="reserve_handovers", verbose_name=_("enterprise")
    )
    union = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union"))
    amount = models.DecimalField(_("amount handed over"), **MONEY)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "enterprise__township"

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "union"], name="funds_reserve_handed_over_once"),
        ]
        verbose_name = _("founding reserve handover")
        verbose_name_plural = _("founding reserve handovers")

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.union} {self.amount}"


class DuesPayment(models.Model):
    """A member's dues (会费) for one month, as the grassroots union recorded them."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments", verbose_name=_("member"))
    period = models.DateField(_("month"))
    wage = models.DecimalField(_("monthly wage"), **MONEY)
    amount = models.DecimalField(_("dues"), **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "member__org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["-period", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "period"], name="funds_dues_once_per_month")]
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")

    def __str__(self) -> str:
        return f"{self.member} {self.period:%Y-%m} {self.amount}"
