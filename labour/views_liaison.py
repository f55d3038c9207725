"""Pages of cadres' liaison (百名干部联基层): thin views (parse, check, call a service or selector, render)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.scoping import has_role

from .forms_liaison import AssignmentForm, CloseIssueForm, IssueFormSet, OpenCaseForm, OpenRoundForm, VisitForm
from .models import IssueStatus
from .permissions.liaison import (
    ASSIGNER_ROLES,
    CADRE_ROLES,
    VIEW_ROLES,
    can_assign,
    can_log_visit,
    get_assignment_for,
    get_issue_for,
)
from .selectors import liaison as selectors
from .services import liaison as services


@role_required(*CADRE_ROLES)
def liaison_mine(request):
    today = timezone.localdate()
    rows = selectors.assignment_rows(selectors.cadre_assignments(user=request.user), today=today)
    return render(
        request,
        "labour/liaison/mine.html",
        {
            "rows": rows,
            "issues": selectors.cadre_open_issues(user=request.user)[:100],
            "months": selectors.visit_every_months(),
            "can_assign": has_role(request.user, *ASSIGNER_ROLES),
        },
    )


@role_required(*VIEW_ROLES)
def liaison_assignments(request):
    today = timezone.localdate()
    active_only = request.GET.get("all") != "1"
    page = paginate(selectors.assignment_list(user=request.user, active_only=active_only), request, per_page=50)
    return render(
        request,
        "labour/liaison/assignment_list.html",
        {
            "page": page,
            "rows": selectors.assignment_rows(page.object_list, today=today),
            "active_only": active_only,
            "months": selectors.visit_every_months(),
            "can_assign": has_role(request.user, *ASSIGNER_ROLES),
        },
    )


@role_required(*ASSIGNER_ROLES)
def liaison_assign(request):
    form = AssignmentForm(
        request.POST or None,
        cadres=selectors.cadre_choices(user=request.user),
        enterprises=selectors.enterprise_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The enterprise was assigned."))
            return redirect(assignment)
    return render(request, "labour/congress/form.html", {"form": form, "title": _("Assign an enterprise to a cadre")})


@role_required(*VIEW_ROLES)
def liaison_assignment(request, pk: int):
    assignment = get_assignment_for(request.user, pk)
    visits = list(selectors.assignment_visits(assignment=assignment))
    may_follow_up = assignment.cadre_id == request.user.pk or can_assign(request.user, assignment.enterprise)
    return render(
        request,
        "labour/liaison/assignment_detail.html",
        {
            "a": assignment,
            "visits": visits,
            "can_visit": can_log_visit(request.user, assignment),
            "can_end": assignment.ended_on is None and can_assign(request.user, assignment.enterprise),
            "may_follow_up": may_follow_up,
            "open_status": IssueStatus.OPEN,
            "closed_status": IssueStatus.CLOSED,
        },
    )


@role_required(*CADRE_ROLES)
def liaison_visit(request, pk: int):
    assignment = get_assignment_for(request.user, pk)
    if not can_log_visit(request.user, assignment):
        raise PermissionDenied
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    formset = IssueFormSet(request.POST or None, prefix="issue")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        issues = [
            services.IssueInput(kind=f.cleaned_data["kind"], description=f.cleaned_data["description"])
            for f in formset
            if f.cleaned_data.get("kind")
        ]
        try:
            services.visit_log(by=request.user, assignment=assignment, issues=issues, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The visit was logged."))
            return redirect(assignment)
    return render(request, "labour/liaison/visit_form.html", {"a": assignment, "form": form, "formset": formset})


@require_POST
@role_required(*ASSIGNER_ROLES)
def liaison_end(request, pk: int):
    assignment = get_assignment_for(request.user, pk, for_change=True)
    try:
        services.assignment_end(by=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The assignment was ended."))
    return redirect(assignment)


@role_required(*CADRE_ROLES)
def liaison_issue_case(request, pk: int):
    issue = get_issue_for(request.user, pk, for_change=True)
    form = OpenCaseForm(request.POST or None, initial={"facts": issue.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_open_case(by=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("A rights case was opened."))
            return redirect(issue.visit.assignment)
    return render(
        request,
        "labour/congress/form.html",
        {"form": form, "title": _("Open a rights case from the issue"), "intro": issue.description},
    )


@role_required(*CADRE_ROLES)
def liaison_issue_round(request, pk: int):
    issue = get_issue_for(request.user, pk, for_change=True)
    form = OpenRoundForm(request.POST or None, initial={"subject": issue.description[:200]})
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_open_round(by=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("A bargaining request was opened."))
            return redirect(issue.visit.assignment)
    return render(
        request,
        "labour/congress/form.html",
        {"form": form, "title": _("Ask for wage bargaining about the issue"), "intro": issue.description},
    )


@require_POST
@role_required(*CADRE_ROLES)
def liaison_issue_close(request, pk: int):
    issue = get_issue_for(request.user, pk, for_change=True)
    form = CloseIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how it was settled."))
    else:
        try:
            services.issue_close(by=request.user, issue=issue, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The issue was closed."))
    return redirect(issue.visit.assignment)
