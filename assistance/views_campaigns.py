"""Pages of the help campaigns: staff lists and the campaign page (build, adjust, submit, approve or return,
pay by bank batch, sign-off sheets), the statistics, and the worker's "my help"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal import tree
from union_portal.forms import apply_validation_error
from union_portal.models import OrgUnit
from union_portal.paging import paginate
from union_portal.payments.layouts import bank_file_response
from union_portal.permissions import role_required
from union_portal.scoping import has_role, node_in_scope, scope_paths

from . import rules_campaigns
from .forms_campaigns import AddForm, CampaignForm, ChangeForm, CommentForm, FailedForm, PaidForm, SheetUploadForm
from .models import Campaign, FilePerson, HardshipFile, Recipient
from .permissions.campaigns import (
    MANAGE_ROLES,
    PAYING_ROLES,
    RECIPIENT_VIEW_ROLES,
    SHEET_ROLES,
    VIEW_ROLES,
    can_approve,
    can_manage,
    can_pay,
    get_campaign_for,
    get_recipient_for,
    get_sheet_for,
)
from .selectors import campaigns as selectors
from .services import campaigns as services


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@role_required(*VIEW_ROLES)
def campaign_list(request):
    kind = request.GET.get("kind", "")
    if kind not in Campaign.Kind.values:
        kind = ""
    qs = selectors.campaign_list(user=request.user, kind=kind)
    return render(
        request,
        "assistance/campaigns/campaign_list.html",
        {
            "page": paginate(qs, request),
            "kind": kind,
            "kinds": Campaign.Kind.choices,
            "can_create": has_role(request.user, *MANAGE_ROLES),
        },
    )


def _managed_orgs(user):
    return OrgUnit.objects.filter(
        tree.subtree_q(*scope_paths(user, MANAGE_ROLES)),
        kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.TOWNSHIP],
    ).order_by("path")


@role_required(*MANAGE_ROLES)
def campaign_new(request):
    orgs = _managed_orgs(request.user)
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        orgs=orgs,
        initial={"year": today.year, "org": orgs.first(), "kind": Campaign.Kind.SPRING_FESTIVAL},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                by=request.user,
                name=data["name"],
                kind=data["kind"],
                org=data["org"],
                year=data["year"],
                budget=data["budget"],
                delivery=data["delivery"],
                goods=data["goods"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Campaign created; its budget was recorded in the funds ledger."))
            return redirect(campaign)
    return render(
        request, "assistance/campaigns/campaign_form.html", {"form": form, "defaults": rules_campaigns.DEFAULT_RULES}
    )


@role_required(*VIEW_ROLES)
def campaign_detail(request, pk: int):
    campaign = get_campaign_for(request.user, pk)
    recipients = list(selectors.campaign_recipients(campaign=campaign))
    for row in recipients:
        row.category_label = rules_campaigns.CATEGORY_LABELS.get(row.category, row.category)
    editable = campaign.is_editable and can_manage(request.user, campaign)
    files = selectors.files_for_adding(campaign=campaign) if editable else HardshipFile.objects.none()
    return render(
        request,
        "assistance/campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "recipients": recipients,
            "totals": selectors.campaign_totals(campaign=campaign),
            "editable": editable,
            "may_approve": campaign.status == Campaign.Status.SUBMITTED and can_approve(request.user, campaign),
            "may_pay": campaign.status == Campaign.Status.APPROVED
            and campaign.delivery == Campaign.Delivery.CASH
            and can_pay(request.user, campaign),
            "batches": selectors.campaign_batches(campaign=campaign),
            "sheets": campaign.sheets.select_related("org"),
            "add_form": AddForm(files=files) if editable else None,
            "children": FilePerson.objects.filter(file__in=files, relation="child").select_related("file__member")
            if editable and campaign.kind == Campaign.Kind.EDUCATION
            else [],
            "change_form": ChangeForm(),
            "comment_form": CommentForm(),
            "medical_lines": {r.pk: rules_campaigns.medical_working_lines(r.working) for r in recipients},
        },
    )


@require_POST
@role_required(*MANAGE_ROLES)
def campaign_action(request, pk: int, action: str):
    campaign = get_campaign_for(request.user, pk, for_change=action != "approve" and action != "return")
    try:
        if action == "build":
            added = services.recipients_propose(by=request.user, campaign=campaign)
            messages.success(request, _("%(n)s households were added from the open files.") % {"n": added})
        elif action == "add":
            form = AddForm(request.POST, files=selectors.files_for_adding(campaign=campaign))
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect(campaign)
            child = None
            if form.cleaned_data.get("child"):
                child = FilePerson.objects.filter(pk=form.cleaned_data["child"], file=form.cleaned_data["file"]).first()
            services.recipient_add(
                by=request.user,
                campaign=campaign,
                file=form.cleaned_data["file"],
                child=child,
                amount=form.cleaned_data.get("amount"),
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Added to the list."))
        elif action == "submit":
            services.campaign_submit(by=request.user, campaign=campaign)
            messages.success(request, _("The list was sent for approval by a second person."))
        elif action == "approve":
            if not can_manage(request.user, campaign):
                raise PermissionDenied
            services.campaign_approve(by=request.user, campaign=campaign)
            messages.success(request, _("The list was approved."))
        elif action == "return":
            if not can_manage(request.user, campaign):
                raise PermissionDenied
            form = CommentForm(request.POST)
            services.campaign_return(
                by=request.user, campaign=campaign, comment=form.data.get("comment", "") if form.is_bound else ""
            )
            messages.success(request, _("The list was returned with your comments."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(campaign)


@require_POST
@role_required(*PAYING_ROLES)
def campaign_batch(request, pk: int):
    campaign = get_campaign_for(request.user, pk)
    try:
        batch = services.batch_create(by=request.user, campaign=campaign)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(campaign)
    messages.success(request, _("Payment batch created."))
    return redirect("assistance:batch_detail", pk=batch.pk)


@require_POST
@role_required(*MANAGE_ROLES)
def recipient_change(request, pk: int):
    recipient = get_recipient_for(request.user, pk, for_change=True)
    form = ChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the change."))
        return redirect(recipient.campaign)
    try:
        if form.cleaned_data["action"] == "remove":
            services.recipient_remove(by=request.user, recipient=recipient, reason=form.cleaned_data["reason"])
        else:
            amount = form.cleaned_data.get("amount")
            if amount is None:
                raise ValidationError(_("Give an amount of zero or more, in yuan."))
            services.recipient_change_amount(
                by=request.user, recipient=recipient, amount=amount, reason=form.cleaned_data["reason"]
            )
        messages.success(request, _("The list was changed."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(recipient.campaign)


@role_required(*RECIPIENT_VIEW_ROLES)
def recipient_list(request):
    status = request.GET.get("status", "")
    if status not in Recipient.Status.values:
        status = ""
    return render(
        request,
        "assistance/campaigns/recipient_list.html",
        {
            "page": paginate(selectors.recipient_list(user=request.user, status=status), request),
            "status": status,
            "statuses": Recipient.Status.choices,
            "sheets": selectors.sheets_to_handle(user=request.user),
        },
    )


@role_required(*VIEW_ROLES)
def help_statistics(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    return render(
        request,
        "assistance/campaigns/statistics.html",
        {
            "year": year,
            "by_campaign": selectors.help_by_campaign(user=request.user, year=year),
            "by_township": selectors.help_by_township(user=request.user, year=year),
        },
    )


@role_required(*VIEW_ROLES)
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    payments = list(selectors.batch_payments(batch=batch))
    recipients = selectors.recipients_by_pk(pks=[p.payer_id for p in payments])
    rows = [(p, recipients.get(p.payer_id)) for p in payments]
    return render(
        request,
        "assistance/campaigns/batch_detail.html",
        {
            "batch": batch,
            "rows": rows,
            "campaign": next((r.campaign for r in recipients.values()), None),
            "is_finance": has_role(request.user, *PAYING_ROLES),
            "paid_form": PaidForm(),
            "failed_form": FailedForm(),
        },
    )


@role_required(*PAYING_ROLES)
def batch_export(request, pk: int, fmt: str):
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not node_in_scope(request.user, batch.org, roles=PAYING_ROLES):
        raise PermissionDenied
    try:
        return bank_file_response(
            by=request.user,
            batch=batch,
            payments=list(selectors.batch_payments(batch=batch)),
            fmt=fmt,
            reference_header=services.BANK_REFERENCE_HEADER,
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assistance:batch_detail", pk=batch.pk)


@require_POST
@role_required(*PAYING_ROLES)
def payment_action(request, pk: int, action: str):
    payment = selectors.payment_get(user=request.user, pk=pk)
    try:
        if action == "paid":
            services.payment_mark_paid(by=request.user, payment=payment, reference=request.POST.get("reference", ""))
            messages.success(request, _("Marked paid."))
        elif action == "failed":
            services.payment_mark_failed(by=request.user, payment=payment, reason=request.POST.get("reason", ""))
            messages.success(request, _("Marked failed."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("assistance:batch_detail", pk=payment.batch_id)


@role_required(*SHEET_ROLES)
def sheet_pdf(request, pk: int):
    sheet = get_sheet_for(request.user, pk, for_change=True)
    try:
        data = services.sheet_pdf(by=request.user, sheet=sheet)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("assistance:recipient_list")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="signoff-{sheet.pk}.pdf"'
    return response


@role_required(*SHEET_ROLES)
def sheet_upload(request, pk: int):
    sheet = get_sheet_for(request.user, pk, for_change=True)
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_upload(
                by=request.user,
                sheet=sheet,
                uploaded=form.cleaned_data["file"],
                handed_over_on=form.cleaned_data["handed_over_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The signed sheet was uploaded; its recipients are marked handed over."))
            return redirect("assistance:recipient_list")
    return render(request, "assistance/campaigns/sheet_upload.html", {"sheet": sheet, "form": form})


@login_required
def my_help(request):
    return render(request, "assistance/campaigns/my_help.html", {"rows": list(selectors.my_help(user=request.user))})
