"""Survey pages: staff build, publish and read results (aggregates only); workers answer once, anonymously."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from union_portal import sheets_out as so
from union_portal.forms import apply_validation_error
from union_portal.paging import paginate
from union_portal.permissions import role_required
from union_portal.roles import ADMIN_ROLES
from union_portal.scoping import admin_node, children_of
from union_portal.sheets_out import xlsx_response

from . import selectors, services
from .forms import SurveyAnswerForm, SurveyForm
from .models import Survey
from .permissions import SURVEY_STAFF_ROLES, can_create_surveys, get_survey_for


def _plain(value: Decimal | None):
    return None if value is None else float(value)  # for the chart only; tables and Excel stay Decimal


@role_required(*SURVEY_STAFF_ROLES)
def survey_list(request):
    """Admins: the surveys of their node. Township staff: the published surveys that reach their township."""
    page = paginate(selectors.surveys_for_staff(user=request.user), request, per_page=50)
    return render(
        request,
        "union_portal/surveys/survey_list.html",
        {"page": page, "query": "", "can_create": can_create_surveys(request.user)},
    )


@role_required(*ADMIN_ROLES)
def survey_create(request):
    owner = admin_node(request.user)
    if owner is None:
        raise PermissionDenied
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                by=request.user,
                owner=owner,
                title=data["title"],
                service=data["service"],
                intro=data["intro"],
                questions=data["questions"].splitlines(),
                with_comment=data["with_comment"],
                closes_on=data["closes_on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("Draft saved. Check the questions, then publish (or delete the draft and create it again).")
            )
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "union_portal/form.html", {"form": form, "title": _("New satisfaction survey")})


def _survey_for_admin(request, pk) -> Survey:
    return get_survey_for(request.user, pk)


@role_required(*SURVEY_STAFF_ROLES)
def survey_detail(request, pk: int):
    """Aggregate results, never who said what: admins of the owner see the whole survey by the level below
    the owner; township staff see their township by union. A unit's mean and the comments are shown only
    from MIN_REPORT_GROUP respondents up."""
    survey, within = selectors.survey_for_staff(user=request.user, pk=pk)
    respondents, results = selectors.survey_results(survey=survey, within=within)
    units = children_of(within or survey.owner)
    by_unit = selectors.survey_by_unit(survey=survey, units=units)
    enough = respondents >= selectors.MIN_REPORT_GROUP
    return render(
        request,
        "union_portal/surveys/survey_detail.html",
        {
            "survey": survey,
            "within": within,
            "can_manage": within is None,
            "respondents": respondents,
            "results": results if (within is None or enough) else [],
            "by_unit": [by_unit[u.pk] for u in units],
            "min_group": selectors.MIN_REPORT_GROUP,
            "comments": selectors.survey_comments(survey=survey, within=within) if enough else [],
            "chart": {
                "labels": [u.name for u in units],
                "series": [
                    {
                        "name": _("Mean rating"),
                        "unit": "/5",
                        "values": [_plain(by_unit[u.pk].reportable_mean) for u in units],
                    }
                ],
            },
        },
    )


@require_POST
@role_required(*ADMIN_ROLES)
def survey_transition(request, pk: int, action: str):
    survey = _survey_for_admin(request, pk)
    try:
        if action == "publish":
            services.survey_publish(by=request.user, survey=survey)
            messages.success(request, _("Published: members can answer now."))
        elif action == "close":
            services.survey_close(by=request.user, survey=survey)
            messages.success(request, _("%(title)s was closed: no more answers are taken.") % {"title": survey.title})
        elif action == "delete":
            services.survey_delete_draft(by=request.user, survey=survey)
            messages.success(request, _("The draft was deleted."))
            return redirect("surveys:list")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:detail", pk=survey.pk)


@role_required(*ADMIN_ROLES)
def survey_export(request, pk: int):
    survey = _survey_for_admin(request, pk)
    respondents, results = selectors.survey_results(survey=survey)
    units = children_of(survey.owner)
    by_unit = selectors.survey_by_unit(survey=survey, units=units)
    columns = [
        so.text(_("Unit")),
        so.count(_("Respondents"), total=False),
        so.number(_("Mean rating")),
        *[so.number(str(r), number_format="0") for r in range(1, 6)],  # answers per rating; blank where not broken down
    ]
    data = [[_("All"), respondents, None, None, None, None, None, None]]
    for r in results:
        if r.count:
            data.append([r.question.text, r.count, r.mean, *[n for _r, n in r.bars]])
    for u in units:
        rating = by_unit[u.pk]
        mean = rating.reportable_mean
        # too few answers to report a unit's mean without identifying people: "—"
        data.append([u.name, rating.respondents, mean if mean is not None else "—", None, None, None, None, None])
    return xlsx_response(f"survey-{survey.pk}.xlsx", columns, data, title="survey")


# --- members ---------------------------------------------------------------------------------------------


@login_required
def my_surveys(request):
    """The worker's open surveys, answered or not (phone-friendly)."""
    surveys = list(selectors.surveys_for_member(user=request.user)[:50])
    return render(request, "union_portal/surveys/my_surveys.html", {"surveys": surveys})


@login_required
def survey_answer(request, pk: int):
    survey = selectors.open_survey_for_member(user=request.user, pk=pk)
    questions = list(survey.questions.all())
    form = SurveyAnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(user=request.user, survey=survey, ratings=form.ratings(), comments=form.comments())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you! Your answers were recorded anonymously."))
            return redirect("surveys:mine")
    return render(request, "union_portal/surveys/survey_answer.html", {"survey": survey, "form": form})
