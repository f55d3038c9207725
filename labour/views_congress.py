"""Pages of workers' congresses (职代会) and open factory affairs (厂务公开): thin views (parse, check, call a
service or selector, render)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.scoping import has_role

from .forms_congress import OpenAffairsForm, ResolutionFormSet, RuleForm, SessionForm
from .permissions.congress import RECORD_ROLES, RULE_ROLES, VIEW_ROLES, get_session_for
from .selectors import congress as selectors
from .services import congress as services


def _year(request) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isascii() and value.isdigit() and 1990 <= int(value) <= 2100 else None


@role_required(*VIEW_ROLES)
def congress_list(request):
    year = _year(request)
    page = paginate(selectors.session_list(user=request.user, year=year), request, per_page=50)
    return render(
        request,
        "labour/congress/session_list.html",
        {
            "page": page,
            "year": year,
            "can_record": has_role(request.user, *RECORD_ROLES),
            "can_rule": has_role(request.user, *RULE_ROLES),
        },
    )


@role_required(*RECORD_ROLES)
def congress_create(request):
    enterprises = selectors.enterprises_to_record(user=request.user)
    form = SessionForm(request.POST or None, enterprises=enterprises)
    formset = ResolutionFormSet(request.POST or None, prefix="res")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        data = form.cleaned_data
        resolutions = [
            services.ResolutionInput(
                title=f.cleaned_data["title"],
                votes_for=f.cleaned_data["votes_for"] or 0,
                votes_against=f.cleaned_data.get("votes_against") or 0,
                abstentions=f.cleaned_data.get("abstentions") or 0,
            )
            for f in formset
            if f.cleaned_data.get("title")
        ]
        try:
            session = services.congress_session_record(
                by=request.user,
                enterprise=data["enterprise"],
                held_on=data["held_on"],
                delegates=data["delegates"],
                present=data["present"],
                agenda=data["agenda"],
                resolutions=resolutions,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The congress session was recorded."))
            return redirect(session)
    return render(
        request,
        "labour/congress/session_form.html",
        {"form": form, "formset": formset, "rule": selectors.congress_rule()},
    )


@role_required(*VIEW_ROLES)
def congress_detail(request, pk: int):
    session = get_session_for(request.user, pk)
    return render(
        request,
        "labour/congress/session_detail.html",
        {"session": session, "resolutions": selectors.session_resolutions(session=session)},
    )


@role_required(*VIEW_ROLES)
def open_affairs_list(request):
    year = _year(request)
    page = paginate(selectors.open_affairs_list(user=request.user, year=year), request, per_page=50)
    return render(
        request,
        "labour/congress/open_affairs_list.html",
        {"page": page, "year": year, "can_record": has_role(request.user, *RECORD_ROLES)},
    )


@role_required(*RECORD_ROLES)
def open_affairs_create(request):
    form = OpenAffairsForm(request.POST or None, enterprises=selectors.enterprises_to_record(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.open_affairs_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The open-affairs item was recorded."))
            return redirect("labour:open_affairs_list")
    return render(
        request, "labour/congress/form.html", {"form": form, "title": _("Record an open factory affairs item")}
    )


@role_required(*RULE_ROLES)
def congress_rule(request):
    rule = selectors.congress_rule()
    form = RuleForm(request.POST or None, initial=rule.__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            services.congress_rule_set(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The congress rule was saved."))
            return redirect("labour:congress_list")
    return render(
        request,
        "labour/congress/form.html",
        {
            "form": form,
            "title": _("Quorum and majority of workers' congresses"),
            "intro": _(
                "A session needs at least the quorum share of its delegates present; a resolution passes with more "
                "than the majority share of ALL delegates. Sessions already recorded keep the rule of their day."
            ),
        },
    )
