"""Thin views: parse, check, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal import workdays
from union_portal.forms import apply_validation_error, send_sms_code
from union_portal.models import HolidayDay
from union_portal.notices.models import Objection
from union_portal.notices.services import OBJECTION_CODE_PURPOSE
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.scoping import home_nodes
from union_portal.throttling import throttle_view
from union_portal.uploads import serve_protected, stored_extension

from . import selectors, services, tables
from .forms import (
    AwardTypeForm,
    HolidayFillForm,
    HolidayForm,
    NominationEditForm,
    NominationForm,
    NoticeForm,
    ObjectionAnswerForm,
    ObjectionForm,
    PortalForm,
    QuotaForm,
    ReviewForm,
    RoundCreateForm,
    RoundDatesForm,
    RuleForm,
    WithdrawForm,
)
from .models import Nomination, Round
from .permissions import (
    NOMINATING_ROLES,
    REVIEWING_ROLES,
    ROUND_ADMIN_ROLES,
    STAFF_ROLES,
    can_manage_round,
    can_nominate,
    can_review_district,
    can_review_township,
    get_nomination_for,
    get_objection_for,
    get_round_for,
    objection_nomination,
)

STAFF = STAFF_ROLES


def _managed_round(user, pk: int) -> Round:
    return get_round_for(user, pk, for_change=True)


def _try(request, form, call, success: str):
    """Run a service call; on ValidationError show it on the form and return None."""
    try:
        result = call()
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
    messages.success(request, success)
    return result


# --- rounds ------------------------------------------------------------------------------------------------


@role_required(*STAFF)
def round_list(request):
    rounds = selectors.round_list(user=request.user)[:50]  # a district runs one round a year: bounded
    can_create = home_nodes(request.user, ROUND_ADMIN_ROLES).exists()
    return render(request, "awards/round_list.html", {"rounds": rounds, "can_create": can_create})


@role_required(*ROUND_ADMIN_ROLES)
def round_create(request):
    org = home_nodes(request.user, ROUND_ADMIN_ROLES).first()
    if org is None:
        raise PermissionDenied
    today = timezone.localdate()
    form = RoundCreateForm(request.POST or None, initial={"year": today.year, "issuer": org.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = _try(
            request,
            form,
            lambda: services.round_create(
                by=request.user,
                org=org,
                award_types=form.chosen_types(),
                **{k: v for k, v in data.items() if k != "award_types"},
            ),
            _("The round was created. Add quotas, then open it."),
        )
        if round_:
            return redirect(round_)
    return render(request, "awards/form.html", {"form": form, "title": _("New award round")})


@role_required(*STAFF)
def round_detail(request, pk: int):
    round_ = get_round_for(request.user, pk)
    manage = can_manage_round(request.user, round_)
    context = {
        "round": round_,
        "manage": manage,
        "award_types": round_.award_types.all(),
        "counts": selectors.nominations_by_status(round_=round_),
        "statuses": Nomination.Status.choices,
    }
    if manage:
        slate = selectors.slate(round_=round_)
        checks = selectors.composition(round_=round_, nominations=slate)
        context.update(
            quotas=selectors.round_quotas(round_=round_),
            slate_size=len(slate),
            checks=checks,
            rule_forms=[
                (
                    check,
                    RuleForm(
                        initial={
                            "comparison": check.rule.comparison,
                            "percent": check.rule.percent,
                            "blocks_notice": check.rule.blocks_notice,
                        },
                        prefix=f"r{check.rule.pk}",
                    ),
                )
                for check in checks
            ],
            type_form=AwardTypeForm(),
            quota_form=QuotaForm(round_=round_),
            dates_form=RoundDatesForm(initial={f: getattr(round_, f) for f in RoundDatesForm.base_fields}),
            notice_form=NoticeForm(
                initial={
                    "starts_on": max(round_.notice_planned, timezone.localdate()),
                    "working_days": round_.notice_working_days,
                }
            ),
            open_objections=Objection.objects.filter(nomination__round=round_, status=Objection.Status.OPEN).count(),
        )
    else:
        nodes = list(home_nodes(request.user, STAFF))
        if nodes:
            context["my_quotas"] = selectors.quotas_left(round_=round_, org=nodes[-1])
            context["my_node"] = nodes[-1]
    return render(request, "awards/round_detail.html", context)


def _round_post(request, pk: int, form_class, call, success: str, form_kwargs=None):
    """POST-only settings actions of a round: re-render the round page with the form's errors on failure."""
    round_ = _managed_round(request.user, pk)
    if callable(form_kwargs):
        form_kwargs = form_kwargs(round_)
    form = form_class(request.POST, **(form_kwargs or {}))
    if form.is_valid() and _try(request, form, lambda: call(round_, form.cleaned_data), success) is not None:
        return redirect(round_)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label}：{error}" if field in form.fields else error)
    return redirect(round_)


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_type_add(request, pk: int):
    return _round_post(
        request,
        pk,
        AwardTypeForm,
        lambda r, d: services.award_type_add(by=request.user, round_=r, **d),
        _("Award type added."),
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_quota_set(request, pk: int):
    return _round_post(
        request,
        pk,
        QuotaForm,
        lambda r, d: services.quota_set(by=request.user, **d),
        _("Quota saved."),
        form_kwargs=lambda r: {"round_": r},
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_dates(request, pk: int):
    return _round_post(
        request,
        pk,
        RoundDatesForm,
        lambda r, d: services.round_update_dates(by=request.user, round_=r, **d),
        _("The round's dates were saved."),
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_rule(request, pk: int, rule_pk: int):
    round_ = _managed_round(request.user, pk)
    rule = get_object_or_404(round_.rules, pk=rule_pk)
    return _round_post(
        request,
        pk,
        RuleForm,
        lambda r, d: services.rule_update(by=request.user, rule=rule, **d),
        _("Rule saved."),
        form_kwargs={"prefix": f"r{rule.pk}"},
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_open(request, pk: int):
    return _round_post(
        request,
        pk,
        _EmptyForm,
        lambda r, d: services.round_open(by=request.user, round_=r),
        _("The round is open for nominations."),
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_notice(request, pk: int):
    return _round_post(
        request,
        pk,
        NoticeForm,
        lambda r, d: services.round_start_notice(
            by=request.user, round_=r, starts_on=d["starts_on"], working_days=d["working_days"]
        ),
        _("The public notice has started."),
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def round_approve(request, pk: int):
    return _round_post(
        request,
        pk,
        _EmptyForm,
        lambda r, d: services.round_approve(by=request.user, round_=r),
        _("Approved: the honour roll is published."),
    )


class _EmptyForm(PortalForm):
    """A POST with nothing to fill in (the CSRF token only)."""


@role_required(*STAFF)
def round_certificates(request, pk: int):
    round_ = get_round_for(request.user, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    if round_.status != Round.Status.PUBLISHED:
        raise Http404
    try:
        archive = services.certificates_zip(round_=round_)
    except ValidationError as exc:  # a character no font has (the name and the certificate are named)
        for message in exc.messages:
            messages.error(request, message)
        return redirect(round_)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{round_.year}.zip"'
    return response


# --- nominations -------------------------------------------------------------------------------------------


@role_required(*NOMINATING_ROLES)
def nomination_create(request, pk: int):
    round_ = get_round_for(request.user, pk)
    if round_.status != Round.Status.NOMINATING:
        messages.error(request, _("This round is not taking nominations."))
        return redirect(round_)
    search = request.GET.get("q", "").strip()
    members = selectors.candidate_members(user=request.user, search=search)
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        round_=round_,
        members=members,
        units=selectors.candidate_units(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nomination = _try(
            request,
            form,
            lambda: services.nomination_create(by=request.user, round_=round_, **data),
            _("The nomination was saved as a draft. Check it and submit it."),
        )
        if nomination:
            return redirect(nomination)
    node = home_nodes(request.user, NOMINATING_ROLES).last()
    return render(
        request,
        "awards/nomination_form.html",
        {
            "form": form,
            "round": round_,
            "node": node,
            "q": search,
            "quotas": selectors.quotas_left(round_=round_, org=node) if node else [],
            "checks": selectors.union_composition(round_=round_, org=node) if node else [],
        },
    )


@role_required(*NOMINATING_ROLES)
def nomination_preview(request, pk: int):
    """htmx partial of the nomination page: the effect of the chosen candidate, before saving."""
    round_ = get_round_for(request.user, pk)
    node = home_nodes(request.user, NOMINATING_ROLES).last()

    def pick(qs, name):
        value = request.GET.get(name, "")
        return qs.filter(pk=int(value)).first() if value.isdigit() else None

    preview = selectors.nomination_preview(
        round_=round_,
        award_type=pick(round_.award_types.all(), "award_type"),
        member=pick(selectors.candidate_members(user=request.user), "member"),
        unit=pick(selectors.candidate_units(user=request.user), "candidate_org"),
        node=node,
    )
    return render(request, "awards/_nomination_preview.html", {**preview, "round": round_})


@role_required(*STAFF)
def nomination_list(request):
    rounds = list(selectors.round_list(user=request.user)[:20])
    round_id = request.GET.get("round", "")
    round_ = next((r for r in rounds if str(r.pk) == round_id), None)
    status = request.GET.get("status", "")
    if request.GET.get("queue"):
        qs = selectors.review_queue(user=request.user)
    else:
        qs = selectors.nomination_list(user=request.user, round_=round_, status=status)
    page = paginate(
        qs.select_related(None).select_related("award_type", "org").only(*tables.NOMINATION_FIELDS),
        request,
        per_page=50,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "awards/nomination_list.html",
        {
            "page": page,
            "rows": tables.nomination_rows(page),
            "rounds": rounds,
            "round": round_,
            "status": status,
            "statuses": Nomination.Status.choices,
            "queue": bool(request.GET.get("queue")),
            "query": query.urlencode(),
        },
    )


@role_required(*STAFF)
def nomination_detail(request, pk: int):
    nomination = get_nomination_for(request.user, pk)
    user = request.user
    can_edit = can_nominate(user, nomination.org) and nomination.status in (
        Nomination.Status.DRAFT,
        Nomination.Status.RETURNED,
    )
    can_review = (nomination.status == Nomination.Status.TOWNSHIP_REVIEW and can_review_township(user, nomination)) or (
        nomination.status == Nomination.Status.DISTRICT_REVIEW and can_review_district(user, nomination)
    )
    can_withdraw = (
        (can_nominate(user, nomination.org) or can_review_district(user, nomination))
        and nomination.status not in (Nomination.Status.WITHDRAWN, Nomination.Status.APPROVED)
        and nomination.round.status != Round.Status.PUBLISHED
    )
    return render(
        request,
        "awards/nomination_detail.html",
        {
            "n": nomination,
            "reviews": nomination.reviews.select_related("by"),
            "objections": nomination.objections.all() if can_review_district(user, nomination) else None,
            "can_edit": can_edit,
            "edit_form": NominationEditForm(initial={"deeds_summary": nomination.deeds_summary}) if can_edit else None,
            "review_form": ReviewForm() if can_review else None,
            "withdraw_form": WithdrawForm() if can_withdraw else None,
            "blocking": selectors.blocking_honours(nomination=nomination) if can_edit else [],
        },
    )


def _nomination_action(request, pk: int, form_class, call, success: str, files: bool = False):
    nomination = get_nomination_for(request.user, pk)
    form = form_class(request.POST, request.FILES if files else None)
    if form.is_valid():
        try:
            call(nomination, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}：{error}" if field in form.fields else error)
    return redirect(nomination)


@require_POST
@role_required(*NOMINATING_ROLES)
def nomination_edit(request, pk: int):
    return _nomination_action(
        request,
        pk,
        NominationEditForm,
        lambda n, d: services.nomination_update(by=request.user, nomination=n, **d),
        _("The changes to the nomination were saved."),
        files=True,
    )


@require_POST
@role_required(*NOMINATING_ROLES)
def nomination_submit(request, pk: int):
    return _nomination_action(
        request,
        pk,
        _EmptyForm,
        lambda n, d: services.nomination_submit(by=request.user, nomination=n),
        _("Submitted for review."),
    )


@require_POST
@role_required(*REVIEWING_ROLES)
def nomination_review(request, pk: int):
    return _nomination_action(
        request,
        pk,
        ReviewForm,
        lambda n, d: services.nomination_review(by=request.user, nomination=n, **d),
        _("Decision recorded."),
    )


@require_POST
@role_required(*NOMINATING_ROLES)
def nomination_withdraw(request, pk: int):
    return _nomination_action(
        request,
        pk,
        WithdrawForm,
        lambda n, d: services.nomination_withdraw(by=request.user, nomination=n, **d),
        _("The candidate was withdrawn."),
    )


@role_required(*STAFF)
def nomination_file(request, pk: int, which: str):
    nomination = get_nomination_for(request.user, pk)
    field = {"deeds": nomination.deeds_file, "congress": nomination.congress_file}.get(which)
    if not field:
        raise Http404
    return serve_protected(field, download_name=f"{nomination.candidate_name}-{which}{stored_extension(field)}")


@role_required(*STAFF)
def nomination_certificate(request, pk: int):
    nomination = get_nomination_for(request.user, pk)
    if nomination.status != Nomination.Status.APPROVED:
        raise Http404
    try:
        document = services.certificate_pdf(nomination=nomination)
    except ValidationError as exc:  # a character no font has (the name and the certificate are named)
        for message in exc.messages:
            messages.error(request, message)
        return redirect(nomination)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{nomination.certificate_number}.pdf"'
    return response


# --- objections (staff) ------------------------------------------------------------------------------------


@role_required(*ROUND_ADMIN_ROLES)
def objection_list(request):
    page = paginate(selectors.objection_list(user=request.user), request, per_page=50)
    return render(request, "awards/objection_list.html", {"page": page})


@role_required(*ROUND_ADMIN_ROLES)
def objection_detail(request, pk: int):
    objection = get_objection_for(request.user, pk)
    nomination = objection_nomination(objection)
    form = ObjectionAnswerForm(request.POST or None)
    revealed = None
    if request.method == "POST" and request.POST.get("reveal"):
        revealed = services.objection_reveal_phone(by=request.user, objection=objection)
        form = ObjectionAnswerForm()
    elif request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.objection_answer(by=request.user, objection=objection, **form.cleaned_data),
            _("The answer was recorded."),
        ):
            return redirect("awards:objection_detail", pk=objection.pk)
    return render(
        request,
        "awards/objection_detail.html",
        {"o": objection, "nomination": nomination, "form": form, "revealed": revealed},
    )


# --- holiday table -----------------------------------------------------------------------------------------


@role_required(*ROUND_ADMIN_ROLES)
def holiday_list(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    form = HolidayForm(request.POST or None) if request.POST.get("action") == "set" else HolidayForm()
    fill_form = (
        HolidayFillForm(request.POST or None)
        if request.POST.get("action") == "fill"
        else HolidayFillForm(initial={"year": year})
    )
    if request.method == "POST":
        if request.POST.get("action") == "set" and form.is_valid():
            saved = _("%(date)s was saved in the holiday table.") % {"date": date_format(form.cleaned_data["date"])}
            if _try(request, form, lambda: services.holiday_set(by=request.user, **form.cleaned_data), saved):
                return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
        elif request.POST.get("action") == "fill" and fill_form.is_valid():
            y = fill_form.cleaned_data["year"]
            if (
                _try(
                    request,
                    fill_form,
                    lambda: services.holidays_fill_from_package(by=request.user, year=y),
                    _("The table was filled from the State Council's holiday schedule."),
                )
                is not None
            ):
                return redirect(f"{request.path}?year={y}")
    days = HolidayDay.objects.filter(date__year=year)  # at most ~40 rows a year
    return render(
        request,
        "awards/holiday_list.html",
        {
            "year": year,
            "days": days,
            "form": form,
            "fill_form": fill_form,
            "package_knows": workdays.package_knows(year),
            "table_has_year": days.exists(),
            "years": range(year - 2, year + 3),
        },
    )


@require_POST
@role_required(*ROUND_ADMIN_ROLES)
def holiday_delete(request, pk: int):
    day = get_object_or_404(HolidayDay, pk=pk)
    year = day.date.year
    services.holiday_delete(by=request.user, day=day)
    messages.success(request, _("%(date)s was removed from the holiday table.") % {"date": date_format(day.date)})
    return redirect(f"{_holiday_url()}?year={year}")


def _holiday_url() -> str:
    from django.urls import reverse

    return reverse("awards:holiday_list")


# --- public pages (no login) -------------------------------------------------------------------------------


def public_notices(request):
    rounds = list(selectors.public_notice_rounds()[:20])
    return render(request, "awards/public_notices.html", {"rounds": rounds})


def public_notice(request, pk: int):
    round_ = get_object_or_404(selectors.public_notice_rounds(), pk=pk)
    return render(
        request,
        "awards/public_notice.html",
        {"round": round_, "groups": selectors.public_notice_entries(round_=round_).items()},
    )


@throttle_view("objection", when=lambda request: request.method == "POST")
def public_objection(request, pk: int):
    nomination = get_object_or_404(
        Nomination.objects.select_related("round", "award_type").only(
            "id", "candidate_name", "unit_name", "status", "round", "award_type__name"
        ),
        pk=pk,
        status=Nomination.Status.PASSED,
        round__status=Round.Status.NOTICE,
    )
    form = send_sms_code(request, ObjectionForm, purpose=OBJECTION_CODE_PURPOSE, phone_field="phone")
    if form is not None:
        return render(request, "awards/public_objection.html", {"n": nomination, "form": form})
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _try(
            request,
            form,
            lambda: services.objection_file(nomination=nomination, **form.cleaned_data),
            _("Thank you. Your objection was received; the federation will investigate and answer you."),
        ):
            return redirect("awards:public_notice", pk=nomination.round_id)
    return render(request, "awards/public_objection.html", {"n": nomination, "form": form})


def public_honours(request):
    years = selectors.honour_years()
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    year = year or (years[0] if years else None)  # one year a page: the roll stays bounded
    return render(
        request,
        "awards/public_honours.html",
        {"years": years, "year": year, "roll": selectors.honour_roll(year=year)},
    )
