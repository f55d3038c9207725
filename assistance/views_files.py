"""Pages of hardship files: the staff list and its export, a file's page (full view audited), the yearly review,
closure, the roll sweep's flag, the follow-up after recovery, the worker's own file, and the statistics."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal import sheets_out as sheet
from union_portal.audit import audit_record
from union_portal.audit_words import action_label
from union_portal.crypto import mask_id_number
from union_portal.forms import apply_validation_error
from union_portal.models import OrgUnit
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.tree import ancestor_path_at

from .forms_files import AttentionClearForm, CloseForm, FollowUpForm, ReviewForm
from .models import Category, CloseReason, FileReview, FileStatus, HardshipFile
from .permissions.files import (
    FILE_STATS_ROLES,
    FILE_VIEW_ROLES,
    can_change_file,
    can_reveal_file,
    get_file_for,
)
from .rules import working_lines
from .selectors import files as selectors
from .services import files as services

EXPORT_LIMIT = 5000


def _filters(request) -> selectors.FileFilters:
    get = request.GET
    township = get.get("township", "")
    return selectors.FileFilters(
        category=get.get("category", "") if get.get("category", "") in Category.values else "",
        township=int(township) if township.isdigit() else None,
        status=get.get("status", "") if get.get("status", "") in FileStatus.values else "",
        due=get.get("due") == "1",
        attention=get.get("attention") == "1",
        follow_up=get.get("follow_up") == "1",
    )


@role_required(*FILE_VIEW_ROLES)
def file_list(request):
    filters = _filters(request)
    today = timezone.localdate()
    page = paginate(selectors.file_list(user=request.user, filters=filters, today=today), request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assistance/files/file_list.html",
        {
            "page": page,
            "filters": filters,
            "categories": Category.choices,
            "statuses": FileStatus.choices,
            "townships": selectors.townships_in_scope(user=request.user),
            "due_by": selectors.review_due_by(today=today),
            "query": query.urlencode(),
        },
    )


@role_required(*FILE_VIEW_ROLES)
def file_export(request):
    """The filtered list as Excel: ID numbers as text, masked; ``full=1`` shows them in full to a user entitled
    over every union of the list (audited as a reveal), else 403."""
    filters = _filters(request)
    files = list(selectors.file_list(user=request.user, filters=filters)[: EXPORT_LIMIT + 1])
    if len(files) > EXPORT_LIMIT:
        messages.error(request, _("Too many files to export: narrow the filters."))
        return redirect("assistance:file_list")
    full = request.GET.get("full") == "1"
    if full and not all(can_reveal_file(request.user, f) for f in files):
        raise PermissionDenied
    township_names = dict(
        OrgUnit.objects.filter(
            path__in={ancestor_path_at(f.org.path, selectors.TOWNSHIP_DEPTH) for f in files}
        ).values_list("path", "name")
    )
    if full:  # a masked list shows nothing the page does not; the full ID numbers are a reveal
        audit_record(
            actor=request.user,
            action="assistance.file_export",
            object_type="assistance.hardshipfile",
            object_repr=_("Hardship files"),
            detail={"rows": len(files), "full": full, "query": request.GET.urlencode()},
        )
    columns = [
        sheet.identifier(_("File number")),
        sheet.text(_("Worker")),
        sheet.identifier(_("ID number")),
        sheet.text(_("Grassroots union")),
        sheet.text(_("Township/street")),
        sheet.text(_("Category")),
        sheet.text(_("Status")),
        sheet.count(_("Household members"), total=False),
        sheet.money(_("Per-capita monthly income"), total=False),
        sheet.money(_("Minimum living standard line"), total=False),
        sheet.date(_("Opened on")),
        sheet.date(_("Valid until")),
        sheet.date(_("Closed on")),
        sheet.text(_("Reason for closing")),
        sheet.text(_("Needs attention")),
    ]
    rows = [
        [
            f.number,
            f.member.name,
            f.member.id_number if full else mask_id_number(f.member.id_number),
            f.org.name,
            township_names.get(ancestor_path_at(f.org.path, selectors.TOWNSHIP_DEPTH), ""),
            f.get_category_display(),
            f.get_status_display(),
            f.household_size,
            f.per_capita_income,
            f.poverty_line,
            f.opened_on,
            f.valid_until,
            f.closed_on,
            f.get_close_reason_display() if f.close_reason else "",
            f.get_attention_display() if f.attention else "",
        ]
        for f in files
    ]
    response = sheet.xlsx_response("hardship-files.xlsx", columns, rows, title=_("Hardship files"))
    response["Cache-Control"] = "no-store, private"
    return response


def _detail_context(request, file: HardshipFile, *, details=None) -> dict:
    user = request.user
    changeable = can_change_file(user, file)
    application = file.application
    return {
        "file": file,
        "people": list(file.people.all()),
        "reviews": list(file.reviews.select_related("by")),
        "history": [(e, action_label(e.action)) for e in selectors.file_history(file=file)],
        "working": working_lines(application.proposal_working or {}),
        "below_line": file.per_capita_income < file.poverty_line,
        "details": details,
        "can_reveal": can_reveal_file(user, file),
        "can_change": changeable,
        "is_open": file.status == FileStatus.OPEN,
        "attention_form": AttentionClearForm() if changeable and file.attention else None,
        "follow_up_form": FollowUpForm(initial={"follow_up_on": file.follow_up_on, "note": file.follow_up_note})
        if changeable and file.close_reason == CloseReason.RECOVERED
        else None,
    }


@role_required(*FILE_VIEW_ROLES)
def file_detail(request, pk: int):
    file = get_file_for(request.user, pk)
    return render(request, "assistance/files/file_detail.html", _detail_context(request, file))


@role_required(*FILE_VIEW_ROLES)
@require_POST
def file_reveal(request, pk: int):
    """The page with the household's health and income details in full, in this response only (audited)."""
    file = get_file_for(request.user, pk)
    details = services.file_reveal(by=request.user, file=file)
    response = render(request, "assistance/files/file_detail.html", _detail_context(request, file, details=details))
    response["Cache-Control"] = "no-store, private"
    return response


@role_required(*FILE_VIEW_ROLES)
def file_review(request, pk: int):
    file = get_file_for(request.user, pk, for_change=True)
    if file.status != FileStatus.OPEN:
        messages.error(request, _("This file is closed."))
        return redirect("assistance:file_detail", pk=file.pk)
    today = timezone.localdate()
    proposal = None
    if request.method == "POST":
        form = ReviewForm(request.POST)
        # Working out the proposal needs the figures only; recording the review needs the decision too.
        form.fields["outcome"].required = "propose" not in request.POST
        if form.is_valid():
            data = form.cleaned_data
            if "propose" in request.POST:
                proposal, _rules = services.file_review_proposal(
                    file=file,
                    income_12m=data["income_12m"],
                    spending_12m=data["spending_12m"],
                    household_size=data["household_size"],
                    today=today,
                )
            else:
                try:
                    services.file_review(
                        by=request.user,
                        file=file,
                        income_12m=data["income_12m"],
                        spending_12m=data["spending_12m"],
                        household_size=data["household_size"],
                        outcome=data["outcome"],
                        category=data["category"],
                        note=data["note"],
                        close_reason=data["close_reason"],
                        today=today,
                    )
                except ValidationError as exc:
                    apply_validation_error(form, exc)
                else:
                    messages.success(request, _("The review was recorded."))
                    return redirect("assistance:file_detail", pk=file.pk)
    else:
        form = ReviewForm(
            initial={"household_size": file.household_size, "outcome": FileReview.Outcome.KEPT, "spending_12m": 0}
        )
    return render(
        request,
        "assistance/files/file_review.html",
        {
            "file": file,
            "form": form,
            "proposal": proposal,
            "proposal_lines": working_lines(proposal.working) if proposal else [],
            "proposal_label": dict(Category.choices).get(proposal.category) if proposal else "",
        },
    )


@role_required(*FILE_VIEW_ROLES)
def file_close(request, pk: int):
    file = get_file_for(request.user, pk, for_change=True)
    if file.status != FileStatus.OPEN:
        messages.error(request, _("This file is closed."))
        return redirect("assistance:file_detail", pk=file.pk)
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.file_close(
                    by=request.user,
                    file=file,
                    reason=data["reason"],
                    closed_on=data["closed_on"],
                    note=data["note"],
                    follow_up_on=data["follow_up_on"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The file was closed."))
                return redirect("assistance:file_detail", pk=file.pk)
    else:
        form = CloseForm(initial={"closed_on": timezone.localdate()})
    return render(request, "assistance/files/file_close.html", {"file": file, "form": form})


@role_required(*FILE_VIEW_ROLES)
@require_POST
def file_attention_clear(request, pk: int):
    file = get_file_for(request.user, pk, for_change=True)
    form = AttentionClearForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the file stays open."))
        services.file_attention_clear(by=request.user, file=file, note=form.cleaned_data["note"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The flag was cleared: the file stays open."))
    return redirect("assistance:file_detail", pk=file.pk)


@role_required(*FILE_VIEW_ROLES)
@require_POST
def file_follow_up(request, pk: int):
    file = get_file_for(request.user, pk, for_change=True)
    form = FollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        data = form.cleaned_data
        services.file_follow_up_set(by=request.user, file=file, follow_up_on=data["follow_up_on"], note=data["note"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The follow-up was recorded."))
    return redirect("assistance:file_detail", pk=file.pk)


@login_required
def my_file(request):
    """The worker's own file: category, validity and the next review (no income or health details)."""
    file = selectors.file_of_user(user=request.user)
    review_from = None
    if file is not None and file.status == FileStatus.OPEN:
        rules = selectors.rules_in_force(org=file.org, on=timezone.localdate())
        review_from = file.valid_until - dt.timedelta(days=int(rules["review_reminder_days"]))
    return render(request, "assistance/files/my_file.html", {"file": file, "review_from": review_from})


def _year(request) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    year = int(raw) if raw.isdigit() else this_year
    if not 2000 <= year <= this_year:
        raise Http404
    return year


def _stats_rows(stats: dict) -> list[dict]:
    categories = [value for value, _label in Category.choices if value != Category.NONE]
    return [
        {"name": row["name"], "counts": [row["counts"].get(c, 0) for c in categories], "total": row["total"]}
        for row in stats["townships"]
    ]


@role_required(*FILE_STATS_ROLES)
def file_statistics(request):
    year = _year(request)
    stats = selectors.file_statistics(user=request.user, year=year)
    labels = dict(Category.choices)
    categories = [value for value, _label in Category.choices if value != Category.NONE]
    reasons = dict(CloseReason.choices)
    return render(
        request,
        "assistance/files/statistics.html",
        {
            "year": year,
            "stats": stats,
            "category_labels": [labels[c] for c in categories],
            "by_category": [(labels[c], stats["by_category"].get(c, 0)) for c in categories],
            "rows": _stats_rows(stats),
            "closed_by_reason": [(reasons.get(k, k), n) for k, n in sorted(stats["closed_by_reason"].items())],
            "bands": [
                (_("Under the minimum living standard line"), stats["bands"]["under_line"]),
                (_("From the line to 1.5 × the line"), stats["bands"]["under_relative"]),
                (_("1.5 × the line or more"), stats["bands"]["above_relative"]),
            ],
        },
    )


@role_required(*FILE_STATS_ROLES)
def file_statistics_export(request):
    year = _year(request)
    stats = selectors.file_statistics(user=request.user, year=year)
    labels = dict(Category.choices)
    categories = [value for value, _label in Category.choices if value != Category.NONE]
    columns = [
        sheet.text(_("Township/street")),
        *[sheet.count(labels[c]) for c in categories],
        sheet.count(_("Open files")),
    ]
    rows = [[row["name"], *row["counts"], row["total"]] for row in _stats_rows(stats)]
    return sheet.xlsx_response(
        f"hardship-files-{year}.xlsx", columns, rows, title=_("Open files by township"), total=True
    )
