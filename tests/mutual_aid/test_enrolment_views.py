"""Issue 16: the enrolment page, 增员 and 减员 screens, finance confirming added members' premium, each action
saying what happened with a link back."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutual_aid import services
from mutual_aid.models import Cover, Enrolment, EnrolmentAddition
from tests import clock
from tests.factories import make_member
from union_portal.models import AuditLog

from .test_views import xlsx_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def current(district_admin):
    """This year's scheme (additions are made during the period, today)."""
    return services.scheme_create(by=district_admin, year=clock.current_date().year)


@pytest.fixture
def enrolment(current, member, handler, finance):
    benefit = current.benefits.get(kind="inpatient")
    enrolment = services.enrolment_create(by=handler, benefit=benefit, org=member.org, members=[member])
    return services.enrolment_confirm_payment(by=finance, enrolment=enrolment, reference="ZH-1")


def test_a_handler_adds_a_later_member_from_the_roll_and_is_linked_back(enrolment, member, login, handler):
    # given a member who joined after the union enrolled
    newcomer = make_member(member.org)
    client = login(handler)
    page = client.get(f"/mutual-aid/enrolments/{enrolment.pk}/add/")
    assert page.status_code == 200 and page.context["addable"] == 1
    # when the handler adds the roll's members not yet enrolled
    response = client.post(
        f"/mutual-aid/enrolments/{enrolment.pk}/add/", {"source": "roll", "accept_short_cover": "on"}, follow=True
    )
    # then the newcomer is added, awaiting payment, and the message links back to the enrolment
    addition = EnrolmentAddition.objects.get()
    assert addition.member_count == 1 and Cover.objects.get(member=newcomer).addition == addition
    text = response.content.decode()
    assert f'href="/mutual-aid/enrolments/{enrolment.pk}/"' in text and newcomer.name in text


def test_a_handler_adds_members_from_an_excel_list_read_as_for_enrolling(enrolment, member, login, handler):
    newcomer = make_member(member.org)
    upload = SimpleUploadedFile("list.xlsx", xlsx_rows([["会员编号", "姓名"], [newcomer.member_number, newcomer.name]]))
    response = login(handler).post(
        f"/mutual-aid/enrolments/{enrolment.pk}/add/", {"source": "excel", "excel": upload, "accept_short_cover": "on"}
    )
    assert response.status_code == 302
    assert Cover.objects.get(member=newcomer).addition is not None


def test_an_excel_list_naming_an_enrolled_member_adds_nobody(enrolment, member, login, handler):
    upload = SimpleUploadedFile("list.xlsx", xlsx_rows([["会员编号"], [member.member_number]]))
    response = login(handler).post(
        f"/mutual-aid/enrolments/{enrolment.pk}/add/", {"source": "excel", "excel": upload, "accept_short_cover": "on"}
    )
    assert response.status_code == 200 and not EnrolmentAddition.objects.exists()


def test_adding_near_the_period_end_must_be_acknowledged(enrolment, member, login, handler, monkeypatch):
    # given a period close to its end
    monkeypatch.setattr(services, "short_cover_warning", lambda **kw: "距本期结束仅剩 20 天，仍按全额保费缴纳")
    make_member(member.org)
    client = login(handler)
    assert "仅剩 20 天" in client.get(f"/mutual-aid/enrolments/{enrolment.pk}/add/").content.decode()
    # when the handler posts without acknowledging the warning, nothing is added; with it, the member is
    assert client.post(f"/mutual-aid/enrolments/{enrolment.pk}/add/", {"source": "roll"}).status_code == 200
    assert not EnrolmentAddition.objects.exists()
    client.post(f"/mutual-aid/enrolments/{enrolment.pk}/add/", {"source": "roll", "accept_short_cover": "on"})
    assert EnrolmentAddition.objects.count() == 1


def test_enrolling_again_points_to_adding_members(enrolment, current, member, login, handler):
    benefit = current.benefits.get(kind="inpatient")
    response = login(handler).post(
        "/mutual-aid/enrolments/new/", {"benefit": benefit.pk, "source": "roll", "accept_short_cover": "on"}
    )
    assert response.status_code == 200 and Enrolment.objects.count() == 1
    assert f"/mutual-aid/enrolments/{enrolment.pk}/add/" in response.content.decode()


def test_finance_confirms_the_added_members_premium_and_cover_starts_tomorrow(
    enrolment, member, login, handler, finance, today
):
    addition = services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org)])
    client = login(finance)
    assert (
        f"/mutual-aid/enrolments/additions/{addition.pk}/confirm/"
        in client.get(f"/mutual-aid/enrolments/{enrolment.pk}/").content.decode()
    )
    response = client.post(
        f"/mutual-aid/enrolments/additions/{addition.pk}/confirm/", {"reference": "ZH-2"}, follow=True
    )
    addition.refresh_from_db()
    assert addition.status == Enrolment.Status.PAID and addition.cover_starts_on == today + dt.timedelta(days=1)
    assert 'href="/mutual-aid/enrolments/"' in response.content.decode()
    assert AuditLog.objects.filter(action="mutual_aid.addition_paid").exists()


def test_only_finance_of_the_area_confirms_an_addition(enrolment, member, login, handler):
    addition = services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org)])
    assert (
        login(handler).post(f"/mutual-aid/enrolments/additions/{addition.pk}/confirm/", {"reference": "X"}).status_code
        == 403
    )
    assert EnrolmentAddition.objects.get().status == Enrolment.Status.AWAITING_PAYMENT


def test_a_handler_takes_a_member_off_and_their_cover_ends(enrolment, member, login, handler, today):
    response = login(handler).post(
        f"/mutual-aid/enrolments/{enrolment.pk}/remove/",
        {"members": [member.pk], "reason": "deceased", "left_on": today.isoformat()},
        follow=True,
    )
    cover = Cover.objects.get(member=member)
    assert (cover.ends_on, cover.end_reason) == (today, "deceased")
    assert "不退" in response.content.decode() or "not refunded" in response.content.decode()
    assert AuditLog.objects.filter(action="mutual_aid.enrolment_remove").exists()


def test_another_unions_handler_can_neither_see_nor_change_the_enrolment(
    enrolment, member, login, handler_qixian, today
):
    client = login(handler_qixian)
    assert client.get(f"/mutual-aid/enrolments/{enrolment.pk}/").status_code == 404
    assert client.get(f"/mutual-aid/enrolments/{enrolment.pk}/add/").status_code == 404
    response = client.post(
        f"/mutual-aid/enrolments/{enrolment.pk}/remove/",
        {"members": [member.pk], "reason": "left", "left_on": today.isoformat()},
    )
    assert response.status_code == 404 and Cover.objects.get(member=member).ends_on is None


def test_anonymous_is_sent_to_log_in(enrolment, client):
    response = client.get(f"/mutual-aid/enrolments/{enrolment.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_enrolment_page_keeps_its_queries_constant(enrolment, member, login, handler, django_assert_num_queries):
    services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org) for _ in range(2)])
    client = login(handler)
    url = f"/mutual-aid/enrolments/{enrolment.pk}/"
    client.get(url)  # warm the session
    # session (+ the verified OTP device), user, assignments, the enrolment, the page of covers (with member and
    # addition), the additions (with who added and confirmed), the session save (savepoint, update, release)
    with django_assert_num_queries(9):
        client.get(url)
    services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org) for _ in range(5)])
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 8


def test_the_enrolment_pages_render_in_chinese_and_english(enrolment, member, login, handler, finance):
    services.enrolment_add_members(by=handler, enrolment=enrolment, members=[make_member(member.org)])
    for user in (handler, finance):
        client = login(user)
        for lang, word in (("zh-hans", "期中增员"), ("en", "Members added during the period")):
            client.cookies["django_language"] = lang
            text = client.get(f"/mutual-aid/enrolments/{enrolment.pk}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
            assert word in text


def test_enrolling_near_the_period_end_warns_before_the_handler_confirms(current, member, login, handler, monkeypatch):
    # given a period close to its end
    monkeypatch.setattr(
        services, "short_cover_warning", lambda **kw: "距本期结束仅剩 10 天，仍按全额保费缴纳，每人 60.00 元。"
    )
    benefit = current.benefits.get(kind="inpatient")
    client = login(handler)
    # when the handler opens the form, the warning is shown; enrolling without acknowledging it enrols nobody
    assert "仅剩 10 天" in client.get("/mutual-aid/enrolments/new/").content.decode()
    client.post("/mutual-aid/enrolments/new/", {"benefit": benefit.pk, "source": "roll"})
    assert not Enrolment.objects.exists()
    # then, acknowledged, the union is enrolled
    client.post("/mutual-aid/enrolments/new/", {"benefit": benefit.pk, "source": "roll", "accept_short_cover": "on"})
    assert Enrolment.objects.count() == 1
