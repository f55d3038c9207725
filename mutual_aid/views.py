import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member
from members.selectors import member_of_user
from union_portal.forms import apply_validation_error
from union_portal.money import ZERO
from union_portal.paging import paginate
from union_portal.payments.layouts import batch_spec
from union_portal.permissions import role_required
from union_portal.scoping import has_role
from union_portal.throttling import throttle_view

from . import rules_editor, selectors, services, tables
from .forms import (
    AccountForm,
    AdditionForm,
    AdjustForm,
    AppealForm,
    ApproveForm,
    AssignAppealForm,
    BandFormSet,
    BatchLayoutForm,
    ClaimForm,
    ConfirmPaymentForm,
    DiseaseFormSet,
    EnrolmentForm,
    EstimateForm,
    PaidForm,
    ReasonForm,
    RemovalForm,
    ResubmitForm,
    ReturnFileForm,
    ReturnForm,
    RuleMetaForm,
    SchemeForm,
    SchemeSettingsForm,
)
from .models import Benefit, Claim, ClaimDocument, DecisionLetter, Scheme
from .permissions import (
    ACTING_ROLES,
    BATCH_VIEW_ROLES,
    ENROLMENT_FILE_ROLES,
    ENROLMENT_VIEW_ROLES,
    PAYING_ROLES,
    QUEUE_ROLES,
    SCHEME_ADMIN_ROLES,
    STAFF_CLAIM_ROLES,
    can_act_for,
    can_assign_appeal,
    can_enrol,
    can_reveal_bank_account,
    can_review,
    get_claim_for,
    is_own_claim,
)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Worker ---------------------------------------------------------------------------------------------
@login_required
def my_aid(request):
    member = member_of_user(user=request.user, holding_only=True)
    if member is None:
        return render(request, "mutual_aid/my_aid.html", {"member": None})
    return render(
        request,
        "mutual_aid/my_aid.html",
        {
            "member": member,
            "covers": selectors.covers_of_member(member=member),
            "claims": selectors.claim_list_own(user=request.user)[:50],
            "today": selectors.today(),
        },
    )


@throttle_view("estimate", when=lambda request: bool(request.GET))  # one bucket with the API estimator
def estimate(request):
    """The benefit estimator (试算), open to anyone; a logged-in member's figures default to their ledger."""
    member = member_of_user(user=request.user, holding_only=True)
    scheme = selectors.scheme_current()
    ledger = selectors.ledger_of(scheme=scheme, member=member) if member and scheme else None
    form = EstimateForm(request.GET or None, diseases=selectors.lump_sum_diseases())
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        prior_base = (
            data["prior_base"] if data["prior_base"] is not None else (ledger.cumulative_base if ledger else ZERO)
        )
        prior_paid = (
            data["prior_paid"] if data["prior_paid"] is not None else (ledger.inpatient_paid if ledger else ZERO)
        )
        if data["benefit"] == Benefit.Kind.INPATIENT and data["base"] is None:
            form.add_error("base", _("Give the amount."))
        else:
            try:
                result = selectors.estimate(
                    kind=data["benefit"],
                    base=data["base"],
                    prior_base=prior_base,
                    prior_paid=prior_paid,
                    disease=data["disease"].strip(),
                    used=ledger.lump_sums_used if ledger else [],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            if result is None and not form.errors:
                form.add_error(None, _("No scheme offers this benefit now."))
    if result is not None:
        result.lines = _worded_lines(result.lines)
    return render(request, "mutual_aid/estimate.html", {"form": form, "result": result, "ledger": ledger})


def _worded_lines(lines: list[dict]) -> list[dict]:
    """Working lines with a lump sum's disease named in the reader's language (the line keeps the rules' name)."""
    from .rules import disease_name

    worded = []
    for line in lines:
        if line.get("kind") == "lump_sum" and line.get("disease"):
            code = line["disease"]
            line = dict(line, name=disease_name({"diseases": {code: {"name": line.get("name", "")}}}, code))
        worded.append(line)
    return worded


@login_required
def claim_new(request):
    staff = has_role(request.user, *ACTING_ROLES)
    own = member_of_user(user=request.user, holding_only=True)
    if not staff and own is None:
        messages.error(request, _("Only members can file a claim. Ask your union's handler."))
        return redirect("mutual_aid:my_aid")
    diseases = selectors.lump_sum_diseases(previous=True)
    if staff and request.method == "POST" and "send_consent_code" in request.POST:
        return _claim_consent_code(request, diseases)
    form = ClaimForm(request.POST or None, request.FILES or None, staff=staff, diseases=diseases)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = own
        number = (data.get("member_number") or "").strip()
        if staff and number:
            member = Member.objects.filter(
                member_number=number, pk__in=_scoped_members(request.user).values("pk")
            ).first()
        if member is None:
            form.add_error("member_number" if staff else None, _("No member with this number in your area."))
        else:
            try:
                claim = services.claim_submit(
                    by=request.user,
                    member=member,
                    benefit_kind=data["benefit"],
                    hospital=data["hospital"],
                    admission_date=data["admission_date"],
                    discharge_date=data["discharge_date"],
                    total_amount=data["total_amount"],
                    self_paid_amount=data["self_paid_amount"],
                    excluded_amount=data["excluded_amount"] or "0",
                    disease_code=data["disease_code"].strip(),
                    invoice_numbers=data["invoice_numbers"].split(),
                    documents=form.documents(),
                    bank_account=data["bank_account"],
                    bank_name=data["bank_name"],
                    consent=data["consent"],
                    consent_document=data.get("consent_document"),
                    consent_code=data.get("consent_code") or "",
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied:
                form.add_error(None, _("You may not file a claim for this member."))
            else:
                messages.success(
                    request,
                    _("Claim %(number)s submitted: the automatic review runs first, then two reviewers decide.")
                    % {"number": claim.number},
                )
                return redirect(claim)
    return _claim_form_response(request, form, staff=staff, diseases=diseases)


def _claim_form_response(request, form, *, staff: bool, diseases=None):
    return render(
        request,
        "mutual_aid/claim_form.html",
        {
            "form": form,
            # The empty form is the same for everyone of a kind (staff or member) in a language, for the diseases
            # of the rules in force: its crispy rendering (~20 fields, the page's main cost) is cached by those.
            "cached_form": diseases is not None and not form.is_bound and not form.initial,
            "diseases": diseases,
            "staff": staff,
            "consent_text": services.CONSENT_TEXT,
            "consent_version": services.CONSENT_VERSION,
        },
    )


def _claim_consent_code(request, diseases):
    """A handler filing for a member sends the member the consent SMS; the form comes back as it was typed (the
    files are chosen again), with the code to enter."""
    initial = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "send_consent_code")}
    form = ClaimForm(initial=initial, staff=True, diseases=diseases)
    number = (request.POST.get("member_number") or "").strip()
    member = (
        Member.objects.filter(member_number=number, pk__in=_scoped_members(request.user).values("pk")).first()
        if number
        else None
    )
    if member is None:
        messages.error(request, _("Enter the number of a member of your area first."))
        return _claim_form_response(request, form, staff=True)
    try:
        services.claim_consent_send_code(by=request.user, member=member)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("You may not file a claim for this member."))
    else:
        messages.success(
            request,
            _(
                "The consent SMS was sent to %(name)s's mobile on the roll. Enter the code the member reads to you, "
                "choose the documents again and submit."
            )
            % {"name": member.name},
        )
    return _claim_form_response(request, form, staff=True)


def _scoped_members(user):
    from union_portal.scoping import scope

    return scope(Member.objects.all(), user, roles=list(ACTING_ROLES), include_owner=False)


@role_required(*STAFF_CLAIM_ROLES)
def claim_list(request):
    status = request.GET.get("status", "")
    benefit = request.GET.get("benefit", "")
    page = paginate(selectors.claim_list(user=request.user, status=status, benefit=benefit), request)
    return render(
        request,
        "mutual_aid/claim_list.html",
        {
            "page": page,
            "status": status,
            "benefit": benefit,
            "statuses": Claim.Status.choices,
            "benefits": Benefit.Kind.choices,
            "query": _query(request),
        },
    )


@role_required(*QUEUE_ROLES)
def queue(request):
    stage = request.GET.get("stage", "")
    benefit = request.GET.get("benefit", "")
    findings = request.GET.get("findings", "")
    qs = selectors.claim_queue(user=request.user, stage=stage, benefit=benefit, findings=findings)
    page = paginate(qs.only(*tables.QUEUE_FIELDS), request)
    now = timezone.now()
    rows = [
        (
            claim,
            (now - claim.submitted_at).days,
            [services.check_message(c) for c in claim.auto_checks if not c["ok"]],
        )
        for claim in page
    ]
    return render(
        request,
        "mutual_aid/queue.html",
        {
            "page": page,
            "rows": rows,
            "table": tables.queue_rows(rows),
            "stage": stage,
            "benefit": benefit,
            "findings": findings,
            "stages": [(s.value, s.label) for s in Claim.REVIEW_STATES],
            "benefits": Benefit.Kind.choices,
            "query": _query(request),
        },
    )


@login_required
def claim_detail(request, pk: int):
    return _claim_detail_response(request, get_claim_for(request.user, pk))


def _claim_detail_response(request, claim: Claim, *, revealed_account: str = ""):
    """The claim's page; ``revealed_account``, after an audited reveal, is shown in this response only (never
    in a flash message: those travel in the messages cookie)."""
    user = request.user
    is_owner = claim.member.user_id == user.pk
    own = is_own_claim(user, claim)
    reviewer = can_review(user, claim.member.org) and not own
    acting = can_act_for(user, claim.member)
    assigning = claim.status == Claim.Status.APPEALED and not own and can_assign_appeal(user, claim.member.org)
    checks = [dict(c, message=services.check_label(c)) for c in claim.auto_checks]
    in_review = reviewer and claim.status in Claim.REVIEW_STATES
    waiting = _review_waiting(user, claim) if in_review else ""
    documents = list(claim.documents.all())
    context = {
        "claim": claim,
        "checks": checks,
        "events": [(e, _event_note(e)) for e in selectors.claim_history(claim=claim)],
        "documents": [d for d in documents if d.kind not in (ClaimDocument.Kind.CONSENT, ClaimDocument.Kind.APPEAL)],
        "consent_documents": [d for d in documents if d.kind == ClaimDocument.Kind.CONSENT],
        "appeal_documents": [d for d in documents if d.kind == ClaimDocument.Kind.APPEAL],
        "review_waiting": waiting,
        "invoices": claim.invoices.all(),
        "is_owner": is_owner,
        "can_review": in_review and not waiting,
        "can_return": in_review
        and not waiting
        and claim.status in (Claim.Status.FIRST_REVIEW, Claim.Status.SECOND_REVIEW),
        "can_appeal": acting and services.can_appeal(claim),
        "can_resubmit": acting and claim.status == Claim.Status.RETURNED,
        "can_correct": acting and claim.status == Claim.Status.PAYMENT_FAILED,
        "can_confirm_account": services.can_confirm_account(user, claim),
        "account_awaits_confirmation": claim.payee_change_by_id is not None,
        "assign_form": AssignAppealForm(reviewers=services.appeal_reviewer_choices(claim)) if assigning else None,
        "can_reveal": can_reveal_bank_account(user, claim),
        "revealed_account": revealed_account,
        "decision_letter": selectors.decision_letter_of(claim=claim)
        if claim.status in services.DECIDED_STATES
        else None,
        "appeal_deadline": services.appeal_deadline(timezone.localdate(claim.decided_at)) if claim.decided_at else None,
        "reason_form": ReasonForm(),
        "appeal_form": AppealForm(),
        "approve_form": ApproveForm(),
        "adjust_form": AdjustForm(),
        "return_form": ReturnForm(),
        "account_form": AccountForm(),
        "resubmit_form": ResubmitForm(kinds=claim.missing_documents) if claim.status == Claim.Status.RETURNED else None,
        "money_working": _worded_working(claim.approved_working or claim.working),
        "missing_labels": _document_labels(claim.missing_documents),
    }
    return render(request, "mutual_aid/claim_detail.html", context)


def _worded_working(working: dict) -> dict:
    return dict(working, lines=_worded_lines(working.get("lines") or [])) if working else working


def _document_labels(kinds) -> str:
    labels = dict(ClaimDocument.Kind.choices)
    return "、".join(str(labels.get(k, k)) for k in kinds)


def _review_waiting(user, claim: Claim) -> str:
    """Why a reviewer who may see the claim in review may not decide it now ("" when they may)."""
    if claim.status == Claim.Status.SECOND_REVIEW and claim.first_reviewer_id == user.pk:
        return _("You did the first review: waiting for another reviewer's second review.")
    if claim.status == Claim.Status.APPEALED and claim.appeal_reviewer_id != user.pk:
        if claim.appeal_reviewer_id is None:
            return _("The appeal waits for a district administrator to assign it to a reviewer.")
        return _("The appeal is decided by another reviewer.")
    return ""


def _event_note(event) -> str:
    """An event's note in the reader's language: returned documents and the automatic review's findings are
    stored as codes (older returned events kept the names: shown as they are)."""
    if not event.note:
        return ""
    if event.action == "auto_reviewed":
        return services.check_titles(event.note)
    if event.action == "returned":
        kinds = event.note.split(",")
        if all(k in ClaimDocument.Kind.values for k in kinds):
            return _document_labels(kinds)
    return event.note


@login_required
@require_POST
def claim_action(request, pk: int, action: str):
    claim = get_claim_for(request.user, pk)
    by = request.user
    was_appeal = claim.status == Claim.Status.APPEALED
    forms_by_action = {
        "reject": ReasonForm,
        "appeal": AppealForm,
        "adjust": AdjustForm,
        "return": ReturnForm,
        "account": AccountForm,
    }
    done = ""
    try:
        if action == "approve":
            if not ApproveForm(request.POST).is_valid():
                raise ValidationError(_("Tick the box to confirm the decision."))
            claim = services.claim_approve(by=by, claim=claim)
            done = _approved_message(claim, was_appeal=was_appeal)
        elif action == "confirm-account":
            services.claim_confirm_account(by=by, claim=claim)
            done = _("The new bank account is confirmed: the claim can be paid.")
        elif action == "assign":
            form = AssignAppealForm(request.POST, reviewers=services.appeal_reviewer_choices(claim))
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.appeal_assign(by=by, claim=claim, reviewer=form.cleaned_data["reviewer"])
            done = _("The appeal was assigned to %(name)s.") % {"name": form.cleaned_data["reviewer"].display_name}
        elif action == "resubmit":
            form = ResubmitForm(request.POST, request.FILES, kinds=claim.missing_documents)
            if not form.is_valid():
                raise ValidationError(_("Add every missing document."))
            services.claim_resubmit(by=by, claim=claim, documents=form.documents())
            done = _("The documents were added: the claim is reviewed again.")
        elif action == "reveal":
            account = services.reveal_bank_account(by=by, claim=claim)
            response = _claim_detail_response(request, claim, revealed_account=account)
            response["Cache-Control"] = "no-store, private"
            return response
        elif action in forms_by_action:
            form = forms_by_action[action](request.POST, request.FILES)
            if not form.is_valid():
                if action == "adjust" and list(form.errors) == ["confirm"]:
                    raise ValidationError(_("Tick the box to confirm the decision."))
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            data = form.cleaned_data
            if action == "reject":
                claim = services.claim_reject(by=by, claim=claim, reason=data["reason"])
                done = (
                    _("The appeal was rejected; the worker has been told. This decision is final.")
                    if was_appeal
                    else _("The claim was rejected; the worker has been told and may appeal once.")
                )
            elif action == "appeal":
                claim = services.claim_appeal(
                    by=by, claim=claim, reason=data["reason"], documents=data.get("documents") or []
                )
                done = _("Appeal submitted: another reviewer will decide it.")
            elif action == "adjust":
                claim = services.claim_adjust_amount(by=by, claim=claim, amount=data["amount"], reason=data["reason"])
                done = _("The amount was cut to ¥%(amount)s; it takes effect when the claim is approved.") % {
                    "amount": claim.adjusted_amount
                }
            elif action == "return":
                services.claim_return(by=by, claim=claim, documents=data["documents"], note=data["note"])
                done = _("Returned: the worker has been told which documents to add.")
            else:
                services.claim_correct_account(
                    by=by,
                    claim=claim,
                    bank_account=data["bank_account"],
                    bank_name=data["bank_name"],
                    account_holder=data["account_holder"],
                )
                done = _(
                    "The new bank account was saved: it is paid once the member or a second staff person confirms it."
                )
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if action in ("approve", "adjust", "return", "reject") and has_role(by, *QUEUE_ROLES):
            done = format_html(
                '{} <a href="{}" class="alert-link">{}</a>', done, reverse("mutual_aid:queue"), _("Back to the queue")
            )
        messages.success(request, done)
    return redirect(claim)


def _approved_message(claim: Claim, *, was_appeal: bool) -> str:
    if claim.status == Claim.Status.SECOND_REVIEW:
        return _("First review passed: another reviewer does the second review.")
    if was_appeal:
        return _("Appeal upheld, approved: ¥%(amount)s granted.") % {"amount": claim.approved_amount}
    return _("Second review passed, amount granted ¥%(amount)s.") % {"amount": claim.approved_amount}


@login_required
def claim_document(request, pk: int, doc_pk: int):
    from union_portal.uploads import serve_protected

    claim = get_claim_for(request.user, pk)
    document = get_object_or_404(claim.documents, pk=doc_pk)
    return serve_protected(document.file, download_name=document.download_name())


@login_required
def claim_letter(request, pk: int):
    """The decision letter (PDF, Chinese) of an approved or rejected claim, dated by the decision. A character no
    font has is reported to the user instead (the letter is not made)."""
    claim = get_claim_for(request.user, pk)
    if claim.status not in services.DECIDED_STATES:
        raise Http404
    try:
        document = services.decision_letter_pdf(claim=claim)
    except DecisionLetter.DoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(claim)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{claim.number}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


@role_required(*STAFF_CLAIM_ROLES)
def statistics(request):
    return render(request, "mutual_aid/statistics.html", {"stats": selectors.claim_statistics(user=request.user)})


# --- Schemes and rules (district admin) -----------------------------------------------------------------
@role_required(*SCHEME_ADMIN_ROLES)
def scheme_list(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(by=request.user, year=form.cleaned_data["year"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect(scheme)
    return render(request, "mutual_aid/scheme_list.html", {"schemes": Scheme.objects.all()[:50], "form": form})


@role_required(*SCHEME_ADMIN_ROLES)
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(Scheme, pk=pk)
    initial = {f: getattr(scheme, f) for f in SchemeSettingsForm.base_fields}
    form = SchemeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(by=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(scheme)
    benefits = list(scheme.benefits.prefetch_related("versions"))
    for b in benefits:
        for v in b.versions.all():
            v.display = rules_editor.rules_display(b.kind, v.rules)  # type: ignore[attr-defined]
    return render(request, "mutual_aid/scheme_detail.html", {"scheme": scheme, "benefits": benefits, "form": form})


@role_required(*SCHEME_ADMIN_ROLES)
def rule_version_new(request, pk: int):
    """The rules editor: one benefit's rules as fields and rows (bands 起点/终点/比例, cap, deductible, waiting
    days, diseases by name and amount, required documents, the premium of added members), saved as a new
    version effective from a date."""
    benefit = get_object_or_404(Benefit.objects.select_related("scheme"), pk=pk)
    current = benefit.versions.order_by("-effective_from").first()
    previous = current.rules if current else {}
    start = rules_editor.rules_to_editor(benefit.kind, previous)
    data = request.POST if request.method == "POST" else None
    meta = RuleMetaForm(data, kind=benefit.kind, initial={**start["meta"], "premium": benefit.premium})
    inpatient = benefit.kind == Benefit.Kind.INPATIENT
    bands = BandFormSet(data, prefix="bands", initial=start["bands"]) if inpatient else None
    diseases = None if inpatient else DiseaseFormSet(data, prefix="diseases", initial=start["diseases"])
    if request.method == "POST":
        meta_ok = meta.is_valid()
        rows_ok = True
        if bands is not None:
            bands.deductible = (meta.cleaned_data.get("deductible") or ZERO) if meta_ok else None
            rows_ok = bands.is_valid()
        if diseases is not None:
            rows_ok = diseases.is_valid()
        if meta_ok and rows_ok:
            rules = rules_editor.rules_from_editor(
                benefit.kind,
                meta=meta.cleaned_data,
                bands=bands.rows() if bands is not None else [],
                diseases=diseases.rows() if diseases is not None else [],
                previous=previous,
            )
            try:
                services.rule_version_create(
                    by=request.user,
                    benefit=benefit,
                    effective_from=meta.cleaned_data["effective_from"],
                    rules=rules,
                    premium=meta.cleaned_data["premium"],
                    note=meta.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_validation_error(meta, exc)
            else:
                _done(
                    request,
                    _("The new rules version of %(benefit)s was saved, in force from %(date)s.")
                    % {"benefit": benefit.name, "date": meta.cleaned_data["effective_from"].isoformat()},
                    benefit.scheme.get_absolute_url(),
                    _("Back to the scheme"),
                )
                return redirect(benefit.scheme)
    return render(
        request,
        "mutual_aid/rule_form.html",
        {
            "form": meta,
            "bands": bands,
            "diseases": diseases,
            "benefit": benefit,
            "current": rules_editor.rules_display(benefit.kind, previous) if current else None,
        },
    )


# --- Enrolment ------------------------------------------------------------------------------------------
@role_required(*ENROLMENT_VIEW_ROLES)
def enrolment_list(request):
    page = paginate(selectors.enrolment_list(user=request.user), request)
    return render(
        request,
        "mutual_aid/enrolment_list.html",
        {
            "page": page,
            "query": _query(request),
            "is_handler": has_role(request.user, *ENROLMENT_FILE_ROLES),
            "is_finance": has_role(request.user, *PAYING_ROLES),
            "confirm_form": ConfirmPaymentForm(),
        },
    )


@role_required(*ENROLMENT_FILE_ROLES)
def enrolment_template(request):
    from union_portal.excel import xlsx_bytes_response

    return xlsx_bytes_response("参保名单模板.xlsx", services.enrolment_template())


def _done(request, text: str, url: str, link_text: str) -> None:
    """A success message saying what happened, with a link back to where the work goes on."""
    messages.success(request, format_html('{} <a href="{}" class="alert-link">{}</a>', text, url, link_text))


def _enrolment_members(form, *, unit, benefit, enrolment=None) -> tuple[list, list]:
    """The members a form names: the roll (every eligible member; for an addition, those not enrolled yet)
    or an Excel list read by the one enrolment reader. Returns (members, row errors)."""
    if form.cleaned_data["source"] == "excel":
        if not form.cleaned_data.get("excel"):
            form.add_error("excel", _("Choose the Excel file."))
            return [], []
        return services.parse_enrolment_excel(upload=form.cleaned_data["excel"], org=unit, benefit=benefit)
    if enrolment is not None:
        return list(services.addable_members(enrolment=enrolment)), []
    return list(selectors.eligible_members(org=unit, benefit=benefit)), []


@role_required(*ENROLMENT_FILE_ROLES)
def enrolment_new(request):
    scheme = selectors.scheme_current()
    if scheme is None:
        messages.error(request, _("There is no scheme period yet."))
        return redirect("mutual_aid:enrolment_list")
    unit = selectors.grassroots_units_for(user=request.user).first()
    if unit is None:
        raise PermissionDenied
    benefits = list(scheme.benefits.all())
    warnings = {b.pk: services.short_cover_warning(benefit=b) for b in benefits}
    form = EnrolmentForm(request.POST or None, request.FILES or None, scheme=scheme, short_cover=any(warnings.values()))
    row_errors = []
    preview = []
    if form.is_bound and form.is_valid():
        benefit = form.cleaned_data["benefit"]
        existing = selectors.enrolment_of_unit(org=unit, benefit=benefit)
        if existing is not None:
            form.add_error(
                "benefit",
                _("This union is already enrolled in this benefit for the period: add the members to it instead."),
            )
            members = []
        else:
            members, row_errors = _enrolment_members(form, unit=unit, benefit=benefit)
        if members and not row_errors and not form.errors:
            try:
                enrolment = services.enrolment_create(by=request.user, benefit=benefit, org=unit, members=members)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _done(
                    request,
                    _("%(n)s members enrolled. Premium due: %(amount)s yuan.")
                    % {"n": enrolment.member_count, "amount": enrolment.premium_due},
                    reverse("mutual_aid:enrolment_detail", args=[enrolment.pk]),
                    _("Open the enrolment"),
                )
                return redirect("mutual_aid:enrolment_list")
        preview = members
    enrolled = {e.benefit_id: e for e in selectors.enrolment_list(user=request.user, scheme=scheme).filter(org=unit)}
    rows = []
    for b in benefits:
        n = selectors.eligible_members(org=unit, benefit=b).count()
        rows.append((b, n, services.participation_minimum(scheme=scheme, eligible=n), b.premium, enrolled.get(b.pk)))
    return render(
        request,
        "mutual_aid/enrolment_form.html",
        {
            "form": form,
            "unit": unit,
            "scheme": scheme,
            "rows": rows,
            "row_errors": row_errors,
            "preview": preview,
            "warnings": sorted({w for w in warnings.values() if w}),
        },
    )


@role_required(*ENROLMENT_VIEW_ROLES)
def enrolment_detail(request, pk: int):
    """An enrolment's members (with their cover and, for those taken off, its end), the members added later
    with their premium and payment, and for the handler the forms to add and take off members."""
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    page = paginate(selectors.enrolment_covers(enrolment=enrolment), request)
    is_handler = has_role(request.user, *ENROLMENT_FILE_ROLES)
    removal_form = None
    if is_handler:
        choices = [(c.member_id, f"{c.member.member_number} {c.member.name}") for c in page if c.ends_on is None]
        removal_form = RemovalForm(member_choices=choices, initial={"left_on": selectors.today()})
    return render(
        request,
        "mutual_aid/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "page": page,
            "query": _query(request),
            "additions": selectors.enrolment_additions(enrolment=enrolment),
            "is_handler": is_handler,
            "is_finance": has_role(request.user, *PAYING_ROLES),
            "removal_form": removal_form,
            "confirm_form": ConfirmPaymentForm(),
            "today": selectors.today(),
        },
    )


@role_required(*ENROLMENT_FILE_ROLES)
def enrolment_add(request, pk: int):
    """增员: add members to the unit's enrolment (from the roll or an Excel list, read as for enrolling)."""
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    if not can_enrol(request.user, enrolment.org):
        raise PermissionDenied
    benefit = enrolment.benefit
    warning = services.short_cover_warning(benefit=benefit, addition=True)
    form = AdditionForm(request.POST or None, request.FILES or None, short_cover=bool(warning))
    row_errors, preview = [], []
    if form.is_bound and form.is_valid():
        members, row_errors = _enrolment_members(form, unit=enrolment.org, benefit=benefit, enrolment=enrolment)
        if not members and not row_errors and not form.errors:
            form.add_error(None, _("Every eligible member is enrolled already."))
        if members and not row_errors and not form.errors:
            try:
                addition = services.enrolment_add_members(by=request.user, enrolment=enrolment, members=members)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                _done(
                    request,
                    _(
                        "%(n)s members added. Premium due: %(amount)s yuan; their cover starts the day after the payment is confirmed."
                    )
                    % {"n": addition.member_count, "amount": addition.premium_due},
                    enrolment.get_absolute_url(),
                    _("Back to the enrolment"),
                )
                return redirect(enrolment)
        preview = members
    premium, months = services.addition_terms(benefit=benefit)
    return render(
        request,
        "mutual_aid/addition_form.html",
        {
            "form": form,
            "enrolment": enrolment,
            "addable": services.addable_members(enrolment=enrolment).count(),
            "premium": premium,
            "months": months,
            "warning": warning,
            "row_errors": row_errors,
            "preview": preview,
        },
    )


@role_required(*ENROLMENT_FILE_ROLES)
@require_POST
def enrolment_remove(request, pk: int):
    """减员: take members off the enrolment (no refund); their cover ends on the day they left."""
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    ids = [c.member_id for c in enrolment.covers.filter(ends_on__isnull=True).only("member_id")]
    form = RemovalForm(request.POST, member_choices=[(i, str(i)) for i in ids])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(enrolment)
    try:
        n = services.enrolment_remove_members(
            by=request.user,
            enrolment=enrolment,
            member_ids=form.cleaned_data["members"],
            reason=form.cleaned_data["reason"],
            left_on=form.cleaned_data["left_on"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _done(
            request,
            _("%(n)s members taken off the enrolment; their cover ends on %(date)s. The premium is not refunded.")
            % {"n": n, "date": form.cleaned_data["left_on"].isoformat()},
            enrolment.get_absolute_url(),
            _("Back to the enrolment"),
        )
    return redirect(enrolment)


def _confirm_payment(request, confirm, done) -> None:
    """Finance confirms a premium with the bank's payment reference: ``confirm(reference)`` calls the service;
    on success ``done()`` gives the message, its link and the link's text; refusals and a missing reference are
    shown as errors."""
    form = ConfirmPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the payment reference."))
        return
    try:
        confirm(form.cleaned_data["reference"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _done(request, *done())


@role_required(*PAYING_ROLES)
@require_POST
def enrolment_confirm(request, pk: int):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    _confirm_payment(
        request,
        lambda reference: services.enrolment_confirm_payment(by=request.user, enrolment=enrolment, reference=reference),
        lambda: (
            _("Payment of %(union)s · %(benefit)s confirmed (%(amount)s yuan); cover starts tomorrow.")
            % {"union": enrolment.org.name, "benefit": enrolment.benefit.name, "amount": enrolment.premium_due},
            enrolment.get_absolute_url(),
            _("Open the enrolment"),
        ),
    )
    return redirect(enrolment) if request.POST.get("next") == "detail" else redirect("mutual_aid:enrolment_list")


@role_required(*PAYING_ROLES)
@require_POST
def addition_confirm(request, pk: int):
    """Finance confirms the premium of members added to an enrolment: their cover starts tomorrow."""
    addition = selectors.addition_get(user=request.user, pk=pk)
    _confirm_payment(
        request,
        lambda reference: services.addition_confirm_payment(by=request.user, addition=addition, reference=reference),
        lambda: (
            _("Payment of %(n)s added members confirmed (%(amount)s yuan); their cover starts tomorrow.")
            % {"n": addition.member_count, "amount": addition.premium_due},
            reverse("mutual_aid:enrolment_list"),
            _("Back to the enrolments"),
        ),
    )
    return redirect(addition.enrolment)


# --- Payments (finance) ---------------------------------------------------------------------------------
@role_required(*BATCH_VIEW_ROLES)
def batch_list(request):
    if request.method == "POST":
        if not has_role(request.user, *PAYING_ROLES):
            raise PermissionDenied
        try:
            batch = services.batch_create(by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            _done(
                request,
                _("Payment batch %(batch)s created: %(n)s payments, ¥%(total)s.")
                % {"batch": batch, "n": batch.payments.count(), "total": batch.total},
                reverse("mutual_aid:batch_list"),
                _("Back to the payment batches"),
            )
            return redirect(batch)
    payable = selectors.payable_claims(user=request.user)
    return render(
        request,
        "mutual_aid/batch_list.html",
        {
            "page": paginate(selectors.batch_list(user=request.user), request),
            "payable": payable[:200],
            "query": _query(request),
        },
    )


@role_required(*BATCH_VIEW_ROLES)
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    payments = list(selectors.batch_payments(batch=batch))
    return render(
        request,
        "mutual_aid/batch_detail.html",
        {
            "batch": batch,
            "payments": payments,
            "layout": batch_spec(batch),
            "summary": selectors.batch_summary(payments=payments),
            "paid_form": PaidForm(),
            "reason_form": ReasonForm(),
            "return_form": ReturnFileForm(),
            "layout_form": BatchLayoutForm(initial={"layout": batch.layout_id}),
            "is_finance": has_role(request.user, *PAYING_ROLES),
        },
    )


@role_required(*PAYING_ROLES)
def batch_export(request, pk: int, fmt: str):
    """The bank transfer file in the batch's layout, with full account numbers (the bank needs them):
    audited; refused with the rows named when a payee cannot be written exactly."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        return services.batch_bank_file(by=request.user, batch=batch, fmt=fmt)
    except ValidationError as exc:
        messages.error(request, _("The bank file was not written:"))
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect(batch)


@role_required(*PAYING_ROLES)
@require_POST
def batch_layout(request, pk: int):
    """Finance chooses the layout of an open batch's bank file."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = BatchLayoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a bank file layout."))
        return redirect(batch)
    try:
        services.batch_choose_layout(by=request.user, batch=batch, layout=form.cleaned_data["layout"])
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The bank file will be written as “%(layout)s”.") % {"layout": form.cleaned_data["layout"]}
        )
    return redirect(batch)


# A return file read for its summary waits here for finance to confirm it (by the same user, same batch).
RETURN_FILE_TTL = 30 * 60


def _return_key(user, batch_pk: int, token: str) -> str:
    return f"mutual_aid:return_file:{user.pk}:{batch_pk}:{token}"


@role_required(*PAYING_ROLES)
@require_POST
def batch_return_file(request, pk: int):
    """The bank's return file (回盘文件), step one: read it and show what it will do (paid lines with their
    bank reference, failed lines going back to the worker, lines recorded before) for finance to confirm."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the bank's return file (.xlsx or .csv)."))
        return redirect(batch)
    data = form.cleaned_data["file"].read()
    try:
        preview = services.batch_preview_return_file(by=request.user, batch=batch, data=data)
    except ValidationError as exc:
        messages.error(request, _("Nothing was changed: correct these lines and read the file again."))
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect(batch)
    token = secrets.token_urlsafe(16)
    cache.set(_return_key(request.user, batch.pk, token), data, RETURN_FILE_TTL)
    return render(
        request,
        "mutual_aid/batch_return_preview.html",
        {"batch": batch, "preview": preview, "token": token, "file_name": form.cleaned_data["file"].name},
    )


@role_required(*PAYING_ROLES)
@require_POST
def batch_return_confirm(request, pk: int):
    """Step two: the whole batch in one step: paid lines marked paid with their bank reference, failed lines
    returned to the worker, all or nothing."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    key = _return_key(request.user, batch.pk, request.POST.get("token", "")[:64])
    data = cache.get(key)
    if data is None:
        messages.error(request, _("The return file read is no longer waiting (after 30 minutes): read it again."))
        return redirect(batch)
    try:
        result = services.batch_apply_return_file(by=request.user, batch=batch, data=data)
    except ValidationError as exc:
        messages.error(request, _("Nothing was changed: correct these lines and read the file again."))
        for message in exc.messages[:20]:
            messages.error(request, message)
    else:
        cache.delete(key)
        _done(
            request,
            _("Return file read: %(paid)s paid (¥%(total)s), %(failed)s failed, %(skipped)s already recorded before.")
            % {"paid": result.paid, "failed": result.failed, "skipped": result.skipped, "total": result.total_paid},
            reverse("mutual_aid:batch_list"),
            _("Back to the payment batches"),
        )
    return redirect(batch)


@role_required(*PAYING_ROLES)
@require_POST
def payment_decide(request, pk: int, outcome: str):
    payment = selectors.payment_get(user=request.user, pk=pk)
    try:
        if outcome == "paid":
            form = PaidForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the bank reference."))
            services.payment_mark_paid(by=request.user, payment=payment, reference=form.cleaned_data["reference"])
            _done(
                request,
                _("%(reference)s marked paid (¥%(amount)s).")
                % {"reference": payment.reference, "amount": payment.amount},
                reverse("mutual_aid:batch_list"),
                _("Back to the payment batches"),
            )
        elif outcome == "failed":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the reason the payment failed."))
            services.payment_mark_failed(by=request.user, payment=payment, reason=form.cleaned_data["reason"])
            _done(
                request,
                _("%(reference)s marked failed: the worker is asked to correct the bank account.")
                % {"reference": payment.reference},
                reverse("mutual_aid:batch_list"),
                _("Back to the payment batches"),
            )
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(payment.batch)
