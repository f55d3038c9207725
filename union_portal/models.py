from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .crypto import EncryptedTextField, mask_personal_numbers
from .roles import Role
from .tree import OrgUnit, OrgUnitMove  # noqa: F401  (the union tree's models are the core's)
from .workdays import HolidayDay  # noqa: F401  (the working-day calendar)


class User(AbstractUser):
    """A portal account: union staff, a judge or a worker. Staff rights come from RoleAssignment rows;
    a worker is a user linked to a members.Member (member.user)."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    # Encrypted at rest like a member's mobile (issue 14 M10); max_length is for forms only.
    mobile = EncryptedTextField(_("mobile phone"), max_length=11, blank=True)
    # Set by onetime.mark_mobile_verified when this login proved, by a one-time code or link sent there, that
    # it owns ``mobile``; cleared when the number changes (see onetime.mobile_is_verified).
    mobile_verified_at = models.DateTimeField(_("mobile verified at"), null=True, blank=True)
    mobile_verified_number = EncryptedTextField(max_length=11, blank=True, editable=False)
    # The verified number as a blind index (identity.mobile_hash): a worker logs in with it, a password reset
    # finds the account by it, and one verified number belongs to one account (the constraint below).
    mobile_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Raised to end every session and API token of the account at once (role withdrawn, account disabled,
    # two-factor reset): it is part of the session hash that Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The large-text mode (适老化) chosen by this person: None until they choose; then it wins over the device's
    # cookie (union_portal/display.py).
    large_text = models.BooleanField(_("large text"), null=True, blank=True, default=None, editable=False)

    class Meta:
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["mobile_hash"], condition=~models.Q(mobile_hash=""), name="one_account_per_verified_mobile"
            )
        ]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret=None):
        # Epoch 0 gives Django's own hash (its salt, the password alone), so that sessions open before this
        # field existed stay valid.
        if not self.session_epoch:
            salt, message = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", self.password
        else:
            salt, message = "union_portal.User.get_session_auth_hash", f"{self.password}:{self.session_epoch}"
        return salted_hmac(salt, message, secret=secret, algorithm="sha256").hexdigest()

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        # The person's name is full_name (Chinese names are not split into first and last names).
        return self.full_name or super().get_full_name()


class RoleAssignment(models.Model):
    """User holds role at node; staff roles see the node's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    node = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("organisation")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role", "node"], name="uniq_role_assignment")]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.node}"


class ApiToken(models.Model):
    """A bearer token of the API (union_portal.apitokens). Only a SHA-256 digest of the token is stored.

    Staff get one token that lives like a staff session (idle and absolute limits); a worker's app gets a
    short-lived access token and a refresh token, rotated on use. The tokens issued together and those that
    replace them by refresh share a ``family``: revoking one revokes the family."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff token")
        ACCESS = "access", _("App access token")
        REFRESH = "refresh", _("App refresh token")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64, unique=True)
    family = models.UUIDField(db_index=True)
    # The account's session hash when the token was issued: a changed password (or session epoch) ends it.
    auth_hash = models.CharField(max_length=128)
    label = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"))
    expires_at = models.DateTimeField(_("expires"))
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"


class AuditLog(models.Model):
    """Append-only audit trail (等保 level 3). Written only by union_portal.audit.audit_record.

    Rows are never updated or deleted: save() refuses an update and delete() raises; on PostgreSQL a
    trigger refuses UPDATE and DELETE in the database itself (migration 0002)."""

    class Result(models.TextChoices):
        OK = "ok", _("Succeeded")
        DENIED = "denied", _("Denied")
        FAILED = "failed", _("Failed")

    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.OK)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # Time first (a year's or a day's entries read only those), in the list's order (-at, -id). It is
            # also the key the table is partitioned by once it outgrows one index (docs/partitioning.md).
            models.Index(fields=["at", "id"], name="audit_at_idx"),
        ]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit log entries are append-only.")


class Notification(models.Model):
    """One event told to one user: in the portal inbox, and by SMS and e-mail where known.

    ``event_key`` is unique: the same event (e.g. ``claim:42:approved``) is never notified twice, however often
    the service that raises it runs."""

    # None: a person without a login (a member told by SMS only); no inbox shows the row.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event_key = models.CharField(max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    SCOPE_OWNER = "user"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """Sending one notification over one outside channel (SMS, e-mail, WeChat), by Celery with retries."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        WECHAT = "wechat", _("WeChat")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # a member's mobile, e-mail or WeChat openid: encrypted at rest (issue 14 M10)
    address = EncryptedTextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        if self.channel == self.Channel.WECHAT:
            from .wechat import mask_openid

            return f"{self.channel} → {mask_openid(self.address)}: {self.status}"
        return f"{self.channel} → {mask_personal_numbers(self.address)}: {self.status}"


class NotificationPreference(models.Model):
    """Which outside channels a user wants their notifications on. No row: every channel (the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    sms = models.BooleanField(_("by SMS"), default=True)
    wechat = models.BooleanField(_("by WeChat"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_OWNER = "user"

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: sms={self.sms} wechat={self.wechat}"


class WechatBinding(models.Model):
    """A user's WeChat identity in the portal's mini-program (the openid from ``wx.login``), one per user and
    one user per openid. The openid is personal data: encrypted, unique through its blind index, masked on
    display."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wechat_binding")
    openid = EncryptedTextField()
    openid_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_OWNER = "user"

    class Meta:
        ordering = ["id"]
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")

    def __str__(self) -> str:
        from .wechat import mask_openid

        return f"{self.user} → {mask_openid(self.openid)}"


class WechatConsent(models.Model):
    """How many subscription messages of one template the user has agreed to receive (each
    ``wx.requestSubscribeMessage`` acceptance allows one); one is used by each message sent."""

    binding = models.ForeignKey(WechatBinding, on_delete=models.CASCADE, related_name="consents")
    template_id = models.CharField(max_length=64)
    remaining = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE_OWNER = "binding__user"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["binding", "template_id"], name="one_consent_per_template")]
        verbose_name = _("WeChat subscription consent")
        verbose_name_plural = _("WeChat subscription consents")

    def __str__(self) -> str:
        return f"{self.template_id}: {self.remaining}"


class OneTimeCode(models.Model):
    """A numeric code sent by SMS for one purpose to one mobile number (union_portal.onetime). Only a keyed
    hash of the code is stored; it expires, allows a few tries and is used once."""

    purpose = models.CharField(max_length=40)
    # The number as a blind index (identity.mobile_hash), never in plain text (issue 14 M10).
    mobile_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32, unique=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "mobile_hash", "created_at"], name="onetime_code_idx")]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.purpose} → {self.mobile_hash[:8]}…"


class OneTimeLink(models.Model):
    """A single-use link for one purpose and one user (union_portal.onetime): the URL carries a signed random
    token; only its SHA-256 is stored. A link for someone who has no account yet (a handler's invitation to a
    member of the roll) names its ``subject`` instead, e.g. ``member:42``; the app that issued it reads it."""

    purpose = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="onetime_links"
    )
    subject = models.CharField(max_length=64, blank=True, default="", db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time link")
        verbose_name_plural = _("one-time links")

    def __str__(self) -> str:
        return f"{self.purpose} → {self.user}"


from .notices.models import Objection, PublicNotice, ReviewStep  # noqa: E402,F401  core capabilities' tables
from .payments.models import BankLayout, Payment, PaymentBatch, PaymentSetting  # noqa: E402,F401
from .surveys.models import (  # noqa: E402,F401  the surveys capability's tables live in the core app
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
)
