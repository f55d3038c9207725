"""Satisfaction surveys: members answer once, answers cannot be linked to them, results by township."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from members.models import Member
from tests.races import outcome, run_together
from union_portal.surveys import services
from union_portal.surveys.models import Survey, SurveyAnswer, SurveyParticipation, SurveyResponse
from union_portal.surveys.selectors import survey_by_unit, survey_results

from .conftest import add_members


@pytest.fixture
def survey(tree, district_admin):
    draft = services.survey_create(
        by=district_admin,
        owner=tree["SX-KQ"],
        title="理赔服务满意度测评",
        service="互助理赔",
        questions=["理赔办理速度", "工作人员态度"],
    )
    return services.survey_publish(by=district_admin, survey=draft)


def _ratings(survey, *values):
    rating_questions = [q for q in survey.questions.all() if q.kind == "rating"]
    return {q.pk: v for q, v in zip(rating_questions, values, strict=True)}


def _worker_user(member, username):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=username)
    member.user = user
    member.save(update_fields=["user"])
    return user


def test_a_member_answers_once_and_the_answers_carry_no_link_to_them(survey, worker):
    # when
    services.survey_answer(user=worker, survey=survey, ratings=_ratings(survey, 4, 5), comments={})

    # then
    assert SurveyParticipation.objects.filter(survey=survey, user=worker).count() == 1
    response = SurveyResponse.objects.get()
    field_names = {f.name for f in SurveyResponse._meta.get_fields()} | {
        f.name for f in SurveyAnswer._meta.get_fields()
    }
    assert not field_names & {"user", "member", "created_at", "participation"}
    assert response.union == worker.member.org
    assert sorted(a.rating for a in SurveyAnswer.objects.all()) == [4, 5]
    with pytest.raises(ValidationError, match="已经"):
        services.survey_answer(user=worker, survey=survey, ratings=_ratings(survey, 1, 1))
    assert SurveyResponse.objects.count() == 1


def test_the_database_refuses_a_second_has_answered_row(survey, worker, today):
    SurveyParticipation.objects.create(survey=survey, user=worker, on=today - dt.timedelta(days=1))
    with pytest.raises(IntegrityError):
        SurveyParticipation.objects.create(survey=survey, user=worker, on=today)


def test_answers_need_a_rating_from_1_to_5_for_every_question(survey, worker):
    with pytest.raises(ValidationError):
        services.survey_answer(user=worker, survey=survey, ratings={survey.questions.first().pk: 6})
    assert not SurveyParticipation.objects.exists() and not SurveyResponse.objects.exists()


def test_only_members_below_the_owner_answer_open_surveys(survey, tree, district_admin, huashe_staff, worker):
    with pytest.raises(PermissionDenied):  # staff without a membership
        services.survey_answer(user=huashe_staff, survey=survey, ratings=_ratings(survey, 3, 3))
    Member.objects.filter(user=worker).update(status="left")
    worker.refresh_from_db()
    with pytest.raises(PermissionDenied):  # a member who left
        services.survey_answer(user=worker, survey=survey, ratings=_ratings(survey, 3, 3))
    Member.objects.filter(user=worker).update(status="active")
    worker.refresh_from_db()
    closed = services.survey_close(by=district_admin, survey=survey)
    with pytest.raises(ValidationError):
        services.survey_answer(user=worker, survey=closed, ratings=_ratings(survey, 3, 3))
    assert not SurveyResponse.objects.exists()


def test_results_by_township_are_exact_means(survey, tree):
    huashe = add_members(tree["KQ-HS-002"], 2)
    qixian = add_members(tree["KQ-QX-001"], 1)
    for i, (member, values) in enumerate(zip([*huashe, *qixian], [(5, 4), (3, 3), (2, 1)], strict=True)):
        services.survey_answer(user=_worker_user(member, f"w{i}"), survey=survey, ratings=_ratings(survey, *values))

    respondents, results = survey_results(survey=survey)
    by_unit = survey_by_unit(survey=survey, units=[tree["KQ-HS"], tree["KQ-QX"], tree["KQ-AC"]])

    assert respondents == 3
    assert [str(r.mean) for r in results if r.question.kind == "rating"] == ["3.33", "2.67"]
    assert str(by_unit[tree["KQ-HS"].pk].mean) == "3.75" and by_unit[tree["KQ-HS"].pk].respondents == 2
    assert str(by_unit[tree["KQ-QX"].pk].mean) == "1.50"
    assert by_unit[tree["KQ-AC"].pk].mean is None


def test_township_staff_cannot_create_surveys(tree, huashe_staff):
    with pytest.raises(PermissionDenied):
        services.survey_create(by=huashe_staff, owner=tree["KQ-HS"], title="x", service="y", questions=["q"])


# --- pages -----------------------------------------------------------------------------------------------


def test_a_worker_answers_from_the_phone_page(survey, login, worker):
    client = login(worker)
    listing = client.get("/my-surveys/").content.decode()
    assert "理赔服务满意度测评" in listing

    data = {f"q{q.pk}": "4" for q in survey.questions.filter(kind="rating")}
    data[f"q{survey.questions.get(kind='text').pk}"] = "希望再快一点"
    response = client.post(f"/my-surveys/{survey.pk}/", data)

    assert response.status_code == 302
    assert SurveyAnswer.objects.filter(comment="希望再快一点").exists()
    assert client.get(f"/my-surveys/{survey.pk}/").status_code == 404  # answered: no second form
    assert "已答" in client.get("/my-surveys/").content.decode()


def test_the_admin_report_shows_totals_and_never_who_answered(survey, login, district_admin, worker):
    services.survey_answer(user=worker, survey=survey, ratings=_ratings(survey, 5, 4), comments={})
    body = login(district_admin).get(f"/surveys/{survey.pk}/").content.decode()
    assert "1 名会员已作答" in body
    assert worker.member.name not in body and worker.username not in body


def test_township_staff_see_results_of_their_township_only(survey, tree, login, huashe_staff, handler):
    members = add_members(tree["KQ-HS-002"], 5) + add_members(tree["KQ-QX-001"], 5)
    for i, member in enumerate(members):
        services.survey_answer(user=_worker_user(member, f"t{i}"), survey=survey, ratings=_ratings(survey, 5, 5))

    response = login(huashe_staff).get(f"/surveys/{survey.pk}/")

    assert response.status_code == 200 and response.context["within"].code == "KQ-HS"
    assert response.context["respondents"] == 5  # Qixian's five answers are not counted here
    assert {r.unit.code for r in response.context["by_unit"]} == {"KQ-HS-001", "KQ-HS-002", "KQ-HS-003"}
    assert "导出" not in response.content.decode() and "发布" not in response.content.decode()
    assert login(huashe_staff).post(f"/surveys/{survey.pk}/close/").status_code == 403
    assert login(handler).get(f"/surveys/{survey.pk}/").status_code == 403


def test_township_staff_do_not_see_draft_surveys(tree, login, district_admin, huashe_staff):
    draft = services.survey_create(by=district_admin, owner=tree["SX-KQ"], title="草稿", service="x", questions=["q"])
    assert login(huashe_staff).get(f"/surveys/{draft.pk}/").status_code == 404
    assert "草稿" not in login(huashe_staff).get("/surveys/").content.decode()


def test_an_admin_creates_and_publishes_a_survey_in_the_browser(tree, login, district_admin):
    client = login(district_admin)
    response = client.post(
        "/surveys/new/",
        {
            "title": "入会服务测评",
            "service": "网上入会",
            "questions": "办理是否方便\n答复是否及时",
            "with_comment": "on",
        },
    )
    survey = Survey.objects.get(title="入会服务测评")
    assert response.status_code == 302 and survey.questions.count() == 3 and survey.status == "draft"
    client.post(f"/surveys/{survey.pk}/publish/")
    survey.refresh_from_db()
    assert survey.status == "open"


def test_survey_list_queries_do_not_grow(tree, login, district_admin, django_assert_num_queries):
    client = login(district_admin)
    client.get("/surveys/")
    # 4 session/user/device/assignments, the page of surveys, 3 session save
    with django_assert_num_queries(7):
        client.get("/surveys/")
    for i in range(5):
        services.survey_create(by=district_admin, owner=tree["SX-KQ"], title=f"s{i}", service="x", questions=["q"])
    with django_assert_num_queries(7):
        client.get("/surveys/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_answers_by_one_member_record_one(tree):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="district_admin")
    survey = services.survey_publish(
        by=admin,
        survey=services.survey_create(by=admin, owner=tree["SX-KQ"], title="t", service="s", questions=["q"]),
    )
    worker = get_user_model().objects.get(username="worker")
    ratings = _ratings(survey, 5)

    def answer():
        return services.survey_answer(user=worker, survey=survey, ratings=ratings)

    outcomes = [outcome(r) for r in run_together(answer, answer)]

    assert sorted(outcomes) == ["ok", "refused"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_a_draft_can_be_deleted_but_a_published_survey_cannot(tree, login, district_admin, survey):
    client = login(district_admin)
    draft = services.survey_create(by=district_admin, owner=tree["SX-KQ"], title="草稿", service="x", questions=["q"])
    assert client.post(f"/surveys/{draft.pk}/delete/").status_code == 302
    assert not Survey.objects.filter(pk=draft.pk).exists()
    client.post(f"/surveys/{survey.pk}/delete/")
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_a_member_who_left_sees_no_survey(survey, login, worker):
    Member.objects.filter(user=worker).update(status="left")
    assert "理赔服务满意度测评" not in login(worker).get("/my-surveys/").content.decode()


def test_the_report_hides_the_mean_of_a_unit_with_fewer_than_five_respondents(survey, tree, login, district_admin):
    members = add_members(tree["KQ-HS-002"], 5) + add_members(tree["KQ-QX-001"], 2)
    for i, member in enumerate(members):
        services.survey_answer(user=_worker_user(member, f"k{i}"), survey=survey, ratings=_ratings(survey, 4, 2))

    response = login(district_admin).get(f"/surveys/{survey.pk}/")

    rows = {r.unit.code: r for r in response.context["by_unit"]}
    assert str(rows["KQ-HS"].reportable_mean) == "3.00"
    assert rows["KQ-QX"].respondents == 2 and rows["KQ-QX"].reportable_mean is None


def test_the_answer_page_is_available_in_english(survey, login, worker, settings):
    client = login(worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"/my-surveys/{survey.pk}/").content.decode()
    assert "Send my answers" in body and "very dissatisfied" in body


def test_survey_export_writes_counts_as_numbers_zero_not_blank_and_means_as_numbers(
    survey, tree, login, district_admin
):
    import io

    from openpyxl import load_workbook

    huashe = add_members(tree["KQ-HS-002"], 1)
    services.survey_answer(user=_worker_user(huashe[0], "w0"), survey=survey, ratings=_ratings(survey, 5, 4))

    response = login(district_admin).get(f"/surveys/{survey.pk}/export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    question = rows["理赔办理速度"]
    assert (question[1].value, question[1].data_type) == (1, "n")
    assert (question[2].value, question[2].number_format) == (5, "0.00")
    assert [c.value for c in question[3:8]] == [0, 0, 0, 0, 1]  # no answer of a rating is 0, not blank
    anchang = rows["安昌街道工会"]
    assert (anchang[1].value, anchang[1].data_type) == (0, "n")  # nobody answered: 0 respondents
    assert anchang[2].value == "—"  # no mean to report
