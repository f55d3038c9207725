"""API bearer tokens (issue 14 M2): issued at ``/api/v1/auth/token/``, stored only as SHA-256 digests.

- Staff (any account that can reach staff pages or the admin) get one token that lives like a staff session:
  API_STAFF_TOKEN_IDLE_SECONDS without use ends it, and in any case API_STAFF_TOKEN_ABSOLUTE_SECONDS after
  issue. No refresh token: a staff app logs in again, with its second factor.
- A worker's phone app gets an access token (API_ACCESS_TOKEN_SECONDS) and a refresh token
  (API_REFRESH_TOKEN_SECONDS). A refresh token is used once: refreshing rotates both. Presenting a rotated
  refresh token again means it was copied: the whole family is revoked.
- Every token ends when the account's password or session epoch changes (``auth_hash``), when the account is
  disabled, and is revoked explicitly on log-out, 2FA reset and role withdrawal (``user_end_sessions``).
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .audit import audit_record
from .models import ApiToken, User
from .scoping import assignments_of

TOKEN_PREFIX = "upt_"  # noqa: S105  (a marker that makes leaked tokens easy to find, not a secret)
# last_used_at is written at most once a minute per token: the idle limit is counted in minutes.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedTokens:
    access: str
    access_expires_at: datetime
    refresh: str | None = None
    refresh_expires_at: datetime | None = None


class TokenError(Exception):
    """A refresh that is refused; ``code`` says why (invalid, reused)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def digest_of(raw: str) -> str:
    # The token carries 256 random bits, so a plain hash (no salt, no stretching) cannot be reversed.
    return hashlib.sha256(raw.encode()).hexdigest()


def is_staff_account(user) -> bool:
    """An account that can reach staff pages (a role) or the admin: its tokens live like staff sessions."""
    return bool(user.is_staff or user.is_superuser or assignments_of(user))


def _new(*, user: User, kind: str, family: uuid.UUID, label: str, now: datetime, lifetime: int) -> tuple:
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        digest=digest_of(raw),
        family=family,
        auth_hash=user.get_session_auth_hash(),
        label=label[:200],
        last_used_at=now,
        expires_at=now + timedelta(seconds=lifetime),
    )
    return raw, token


def _app_pair(*, user: User, family: uuid.UUID, label: str, now: datetime) -> IssuedTokens:
    access, access_row = _new(
        user=user,
        kind=ApiToken.Kind.ACCESS,
        family=family,
        label=label,
        now=now,
        lifetime=settings.API_ACCESS_TOKEN_SECONDS,
    )
    refresh, refresh_row = _new(
        user=user,
        kind=ApiToken.Kind.REFRESH,
        family=family,
        label=label,
        now=now,
        lifetime=settings.API_REFRESH_TOKEN_SECONDS,
    )
    return IssuedTokens(access, access_row.expires_at, refresh, refresh_row.expires_at)


@transaction.atomic
def token_issue(*, user: User, label: str = "", now: datetime | None = None) -> IssuedTokens:
    """New tokens for ``user``, who has just proved who they are (password, and second factor for staff)."""
    now = now or timezone.now()
    family = uuid.uuid4()
    if is_staff_account(user):
        raw, row = _new(
            user=user,
            kind=ApiToken.Kind.STAFF,
            family=family,
            label=label,
            now=now,
            lifetime=settings.API_STAFF_TOKEN_ABSOLUTE_SECONDS,
        )
        issued = IssuedTokens(raw, min(row.expires_at, now + timedelta(seconds=settings.API_STAFF_TOKEN_IDLE_SECONDS)))
    else:
        issued = _app_pair(user=user, family=family, label=label, now=now)
    audit_record(actor=user, action="auth.token", obj=user, detail={"family": str(family)})
    return issued


def _alive(token: ApiToken, now: datetime) -> bool:
    """Whether ``token`` may still be used (not revoked, rotated, expired, idle, nor of a changed account)."""
    user = token.user
    if token.revoked_at is not None or token.rotated_at is not None or not user.is_active:
        return False
    if now >= token.expires_at:
        return False
    if token.kind == ApiToken.Kind.STAFF and now - token.last_used_at >= timedelta(
        seconds=settings.API_STAFF_TOKEN_IDLE_SECONDS
    ):
        return False
    return constant_time_compare(token.auth_hash, user.get_session_auth_hash())


def token_authenticate(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The live access or staff token ``raw``, its use recorded (which extends a staff token's idle limit);
    None when there is no such token or it has ended. A refresh token never authenticates a request."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(raw), kind__in=[ApiToken.Kind.STAFF, ApiToken.Kind.ACCESS])
        .first()
    )
    if token is None or not _alive(token, now):
        return None
    if now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _revoke(qs: QuerySet, *, reason: str, now: datetime) -> int:
    return qs.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_reason=reason)


def token_refresh(*, raw: str, label: str = "", now: datetime | None = None) -> IssuedTokens:
    """Exchange a worker's refresh token for a new access and refresh token. Locks the refresh token's row so
    that two refreshes with one token cannot both succeed. A rotated token presented again revokes its family
    (it was copied), and that revocation is committed although the refresh is refused; staff accounts never
    refresh (they log in again with their second factor)."""
    now = now or timezone.now()
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(digest=digest_of(raw), kind=ApiToken.Kind.REFRESH)
            .first()
        )
        if token is None:
            raise TokenError("invalid")
        if token.rotated_at is not None:
            if _revoke(ApiToken.objects.filter(family=token.family), reason="reuse", now=now):
                audit_record(
                    actor=token.user,
                    action="auth.token_reuse",
                    obj=token.user,
                    result="denied",
                    detail={"family": str(token.family)},
                )
            issued = None
        elif not _alive(token, now) or is_staff_account(token.user):
            raise TokenError("invalid")
        else:
            token.rotated_at = now
            token.save(update_fields=["rotated_at"])
            # The access tokens issued with the old refresh token end with it.
            _revoke(ApiToken.objects.filter(family=token.family, kind=ApiToken.Kind.ACCESS), reason="rotated", now=now)
            issued = _app_pair(user=token.user, family=token.family, label=label or token.label, now=now)
    if issued is None:
        raise TokenError("reused")
    return issued


@transaction.atomic
def token_revoke_family(*, user: User, token_id: int, reason: str = "revoked", now: datetime | None = None) -> None:
    """Revoke the token ``token_id`` of ``user`` and every token of its family (404 when not theirs)."""
    from django.http import Http404

    now = now or timezone.now()
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    _revoke(ApiToken.objects.filter(family=token.family), reason=reason, now=now)
    audit_record(actor=user, action="auth.token_revoke", obj=user, detail={"family": str(token.family)})


def tokens_revoke_all(*, user: User, reason: str, now: datetime | None = None) -> int:
    """Revoke every token of ``user`` (log-out, password change, account disabled, role withdrawn, 2FA reset)."""
    return _revoke(ApiToken.objects.filter(user=user), reason=reason, now=now or timezone.now())


def user_end_sessions(*, user: User, reason: str) -> None:
    """End every session (web and API) of ``user`` at once: raising the session epoch changes the session
    hash Django checks on every request, and every API token is revoked."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    tokens_revoke_all(user=user, reason=reason)


def token_list(*, user: User, now: datetime | None = None) -> list[ApiToken]:
    """The live sign-ins of ``user``'s apps, for their account page: one row per staff token or refresh token
    (the access tokens come and go with their refresh token)."""
    now = now or timezone.now()
    rows = ApiToken.objects.select_related("user").filter(
        user=user,
        kind__in=[ApiToken.Kind.STAFF, ApiToken.Kind.REFRESH],
        revoked_at__isnull=True,
        rotated_at__isnull=True,
        expires_at__gt=now,
    )
    return [row for row in rows if _alive(row, now)]
