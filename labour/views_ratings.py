"""Pages of the harmonious-enterprise ratings. Thin: parse, check, call a service or selector, render."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Enterprise
from union_portal.forms import apply_validation_error, send_sms_code
from union_portal.notices import services as notices
from union_portal.notices.models import Objection
from union_portal.notices.selectors import reviews_of
from union_portal.notices.services import OBJECTION_CODE_PURPOSE
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import Role
from union_portal.scoping import get_in_scope_or_404, home_nodes, scope_paths
from union_portal.throttling import throttle_view
from union_portal.tree import subtree_q
from union_portal.uploads import serve_protected, stored_extension

from .forms_ratings import (
    ApplyForm,
    AssessmentForm,
    BatchForm,
    EvidenceForm,
    IndicatorForm,
    NameForm,
    NoticeForm,
    ObjectionAnswerForm,
    ObjectionForm,
    ReasonForm,
    ReviewForm,
)
from .models import IndicatorKey, RatingApplication, RatingIndicator, RatingStatus
from .permissions.ratings import (
    BATCH_ADMIN_ROLES,
    STAFF_ROLES,
    can_assess,
    can_manage_batch,
    can_review_district,
    can_review_township,
    get_application_for,
    get_batch_for,
)
from .selectors import ratings as selectors
from .services import ratings as services


def _try(request, form, call, success: str):
    try:
        result = call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    messages.success(request, success)
    return result


def _form_page(request, form, title: str, back: str = ""):
    return render(request, "labour/ratings/form.html", {"form": form, "title": title, "back": back})


def _own_enterprises(user):
    """Enterprises whose union is one where the user is a handler."""
    return Enterprise.objects.filter(subtree_q(*scope_paths(user, [Role.HANDLER]), field="union")).order_by("name")


# --- batches -------------------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def batch_list(request):
    batches = selectors.batch_list(user=request.user)[:50]  # a few batches a year: bounded
    can_create = home_nodes(request.user, BATCH_ADMIN_ROLES).exists()
    return render(request, "labour/ratings/batch_list.html", {"batches": batches, "can_create": can_create})


@role_required(*BATCH_ADMIN_ROLES)
def batch_create(request):
    org = home_nodes(request.user, BATCH_ADMIN_ROLES).first()
    if org is None:
        raise PermissionDenied
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = _try(
            request,
            form,
            lambda: services.batch_create(by=request.user, org=org, **form.cleaned_data),
            _("The batch was created with the default indicators; adjust them before self-assessments arrive."),
        )
        if batch:
            return redirect(batch)
    return _form_page(request, form, _("New rating batch"))


@role_required(*STAFF_ROLES)
def batch_detail(request, pk: int):
    batch = get_batch_for(request.user, pk)
    enterprises = _own_enterprises(request.user).exclude(pk__in=batch.applications.values("enterprise_id"))
    context = {
        "batch": batch,
        "manage": can_manage_batch(request.user, batch),
        "indicators": batch.indicators.all(),
        "applications": selectors.application_list(user=request.user, batch=batch)[:200],
        "apply_form": ApplyForm(enterprises=enterprises) if enterprises.exists() else None,
        "open": timezone.localdate() <= batch.apply_by,
    }
    return render(request, "labour/ratings/batch_detail.html", context)


@role_required(*BATCH_ADMIN_ROLES)
def indicator_edit(request, pk: int):
    indicator = get_object_or_404(RatingIndicator.objects.select_related("batch__org"), pk=pk)
    batch = get_batch_for(request.user, indicator.batch_id, for_change=True)
    form = IndicatorForm(
        request.POST or None,
        initial={"weight": indicator.weight, "threshold": indicator.threshold, "required": indicator.required},
    )
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.indicator_update(by=request.user, indicator=indicator, **form.cleaned_data),
            _("The indicator was saved."),
        ):
            return redirect(batch)
    return _form_page(request, form, indicator.get_key_display(), batch.get_absolute_url())


@require_POST
@role_required(Role.HANDLER)
def application_create(request, pk: int):
    batch = get_batch_for(request.user, pk)
    form = ApplyForm(request.POST, enterprises=_own_enterprises(request.user))
    if form.is_valid():
        application = _try(
            request,
            form,
            lambda: services.application_create(
                by=request.user, batch=batch, enterprise=form.cleaned_data["enterprise"]
            ),
            _("The self-assessment was started. Fill in the figures and attach the evidence."),
        )
        if application:
            return redirect(application)
    for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect(batch)


# --- self-assessments ---------------------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
def application_list(request):
    status = request.GET.get("status") or None
    if status not in RatingStatus.values:
        status = None
    page = paginate(selectors.application_list(user=request.user, status=status), request)
    return render(
        request,
        "labour/ratings/application_list.html",
        {"page": page, "statuses": RatingStatus.choices, "status": status},
    )


@role_required(*STAFF_ROLES)
def application_detail(request, pk: int):
    application = get_application_for(request.user, pk)
    user = request.user
    status = application.status
    facts, assessment = services.application_assessment(application=application)
    context = {
        "a": application,
        "facts": facts,
        "assessment": assessment,
        "results": [(IndicatorKey(r.key).label, r) for r in assessment.results],
        "evidence": application.evidence.all(),
        "reviews": reviews_of(application).select_related("by"),
        "objections": application.notice.objections.all() if application.notice_id else [],
        "can_edit": can_assess(user, application) and status in services.EDITABLE,
        "can_review": (status == RatingStatus.TOWNSHIP_REVIEW and can_review_township(user, application))
        or (status == RatingStatus.DISTRICT_REVIEW and can_review_district(user, application)),
        "district": can_review_district(user, application),
        "review_form": ReviewForm(),
        "notice_form": NoticeForm(initial={"starts_on": timezone.localdate()}),
        "name_form": NameForm(initial={"named_on": timezone.localdate()}),
        "reason_form": ReasonForm(),
        "evidence_form": EvidenceForm(),
    }
    return render(request, "labour/ratings/application_detail.html", context)


@role_required(Role.HANDLER, Role.DISTRICT_ADMIN)
def application_edit(request, pk: int):
    application = get_application_for(request.user, pk, for_change=True)
    if not can_assess(request.user, application):
        raise PermissionDenied
    form = AssessmentForm(
        request.POST or None,
        initial={
            "contract_rate": application.contract_rate,
            "insurance_rate": application.insurance_rate,
            "wages_on_time": application.wages_on_time,
            "safety_ok": application.safety_ok,
            "statement": application.statement,
        },
    )
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.application_update(by=request.user, application=application, **form.cleaned_data),
            _("The self-assessment was saved."),
        ):
            return redirect(application)
    return _form_page(
        request,
        form,
        _("Self-assessment: %(name)s") % {"name": application.enterprise.name},
        application.get_absolute_url(),
    )


def _post_action(request, pk: int, form_class, call, success: str, title: str):
    """A POST-only action on a self-assessment: on a refused input the form is shown again with the reason."""
    application = get_application_for(request.user, pk, for_change=True)
    form = form_class(request.POST)
    if form.is_valid():
        if _try(request, form, lambda: call(application, form.cleaned_data), success):
            return redirect(application)
    return _form_page(request, form, title, application.get_absolute_url())


@require_POST
@role_required(Role.HANDLER, Role.DISTRICT_ADMIN)
def evidence_add(request, pk: int):
    application = get_application_for(request.user, pk, for_change=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        if _try(
            request,
            form,
            lambda: services.evidence_add(by=request.user, application=application, **form.cleaned_data),
            _("The evidence was attached."),
        ):
            return redirect(application)
    return _form_page(request, form, _("Attach evidence"), application.get_absolute_url())


@role_required(*STAFF_ROLES)
def evidence_file(request, pk: int, evidence_pk: int):
    application = get_application_for(request.user, pk)
    evidence = get_object_or_404(application.evidence, pk=evidence_pk)
    return serve_protected(evidence.file, download_name=f"evidence-{evidence.pk}.{stored_extension(evidence.file)}")


@require_POST
@role_required(Role.HANDLER, Role.DISTRICT_ADMIN)
def application_submit(request, pk: int):
    application = get_application_for(request.user, pk, for_change=True)
    try:
        services.application_submit(by=request.user, application=application)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The self-assessment was submitted to the township union."))
    return redirect(application)


@require_POST
@role_required(Role.TOWNSHIP_STAFF, Role.DISTRICT_ADMIN)
def application_review(request, pk: int):
    return _post_action(
        request,
        pk,
        ReviewForm,
        lambda a, data: services.application_review(by=request.user, application=a, **data),
        _("The decision was recorded."),
        _("Review"),
    )


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def application_notice(request, pk: int):
    return _post_action(
        request,
        pk,
        NoticeForm,
        lambda a, data: services.application_notice_start(by=request.user, application=a, **data),
        _("The enterprise is on public notice."),
        _("Start public notice"),
    )


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def application_name(request, pk: int):
    return _post_action(
        request,
        pk,
        NameForm,
        lambda a, data: services.application_name(by=request.user, application=a, **data),
        _("The enterprise was named."),
        _("Name the enterprise"),
    )


@require_POST
@role_required(Role.DISTRICT_ADMIN)
def application_not_name(request, pk: int):
    return _post_action(
        request,
        pk,
        ReasonForm,
        lambda a, data: services.application_not_name(by=request.user, application=a, **data),
        _("The enterprise was not named."),
        _("Do not name"),
    )


@role_required(Role.DISTRICT_ADMIN)
def title_withdraw(request, pk: int):
    """The district admin's page: withdraw a title after a serious violation, with the reason."""
    application = get_application_for(request.user, pk)
    if not can_review_district(request.user, application):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.title_withdraw(by=request.user, application=application, **form.cleaned_data),
            _("The title was withdrawn."),
        ):
            return redirect(application)
    return render(request, "labour/ratings/withdraw.html", {"a": application, "form": form})


# --- objections (district) ------------------------------------------------------------------------------------


def _rating_objections():
    return Objection.objects.filter(
        notice__subject_type=ContentType.objects.get_for_model(RatingApplication)
    ).select_related("notice", "answered_by")


@role_required(Role.DISTRICT_ADMIN)
def objection_detail(request, pk: int):
    objection = get_in_scope_or_404(_rating_objections(), request.user, roles=[Role.DISTRICT_ADMIN], pk=pk)
    application = get_object_or_404(
        RatingApplication.objects.select_related("batch__org", "enterprise"), notice=objection.notice
    )
    if not can_review_district(request.user, application):
        raise PermissionDenied
    form = ObjectionAnswerForm(request.POST or None)
    revealed = None
    if request.method == "POST" and request.POST.get("reveal"):
        revealed = notices.objection_reveal_phone(by=request.user, objection=objection)
        form = ObjectionAnswerForm()
    elif request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.objection_answer(by=request.user, objection=objection, **form.cleaned_data),
            _("The answer was recorded."),
        ):
            return redirect("labour:rating_objection", pk=objection.pk)
    return render(
        request,
        "labour/ratings/objection_detail.html",
        {"o": objection, "a": application, "form": form, "revealed": revealed},
    )


# --- public pages ---------------------------------------------------------------------------------------------


def _on_notice():
    return RatingApplication.objects.filter(status=RatingStatus.NOTICE).select_related(
        "batch", "enterprise", "enterprise__township", "notice"
    )


def public_notices(request):
    """公示: the enterprises on public notice now (public by design)."""
    return render(
        request, "labour/ratings/public_notices.html", {"rows": _on_notice().order_by("notice__starts_on", "pk")[:200]}
    )


@throttle_view("objection", when=lambda request: request.method == "POST")
def public_notice(request, pk: int):
    """One enterprise on public notice, and the objection form (real name, mobile proven by an SMS code)."""
    application = get_object_or_404(_on_notice(), pk=pk)
    form = send_sms_code(request, ObjectionForm, purpose=OBJECTION_CODE_PURPOSE, phone_field="phone")
    if form is None:
        form = ObjectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if _try(
                request,
                form,
                lambda: services.objection_file(application=application, **form.cleaned_data),
                _("Thank you. Your objection was received; the federation will investigate and answer you."),
            ):
                return redirect("labour:rating_public_notices")
    return render(request, "labour/ratings/public_notice.html", {"a": application, "form": form})


def public_honours(request):
    """The honour list: enterprises holding the title today (public)."""
    today = timezone.localdate()
    return render(
        request, "labour/ratings/public_honours.html", {"rows": selectors.honour_list(on=today)[:500], "today": today}
    )
