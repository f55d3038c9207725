"""Login and logout go into the audit log (success and failure); a change of the holiday table moves the
working-day calendar's version and fires ``workdays.calendar_changed`` after commit."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from treebeard.mp_tree import nodes_deleted, path_updated

from . import usercache, workdays
from .apitokens import tokens_revoke_all
from .audit import audit_record
from .middleware import client_ip_from
from .models import AuditLog, HolidayDay, OrgUnit, RoleAssignment


def _ip(request):
    return client_ip_from(request) if request is not None else None


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, ip=_ip(request))


@receiver(user_logged_in)
def count_unread_at_login(sender, request, user, **kwargs):
    """Count the inbox's unread messages once at log-in, so that the pages after it read the count from the
    cache (the 消息中心 link shows it on every page)."""
    from .notifications import forget_unread_count, unread_count

    forget_unread_count(user.pk)
    unread_count(user)


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


@receiver(post_save, sender=HolidayDay)
@receiver(post_delete, sender=HolidayDay)
def holiday_table_changed(sender, instance: HolidayDay, **kwargs):
    # Any save or delete, whoever makes it: derived end dates and deadlines must follow the table.
    workdays.calendar_changed([instance.date])


# --- The per-user cache (union_portal.usercache) -------------------------------------------------------------
# Role assignments are created and deleted through the model (accounts.role_assign/role_withdraw, the admin,
# demo data; queryset.delete() sends post_delete for each row since these receivers exist); nothing updates or
# bulk-creates them. Org units: the entries hold (role, node id, node path), never a name, and a path is set
# when a unit is created: only a move (treebeard rewrites the subtree's paths in raw SQL: path_updated) and a
# delete change them. A new or renamed unit leaves every entry as it is.


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def assignments_changed(sender, instance, **kwargs):
    usercache.user_changed(instance.user_id)


@receiver(post_delete, sender=OrgUnit)
def org_unit_changed(sender, instance, **kwargs):
    usercache.tree_changed()


@receiver(path_updated, sender=OrgUnit)
@receiver(nodes_deleted, sender=OrgUnit)
def org_paths_changed(sender, **kwargs):
    usercache.tree_changed()
