"""Reads of hardship applications: the staff list, one application's history, the worker's own, and the notices
at the unit a member may see."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from union_portal.audit_words import action_label
from union_portal.membership import member_of_user
from union_portal.models import AuditLog, OrgUnit
from union_portal.notices.models import PublicNotice, ReviewStep
from union_portal.roles import Role
from union_portal.scoping import scope, scope_paths
from union_portal.tree import subtree_q

from ..models import Application, RuleSet
from ..permissions.applications import STAFF_ROLES


def application_list(*, user, status: str = "", township: OrgUnit | None = None) -> QuerySet[Application]:
    """The applications of the user's staff area (drafts are the applicant's own until submitted)."""
    qs = scope(Application.objects.all(), user, roles=STAFF_ROLES, include_owner=False).exclude(
        status=Application.Status.DRAFT
    )
    if status:
        qs = qs.filter(status=status)
    if township is not None:
        qs = qs.filter(subtree_q(township.path, field="org"))
    return qs.select_related("org", "member").order_by("-submitted_at", "-id")


def townships_of(*, user) -> QuerySet[OrgUnit]:
    """The townships in the user's staff area (the list's filter)."""
    return OrgUnit.objects.filter(subtree_q(*scope_paths(user, STAFF_ROLES), field=""), kind=OrgUnit.Kind.TOWNSHIP)


def applications_of_user(*, user) -> QuerySet[Application]:
    """The worker's own applications, newest first."""
    return Application.objects.filter(member__user=user).select_related("org").order_by("-created_at", "-id")


def application_history(*, application: Application) -> list[dict]:
    """What happened to the application, oldest first: the audit rows (named in words) and the review comments.
    Reveals and document views are left out: the history is the worker's too."""
    rows = AuditLog.objects.filter(object_type="assistance.application", object_id=str(application.pk)).exclude(
        action__in=["assistance.application_reveal", "assistance.document_view"]
    )
    history = [{"at": row.at, "what": action_label(row.action), "comment": ""} for row in rows]
    reviews = ReviewStep.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application), subject_id=application.pk
    )
    history += [
        {"at": step.created_at, "what": step.get_stage_display(), "comment": step.comment}
        for step in reviews
        if step.comment
    ]
    return sorted(history, key=lambda row: row["at"])


def unit_notices_for(*, user, today: dt.date) -> list[dict]:
    """The hardship notices running at the unit of the logged-in member: masked name (the title), the unit and
    the category, nothing else. Members of other unions see none of them. Two queries."""
    member = member_of_user(user=user, holding_only=True)
    if member is None:
        return []
    notices = list(
        PublicNotice.objects.filter(
            subject_type=ContentType.objects.get_for_model(Application),
            audience=PublicNotice.Audience.UNIT_MEMBERS,
            status=PublicNotice.Status.OPEN,
            org_id=member.org_id,
            starts_on__lte=today,
            ends_on__gte=today,
        ).order_by("starts_on", "id")
    )
    categories = dict(Application.objects.filter(pk__in=[n.subject_id for n in notices]).values_list("pk", "category"))
    labels = dict(Application._meta.get_field("category").choices)
    return [
        {
            "notice": notice,
            "title": notice.title,
            "unit": notice.unit_name,
            "category": labels.get(categories.get(notice.subject_id), ""),
            "ends_on": notice.ends_on,
        }
        for notice in notices
    ]


def rules_versions(*, org: OrgUnit) -> QuerySet[RuleSet]:
    return RuleSet.objects.filter(org=org).order_by("-effective_from")


def rules_org_of(*, user) -> OrgUnit | None:
    """The district whose rules the user edits (their district-admin node)."""
    from union_portal.scoping import home_nodes

    return home_nodes(user, roles=[Role.DISTRICT_ADMIN]).first()
