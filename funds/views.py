"""Union funds pages: thin views that parse, check, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member
from union_portal import sheets_out as so
from union_portal.excel import ExcelFileError, xlsx_bytes_response, xlsx_response
from union_portal.forms import apply_validation_error
from union_portal.money import round_fen
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.replica import reads_from_replica
from union_portal.scoping import home_nodes, scope

from . import permissions as perms
from . import selectors as sel
from . import services as svc
from . import tables
from .forms import (
    CollectionForm,
    DeclarationForm,
    ImportForm,
    PeriodField,
    PeriodRangeForm,
    RatioSetForm,
    ReverseForm,
)
from .models import FundsCollection, FundsImportBatch, LedgerAccount, Level

VIEW = perms.FUNDS_VIEW_ROLES
RECORD = perms.FUNDS_RECORD_ROLES
ADMIN = perms.FUNDS_ADMIN_ROLES
DUES = perms.DUES_ROLES


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _month(request, name: str = "period"):
    try:
        return PeriodField(required=False).clean(request.GET.get(name, ""))
    except ValidationError:
        return None


def _yuan(value) -> str:
    return f"{value:.2f}"


# --- overview ------------------------------------------------------------------------------------------


@role_required(*VIEW)
def overview(request):
    """Totals for the subtree the user works at, for the months chosen (this year by default)."""
    form = PeriodRangeForm(request.GET or None)
    start, end = form.range()
    node = home_nodes(request.user, roles=VIEW).first()
    totals = sel.funds_totals(node=node, period_from=start, period_to=end) if node else None
    allocated = []
    if totals:
        allocated = list(zip(sel.level_labels(), totals["allocated"].values(), strict=True))
    return render(
        request,
        "funds/overview.html",
        {
            "form": form,
            "node": node,
            "totals": totals,
            "allocated": allocated,
            "start": start,
            "end": end,
            "can_record": perms.has_funds_role(request.user, RECORD),
            "can_admin": perms.has_funds_role(request.user, ADMIN),
        },
    )


# --- enterprises ---------------------------------------------------------------------------------------


@role_required(*VIEW)
def enterprise_list(request):
    search = request.GET.get("q", "").strip()
    page = paginate(sel.enterprise_funds_list(user=request.user, search=search), request, per_page=50)
    return render(
        request,
        "funds/enterprise_list.html",
        {"page": page, "q": search, "query": _query_without_page(request)},
    )


@role_required(*VIEW)
def enterprise_detail(request, pk: int):
    enterprise = perms.get_enterprise_for(request.user, pk)
    return render(
        request,
        "funds/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "declarations": enterprise.payroll_declarations.order_by("-period")[:24],
            "collections": enterprise.funds_collections.order_by("-period", "-id")[:24],
            "reserve": sel.founding_reserve_balance(enterprise=enterprise),
            "handovers": enterprise.reserve_handovers.select_related("union"),
            "can_record": perms.can_record_for(request.user, enterprise),
        },
    )


# --- declarations and collections ----------------------------------------------------------------------


@role_required(*VIEW)
def declaration_list(request):
    search = request.GET.get("q", "").strip()
    period = _month(request)
    if request.GET.get("format") == "xlsx":
        rows = sel.declaration_list(user=request.user, period=period, search=search)[:50000]
        return xlsx_response(
            "payroll-declarations.xlsx",
            [
                so.text(_("Enterprise")),
                so.identifier(_("Credit code")),
                so.text(_("Township")),
                so.month(_("Month")),
                so.money(_("Total payroll")),
                so.money(_("Union funds due")),
            ],
            (
                [
                    d.enterprise.name,
                    d.enterprise.uscc,
                    d.enterprise.township.name,
                    d.period,
                    round_fen(d.total_payroll),
                    round_fen(d.funds_due),
                ]
                for d in rows
            ),
            total=True,
        )
    page = paginate(sel.declaration_list(user=request.user, period=period, search=search), request, per_page=50)
    return render(
        request,
        "funds/declaration_list.html",
        {
            "page": page,
            "q": search,
            "period": period,
            "query": _query_without_page(request),
            "can_record": perms.has_funds_role(request.user, RECORD),
        },
    )


@role_required(*RECORD)
def declaration_create(request):
    form = DeclarationForm(request.POST or None, user=request.user, initial={"uscc": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        try:
            declaration = svc.payroll_declare(
                by=request.user,
                enterprise=form.enterprise,
                period=form.cleaned_data["period"],
                total_payroll=form.cleaned_data["total_payroll"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Payroll declared; union funds due: %(due)s yuan.") % {"due": _yuan(declaration.funds_due)},
            )
            return redirect("funds:declaration_list")
    return render(request, "funds/form.html", {"form": form, "title": _("Declare a monthly payroll")})


@role_required(*VIEW)
def collection_list(request):
    search = request.GET.get("q", "").strip()
    period = _month(request)
    status = request.GET.get("status", "")
    if status not in FundsCollection.Status.values:
        status = ""
    page = paginate(
        sel.collection_list(user=request.user, period=period, status=status, search=search), request, per_page=50
    )
    return render(
        request,
        "funds/collection_list.html",
        {
            "page": page,
            "q": search,
            "period": period,
            "status": status,
            "statuses": FundsCollection.Status.choices,
            "query": _query_without_page(request),
            "can_record": perms.has_funds_role(request.user, RECORD),
        },
    )


@role_required(*RECORD)
def collection_create(request):
    form = CollectionForm(request.POST or None, user=request.user, initial={"uscc": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        try:
            collection = svc.collection_record(
                by=request.user,
                enterprise=form.enterprise,
                period=form.cleaned_data["period"],
                amount=form.cleaned_data["amount"],
                collected_on=form.cleaned_data["collected_on"],
                tax_reference=form.cleaned_data["tax_reference"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The collection was recorded and posted."))
            return redirect(collection)
    return render(request, "funds/form.html", {"form": form, "title": _("Record funds collected")})


@role_required(*VIEW)
def collection_detail(request, pk: int):
    collection = perms.get_collection_for(request.user, pk)
    reversal = collection.entry.__class__.objects.filter(reverses=collection.entry).first()
    return render(
        request,
        "funds/collection_detail.html",
        {
            "collection": collection,
            "lines": sel.entry_lines(entry=collection.entry),
            "reversal": reversal,
            "reversal_lines": sel.entry_lines(entry=reversal) if reversal else [],
            "can_reverse": collection.status == FundsCollection.Status.POSTED
            and perms.can_administer(request.user, collection.enterprise.township),
            "reverse_form": ReverseForm(),
        },
    )


@role_required(*ADMIN)
@require_POST
def collection_reverse(request, pk: int):
    collection = perms.get_collection_for(request.user, pk, for_change=True)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the reversal."))
        return redirect(collection)
    try:
        svc.collection_reverse(by=request.user, collection=collection, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The collection was reversed; the month can be recorded again."))
    return redirect(collection)


# --- tax authority import ------------------------------------------------------------------------------


@role_required(*RECORD)
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch, errors = svc.funds_import_preview(by=request.user, data=uploaded.read(), filename=uploaded.name)
        except ExcelFileError as exc:
            form.add_error("file", str(exc))
        else:
            if batch is not None:
                return redirect("funds:import_confirm", pk=batch.pk)
    return render(
        request,
        "funds/import_upload.html",
        {"form": form, "errors": errors, "columns": svc.IMPORT_REQUIRED + svc.IMPORT_OPTIONAL},
    )


@role_required(*RECORD)
def import_template(request):
    return xlsx_bytes_response("funds-import-template.xlsx", svc.funds_import_template())


@role_required(*RECORD)
def import_confirm(request, pk: int):
    batch = get_object_or_404(scope(FundsImportBatch.objects.all(), request.user), pk=pk)
    if batch.uploaded_by_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        try:
            count = svc.funds_import_post(by=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, _("Nothing was posted:") + " " + " ".join(exc.messages))
            return redirect("funds:import_upload")
        messages.success(request, _("%(count)s rows were posted.") % {"count": count})
        return redirect("funds:collection_list")
    return render(request, "funds/import_confirm.html", {"batch": batch, "rows": batch.rows[:500]})


# --- founding reserve ----------------------------------------------------------------------------------


@role_required(*VIEW)
def reserve_list(request):
    page = paginate(sel.reserve_list(user=request.user), request, per_page=50)
    return render(
        request,
        "funds/reserve_list.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "handovers": sel.handover_list(user=request.user)[:20],
            "can_record": perms.has_funds_role(request.user, RECORD),
            "can_admin": perms.has_funds_role(request.user, ADMIN),
        },
    )


@role_required(*RECORD)
@require_POST
def reserve_hand_over(request, pk: int):
    enterprise = sel.enterprise_get_for_funds(user=request.user, pk=pk, roles=RECORD)
    try:
        handover = svc.founding_reserve_hand_over(enterprise=enterprise, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(amount)s yuan of founding reserve were handed over to %(union)s.")
            % {"amount": _yuan(handover.amount), "union": handover.union.name},
        )
    return redirect("funds:reserve_list")


@role_required(*ADMIN)
@require_POST
def reserve_sweep(request):
    handovers = svc.founding_reserve_sweep(by=request.user)
    messages.success(request, _("%(count)s founding reserves were handed over.") % {"count": len(handovers)})
    return redirect("funds:reserve_list")


# --- ratio sets ----------------------------------------------------------------------------------------


@role_required(*VIEW)
def ratio_list(request):
    return render(
        request,
        "funds/ratio_list.html",
        {
            "ratio_sets": sel.ratio_set_list(user=request.user)[:100],
            "default": svc.default_ratios(),
            "default_residue_label": Level(svc.default_ratios().residue_level).label,
            "can_admin": perms.has_funds_role(request.user, ADMIN),
        },
    )


@role_required(*ADMIN)
def ratio_create(request):
    districts = sel.districts_administered(user=request.user)
    default = svc.default_ratios()
    initial = {f"{level}_pct": pct for level, pct in default.shares.items()}
    initial["residue_level"] = default.residue_level
    initial["effective_from"] = timezone.localdate().replace(day=1)
    form = RatioSetForm(request.POST or None, districts=districts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.ratio_set_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The ratio set was saved."))
            return redirect("funds:ratio_list")
    return render(request, "funds/form.html", {"form": form, "title": _("New allocation ratio set")})


# --- accounts ------------------------------------------------------------------------------------------


@role_required(*VIEW)
def account_list(request):
    kind = request.GET.get("kind", "")
    if kind not in LedgerAccount.Kind.values:
        kind = ""
    page = paginate(sel.account_list(user=request.user, kind=kind), request, per_page=100)
    return render(
        request,
        "funds/account_list.html",
        {"page": page, "kind": kind, "kinds": LedgerAccount.Kind.choices, "query": _query_without_page(request)},
    )


@role_required(*VIEW)
def account_detail(request, pk: int):
    account = sel.account_get(user=request.user, pk=pk)
    page = paginate(sel.account_lines(account=account), request, per_page=50)
    return render(
        request,
        "funds/account_detail.html",
        {
            "account": account,
            "balance": sel.account_balance(account=account),
            "page": page,
            "query": _query_without_page(request),
        },
    )


# --- reports -------------------------------------------------------------------------------------------


@role_required(*VIEW)
@reads_from_replica
def report_collected(request):
    form = PeriodRangeForm(request.GET or None)
    start, end = form.range()
    search = request.GET.get("q", "").strip()
    shortfall = request.GET.get("shortfall") == "1"
    townships = sel.collected_vs_due_by_township(user=request.user, period_from=start, period_to=end)
    enterprises = sel.collected_vs_due_by_enterprise(
        user=request.user, period_from=start, period_to=end, search=search, shortfall_only=shortfall
    )
    fmt = request.GET.get("format")
    if fmt == "xlsx-township":
        return xlsx_response(
            f"funds-by-township-{start:%Y%m}-{end:%Y%m}.xlsx",
            [
                so.text(_("Township")),
                so.money(_("Union funds due")),
                so.money(_("Collected")),
                so.money(_("Difference")),
                so.money(_("Of which founding reserve")),
            ],
            ([r["township"].name, r["due"], r["collected"], r["difference"], r["reserve"]] for r in townships),
            total=True,
        )
    if fmt == "xlsx":
        return xlsx_response(
            f"funds-by-enterprise-{start:%Y%m}-{end:%Y%m}.xlsx",
            [
                so.text(_("Enterprise")),
                so.identifier(_("Credit code")),
                so.text(_("Township")),
                so.text(_("Grassroots union")),
                so.money(_("Union funds due")),
                so.money(_("Collected")),
                so.money(_("Difference")),
            ],
            (
                [
                    e.name,
                    e.uscc,
                    e.township.name,
                    e.union.name if e.union else "",
                    round_fen(e.due),
                    round_fen(e.collected),
                    round_fen(e.difference),
                ]
                for e in enterprises[:50000]
            ),
            total=True,
        )
    page = paginate(enterprises, request, per_page=50)
    return render(
        request,
        "funds/report_collected.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "townships": townships,
            "page": page,
            "rows": tables.collected_rows(page),
            "q": search,
            "shortfall": shortfall,
            "query": _query_without_page(request),
        },
    )


@role_required(*VIEW)
@reads_from_replica
def report_allocation(request):
    form = PeriodRangeForm(request.GET or None)
    start, end = form.range()
    rows = sel.allocation_by_level(user=request.user, period_from=start, period_to=end)
    labels = sel.level_labels()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"funds-allocation-{start:%Y%m}-{end:%Y%m}.xlsx",
            [
                so.month(_("Month")),
                *[so.money(label) for label in labels],
                so.money(_("Founding reserve (net)")),
                so.money(_("Total")),
            ],
            ([r["period"], *r["levels"], r["reserve"], r["total"]] for r in rows),
            total=True,
        )
    return render(
        request,
        "funds/report_allocation.html",
        {"form": form, "start": start, "end": end, "rows": rows, "labels": labels, "query": request.GET.urlencode()},
    )


# --- member dues ---------------------------------------------------------------------------------------


@role_required(*DUES)
def dues(request):
    """A union's members for one month: dues owed, paid or not; tick the members who paid."""
    unions = sel.dues_unions(user=request.user)
    org_id = request.GET.get("org") or request.POST.get("org")
    org = unions.filter(pk=org_id).first() if org_id and str(org_id).isdigit() else unions.first()
    if org_id and org is None:
        raise Http404
    period = _month(request) or timezone.localdate().replace(day=1)
    if request.method == "POST":
        period = svc.parse_period(request.POST.get("period", "")) if request.POST.get("period") else period
        ids = [int(i) for i in request.POST.getlist("member") if i.isdigit()]
        members = (
            list(
                sel.dues_members(user=request.user, org=org, period=period).filter(
                    pk__in=ids, status=Member.Status.ACTIVE
                )
            )
            if org
            else []
        )
        if not members:
            messages.error(request, _("Tick the members who paid."))
        else:
            try:
                created = svc.dues_record(by=request.user, members=members, period=period)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Dues recorded for %(count)s members.") % {"count": len(created)})
        return redirect(f"{request.path}?org={org.pk if org else ''}&period={period:%Y-%m}")
    page = paginate(sel.dues_members(user=request.user, org=org, period=period), request, per_page=100) if org else None
    rows = []
    if page is not None:
        rows = [(member, svc.member_dues_due(member)) for member in page]
    return render(
        request,
        "funds/dues.html",
        {
            "unions": unions[:500],
            "org": org,
            "period": period,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
        },
    )


@role_required(*DUES)
def arrears(request):
    """Members with months without dues in the window: flagged for staff, membership never changed here."""
    months = svc.arrears_window_months()
    as_of = timezone.localdate()
    qs = sel.arrears_list(user=request.user, as_of=as_of, months=months)
    window = sel.arrears_window(as_of=as_of, months=months)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "dues-arrears.xlsx",
            [
                so.identifier(_("Member number")),
                so.text(_("Name")),
                so.text(_("Grassroots union")),
                so.money(_("Monthly dues"), total=False),
                so.count(_("Months unpaid"), total=False),
                so.money(_("Amount unpaid")),
            ],
            (
                [
                    m.member_number,
                    m.name,
                    m.org.name,
                    svc.dues_for_wage(m.monthly_wage),
                    m.unpaid_months,
                    svc.dues_for_wage(m.monthly_wage) * m.unpaid_months,
                ]
                for m in qs[:50000]
            ),
            total=True,
        )
    page = paginate(qs, request, per_page=50)
    rows = [(m, svc.dues_for_wage(m.monthly_wage)) for m in page]
    return render(
        request,
        "funds/arrears.html",
        {"page": page, "rows": rows, "months": months, "window": window, "query": _query_without_page(request)},
    )
