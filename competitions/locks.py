"""Row locks of competitions. A score or a safety assessment locks its period first, then its own row (the
order ``period_close`` takes), so no score lands after a close has read them."""

from .models import Campaign, JudgeAssignment, Period, SafetyReport, Team


def campaign_for_update(pk: int) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=pk)


def team_for_update(pk: int) -> Team:
    return Team.objects.select_for_update().get(pk=pk)


def period_for_update(pk: int, *, with_campaign: bool = False) -> Period:
    """The period, locked; ``with_campaign`` joins (and so locks) its campaign too, as a close or a release
    needs it unchanged."""
    qs = Period.objects.select_for_update()
    if with_campaign:
        qs = qs.select_related("campaign")
    return qs.get(pk=pk)


def assignment_for_update(assignment: JudgeAssignment) -> tuple[Period, JudgeAssignment]:
    """Lock the assignment's period, then the assignment."""
    period = period_for_update(assignment.period_id)
    assignment = JudgeAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.period = period
    return period, assignment


def safety_report_for_update(report: SafetyReport) -> tuple[Period, SafetyReport]:
    """Lock the report's period, then the report."""
    period = period_for_update(report.period_id)
    report = SafetyReport.objects.select_for_update().get(pk=report.pk)
    return period, report
