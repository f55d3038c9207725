"""Pages of collective contracts, bargaining rounds, the officers' register and the deadline rules. Thin:
parse, check (labour.permissions.contracts), call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.uploads import serve_protected, stored_extension

from . import forms_contracts as forms
from .models import BargainingRound, BargainingSession, CollectiveContract
from .permissions.contracts import (
    DEADLINE_ADMIN_ROLES,
    STAFF_ROLES,
    can_change_at,
    get_contract_for,
    get_officer_for,
    get_round_for,
)
from .rules_contracts import quorum_met
from .selectors import contracts as selectors
from .services import contracts as services

Status = CollectiveContract.Status
RoundStatus = BargainingRound.Status


def _try(request, form, call, success: str):
    """Run a service call; on ValidationError show it on the form and return None."""
    try:
        result = call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    messages.success(request, success)
    return result


def _post_action(request, obj, form, call, success: str):
    """A POST from a detail page: run it, or put the form's and the service's errors in messages."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}：{error}" if field in form.fields else error)
    return redirect(obj)


# --- contracts -----------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def contract_list(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    page = paginate(selectors.contract_list(user=request.user, status=status, kind=kind), request, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "labour/contracts/contract_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": Status.choices,
            "kinds": CollectiveContract.Kind.choices,
            "query": query.urlencode(),
        },
    )


@role_required(*STAFF_ROLES)
def contract_create(request):
    form = forms.ContractCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["covered"] = data.get("covered") or []
        data["workers_covered"] = data.get("workers_covered") or 0
        try:
            contract = _try(
                request,
                form,
                lambda: services.contract_create(by=request.user, **data),
                _("The draft contract was saved."),
            )
        except PermissionDenied:
            form.add_error(None, _("You may not record contracts for this union."))
            contract = None
        if contract:
            return redirect(contract)
    return render(request, "labour/contracts/form.html", {"form": form, "title": _("New collective contract")})


@role_required(*STAFF_ROLES)
def contract_detail(request, pk: int):
    contract = get_contract_for(request.user, pk)
    change = can_change_at(request.user, contract.org)
    today = timezone.localdate()
    context = {
        "c": contract,
        "change": change,
        "covered": contract.covered.select_related("township").order_by("name"),
        "rounds": contract.rounds.all(),
        "quorum": quorum_met(delegates=contract.delegates or 0, present=contract.present or 0),
        "filing_overdue": contract.status == Status.SIGNED and contract.filing_due and contract.filing_due < today,
    }
    if change:
        if contract.status == Status.DRAFT:
            context["vote_form"] = forms.VoteForm(
                initial={"delegates": contract.delegates, "present": contract.present, "in_favour": contract.in_favour}
            )
            if contract.vote_passed:
                context["sign_form"] = forms.SignForm(
                    initial={"starts_on": contract.starts_on, "ends_on": contract.ends_on}
                )
        if contract.status == Status.SIGNED:
            context["file_form"] = forms.FileForm()
        if contract.status == Status.FILED:
            context["answer_form"] = forms.AnswerForm()
        if contract.status in (Status.SIGNED, Status.FILED, Status.EFFECTIVE) and not contract.published_on:
            context["publish_form"] = forms.PublishForm()
    return render(request, "labour/contracts/contract_detail.html", context)


def _contract_post(request, pk, form_class, call, success):
    contract = get_contract_for(request.user, pk, for_change=True)
    return _post_action(request, contract, form_class(request.POST), lambda d: call(contract, d), success)


@require_POST
@role_required(*STAFF_ROLES)
def contract_vote(request, pk: int):
    def call(contract, data):
        contract = services.contract_vote(by=request.user, contract=contract, **data)
        if not contract.vote_passed:
            messages.warning(
                request,
                _("The vote did not pass: 2/3 of the delegates present and more than half of all in favour."),
            )

    return _contract_post(request, pk, forms.VoteForm, call, _("The vote was recorded."))


@require_POST
@role_required(*STAFF_ROLES)
def contract_sign(request, pk: int):
    return _contract_post(
        request,
        pk,
        forms.SignForm,
        lambda c, d: services.contract_sign(by=request.user, contract=c, **d),
        _("The signing was recorded. File the contract with the labour authority."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def contract_file(request, pk: int):
    return _contract_post(
        request,
        pk,
        forms.FileForm,
        lambda c, d: services.contract_file(by=request.user, contract=c, **d),
        _("The filing was recorded."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def contract_answer(request, pk: int):
    return _contract_post(
        request,
        pk,
        forms.AnswerForm,
        lambda c, d: services.contract_answer(by=request.user, contract=c, **d),
        _("The authority's answer was recorded."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def contract_publish(request, pk: int):
    return _contract_post(
        request,
        pk,
        forms.PublishForm,
        lambda c, d: services.contract_publish(by=request.user, contract=c, **d),
        _("The publication was recorded."),
    )


# --- bargaining rounds ---------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def round_list(request):
    open_only = bool(request.GET.get("open"))
    page = paginate(selectors.round_list(user=request.user, open_only=open_only), request, per_page=50)
    return render(request, "labour/contracts/round_list.html", {"page": page, "open_only": open_only, "query": ""})


@role_required(*STAFF_ROLES)
def round_create(request):
    form = forms.RoundRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = _try(
                request,
                form,
                lambda: services.round_request(by=request.user, **form.cleaned_data),
                _("The bargaining request was recorded."),
            )
        except PermissionDenied:
            form.add_error(None, _("You may not record bargaining for this enterprise."))
            round_ = None
        if round_:
            return redirect(round_)
    return render(request, "labour/contracts/form.html", {"form": form, "title": _("New bargaining request")})


@role_required(*STAFF_ROLES)
def round_detail(request, pk: int):
    round_ = get_round_for(request.user, pk)
    change = can_change_at(request.user, round_.org)
    context = {
        "r": round_,
        "change": change,
        "sessions": round_.sessions.all(),
        "overdue": round_.status == RoundStatus.REQUESTED and round_.reply_due < timezone.localdate(),
    }
    if change:
        if round_.status == RoundStatus.REQUESTED:
            context["reply_form"] = forms.ReplyForm()
        if round_.status in (RoundStatus.BARGAINING, RoundStatus.DRAFTED):
            context["session_form"] = forms.SessionForm()
        if round_.status == RoundStatus.BARGAINING and round_.enterprise_id:
            context["draft_form"] = forms.DraftForm(initial={"title": round_.subject})
        if round_.status not in (RoundStatus.SIGNED, RoundStatus.FAILED):
            context["fail_form"] = forms.FailForm()
    return render(request, "labour/contracts/round_detail.html", context)


def _round_post(request, pk, form, call, success):
    round_ = get_round_for(request.user, pk, for_change=True)
    return _post_action(request, round_, form, lambda d: call(round_, d), success)


@require_POST
@role_required(*STAFF_ROLES)
def round_reply(request, pk: int):
    return _round_post(
        request,
        pk,
        forms.ReplyForm(request.POST),
        lambda r, d: services.round_reply(by=request.user, round_=r, **d),
        _("The reply was recorded: bargaining has started."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def round_session(request, pk: int):
    return _round_post(
        request,
        pk,
        forms.SessionForm(request.POST, request.FILES),
        lambda r, d: services.round_session_add(by=request.user, round_=r, **d),
        _("The session was recorded."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def round_draft(request, pk: int):
    return _round_post(
        request,
        pk,
        forms.DraftForm(request.POST),
        lambda r, d: services.round_draft(by=request.user, round_=r, **d),
        _("The draft was recorded: put it to the workers' congress on the contract's page."),
    )


@require_POST
@role_required(*STAFF_ROLES)
def round_fail(request, pk: int):
    return _round_post(
        request,
        pk,
        forms.FailForm(request.POST),
        lambda r, d: services.round_fail(by=request.user, round_=r, **d),
        _("The round was ended."),
    )


@role_required(*STAFF_ROLES)
def session_file(request, pk: int):
    from union_portal.scoping import get_in_scope_or_404

    session = get_in_scope_or_404(
        BargainingSession.objects.select_related("round"), request.user, roles=STAFF_ROLES, pk=pk
    )
    if not session.file:
        from django.http import Http404

        raise Http404
    return serve_protected(
        session.file, download_name=f"minutes-{session.held_on.isoformat()}{stored_extension(session.file)}"
    )


# --- officers ------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def officer_list(request):
    form = forms.OfficerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            officer = _try(
                request,
                form,
                lambda: services.officer_register(by=request.user, **form.cleaned_data),
                _("Added to the register."),
            )
        except PermissionDenied:
            form.add_error("org", _("You may not keep the register of this union."))
            officer = None
        if officer:
            return redirect("labour:officer_list")
    page = paginate(selectors.officer_list(user=request.user), request, per_page=50)
    return render(request, "labour/contracts/officer_list.html", {"page": page, "form": form, "query": ""})


@role_required(*STAFF_ROLES)
def officer_edit(request, pk: int):
    officer = get_officer_for(request.user, pk, for_change=True)
    form = forms.OfficerEditForm(
        request.POST or None,
        user=request.user,
        initial={
            "training_hours": officer.training_hours,
            "enterprises": list(officer.enterprises.values_list("pk", flat=True)),
            "active": officer.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.officer_update(by=request.user, officer=officer, **form.cleaned_data),
            _("Saved."),
        ):
            return redirect("labour:officer_list")
    return render(request, "labour/contracts/form.html", {"form": form, "title": officer.name})


# --- deadline rules --------------------------------------------------------------------------------------------


@role_required(*DEADLINE_ADMIN_ROLES)
def deadline_rules(request):
    form = forms.DeadlineRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.deadline_rule_set(by=request.user, **form.cleaned_data),
            _("The deadline rule was saved. Periods already running keep their dates."),
        ):
            return redirect("labour:deadline_rules")
    return render(request, "labour/contracts/deadline_rules.html", {"rules": selectors.deadline_rules(), "form": form})
