from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from union_portal import identity
from union_portal.crypto import EncryptedTextField, mask_id_number, mask_phone
from union_portal.models import OrgUnit
from union_portal.money import MONEY
from union_portal.uploads import RandomUploadTo


class Enterprise(models.Model):
    """A firm, identified by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    township = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("township/street")
    )
    union = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_enterprises",
        verbose_name=_("grassroots union"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "township"

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name

    @property
    def is_unionised(self) -> bool:
        return self.union_id is not None


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left")
    DECEASED = "deceased", _("Deceased")


# Statuses in which the person still holds the membership (retired members keep it, pay no dues).
HOLDING_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETIRED)


class Member(models.Model):
    """One membership of one person in one grassroots union.

    A person (identified by the HMAC of their ID number) has at most one active membership: the partial
    unique constraint ``one_active_membership_per_person`` guarantees it in the database. A transfer moves
    the membership to another union and keeps the member number."""

    Status = MemberStatus

    HOLDING_STATUSES = HOLDING_STATUSES

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    member_number = models.CharField(_("member number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, db_index=True)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bank_account = EncryptedTextField(_("bank account"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="members", verbose_name=_("grassroots union")
    )
    # The treebeard path of ``org``, kept by database triggers (migration 0014): on insert, on a change of
    # union, and when a unit moves in the tree. Lists and scoping read a subtree's members through the index
    # (org_path, member_number) without joining the tree (a township's first page reads 51 index rows).
    org_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    group = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        verbose_name=_("union group"),
    )
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("enterprise"),
    )
    job = models.CharField(_("job"), max_length=50, blank=True)
    is_frontline = models.BooleanField(_("frontline worker"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    is_hardship = models.BooleanField(_("hardship"), default=False)
    is_enterprise_head = models.BooleanField(_("enterprise head"), default=False)
    is_technical = models.BooleanField(_("technical staff"), default=False)
    joined_on = models.DateField(_("joined on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    monthly_wage = models.DecimalField(_("monthly wage"), **MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"
    SCOPE_PATH = "org_path"
    SCOPE_OWNER = "user"

    class Meta:
        ordering = ["member_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(status__in=list(HOLDING_STATUSES)),
                name="one_active_membership_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status_idx"),
            models.Index(fields=["org_path", "member_number"], name="member_org_path_number_idx"),
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.name} ({self.member_number})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:member_detail", args=[self.pk])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @staticmethod
    def hash_id_number(raw: str) -> str:
        return identity.id_number_hash(raw)


class MemberEvent(models.Model):
    """One change of a membership: joined, edited, status change, transfer out/in. The member's history
    page lists these; ``member_status_on`` reads them to know a member's status on a past date."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        EDITED = "edited", _("Details changed")
        STATUS = "status", _("Status changed")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    from_status = models.CharField(max_length=20, choices=Member.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Member.Status.choices, blank=True)
    from_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG = "member__org"
    SCOPE_OWNER = "member__user"

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["member", "effective_on"], name="member_event_date_idx")]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.effective_on}"

    @property
    def changed_field_labels(self) -> list[str]:
        """The member's fields this edit changed, by their labels (``changes`` keeps the field names). A
        transfer's bookkeeping (``transfer``, ``state``) is no field and is not listed."""
        if self.kind != self.Kind.EDITED:
            return []
        labels = []
        for name in self.changes or {}:
            try:
                labels.append(str(Member._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                continue
        return labels


class FoundingStatus(models.TextChoices):
    # A context: the notifications' "Pending" (待发送, not sent yet) would win the shared catalogue.
    PENDING = "pending", pgettext_lazy("awaiting a decision", "Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # Replaced by the township's own application, or lapsed after FOUNDING_PENDING_DAYS undecided.
    SUPERSEDED = "superseded", _("Superseded")


class FoundingApplication(models.Model):
    """An application to found a union (建会) in an enterprise, with the founding election result. The
    township union approves (which creates the grassroots union under the township) or rejects with a
    reason. ``founding_approve`` in services.py is the one place approval happens."""

    Status = FoundingStatus

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="founding_applications", verbose_name=_("enterprise")
    )
    township = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="founding_applications", verbose_name=_("township/street")
    )
    union_name = models.CharField(_("name of the union"), max_length=100)
    chair_name = models.CharField(_("elected chair"), max_length=50)
    meeting_date = models.DateField(_("date of the founding meeting"))
    member_count = models.PositiveIntegerField(_("founding members"))
    election_result = models.FileField(
        _("election result"), upload_to=RandomUploadTo("members/founding"), max_length=200
    )
    applicant_name = models.CharField(_("applicant"), max_length=50)
    applicant_phone = EncryptedTextField(_("applicant phone"), max_length=20)  # encrypted at rest (M10)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    union = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "township"
    SCOPE_OWNER = "submitted_by"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status=FoundingStatus.PENDING),
                name="one_pending_founding_per_enterprise",
            )
        ]
        verbose_name = _("union founding application")
        verbose_name_plural = _("union founding applications")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:founding_detail", args=[self.pk])


class JoinApplication(models.Model):
    """A worker's application to join (入会) a grassroots union, filed from a phone. The union's handler
    approves (a member number is issued, or a transfer request is opened when the person is active
    elsewhere) or rejects with a reason."""

    class Status(models.TextChoices):
        # A context: the notifications' "Pending" (待发送, not sent yet) would win the shared catalogue.
        PENDING = "pending", pgettext_lazy("awaiting a decision", "Pending")
        APPROVED = "approved", _("Approved")
        TRANSFER = "transfer", _("Became a transfer request")
        REJECTED = "rejected", _("Rejected")

    # Replaced by the township's own application, or lapsed after FOUNDING_PENDING_DAYS undecided.
    SUPERSEDED = "superseded", _("Superseded")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="join_applications"
    )
    org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="join_applications", verbose_name=_("grassroots union")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("resident ID number"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    mobile = EncryptedTextField(_("mobile phone"))
    job = models.CharField(_("job"), max_length=50, blank=True)
    is_frontline = models.BooleanField(_("frontline worker"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    # The applicant's consent to how the ID number and mobile are used (个人信息处理告知): the notice's version
    # and when it was given (members.services.joining.JOIN_CONSENT_VERSION).
    consent_version = models.CharField(_("personal information notice"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"
    SCOPE_OWNER = "user"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")

    def __str__(self) -> str:
        return f"{self.name} → {self.org}"

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def mobile_masked(self) -> str:
        return mask_phone(self.mobile)


class TransferStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("awaiting a decision", "Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class MemberTransfer(models.Model):
    """A transfer of a membership (会员关系接转) from one grassroots union to another: the old union
    releases, the new one accepts, the member number stays. Whoever asks gives their side's consent by
    asking (``requested_side``); the move waits for the other side. A request of the receiving union that
    the releasing union leaves unanswered goes, after ``MEMBERS_TRANSFER_RELEASE_WORKDAYS`` working days,
    to the township above both (``escalated_to``), which decides in its place."""

    Status = TransferStatus

    class Side(models.TextChoices):
        RELEASING = "from", _("Releasing union")
        RECEIVING = "to", _("Receiving union")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    from_org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_org = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="incoming_transfers", verbose_name=_("to")
    )
    to_enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    join_application = models.ForeignKey(
        JoinApplication, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_side = models.CharField(max_length=4, choices=Side.choices, default=Side.RELEASING)
    # The releasing union's consent (given by asking when it asked), or the escalated unit's decision.
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # The releasing union's handler confirmed that the applicant's login is this person (the login may be
    # linked to the membership on the move).
    login_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_to = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The releasing union's answer is due by this day: a denormalised copy of ``transfer_release_due`` (derived
    # from the request day and the working-day calendar), recomputed when the holiday table changes, so a
    # moved date can be told to the releasing union. Never the truth: the services derive it.
    release_due_on = models.DateField(_("answer due by"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Both unions see a transfer: the list selectors scope on from_org or to_org explicitly.
    SCOPE_ORG = "to_org"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status=TransferStatus.PENDING), name="one_pending_transfer"
            )
        ]
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")

    def __str__(self) -> str:
        return f"{self.member} {self.from_org} → {self.to_org}"

    @property
    def awaiting(self) -> str:
        """Whose decision a pending transfer waits for: "releasing", "escalated" or "receiving" ("" once
        settled)."""
        if self.status != TransferStatus.PENDING:
            return ""
        if self.released_at is None:
            return "escalated" if self.escalated_to_id else "releasing"
        return "receiving"


class MemberImport(models.Model):
    """An Excel import of members into one grassroots union: uploaded, checked (every problem listed),
    then stored all at once. Large files run in Celery; ``processed``/``total`` drive the progress bar."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        INVALID = "invalid", _("Has problems")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("grassroots union"))
    file = models.FileField(upload_to=RandomUploadTo("members/imports"), max_length=200)
    file_name = models.CharField(max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CHECKING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row, column, message], ...]
    notes = models.JSONField(default=list, blank=True)  # what was read: the sheet, columns left out
    error_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_ORG = "org"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)


class MemberExport(models.Model):
    """A roll export too large for the request (members.services.roll_export), built in Celery. The file
    (names, ID numbers, phones) is stored encrypted, downloadable only by the person who asked for it,
    and deleted after MEMBERS_EXPORT_RETENTION_HOURS by the nightly purge."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Deleted")

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    full = models.BooleanField(default=False)
    filters = models.JSONField(default=dict, blank=True)  # members.selectors.MemberFilters, the org as its id
    query = models.CharField(max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=RandomUploadTo("members/exports"), max_length=200, blank=True)
    file_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    SCOPE_OWNER = "by"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class NumberSequence(models.Model):
    """A named counter (member numbers per year), taken under SELECT FOR UPDATE so two approvals never
    issue the same number; an import reserves a whole block at once."""

    key = models.CharField(max_length=32, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class MobileRecoveryRequest(models.Model):
    """A worker who lost the number of their login asks to move it to a new number ([Front door]). A roll keeper
    of the member's union checks the person's ID document in person and confirms; a one-time link sent to the
    new number then finishes the change (members.services.recovery)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the identity check")
        CONFIRMED = "confirmed", _("Identity checked; link sent to the new number")
        DONE = "done", _("Number changed")
        REJECTED = "rejected", _("Rejected")

    SCOPE_ORG = "member__org"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="mobile_recoveries")
    new_mobile = EncryptedTextField(_("new mobile number"), max_length=11)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    id_document = models.CharField(_("ID document checked in person"), max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lost-number request")
        verbose_name_plural = _("lost-number requests")

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"
