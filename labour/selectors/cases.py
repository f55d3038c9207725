"""Reads of rights cases (维权): lists for staff, lawyers and workers, the timers, the roster's workload, and
what the ratings part reads (``serious_cases_for``)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from ..models import CaseDocument, CaseSettings, CaseStatus, CaseStep, CaseType, Lawyer, RightsCase
from ..permissions.cases import visible_cases_q


def overdue_q(today: dt.date) -> Q:
    """Open cases past one of their timers: not accepted by the acknowledgement date, no first answer by its
    date, or neither closed nor reported by the close date."""
    return ~Q(status=CaseStatus.CLOSED) & (
        Q(status=CaseStatus.NEW, accept_due__lt=today)
        | Q(first_answer_on__isnull=True, answer_due__lt=today)
        | Q(close_due__lt=today)
    )


def cases_visible(*, user) -> QuerySet[RightsCase]:
    return RightsCase.objects.filter(visible_cases_q(user))


def case_list(
    *,
    user,
    today: dt.date,
    status: str = "",
    case_type: str = "",
    overdue: bool = False,
    search: str = "",
) -> QuerySet[RightsCase]:
    """The staff list: the cases the user may see, filtered; one query with the handling union and employer."""
    qs = cases_visible(user=user).select_related("org", "enterprise")
    if status:
        qs = qs.filter(status=status)
    if case_type:
        qs = qs.filter(case_type=case_type)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if search:
        qs = qs.filter(
            Q(number__icontains=search) | Q(employer_name__icontains=search) | Q(enterprise__name__icontains=search)
        )
    return qs.order_by("-received_on", "-id")


def my_cases(*, user) -> QuerySet[RightsCase]:
    """The worker's own cases (whatever their confidentiality)."""
    if not getattr(user, "is_authenticated", False):
        return RightsCase.objects.none()
    return RightsCase.objects.filter(user=user).select_related("org").order_by("-received_on", "-id")


def case_steps(*, case: RightsCase) -> list[CaseStep]:
    return list(case.steps.select_related("by").prefetch_related("documents"))


def case_documents(*, case: RightsCase) -> list[CaseDocument]:
    return list(case.documents.all())


def group_size(*, case: RightsCase) -> int:
    """Workers in the case's group: the lead case's count plus each linked case's."""
    lead = case.group_lead or case
    linked = RightsCase.objects.filter(group_lead=lead).exclude(pk=lead.pk).values_list("worker_count", flat=True)
    return lead.worker_count + sum(linked)


@dataclass(frozen=True)
class Timer:
    label: str
    due: dt.date | None
    done_on: dt.date | None
    days_left: int | None  # negative: overdue by that many days

    @property
    def days_over(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.days_left is not None and self.days_left < 0


def case_timers(*, case: RightsCase, today: dt.date) -> list[Timer]:
    """The three timers of a case (DeadlineRule data: accept, first answer, close or report)."""
    closed_on = case.closed_on if case.status == CaseStatus.CLOSED else None

    def timer(label: str, due: dt.date | None, done: dt.date | None) -> Timer:
        left = None if due is None or done else (due - today).days
        return Timer(label, due, done, left)

    last_report = case.steps.filter(kind=CaseStep.Kind.PROGRESS).order_by("-on").values_list("on", flat=True).first()
    return [
        timer(_("Acceptance"), case.accept_due, case.accepted_on),
        timer(_("First answer"), case.answer_due, case.first_answer_on),
        timer(_("Close or report progress"), case.close_due, closed_on or last_report),
    ]


def lawyer_roster() -> QuerySet[Lawyer]:
    """The roster with each lawyer's workload (open cases assigned to them), one query."""
    return Lawyer.objects.annotate(
        workload=Count(
            "assignments",
            filter=Q(assignments__ended_on__isnull=True) & ~Q(assignments__case__status=CaseStatus.CLOSED),
        )
    ).order_by("name", "id")


def case_settings() -> CaseSettings:
    return CaseSettings.objects.order_by("pk").first() or CaseSettings()


def serious_cases_for(*, enterprise_ids, start: dt.date, end: dt.date) -> dict[int, int]:
    """For the ratings part: per enterprise, the group cases and the unresolved unpaid-wage cases received in
    [start, end]. Enterprises without any are left out. One query."""
    unresolved = Q(case_type=CaseType.UNPAID_WAGES) & (
        ~Q(status=CaseStatus.CLOSED) | Q(outcome__in=["not_resolved", "partly", "referred"])
    )
    rows = (
        RightsCase.objects.filter(enterprise_id__in=list(enterprise_ids), received_on__range=(start, end))
        .filter(Q(is_group=True) | unresolved)
        .values("enterprise_id")
        .annotate(n=Count("id"))
    )
    return {row["enterprise_id"]: row["n"] for row in rows}
