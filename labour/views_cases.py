"""Pages of rights cases (维权): the worker's request and "my cases" on a phone, the hotline caller's follow link,
the staff list, the case page with its actions, the case file PDF, the lawyers' roster and the settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.selectors import member_of_user
from union_portal import pdf
from union_portal.audit import audit_record
from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import Role
from union_portal.scoping import has_role
from union_portal.uploads import serve_protected

from .forms_cases import (
    CaseFileForm,
    CaseFilterForm,
    CaseSettingsForm,
    CloseForm,
    GroupForm,
    HotlineForm,
    LawyerForm,
    SatisfactionForm,
    StepForm,
)
from .models import CaseDocument, CaseStatus, RightsCase
from .permissions.cases import (
    CASE_ADMIN_ROLES,
    CASE_STAFF_ROLES,
    can_handle,
    can_reveal,
    can_work,
    get_case_for,
    is_assigned_lawyer,
    is_owner,
    visible_cases_q,
)
from .selectors import cases as selectors
from .services import cases as services


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Worker ---------------------------------------------------------------------------------------------------
@login_required
def my_cases(request):
    cases = list(selectors.my_cases(user=request.user))
    return render(request, "labour/cases/my_cases.html", {"cases": cases})


@login_required
def case_new(request):
    member = member_of_user(user=request.user)
    if member is None:
        messages.info(request, _("Only members can file a request online. Call the 12351 hotline."))
        return redirect("labour:my_cases")
    form = CaseFileForm(request.POST or None, request.FILES or None, initial={"confidential": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_file(
                by=request.user,
                member=member,
                case_type=data["case_type"],
                facts=data["facts"],
                requests=data["requests"],
                enterprise=data["enterprise"],
                employer_name=data["employer_name"],
                township=data["township"],
                contact_preference=data["contact_preference"],
                confidential=data["confidential"],
                worker_count=data["worker_count"],
                health_details=data["health_details"],
                documents=data["documents"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your request %(number)s was sent.") % {"number": case.number})
            return redirect("labour:my_case", case.pk)
    return render(request, "labour/cases/case_form.html", {"form": form, "title": _("Ask the union for help")})


def _worker_context(case: RightsCase, today) -> dict:
    return {
        "case": case,
        "steps": selectors.case_steps(case=case),
        "timers": selectors.case_timers(case=case, today=today),
    }


@login_required
def my_case(request, pk: int):
    case = get_object_or_404(RightsCase.objects.select_related("org"), pk=pk, user=request.user)
    context = _worker_context(case, timezone.localdate())
    if case.status == CaseStatus.CLOSED and case.satisfaction is None:
        context["rate_form"] = SatisfactionForm()
    return render(request, "labour/cases/my_case.html", context)


@login_required
@require_POST
def case_rate(request, pk: int):
    case = get_object_or_404(RightsCase, pk=pk, user=request.user)
    form = SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            services.case_satisfaction(
                by=request.user, case=case, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for your answer."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("labour:my_case", case.pk)


def case_follow(request, token: str):
    """A hotline caller follows their case through the one-time link texted to them (no account)."""
    try:
        case = services.case_for_follow_token(token=token)
    except ValidationError as exc:
        return render(request, "labour/cases/follow_invalid.html", {"message": exc.messages[0]}, status=404)
    context = _worker_context(case, timezone.localdate())
    context["follow"] = True
    return render(request, "labour/cases/my_case.html", context)


# --- Staff ----------------------------------------------------------------------------------------------------
def _may_list(user) -> bool:
    return has_role(user, *CASE_STAFF_ROLES, Role.LAWYER)


@login_required
def case_list(request):
    if not _may_list(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    filters = CaseFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.case_list(
        user=request.user,
        today=today,
        status=data.get("status", ""),
        case_type=data.get("case_type", ""),
        overdue=bool(data.get("overdue")),
        search=(data.get("q") or "").strip(),
    )
    page = paginate(qs, request)
    overdue_ids = (
        set(
            RightsCase.objects.filter(pk__in=[c.pk for c in page.object_list])
            .filter(selectors.overdue_q(today))
            .values_list("pk", flat=True)
        )
        if page.object_list
        else set()
    )
    return render(
        request,
        "labour/cases/case_list.html",
        {
            "page": page,
            "filters": filters,
            "query": _query(request),
            "overdue_ids": overdue_ids,
            "can_record": has_role(request.user, Role.RIGHTS_OFFICER, Role.DISTRICT_ADMIN),
        },
    )


@role_required(Role.RIGHTS_OFFICER, Role.DISTRICT_ADMIN)
def case_hotline(request):
    form = HotlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_record(
                by=request.user,
                case_type=data["case_type"],
                facts=data["facts"],
                requests=data["requests"],
                enterprise=data["enterprise"],
                employer_name=data["employer_name"],
                township=data["township"],
                worker_name=data["worker_name"],
                worker_mobile=data["worker_mobile"],
                confidential=data["confidential"],
                worker_count=data["worker_count"],
                source="hotline",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Case %(number)s recorded; the caller was texted the number and a link.") % {"number": case.number},
            )
            if case.org and RightsCase.objects.filter(visible_cases_q(request.user), pk=case.pk).exists():
                return redirect("labour:case_detail", case.pk)
            return redirect("labour:case_list")
    return render(request, "labour/cases/case_form.html", {"form": form, "title": _("Record a 12351 hotline call")})


def _detail_context(request, case: RightsCase, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    handle = can_handle(user, case)
    work = can_work(user, case)
    context = {
        "case": case,
        "steps": selectors.case_steps(case=case),
        "documents": selectors.case_documents(case=case),
        "timers": selectors.case_timers(case=case, today=today),
        "assignments": list(case.lawyer_assignments.select_related("lawyer")),
        "group_size": selectors.group_size(case=case) if case.is_group else None,
        "group_cases": list(RightsCase.objects.filter(group_lead=case.group_lead or case).filter(visible_cases_q(user)))
        if case.is_group
        else [],
        "can_handle": handle,
        "can_work": work,
        "can_reveal": can_reveal(user, case),
        "is_lawyer": is_assigned_lawyer(user, case),
    }
    if handle and case.status == CaseStatus.NEW:
        context["can_accept"] = True
    if work and case.status != CaseStatus.NEW:
        context["step_form"] = forms.get("step_form") or StepForm(initial={"on": today})
    if handle and case.status in (CaseStatus.ACCEPTED, CaseStatus.IN_HAND):
        context["close_form"] = forms.get("close_form") or CloseForm()
        context["group_form"] = forms.get("group_form") or GroupForm()
    return context


@login_required
def case_detail(request, pk: int):
    case = get_case_for(request.user, pk)
    if not (_may_list(request.user) or is_owner(request.user, case)):
        raise Http404
    if is_owner(request.user, case) and not _may_list(request.user):
        return redirect("labour:my_case", case.pk)
    return render(request, "labour/cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    case = get_case_for(request.user, pk, for_change=True)
    user = request.user
    try:
        if action == "accept":
            services.case_accept(by=user, case=case)
            messages.success(request, _("The case was accepted."))
        elif action == "step":
            form = StepForm(request.POST, request.FILES)
            if not form.is_valid():
                return render(
                    request, "labour/cases/case_detail.html", _detail_context(request, case, step_form=form), status=400
                )
            data = form.cleaned_data
            try:
                services.case_add_step(
                    by=user,
                    case=case,
                    kind=data["kind"],
                    on=data["on"],
                    notes=data["notes"],
                    lawyer=data["lawyer"],
                    documents=data["documents"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                return render(
                    request, "labour/cases/case_detail.html", _detail_context(request, case, step_form=form), status=400
                )
            messages.success(request, _("The step was recorded."))
        elif action == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "labour/cases/case_detail.html",
                    _detail_context(request, case, close_form=form),
                    status=400,
                )
            services.case_close(
                by=user,
                case=case,
                outcome=form.cleaned_data["outcome"],
                money_recovered=form.cleaned_data["money_recovered"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("The case was closed."))
        elif action == "group":
            form = GroupForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "labour/cases/case_detail.html",
                    _detail_context(request, case, group_form=form),
                    status=400,
                )
            lead = RightsCase.objects.filter(
                visible_cases_q(user), number=form.cleaned_data["lead_number"].strip()
            ).first()
            if lead is None:
                form.add_error("lead_number", _("No case with this number in your area."))
                return render(
                    request,
                    "labour/cases/case_detail.html",
                    _detail_context(request, case, group_form=form),
                    status=400,
                )
            services.case_link_group(by=user, case=case, lead=lead)
            messages.success(request, _("The case was linked to the group."))
        elif action == "reveal":
            revealed = services.case_reveal(by=user, case=case)
            context = _detail_context(request, case)
            context["revealed"] = revealed
            return render(request, "labour/cases/case_detail.html", context)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("labour:case_detail", case.pk)


@login_required
def case_document(request, pk: int, doc_pk: int):
    if RightsCase.objects.filter(pk=pk, user=request.user).exists():
        case = RightsCase.objects.get(pk=pk)
    else:
        case = get_case_for(request.user, pk)
    document = get_object_or_404(CaseDocument, pk=doc_pk, case=case)
    return serve_protected(document.file, download_name=document.original_name)


@login_required
def case_pdf(request, pk: int):
    """The case file for arbitration or court: facts, steps, documents list (handling officer or lawyer)."""
    case = get_case_for(request.user, pk, for_change=True)
    paragraphs = [
        _("Case number: %(number)s") % {"number": case.number},
        _("Type: %(type)s") % {"type": case.get_case_type_display()},
        _("Received on: %(date)s (%(source)s)")
        % {"date": pdf.chinese_date(case.received_on), "source": case.get_source_display()},
        _("Worker: %(name)s; workers concerned: %(count)s") % {"name": case.worker_name, "count": case.worker_count},
        _("Employer: %(employer)s") % {"employer": case.employer_display},
        _("Handled by: %(union)s") % {"union": case.org.name},
        _("Facts: %(facts)s") % {"facts": case.facts},
        _("The worker asks for: %(requests)s") % {"requests": case.requests or "—"},
        _("Steps:"),
    ]
    for step in selectors.case_steps(case=case):
        paragraphs.append(f"{pdf.chinese_date(step.on)} {step.get_kind_display()}：{step.notes or '—'}")
    paragraphs.append(_("Documents:"))
    for index, document in enumerate(selectors.case_documents(case=case), start=1):
        paragraphs.append(f"{index}. {document.title} ({document.uploaded_at:%Y-%m-%d})")
    if case.status == CaseStatus.CLOSED:
        paragraphs.append(
            _("Closed on %(date)s: %(outcome)s; money recovered %(money)s yuan.")
            % {
                "date": pdf.chinese_date(case.closed_on),
                "outcome": case.get_outcome_display(),
                "money": case.money_recovered or "0.00",
            }
        )
    try:
        body = pdf.letter(
            title=_("Rights case file"),
            paragraphs=paragraphs,
            footer_lines=[case.org.name, pdf.chinese_date(timezone.localdate())],
        )
    except pdf.UnprintableCharacter as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("labour:case_detail", case.pk)
    audit_record(actor=request.user, action="labour.case_pdf", obj=case)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}.pdf"'
    return response


@role_required(*CASE_ADMIN_ROLES)
def lawyer_list(request):
    form = LawyerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = None
        if data["username"]:
            user = get_user_model().objects.filter(username=data["username"], assignments__role=Role.LAWYER).first()
            if user is None:
                form.add_error("username", _("No account with this user name holds the role Legal-aid lawyer."))
        if not form.errors:
            try:
                services.lawyer_add(
                    by=request.user,
                    name=data["name"],
                    firm=data["firm"],
                    specialities=data["specialities"],
                    mobile=data["mobile"],
                    user=user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The lawyer was added to the roster."))
                return redirect("labour:lawyer_list")
    lawyers = list(selectors.lawyer_roster())
    return render(request, "labour/cases/lawyer_list.html", {"lawyers": lawyers, "form": form})


@role_required(Role.DISTRICT_ADMIN)
def case_settings(request):
    current = selectors.case_settings()
    form = CaseSettingsForm(request.POST or None, initial={"group_warning_threshold": current.group_warning_threshold})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_settings_update(
                by=request.user, group_warning_threshold=form.cleaned_data["group_warning_threshold"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("labour:case_settings")
    return render(request, "labour/cases/case_form.html", {"form": form, "title": _("Rights case settings")})
