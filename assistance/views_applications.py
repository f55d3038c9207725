"""Pages of hardship applications: the worker's own (apply from a phone, "my assistance"), the staff list and
detail with the visit, category, notice and review steps, the notices at the unit for members, and the rules.
Thin views: parse, check, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal.crypto import mask_id_number
from union_portal.forms import apply_validation_error
from union_portal.membership import member_of_user
from union_portal.models import User
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import Role
from union_portal.scoping import scope
from union_portal.tree import ancestor_paths
from union_portal.uploads import serve_protected, stored_extension

from .forms_applications import (
    ApplicationForm,
    CategoryForm,
    DocumentForm,
    IncomeFormSet,
    PersonFormSet,
    ReviewForm,
    RulesForm,
    SpendingFormSet,
    SubmitForm,
    VisitForm,
    filled,
    rules_initial,
)
from .models import Application
from .permissions import applications as perms
from .rules import working_lines
from .selectors import applications as selectors
from .services import applications as services


def _member_for_new(request):
    """The member an application is filed for: the worker themself, or (staff) the member whose number is given,
    in the staff's area (404 otherwise)."""
    number = (request.GET.get("member") or request.POST.get("member_number") or "").strip()
    if number and perms.is_staff(request.user):
        from members.models import Member

        member = (
            scope(Member.objects.all(), request.user, roles=list(perms.FILING_ROLES), include_owner=False)
            .filter(member_number=number)
            .select_related("org")
            .first()
        )
        if member is None:
            raise Http404
        return member
    member = member_of_user(user=request.user, holding_only=True)
    if member is None:
        raise Http404
    return member


def _edit_context(application: Application | None) -> dict:
    if application is None:
        return {
            "form": ApplicationForm(),
            "people": PersonFormSet(prefix="p"),
            "incomes": IncomeFormSet(prefix="i"),
            "spending": SpendingFormSet(prefix="s"),
        }
    form = ApplicationForm(
        initial={
            "causes": application.causes,
            "cause_note": application.cause_note,
            "housing": application.housing,
            "housing_area": application.housing_area or "",
            "assets_note": application.assets_note,
        }
    )
    people = PersonFormSet(
        prefix="p",
        initial=[
            {
                "relation": p.relation,
                "name": p.name,
                "id_number": p.id_number,
                "age": p.age,
                "health": p.health,
                "health_note": p.health_note,
                "work": p.work,
                "school": p.school,
            }
            for p in application.household.all()
        ],
    )
    incomes = IncomeFormSet(
        prefix="i", initial=[{"kind": i.source, "amount": i.amount, "note": i.note} for i in application.incomes.all()]
    )
    spending = SpendingFormSet(
        prefix="s", initial=[{"kind": s.kind, "amount": s.amount, "note": s.note} for s in application.spending.all()]
    )
    return {"form": form, "people": people, "incomes": incomes, "spending": spending}


def _save_from_post(request, *, member, application: Application | None):
    form = ApplicationForm(request.POST)
    people = PersonFormSet(request.POST, prefix="p")
    incomes = IncomeFormSet(request.POST, prefix="i")
    spending = SpendingFormSet(request.POST, prefix="s")
    context = {"form": form, "people": people, "incomes": incomes, "spending": spending}
    if not (form.is_valid() and people.is_valid() and incomes.is_valid() and spending.is_valid()):
        return None, context
    data = form.cleaned_data
    try:
        saved = services.application_save(
            by=request.user,
            member=member,
            application=application,
            data=services.ApplicationData(
                causes=data["causes"],
                cause_note=data["cause_note"],
                housing=data["housing"],
                housing_area=data["housing_area"],
                assets_note=data["assets_note"],
            ),
            household=[services.PersonData(**row) for row in filled(people)],
            incomes=[services.AmountData(**row) for row in filled(incomes)],
            spending=[services.AmountData(**row) for row in filled(spending)],
        )
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None, context
    return saved, context


@login_required
def application_new(request):
    member = _member_for_new(request)
    if request.method == "POST":
        application, context = _save_from_post(request, member=member, application=None)
        if application is not None:
            messages.success(request, _("The draft was saved. Add the documents and submit it."))
            return redirect("assistance:application_submit", pk=application.pk)
    else:
        context = _edit_context(None)
        if member.user_id == request.user.pk:
            context["people"] = PersonFormSet(
                prefix="p", initial=[{"relation": "self", "name": member.name, "id_number": member.id_number}]
            )
    return render(request, "assistance/applications/edit.html", {**context, "member": member, "application": None})


@login_required
def application_edit(request, pk: int):
    application = perms.get_application_for(request.user, pk)
    if not perms.can_edit(request.user, application):
        raise PermissionDenied
    if request.method == "POST":
        saved, context = _save_from_post(request, member=application.member, application=application)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("assistance:application_submit", pk=application.pk)
    else:
        context = _edit_context(application)
    return render(
        request,
        "assistance/applications/edit.html",
        {**context, "member": application.member, "application": application},
    )


@login_required
def application_submit(request, pk: int):
    """Documents and the consents, then submit."""
    application = perms.get_application_for(request.user, pk)
    if not perms.can_edit(request.user, application):
        raise PermissionDenied
    document_form, submit_form = DocumentForm(), SubmitForm()
    if request.method == "POST" and "file" in request.FILES:
        document_form = DocumentForm(request.POST, request.FILES)
        if document_form.is_valid():
            try:
                services.application_document_add(
                    by=request.user,
                    application=application,
                    kind=document_form.cleaned_data["kind"],
                    uploaded=document_form.cleaned_data["file"],
                )
                messages.success(request, _("The document was uploaded."))
                return redirect("assistance:application_submit", pk=pk)
            except ValidationError as exc:
                apply_validation_error(document_form, exc)
    elif request.method == "POST":
        submit_form = SubmitForm(request.POST)
        if submit_form.is_valid():
            try:
                services.application_submit(
                    by=request.user,
                    application=application,
                    consent_sensitive=submit_form.cleaned_data["consent_sensitive"],
                    consent_check=submit_form.cleaned_data["consent_check"],
                )
                messages.success(request, _("The application was submitted."))
                return redirect("assistance:application_detail", pk=pk)
            except ValidationError as exc:
                apply_validation_error(submit_form, exc)
    return render(
        request,
        "assistance/applications/submit.html",
        {
            "application": application,
            "documents": application.documents.all(),
            "document_form": document_form,
            "submit_form": submit_form,
        },
    )


@login_required
def my_assistance(request):
    applications = list(selectors.applications_of_user(user=request.user)[:10])
    live = next((a for a in applications if a.status not in services._closed_statuses()), None)
    return render(
        request,
        "assistance/applications/my.html",
        {
            "applications": applications,
            "live": live,
            "history": selectors.application_history(application=live) if live else [],
            "member": member_of_user(user=request.user, holding_only=True),
        },
    )


@role_required(*perms.STAFF_ROLES)
def application_list(request):
    townships = list(selectors.townships_of(user=request.user))
    township = next((t for t in townships if str(t.pk) == request.GET.get("township", "")), None)
    status = request.GET.get("status", "")
    if status not in Application.Status.values:
        status = ""
    page = paginate(selectors.application_list(user=request.user, status=status, township=township), request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assistance/applications/list.html",
        {
            "page": page,
            "townships": townships,
            "township": township,
            "status": status,
            "statuses": [c for c in Application.Status.choices if c[0] != Application.Status.DRAFT],
            "query": query.urlencode(),
        },
    )


def _detail_context(request, application: Application, *, revealed: bool = False) -> dict:
    user = request.user
    staff = perms.can_act(user, application) or perms.can_reveal(user, application)
    own = application.member.user_id == user.pk
    visit = application.visit if hasattr(application, "visit") else None
    notice = services.notice_of(application)
    return {
        "application": application,
        "own": own,
        "staff": staff,
        "revealed": revealed or own,
        "can_reveal": perms.can_reveal(user, application),
        "household": [{"person": p, "id_masked": mask_id_number(p.id_number)} for p in application.household.all()],
        "incomes": application.incomes.all(),
        "spending": application.spending.all(),
        "documents": application.documents.all(),
        "visit": visit,
        "working": working_lines(application.proposal_working),
        "notice": notice,
        "history": selectors.application_history(application=application),
        "can_edit": perms.can_edit(user, application),
        "visit_form": _visit_form(application)
        if application.status == Application.Status.SUBMITTED and perms.can_visit(user, application)
        else None,
        "category_form": CategoryForm(initial={"category": application.proposed_category})
        if application.status == Application.Status.VISITED and perms.can_visit(user, application)
        else None,
        "can_finish_notice": application.status == Application.Status.ON_NOTICE
        and (perms.can_visit(user, application) or perms.can_review_township(user, application)),
        "review_form": ReviewForm()
        if (application.status == Application.Status.TOWNSHIP_REVIEW and perms.can_review_township(user, application))
        or (application.status == Application.Status.DISTRICT_REVIEW and perms.can_approve(user, application))
        else None,
    }


def _visit_staff(application: Application):
    """Handlers of the application's union and township staff above it: who may make the visit."""
    return (
        User.objects.filter(
            is_active=True,
            assignments__role__in=list(perms.VISIT_ROLES),
            assignments__node__path__in=ancestor_paths(application.org, include_self=True),
        )
        .distinct()
        .order_by("pk")
    )


def _visit_form(application, data=None, files=None):
    return VisitForm(
        data, files, staff_queryset=_visit_staff(application), initial={"visited_on": timezone.localdate()}
    )


@login_required
def application_detail(request, pk: int):
    application = perms.get_application_for(request.user, pk)
    return render(request, "assistance/applications/detail.html", _detail_context(request, application))


@require_POST
@login_required
def application_reveal(request, pk: int):
    application = perms.get_application_for(request.user, pk)
    if not perms.can_reveal(request.user, application):
        raise PermissionDenied
    services.application_reveal(by=request.user, application=application)
    return render(request, "assistance/applications/detail.html", _detail_context(request, application, revealed=True))


def _step(request, pk: int, run) -> object:
    """Run one staff step from the detail page; errors are shown on the page."""
    application = perms.get_application_for(request.user, pk, for_change=True)
    context = _detail_context(request, application)
    try:
        result = run(application, context)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "assistance/applications/detail.html", context, status=200)
    if result is not None:
        return result
    return redirect("assistance:application_detail", pk=pk)


@require_POST
@login_required
def application_visit(request, pk: int):
    def run(application, context):
        if not perms.can_visit(request.user, application):
            raise PermissionDenied
        form = _visit_form(application, request.POST, request.FILES)
        context["visit_form"] = form
        if not form.is_valid():
            return render(request, "assistance/applications/detail.html", context)
        data = form.cleaned_data
        services.visit_record(
            by=request.user,
            application=application,
            visited_on=data["visited_on"],
            staff_one=data["staff_one"],
            staff_two=data["staff_two"],
            findings=data["findings"],
            household_size=data["household_size"],
            income_12m=data["income_12m"],
            spending_12m=data["spending_12m"],
            photos=[data["photos"]] if data["photos"] else [],
        )
        messages.success(request, _("The home visit was recorded."))
        return None

    return _step(request, pk, run)


@require_POST
@login_required
def application_category(request, pk: int):
    def run(application, context):
        if not perms.can_visit(request.user, application):
            raise PermissionDenied
        form = CategoryForm(request.POST)
        context["category_form"] = form
        if not form.is_valid():
            return render(request, "assistance/applications/detail.html", context)
        services.category_decide(
            by=request.user,
            application=application,
            category=form.cleaned_data["category"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The category was decided; the application is on notice at the unit."))
        return None

    return _step(request, pk, run)


@require_POST
@login_required
def application_notice_finish(request, pk: int):
    def run(application, context):
        services.notice_finish(by=request.user, application=application)
        messages.success(request, _("The notice is finished; the application goes to township review."))
        return None

    return _step(request, pk, run)


@require_POST
@login_required
def application_review(request, pk: int):
    def run(application, context):
        form = ReviewForm(request.POST)
        context["review_form"] = form
        if not form.is_valid():
            return render(request, "assistance/applications/detail.html", context)
        services.application_review(
            by=request.user,
            application=application,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("The decision was recorded."))
        return None

    return _step(request, pk, run)


@login_required
def document_view(request, pk: int):
    document = perms.get_document_for(request.user, pk)
    from union_portal.audit import audit_record

    audit_record(
        actor=request.user,
        action="assistance.document_view",
        obj=document.application,
        detail={"document": document.pk, "kind": document.kind},
    )
    name = f"{document.application.number}-{document.kind}{stored_extension(document.file)}"
    return serve_protected(document.file, download_name=name)


@login_required
def unit_notices(request):
    """Notices at the unit, for the logged-in members of that union only."""
    rows = selectors.unit_notices_for(user=request.user, today=timezone.localdate())
    return render(request, "assistance/applications/unit_notices.html", {"rows": rows})


@role_required(Role.DISTRICT_ADMIN)
def rules_page(request):
    org = selectors.rules_org_of(user=request.user)
    if org is None:
        raise PermissionDenied
    versions = list(selectors.rules_versions(org=org))
    current = services.ruleset_in_force(org=org, day=timezone.localdate()) if not versions else None
    latest = versions[0].rules if versions else (current.rules if current else None)
    form = RulesForm(initial={**rules_initial(latest), "effective_from": timezone.localdate()})
    if request.method == "POST":
        form = RulesForm(request.POST)
        if form.is_valid():
            try:
                services.ruleset_save(
                    by=request.user,
                    org=org,
                    effective_from=form.cleaned_data["effective_from"],
                    rules=form.rules(),
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("The rules version was saved."))
                return redirect("assistance:rules")
            except ValidationError as exc:
                apply_validation_error(form, exc)
    return render(
        request,
        "assistance/applications/rules.html",
        {"form": form, "versions": versions or list(selectors.rules_versions(org=org)), "org": org},
    )
