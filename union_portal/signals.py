"""Login and logout go into the audit log (success and failure)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .apitokens import tokens_revoke_all
from .audit import audit_record
from .middleware import client_ip_from
from .models import AuditLog


def _ip(request):
    return client_ip_from(request) if request is not None else None


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, ip=_ip(request))


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        # Every log-out path (the portal's, the admin's, the end of a session by PortalSecurityMiddleware)
        # sends this signal: the account's API tokens end with the session.
        tokens_revoke_all(user=user, reason="logout")
        audit_record(actor=user, action="auth.logout", obj=user, ip=_ip(request))


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action="auth.login",
        result=AuditLog.Result.FAILED,
        object_type="union_portal.user",
        object_repr=str(credentials.get("username", ""))[:150],
        ip=_ip(request),
    )


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        actor=None,
        action="auth.lockout",
        result=AuditLog.Result.DENIED,
        object_type="union_portal.user",
        object_repr=str(username or "")[:150],
        ip=ip_address,
    )
