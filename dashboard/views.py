"""Dashboard pages: figures with drill-down and Excel export, assessments.

Every figure page reads the summary table only, with a constant number of queries at every level."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal import sheets_out as so
from union_portal import tree
from union_portal.forms import apply_validation_error
from union_portal.models import OrgUnit
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import ADMIN_ROLES, Role
from union_portal.scoping import admin_node, children_of, has_role, home_nodes
from union_portal.sheets_out import xlsx_response
from union_portal.surveys import selectors as survey_selectors
from union_portal.uploads import serve_protected, stored_extension

from . import presenting, selectors, services
from .assessment import scheme_results
from .forms import EntryForm, ItemForm, SchemeForm, ScoreForm
from .models import AssessmentEntry, AssessmentItem, AssessmentScheme
from .permissions import ASSESS_ROLES, DASHBOARD_ROLES, can_assess, can_enter_for, get_scheme_for
from .registry import Kind, Metric, get_metric

# --- presenting figures ----------------------------------------------------------------------------------


def value_of(metric: Metric, snapshot) -> Decimal | None:
    """A snapshot's value; a missing count or sum is zero (no rows were counted), a missing rate or
    average has no value (nothing to divide by)."""
    if snapshot is not None:
        return snapshot.value
    return Decimal(0) if metric.kind in (Kind.COUNT, Kind.MONEY) else None


SCORE_STEP = Decimal("0.01")  # an assessment's points, as its table shows them


def fmt(metric: Metric, value: Decimal | None) -> str:
    """A figure as text (``presenting.figure_text``): money in 万元, counts whole, rates to 0.01."""
    return presenting.figure_text(metric, value)


def _shown(metric: Metric, snapshot) -> dict:
    """What a card or a cell shows of a snapshot: the text, the exact amount (tooltip) and the parts in words."""
    value = value_of(metric, snapshot)
    return {
        "text": presenting.figure_text(metric, value),
        "exact": presenting.figure_exact(metric, value),
        "parts": presenting.parts_text(metric, snapshot),
    }


def _node_and_period(request):
    try:
        pk = int(request.GET["node"]) if request.GET.get("node") else None
    except ValueError:
        raise Http404 from None
    lineage = selectors.dashboard_lineage(user=request.user, pk=pk)
    period = request.GET.get("period") or selectors.default_period()
    if not (period.isdigit() and len(period) == 4):
        raise Http404
    request.dashboard_lineage = lineage
    return lineage[-1], period


def _context(request, node, period) -> dict:
    computed_at, periods, changes_since = selectors.refresh_log()
    return {
        "node": node,
        "period": period,
        "breadcrumbs": request.dashboard_lineage[:-1],
        "computed_at": computed_at,
        "changes_since": changes_since,
        "periods": periods or [period],
        "can_refresh": has_role(request.user, *ADMIN_ROLES),
    }


def _series(metric: Metric, values) -> dict:
    """A chart series: values rounded for reading (money in 万元) as floats; tables and Excel stay Decimal."""
    return {
        "name": str(metric.label),
        "unit": presenting.chart_unit(metric),
        "values": [presenting.chart_value(metric, v) for v in values],
    }


@role_required(*DASHBOARD_ROLES)
def dashboard(request):
    """Headline cards for the node and a table of the level below, each row drilling down."""
    node, period = _node_and_period(request)
    headline = selectors.headline_metrics()
    keys = [m.key for m in headline]
    children = children_of(node)
    here, below = selectors.figures_here_and_below(node=node, period=period, metrics=keys)
    cards = [(m, fmt(m, value_of(m, here.get(m.key))), _shown(m, here.get(m.key))) for m in headline]
    rows = []
    for child in children:
        values = [below.get((child.pk, m.key)) for m in headline]
        rows.append((child, [_shown(m, v) for m, v in zip(headline, values, strict=True)]))
    chart = {
        "labels": [c.name for c in children],
        "series": [_series(m, [value_of(m, below.get((c.pk, m.key))) for c in children]) for m in headline],
    }
    # One block of cards and one drill-down table per section (membership, mutual aid, ...), in registry order.
    sections: dict[str, dict] = {}
    for index, metric in enumerate(headline):
        block = sections.setdefault(str(metric.section), {"label": metric.section, "cards": [], "columns": []})
        block["cards"].append(cards[index])
        block["columns"].append(index)
    for block in sections.values():
        block["metrics"] = [headline[i] for i in block["columns"]]
        block["rows"] = [(child, [texts[i] for i in block["columns"]]) for child, texts in rows]
    context = _context(request, node, period)
    context.update(
        {
            "cards": cards,
            "headline": headline,
            "rows": rows,
            "sections": list(sections.values()),
            "chart": chart,
            "others": _others(),
        }
    )
    return render(request, "dashboard/dashboard.html", context)


def _others() -> list[Metric]:
    from .registry import all_metrics

    return [m for m in all_metrics() if not m.headline]


def _figure_tables(node, period, metric):
    """(rows, keys, matrix, chart) of one metric at ``node`` and the level below; three queries."""
    children = children_of(node)
    if not metric.breakdown:
        here_all, figures = selectors.figures_here_and_below(node=node, period=period, metrics=[metric.key])
        here = here_all.get(metric.key)
        rows = [(c, figures.get((c.pk, metric.key))) for c in children]
        chart = {
            "labels": [c.name for c in children],
            "series": [_series(metric, [value_of(metric, s) for _c, s in rows])],
        }
        return here, rows, [], [], chart
    cells = selectors.breakdown_below(node=node, period=period, metric=metric.key)
    keys = sorted({k for (nid, k) in cells if nid == node.pk}, key=lambda k: -cells[(node.pk, k)].value)
    here_rows = [(metric.key_label(k), cells[(node.pk, k)]) for k in keys]
    matrix = [(c, [cells.get((c.pk, k)) for k in keys]) for c in children]
    chart = {
        "labels": [metric.key_label(k) for k in keys],
        "series": [_series(metric, [s.value for _k, s in here_rows])],
    }
    return None, here_rows, [metric.key_label(k) for k in keys], matrix, chart


@role_required(*DASHBOARD_ROLES)
def figure_detail(request, metric: str):
    """One figure at the node: its parts (x of y), the level below (drill-down), its breakdown."""
    metric_obj = selectors.metric_or_404(metric)
    node, period = _node_and_period(request)
    here, rows, keys, matrix, chart = _figure_tables(node, period, metric_obj)
    context = _context(request, node, period)
    context.update(
        {
            "metric": metric_obj,
            "here": here,
            "here_text": fmt(metric_obj, value_of(metric_obj, here)),
            "here_shown": _shown(metric_obj, here),
            "rows": [(label, s, _shown(metric_obj, s)) for label, s in rows],
            "keys": keys,
            "matrix": [(c, [_shown(metric_obj, s) for s in cells]) for c, cells in matrix],
            "chart": chart,
        }
    )
    return render(request, "dashboard/figure.html", context)


@role_required(*DASHBOARD_ROLES)
def figure_export(request, metric: str):
    """The figure at the node and each unit below it (every breakdown key) as .xlsx."""
    metric_obj = selectors.metric_or_404(metric)
    node, period = _node_and_period(request)
    cells = selectors.breakdown_below(node=node, period=period, metric=metric_obj.key)
    children = children_of(node)
    columns = [
        so.text(_("Unit")),
        so.identifier(_("Code")),
        so.text(str(metric_obj.breakdown or _("Breakdown"))),
        _figure_column(metric_obj, str(metric_obj.label)),
        so.number(_("Numerator"), number_format="#,##0.00" if metric_obj.kind == Kind.MONEY else "General"),
        so.number(_("Denominator"), number_format="General"),
        so.datetime(_("Computed at")),
    ]
    data = []
    for unit in [node, *children]:
        for (nid, key), s in sorted(cells.items(), key=lambda kv: kv[0][1]):
            if nid == unit.pk:
                data.append(_export_row(unit, metric_obj, key, s))
    return xlsx_response(f"{metric_obj.key}-{node.code}-{period}.xlsx", columns, data, title=period)


def _figure_column(metric: Metric, header: str) -> so.Column:
    """A figure's column in an export: counts whole, money to the fen, percentages as 0.00%, averages to 0.1.
    No total row: a unit's figure already holds those of the units below it."""
    if metric.kind == Kind.COUNT:
        return so.count(header, total=False)
    if metric.kind == Kind.MONEY:
        return so.money(header, total=False)
    if metric.kind == Kind.PERCENT:
        return so.rate(header)
    return so.number(header, number_format="0.0")


def _figure_value(metric: Metric, value: Decimal | None):
    """The cell value of a figure (``value_of``): a missing count or sum is 0; a rate or average with
    nothing to divide by is "—"; a percentage (stored as 12.5) is the fraction 0.125 (shown 12.50%)."""
    if value is None:
        return None if metric.kind == Kind.PERCENT else ("—" if metric.kind == Kind.AVERAGE else 0)
    if metric.kind == Kind.PERCENT:
        return value / 100
    return value


def _export_row(unit, metric, key, s):
    return [
        unit.name,
        unit.code,
        metric.key_label(key) if key else _("Total"),
        _figure_value(metric, s.value),
        s.numerator,
        s.denominator,
        s.computed_at,
    ]


@role_required(*DASHBOARD_ROLES)
def dashboard_export(request):
    """The headline figures of the node and each unit below it as .xlsx."""
    node, period = _node_and_period(request)
    headline = selectors.headline_metrics()
    children = children_of(node)
    here, below = selectors.figures_here_and_below(node=node, period=period, metrics=[m.key for m in headline])
    columns = [
        so.text(_("Unit")),
        so.identifier(_("Code")),
        *[_figure_column(m, f"{m.label} ({m.unit})" if m.unit else str(m.label)) for m in headline],
    ]
    data = [[node.name, node.code, *[_figure_value(m, value_of(m, here.get(m.key))) for m in headline]]]
    for child in children:
        data.append(
            [child.name, child.code, *[_figure_value(m, value_of(m, below.get((child.pk, m.key)))) for m in headline]]
        )
    return xlsx_response(f"dashboard-{node.code}-{period}.xlsx", columns, data, title=period)


@require_POST
@role_required(*ADMIN_ROLES)
def refresh(request):
    services.figures_refresh_request(by=request.user)
    messages.success(request, _("The figures are being recomputed; reload the page in a minute."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard:home")
    return redirect(target)


def _admin_home(user) -> OrgUnit:
    node = admin_node(user)
    if node is None:
        raise PermissionDenied
    return node


# --- assessment ------------------------------------------------------------------------------------------


@role_required(*ASSESS_ROLES)
def scheme_list(request):
    """Admins: the checklists of their node. Township staff: the open checklists that assess them."""
    qs = selectors.schemes_for(user=request.user)
    page = paginate(qs, request, per_page=50)
    return render(
        request,
        "dashboard/scheme_list.html",
        {
            "page": page,
            "query": "",
            "can_create": has_role(request.user, *ADMIN_ROLES),
            "my_units": list(home_nodes(request.user, roles=[Role.TOWNSHIP_STAFF])),
        },
    )


@role_required(*ADMIN_ROLES)
def scheme_create(request):
    owner = _admin_home(request.user)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(by=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("dashboard:scheme_detail", pk=scheme.pk)
    return render(request, "union_portal/form.html", {"form": form, "title": _("New assessment")})


def _scheme_for_admin(request, pk) -> AssessmentScheme:
    return get_scheme_for(request.user, pk)


@role_required(*ADMIN_ROLES)
def scheme_detail(request, pk: int):
    """The checklist (add items while not closed) and the ranking with each unit's breakdown."""
    scheme = _scheme_for_admin(request, pk)
    surveys = survey_selectors.published_surveys_of(owner=scheme.owner)
    form = ItemForm(request.POST or None, surveys=surveys)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(by=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(item)s was added to the checklist.") % {"item": form.cleaned_data["title"]})
            return redirect("dashboard:scheme_detail", pk=scheme.pk)
    results = scheme_results(scheme)
    items = list(scheme.items.select_related("survey"))
    for item in items:
        found = get_metric(item.metric) if item.metric else None
        item.metric_label = f"{found.label}" if found else item.metric
    return render(
        request,
        "dashboard/scheme_detail.html",
        {
            "scheme": scheme,
            "items": items,
            "form": form,
            "results": results,
            "max_points": sum((i.weight for i in items), Decimal(0)),
            "chart": {
                "labels": [r.unit.name for r in results],
                "series": [
                    {
                        "name": _("Total points"),
                        "unit": "",
                        "values": [presenting.chart_number(r.total, step=SCORE_STEP) for r in results],
                    }
                ],
            },
        },
    )


@require_POST
@role_required(*ADMIN_ROLES)
def scheme_transition(request, pk: int, status: str):
    scheme = _scheme_for_admin(request, pk)
    try:
        services.scheme_set_status(by=request.user, scheme=scheme, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dashboard:scheme_detail", pk=scheme.pk)


@require_POST
@role_required(*ADMIN_ROLES)
def item_remove(request, pk: int, item_pk: int):
    scheme = _scheme_for_admin(request, pk)
    item = scheme.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        services.item_remove(by=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dashboard:scheme_detail", pk=scheme.pk)


@role_required(*ADMIN_ROLES)
def scheme_export(request, pk: int):
    scheme = _scheme_for_admin(request, pk)
    results = scheme_results(scheme)
    items = list(scheme.items.all())
    columns = [
        so.count(_("Rank"), total=False),
        so.text(_("Unit")),
        *[so.number(f"{i.title} ({i.weight})") for i in items],
        so.number(_("Total points")),
    ]
    data = [[r.rank, r.unit.name, *[s.points for s in r.scores], r.total] for r in results]
    return xlsx_response(f"assessment-{scheme.pk}.xlsx", columns, data, title=scheme.period)


def _unit_view(request, pk: int, unit_pk: int):
    """The scheme (admin of its owner: any unit; township staff: only their own unit, only once open)."""
    scheme = AssessmentScheme.objects.select_related("owner").filter(pk=pk).first()
    unit = OrgUnit.objects.filter(pk=unit_pk).first()
    if scheme is None or unit is None or not tree.is_within(unit, scheme.owner):
        raise Http404
    if unit.kind != scheme.target_kind or unit.depth != scheme.owner.depth + 1:
        raise Http404
    is_assessor = can_assess(request.user, scheme)
    if not is_assessor and (not can_enter_for(request.user, unit) or scheme.status == AssessmentScheme.Status.DRAFT):
        raise Http404
    return scheme, unit, is_assessor


@role_required(*ASSESS_ROLES)
def scheme_unit(request, pk: int, unit_pk: int):
    """One unit's breakdown: portal figures, satisfaction, and the entries (enter: the unit; score: assessor)."""
    scheme, unit, is_assessor = _unit_view(request, pk, unit_pk)
    result = scheme_results(scheme, units=[unit])[0]
    rows = []
    for score in result.scores:
        entry_form = score_form = None
        if score.item.kind == AssessmentItem.Kind.ENTRY and scheme.status == AssessmentScheme.Status.OPEN:
            if score.entry is None or score.entry.score is None:
                entry_form = EntryForm(prefix=f"e{score.item.pk}")
            if is_assessor and score.entry is not None:
                score_form = ScoreForm(prefix=f"s{score.item.pk}")
        rows.append((score, entry_form, score_form))
    return render(
        request,
        "dashboard/scheme_unit.html",
        {"scheme": scheme, "unit": unit, "result": result, "rows": rows, "is_assessor": is_assessor},
    )


@require_POST
@role_required(*ASSESS_ROLES)
def entry_submit(request, pk: int, unit_pk: int, item_pk: int):
    scheme, unit, _is_assessor = _unit_view(request, pk, unit_pk)
    item = scheme.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    form = EntryForm(request.POST, request.FILES, prefix=f"e{item.pk}")
    if form.is_valid():
        try:
            services.entry_submit(
                by=request.user,
                item=item,
                unit=unit,
                statement=form.cleaned_data["statement"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your report on %(item)s was saved.") % {"item": item.title})
    else:
        messages.error(request, _("Describe what was done."))
    return redirect("dashboard:scheme_unit", pk=scheme.pk, unit_pk=unit.pk)


@require_POST
@role_required(*ADMIN_ROLES)
def entry_score(request, pk: int, unit_pk: int, item_pk: int):
    scheme, unit, is_assessor = _unit_view(request, pk, unit_pk)
    entry = AssessmentEntry.objects.filter(item__scheme=scheme, item_id=item_pk, unit=unit).first()
    if entry is None or not is_assessor:
        raise Http404
    form = ScoreForm(request.POST, prefix=f"s{item_pk}")
    if form.is_valid():
        try:
            services.entry_score(by=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(unit)s scored %(score)s on %(item)s.")
                % {"unit": unit.name, "score": form.cleaned_data["score"], "item": entry.item.title},
            )
    else:
        messages.error(request, _("Give a score."))
    return redirect("dashboard:scheme_unit", pk=scheme.pk, unit_pk=unit.pk)


@role_required(*ASSESS_ROLES)
def entry_evidence(request, pk: int, unit_pk: int, item_pk: int):
    scheme, unit, _is_assessor = _unit_view(request, pk, unit_pk)
    entry = AssessmentEntry.objects.filter(item__scheme=scheme, item_id=item_pk, unit=unit).first()
    if entry is None or not entry.evidence:
        raise Http404
    return serve_protected(
        entry.evidence, download_name=f"{unit.name}-{entry.item.title}{stored_extension(entry.evidence)}"
    )
