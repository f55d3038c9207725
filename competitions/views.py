"""Pages of the competitions app: thin views over selectors and services.

Staff pages fetch campaigns through union_portal.scoping (judges hold no subtree visibility, so they reach
only their own assignments); public pages (leaderboard, team page, honour roll) show released results only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Enterprise, Member
from union_portal import sheets_out as so
from union_portal.forms import apply_validation_error
from union_portal.models import OrgUnit
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import ADMIN_ROLES, Role, role_holders
from union_portal.scoping import get_in_scope_or_404, scope
from union_portal.sheets_out import xlsx_response
from union_portal.uploads import serve_protected, stored_extension

from . import selectors, services, tables
from .forms import (
    AccidentForm,
    AssessForm,
    AssignForm,
    BandsForm,
    CampaignForm,
    ContestantForm,
    CriterionFormSet,
    GroupForm,
    JudgeProfileForm,
    ReopenForm,
    ReportForm,
    TeamForm,
)
from .models import Campaign, Honour, JudgeAssignment, JudgeProfile, Period
from .permissions import (
    JUDGES,
    MANAGERS,
    can_create_campaigns,
    can_manage,
    get_campaign_for,
    get_period_for,
    get_team_for,
)


def _with_means(results: list, criteria: list) -> list:
    """Attach each result's criterion means in sheet order, for the tables."""
    for result in results:
        result.mean_list = [result.means.get(str(c.pk), "") for c in criteria]
    return results


# --- staff: campaigns -------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    page = paginate(selectors.campaign_list(user=request.user), request, per_page=50)

    return render(
        request,
        "competitions/campaign_list.html",
        {"page": page, "can_create": can_create_campaigns(request.user)},
    )


@role_required(*MANAGERS)
def campaign_create(request):
    from union_portal.scoping import home_nodes

    org = home_nodes(request.user, roles=ADMIN_ROLES).first()
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "competitions/form.html", {"form": form, "title": _("New campaign")})


@login_required
def campaign_detail(request, pk: int):
    campaign = get_campaign_for(request.user, pk)
    periods = list(campaign.periods.all())
    period = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    period = (
        period
        or next((p for p in periods if p.status == Period.Status.OPEN), None)
        or (periods[-1] if periods else None)
    )
    criteria = list(campaign.criteria.all())
    groups = list(campaign.groups.all())
    # a trade's own weights are kept by criterion code: shown by the criteria's names
    names = {c.code: c.name for c in criteria}
    for group in groups:
        group.weight_items = [(names.get(code, code), weight) for code, weight in group.weights.items()]
    manage = can_manage(request.user, campaign)
    teams = list(selectors.team_list(campaign=campaign, period=period).only(*tables.TEAM_FIELDS))
    return render(
        request,
        "competitions/campaign_detail.html",
        {
            "campaign": campaign,
            "criteria": criteria,
            "groups": groups,
            "teams": teams,
            "team_rows": tables.team_rows(teams, can_manage=manage),
            "periods": periods,
            "period": period,
            "can_manage": manage,
            "bands": [(Honour.Kind(kind).label, upto) for kind, upto in campaign.honour_bands],
            "year_end": campaign.honours.filter(period__isnull=True).select_related("team"),
        },
    )


@login_required
def criteria_edit(request, pk: int):
    campaign = get_campaign_for(request.user, pk, for_change=True)
    initial = [
        {"code": c.code, "name": c.name, "weight": c.weight, "max_score": c.max_score} for c in campaign.criteria.all()
    ]
    formset = CriterionFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        rows = [{k: r[k] for k in ("code", "name", "weight", "max_score")} for r in rows]
        try:
            services.criteria_update(by=request.user, campaign=campaign, rows=rows)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The scoring criteria of %(name)s were saved.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "competitions/criteria_form.html", {"campaign": campaign, "formset": formset})


@login_required
def bands_edit(request, pk: int):
    campaign = get_campaign_for(request.user, pk, for_change=True)
    form = BandsForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.bands_update(by=request.user, campaign=campaign, bands=form.bands())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The honour bands of %(name)s were saved.") % {"name": campaign.name})
            return redirect(campaign)
    return render(request, "competitions/form.html", {"form": form, "campaign": campaign, "title": _("Honour bands")})


@login_required
def group_add(request, pk: int):
    campaign = get_campaign_for(request.user, pk, for_change=True)
    form = GroupForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_add(
                by=request.user, campaign=campaign, name=form.cleaned_data["name"], weights=form.weights()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect(campaign)
    return render(
        request, "competitions/form.html", {"form": form, "campaign": campaign, "title": campaign.group_label}
    )


@login_required
def team_add(request, pk: int):
    campaign = get_campaign_for(request.user, pk, for_change=True)
    if campaign.kind == Campaign.Kind.SKILLS:
        return contestant_add(request, campaign)
    enterprises = scope(Enterprise.objects.all(), request.user).order_by("name")
    form = TeamForm(request.POST or None, campaign=campaign, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = None
        if data["org_code"].strip():
            org = scope(OrgUnit.objects.all(), request.user).filter(code=data["org_code"].strip()).first()
            if org is None:
                form.add_error("org_code", _("No unit with this code in your organisation."))
        if not form.errors:
            try:
                services.team_register(
                    by=request.user,
                    campaign=campaign,
                    group=data["group"],
                    name=data["name"],
                    kind=data["kind"],
                    org=org,
                    enterprise=data["enterprise"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("%(name)s was registered.") % {"name": data["name"]})
                return redirect(campaign)
    return render(
        request, "competitions/form.html", {"form": form, "campaign": campaign, "title": _("Register a team")}
    )


def contestant_add(request, campaign: Campaign):
    form = ContestantForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["member_number"].strip()
        member = (
            scope(Member.objects.select_related("org", "enterprise"), request.user, include_owner=False)
            .filter(member_number=number)
            .first()
        )
        if member is None:
            form.add_error("member_number", _("No member with this number in your organisation."))
        else:
            try:
                services.contestant_enter(
                    by=request.user, campaign=campaign, trade=form.cleaned_data["trade"], member=member
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("%(name)s was entered.") % {"name": member.name})
                return redirect(campaign)
    return render(
        request, "competitions/form.html", {"form": form, "campaign": campaign, "title": _("Enter a contestant")}
    )


@login_required
def accident_record(request, pk: int):
    team = get_team_for(request.user, pk, for_change=True)
    form = AccidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_record_accident(by=request.user, team=team, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.warning(
                request, _("The accident was recorded: %(name)s takes no honour this year.") % {"name": team.name}
            )
            return redirect(team.campaign)
    return render(
        request,
        "competitions/form.html",
        {
            "form": form,
            "campaign": team.campaign,
            "title": _("Serious safety accident: %(name)s") % {"name": team.name},
        },
    )


@login_required
@require_POST
def year_end(request, pk: int):
    campaign = get_campaign_for(request.user, pk, for_change=True)
    try:
        honours = services.year_end_award(by=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s year-end citations were given.") % {"n": len(honours)})
    return redirect(campaign)


# --- staff: periods -----------------------------------------------------------------------------------


@login_required
def period_detail(request, pk: int):
    period = get_period_for(request.user, pk)
    campaign = period.campaign
    manages = can_manage(request.user, campaign)
    assign_form = AssignForm(campaign=campaign) if manages and period.status == Period.Status.OPEN else None
    criteria = list(campaign.criteria.all())
    results = _with_means(selectors.period_results(period=period), criteria)
    return render(
        request,
        "competitions/period_detail.html",
        {
            "period": period,
            "campaign": campaign,
            "criteria": criteria,
            "assignments": selectors.period_assignments(period=period),
            "n_criteria": campaign.criteria.count(),
            "results": results,
            "can_manage": manages,
            "assign_form": assign_form,
            "reopen_form": ReopenForm() if manages and period.status != Period.Status.OPEN else None,
            "other_periods": [p for p in campaign.periods.all() if p.pk != period.pk] if assign_form else [],
        },
    )


@login_required
@require_POST
def judge_assign(request, pk: int):
    period = get_period_for(request.user, pk, for_change=True)
    form = AssignForm(request.POST, campaign=period.campaign)
    if form.is_valid():
        # one service call per team: a refused team (conflict of interest, already assigned) is reported
        # and the others are still assigned
        assigned = 0
        for team in form.cleaned_data["teams"]:
            try:
                services.judge_assign(by=request.user, period=period, team=team, judge=form.cleaned_data["judge"])
            except ValidationError as exc:
                messages.error(request, f"{team.name}：{' '.join(exc.messages)}")
            else:
                assigned += 1
        if assigned:
            messages.success(request, _("The judge was assigned to %(n)s team(s).") % {"n": assigned})
    else:
        messages.error(request, _("Choose a team and a judge."))
    return redirect("competitions:period_detail", pk=period.pk)


@login_required
@require_POST
def assignments_copy(request, pk: int):
    period = get_period_for(request.user, pk, for_change=True)
    source = get_object_or_404(Period, campaign=period.campaign, pk=request.POST.get("source") or 0)
    try:
        copied, refused = services.assignments_copy(by=request.user, period=period, source=source)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s assignments were copied.") % {"n": copied})
        for line in refused[:20]:
            messages.warning(request, line)
    return redirect("competitions:period_detail", pk=period.pk)


@login_required
@require_POST
def judge_unassign(request, pk: int):
    assignment = get_in_scope_or_404(JudgeAssignment.objects.select_related("period__campaign"), request.user, pk=pk)
    if not can_manage(request.user, assignment.period.campaign):
        raise PermissionDenied
    try:
        services.judge_unassign(by=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("competitions:period_detail", pk=assignment.period_id)


def _period_action(request, pk: int, action, done: str) -> object:
    """Run a period's state change; ``done`` says what happened to it (its name as %(period)s)."""
    period = get_period_for(request.user, pk, for_change=True)
    try:
        action(period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"period": period})
    return redirect("competitions:period_detail", pk=period.pk)


@login_required
@require_POST
def period_close(request, pk: int):
    return _period_action(
        request,
        pk,
        lambda p: services.period_close(by=request.user, period=p),
        _("%(period)s was closed: no more scores can be entered."),
    )


@login_required
@require_POST
def period_release(request, pk: int):
    return _period_action(
        request,
        pk,
        lambda p: services.period_release(by=request.user, period=p),
        _("The results of %(period)s were released."),
    )


@login_required
@require_POST
def period_reopen(request, pk: int):
    form = ReopenForm(request.POST)
    reason = request.POST.get("reason", "") if form.is_valid() else ""
    return _period_action(
        request,
        pk,
        lambda p: services.period_reopen(by=request.user, period=p, reason=reason),
        _("%(period)s was reopened for scoring."),
    )


@login_required
def score_history(request, pk: int):
    period = get_period_for(request.user, pk, for_change=True)
    return render(
        request,
        "competitions/score_history.html",
        {"period": period, "campaign": period.campaign, "rows": selectors.score_history(period=period)},
    )


@role_required(*MANAGERS)
def judge_list(request):
    judges = (
        role_holders(Role.JUDGE, active_only=False)
        .order_by("username")
        .select_related("judge_profile", "judge_profile__org", "judge_profile__enterprise")
    )
    return render(request, "competitions/judge_list.html", {"judges": judges[:500]})


@role_required(*MANAGERS)
def judge_profile_edit(request, pk: int):
    judge = get_object_or_404(role_holders(Role.JUDGE, active_only=False), pk=pk)
    profile = JudgeProfile.objects.filter(user=judge).first()
    initial = {}
    if profile:
        initial = {
            "org_code": profile.org.code if profile.org else "",
            "enterprise": profile.enterprise,
            "title": profile.title,
        }
    form = JudgeProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.judge_profile_set(
                by=request.user,
                judge=judge,
                org=form.cleaned_data["org_code"],
                enterprise=form.cleaned_data["enterprise"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The profile of judge %(name)s was saved.") % {"name": judge.display_name})
            return redirect("competitions:judge_list")
    return render(
        request,
        "competitions/form.html",
        {"form": form, "title": _("Affiliation of %(name)s") % {"name": judge.get_full_name() or judge.username}},
    )


# --- judges -----------------------------------------------------------------------------------------


@role_required(*JUDGES)
def my_assignments(request):
    assignments = list(selectors.judge_assignment_list(user=request.user)[:200])
    periods: dict[int, dict] = {}
    for a in assignments:
        entry = periods.setdefault(a.period_id, {"period": a.period, "scored": 0, "total": 0, "rows": []})
        entry["scored"] += a.scored
        entry["total"] += a.criteria_count
        entry["rows"].append(a)
    return render(request, "competitions/my_assignments.html", {"periods": list(periods.values())})


@role_required(*JUDGES)
def score_form(request, pk: int):
    assignment = selectors.judge_assignment_get(user=request.user, pk=pk)
    errors: dict = {}
    posted: dict = {}
    if request.method == "POST":
        criteria = assignment.period.campaign.criteria.all()
        posted = {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}
        try:
            services.scores_submit(by=request.user, assignment=assignment, values=posted)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Your scores were saved."))
            return redirect("competitions:score_form", pk=assignment.pk)
    sheet = [
        {
            "criterion": c,
            "value": posted.get(c.pk, value if value is not None else ""),
            "errors": errors.get(str(c.pk), []),
        }
        for c, value in selectors.score_sheet(assignment=assignment)
    ]
    scored, total = selectors.judge_progress(user=request.user, period=assignment.period)
    return render(
        request,
        "competitions/score_form.html",
        {
            "assignment": assignment,
            "sheet": sheet,
            "form_errors": errors.get("__all__", []),
            "has_errors": bool(errors),
            "scored": scored,
            "total": total,
            "team_scored": sum(1 for row in sheet if row["value"] not in ("", None)),
            "is_open": assignment.period.status == Period.Status.OPEN,
        },
    )


# --- public -----------------------------------------------------------------------------------------


def board_index(request):
    return render(request, "competitions/board_index.html", {"campaigns": selectors.public_campaign_list()[:100]})


def _board_period(campaign: Campaign, request) -> tuple[Period | None, list[Period]]:
    periods = list(selectors.released_periods(campaign=campaign))
    chosen = next((p for p in periods if str(p.pk) == request.GET.get("period")), None)
    return chosen or (periods[-1] if periods else None), periods


def leaderboard(request, pk: int):
    campaign = selectors.public_campaign_get(pk=pk)
    period, periods = _board_period(campaign, request)
    criteria = list(campaign.criteria.all())
    return render(
        request,
        "competitions/leaderboard.html",
        {
            "campaign": campaign,
            "period": period,
            "periods": periods,
            "criteria": criteria,
            "results": _with_means(selectors.period_results(period=period), criteria) if period else [],
            "honours": selectors.honour_list(campaign=campaign).filter(period=period) if period else [],
        },
    )


def _results_xlsx(campaign: Campaign, period: Period):
    criteria = list(campaign.criteria.all())
    columns = [
        so.count(_("Rank"), total=False),
        so.text(str(campaign.group_label)),
        so.count(_("Rank in group"), total=False),
        so.text(_("Team")),
        so.text(_("Union")),
        *[so.number(c.name) for c in criteria],
        so.number(_("Bonus")),
        so.number(_("Total")),
        so.count(_("Judges"), total=False),
        so.text(_("Safety veto")),
    ]
    rows = []
    for r in selectors.period_results(period=period):
        rows.append(
            [r.rank, r.team.group.name, r.group_rank, r.team.name, r.team.org.name if r.team.org else ""]
            + [r.means.get(str(c.pk)) for c in criteria]
            + [r.bonus, r.total, r.judge_count, _("Yes") if (r.vetoed or r.team.serious_accident) else ""]
        )
    return xlsx_response(f"{campaign.name}-{period.name}.xlsx", columns, rows, title=period.name[:30])


def leaderboard_export(request, pk: int):
    campaign = selectors.public_campaign_get(pk=pk)
    period, _periods = _board_period(campaign, request)
    if period is None:
        raise Http404
    return _results_xlsx(campaign, period)


@login_required
def period_export(request, pk: int):
    """The results of a closed (not yet released) or released period, for the admin's check."""
    period = get_period_for(request.user, pk, for_change=True)
    if period.status == Period.Status.OPEN:
        raise Http404
    return _results_xlsx(period.campaign, period)


def team_page(request, pk: int):
    team = selectors.public_team_get(pk=pk)
    history = selectors.team_history(team=team)
    return render(
        request,
        "competitions/team_page.html",
        {
            "team": team,
            "history": history,
            "chart": selectors.chart_series(team=team),
            "honours": team.honours.select_related("period", "campaign"),
        },
    )


def honour_roll(request):
    kind = request.GET.get("kind", "")
    if kind and kind not in Honour.Kind.values:
        kind = ""
    page = paginate(selectors.honour_list(kind=kind), request, per_page=100)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "competitions/honour_roll.html",
        {"page": page, "kind": kind, "kinds": Honour.Kind.choices, "query": query.urlencode()},
    )


# --- 安康杯 reports -----------------------------------------------------------------------------------


@login_required
def report_create(request):
    campaigns = list(selectors.open_ankang_campaigns())
    campaign = next((c for c in campaigns if str(c.pk) == request.GET.get("campaign")), None)
    campaign = campaign or (campaigns[0] if campaigns else None)
    if campaign is None:
        return render(request, "competitions/report_form.html", {"campaigns": [], "form": None})
    form = ReportForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.safety_report_submit(
                by=request.user,
                campaign=campaign,
                team=data["team"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                photo=data["photo"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you: your report was submitted."))
            return redirect("competitions:report_list")
    return render(
        request, "competitions/report_form.html", {"campaigns": campaigns, "campaign": campaign, "form": form}
    )


@login_required
def report_list(request):
    page = paginate(selectors.safety_report_list(user=request.user), request, per_page=50)
    return render(request, "competitions/report_list.html", {"page": page})


@login_required
def report_detail(request, pk: int):
    report = selectors.safety_report_get(user=request.user, pk=pk)
    can_assess = can_manage(request.user, report.campaign)
    form = None
    if can_assess:
        form = AssessForm(
            request.POST or None,
            initial={"adopt": "1", "points": report.points, "estimated_benefit": report.estimated_benefit},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.safety_report_assess(by=request.user, report=report, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your assessment of the report was recorded."))
                return redirect("competitions:report_detail", pk=report.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "competitions/report_detail.html", {"report": report, "form": form})


@login_required
def report_photo(request, pk: int):
    report = selectors.safety_report_get(user=request.user, pk=pk)
    if not report.photo:
        raise Http404
    return serve_protected(report.photo, download_name=f"report-{report.pk}{stored_extension(report.photo)}")
