"""Staff accounts: admins (and township staff, for handlers) create accounts, assign and withdraw roles at
nodes of their subtree, disable accounts and reset two-factor authentication. Every change is audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from .apitokens import user_end_sessions
from .audit import audit_record
from .models import RoleAssignment, User
from .permissions import MANAGER_ROLES, grantable_roles
from .roles import Role
from .scoping import has_role, scope_paths
from .tree import subtree_q


def staff_list(*, user, search: str = "") -> QuerySet:
    """Accounts holding a role at a node inside the manager's subtree (each shown with all its roles)."""
    paths = scope_paths(user, MANAGER_ROLES)
    ids = RoleAssignment.objects.filter(subtree_q(*paths, field="node")).values("user_id")
    qs = get_user_model().objects.filter(pk__in=ids)
    if search:
        qs = qs.filter(username__icontains=search) | qs.filter(full_name__icontains=search, pk__in=ids)
    return qs.prefetch_related(
        Prefetch("assignments", queryset=RoleAssignment.objects.select_related("node").order_by("node__path"))
    ).order_by("username")


def staff_get(*, user, pk: int):
    from django.http import Http404

    try:
        return staff_list(user=user).get(pk=pk)
    except get_user_model().DoesNotExist:
        raise Http404 from None


def segregation_conflict(held: set[str], role: str) -> str | None:
    """The role of ``held`` that ``role`` may not be combined with (settings.SEGREGATED_ROLES), or None."""
    for first, second in settings.SEGREGATED_ROLES:
        if role == first and second in held:
            return second
        if role == second and first in held:
            return first
    return None


def _check_may_grant(*, by: User, target, role: str, node) -> None:
    """Preconditions of every grant: the manager may grant ``role`` at ``node``; nobody changes their own
    roles; segregation of duties (SEGREGATED_ROLES) holds for the target's roles anywhere in the tree."""
    if role not in grantable_roles(by, node):
        raise PermissionDenied
    if target is not None and target.pk == by.pk:
        raise ValidationError(_("You cannot change your own roles. Ask another administrator."))
    held = set(target.assignments.values_list("role", flat=True)) if target is not None else set()
    conflict = segregation_conflict(held, role)
    if conflict is not None:
        raise ValidationError(
            _(
                "One account may not be both %(held)s and %(role)s (segregation of duties). "
                "Give the role to another person."
            )
            % {"held": Role(conflict).label, "role": Role(role).label}
        )


@transaction.atomic
def staff_create(*, by: User, username: str, full_name: str, mobile: str, role: str, node):
    """Create a staff account with ``role`` at ``node``. The manager chooses no password: the account has
    none until the person opens the one-time enrolment link sent to their own mobile
    (``twofactor.enrolment_link_send``), where they choose it and bind their authenticator."""
    from .twofactor import enrolment_link_send

    _check_may_grant(by=by, target=None, role=role, node=node)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    candidate = User(username=username, full_name=full_name, mobile=mobile)
    candidate.set_unusable_password()
    candidate.save()
    RoleAssignment.objects.create(user=candidate, role=role, node=node, created_by=by)
    audit_record(actor=by, action="account.create", obj=candidate, detail={"role": role, "node": node.code})
    enrolment_link_send(user=candidate, by=by)
    return candidate


@transaction.atomic
def role_assign(*, by: User, target, role: str, node) -> RoleAssignment:
    """Grant ``role`` at ``node`` (see ``_check_may_grant``). Locks the target's row so that two grants at once
    cannot together break segregation of duties."""
    target = get_user_model().objects.select_for_update().get(pk=target.pk)
    _check_may_grant(by=by, target=target, role=role, node=node)
    first_role = not RoleAssignment.objects.filter(user=target).exists()
    assignment, created = RoleAssignment.objects.get_or_create(
        user=target, role=role, node=node, defaults={"created_by": by}
    )
    if not created:
        raise ValidationError(_("The account already holds this role here."))
    if first_role:
        # A worker becoming staff: what they signed in with had no second factor (a worker's app token, a
        # session without 2FA); it ends, and they sign in again as staff.
        user_end_sessions(user=target, reason="became_staff")
    audit_record(actor=by, action="account.role_assign", obj=target, detail={"role": role, "node": node.code})
    return assignment


@transaction.atomic
def role_withdraw(*, by: User, assignment: RoleAssignment) -> None:
    if assignment.role not in grantable_roles(by, assignment.node):
        raise PermissionDenied
    if assignment.user_id == by.pk:
        raise ValidationError(_("You cannot withdraw your own role."))
    detail = {"role": assignment.role, "node": assignment.node.code}
    target = assignment.user
    assignment.delete()
    # Whatever the account was doing with the withdrawn role ends now, in the browser and in the API.
    user_end_sessions(user=target, reason="role_withdrawn")
    audit_record(actor=by, action="account.role_withdraw", obj=target, detail=detail)


def _check_manages(by: User, target) -> None:
    if not has_role(by, *MANAGER_ROLES) or target.pk == by.pk:
        raise PermissionDenied
    # A manager may act on an account only when they could grant every role it holds.
    for assignment in target.assignments.select_related("node"):
        if assignment.role not in grantable_roles(by, assignment.node):
            raise PermissionDenied


@transaction.atomic
def staff_set_active(*, by: User, target, active: bool):
    """Disabling ends the account's sessions and API tokens at once (``user_end_sessions``; an inactive user
    is never loaded from a session or a token either)."""
    _check_manages(by, target)
    target.is_active = active
    target.save(update_fields=["is_active"])
    if not active:
        user_end_sessions(user=target, reason="disabled")
    audit_record(actor=by, action="account.enable" if active else "account.disable", obj=target)
    return target


@transaction.atomic
def staff_reset_two_factor(*, by: User, target):
    """The account's authenticators are removed (lost phone without recovery codes) and a new one can be bound
    only through the one-time enrolment link sent to the person's own mobile, never by the password alone."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import enrolment_link_send

    _check_manages(by, target)
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    # Sessions and tokens verified with the old authenticator end with it.
    user_end_sessions(user=target, reason="2fa_reset")
    audit_record(actor=by, action="account.reset_2fa", obj=target)
    enrolment_link_send(user=target, by=by)
    return target
