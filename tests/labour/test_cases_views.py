"""Rights-case pages and API: who sees what (owner, sibling township, the employer's own union, lawyer,
anonymous), the actions, the case file PDF, the follow link, and the query counts of every list."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from labour.models import CaseStatus, RightsCase
from labour.services import cases as services
from tests.factories.lb_cases import make_case
from tests.labour.conftest_cases import *  # noqa: F403
from union_portal.models import AuditLog, Notification
from union_portal.twofactor import requires_two_factor

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def own_case(worker, worker_member, employer, today):
    """The demo worker's confidential case against the demo handler's enterprise."""
    return services.case_file(
        by=worker, member=worker_member, case_type="unpaid_wages", facts="拖欠工资", enterprise=employer, today=today
    )


def test_worker_files_a_request_with_a_document_from_the_phone_page(login, worker, employer, tree):
    # given
    client = login(worker)
    # when
    response = client.post(
        reverse("labour:case_new"),
        {
            "case_type": "unpaid_wages",
            "enterprise": employer.pk,
            "facts": "三个月没发工资",
            "requests": "补发",
            "worker_count": 1,
            "confidential": "on",
            "contact_preference": "sms",
            "documents": [SimpleUploadedFile("工资条.png", PNG, content_type="image/png")],
        },
    )
    # then
    case = RightsCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("labour:my_case", args=[case.pk])
    assert case.user == worker and case.org == tree["KQ-HS"] and case.documents.count() == 1
    page = client.get(reverse("labour:my_case", args=[case.pk]))
    assert case.number in page.content.decode()


def test_a_bad_document_is_refused_and_nothing_is_saved(login, worker, employer):
    client = login(worker)
    response = client.post(
        reverse("labour:case_new"),
        {
            "case_type": "unpaid_wages",
            "enterprise": employer.pk,
            "facts": "x",
            "worker_count": 1,
            "contact_preference": "sms",
            "documents": [SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")],
        },
    )
    assert response.status_code == 200
    assert not RightsCase.objects.exists()


def test_employers_own_union_handler_gets_404_on_list_detail_and_api(login, handler, own_case):
    # given
    client = login(handler)
    # then
    assert own_case.number not in client.get(reverse("labour:case_list")).content.decode()
    assert client.get(reverse("labour:case_detail", args=[own_case.pk])).status_code == 404
    assert client.get(reverse("labour:case_pdf", args=[own_case.pk])).status_code == 404
    assert client.post(reverse("labour:case_action", args=[own_case.pk, "accept"])).status_code == 404
    assert client.get(reverse("labour-case-list")).json()["results"] == []
    assert client.get(reverse("labour-case-detail", args=[own_case.pk])).status_code == 404


def test_sibling_township_officer_gets_404_and_the_owner_officer_may(
    login, client, officer_qixian, officer_huashe, own_case
):
    assert login(officer_qixian).get(reverse("labour:case_detail", args=[own_case.pk])).status_code == 404
    client.logout()
    response = login(officer_huashe).get(reverse("labour:case_detail", args=[own_case.pk]))
    assert response.status_code == 200 and own_case.number in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, own_case):
    for url in (
        reverse("labour:my_cases"),
        reverse("labour:case_list"),
        reverse("labour:case_detail", args=[own_case.pk]),
        reverse("labour:my_case", args=[own_case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_township_staff_without_the_rights_role_have_no_case_list(login, huashe_staff, own_case):
    client = login(huashe_staff)
    assert client.get(reverse("labour:case_list")).status_code == 403
    assert client.get(reverse("labour:case_detail", args=[own_case.pk])).status_code == 404


def test_another_worker_cannot_open_the_case(login, make_member, own_case):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(username="w2", password="x")
    make_member("KQ-HS-001", user=other)
    client = login(other)
    assert client.get(reverse("labour:my_case", args=[own_case.pk])).status_code == 404
    assert client.post(reverse("labour:case_rate", args=[own_case.pk]), {"rating": 5}).status_code == 404


def test_officer_accepts_records_a_step_prints_and_closes(login, officer_huashe, own_case, today):
    # given
    client = login(officer_huashe)
    url = lambda action: reverse("labour:case_action", args=[own_case.pk, action])  # noqa: E731
    # when
    client.post(url("accept"))
    client.post(
        url("step"),
        {
            "kind": "mediation",
            "on": today.isoformat(),
            "notes": "约谈企业",
            "documents": [SimpleUploadedFile("调解书.png", PNG, content_type="image/png")],
        },
    )
    pdf = client.get(reverse("labour:case_pdf", args=[own_case.pk]))
    client.post(url("close"), {"outcome": "partly", "money_recovered": "3000"})
    # then
    own_case.refresh_from_db()
    assert own_case.status == CaseStatus.CLOSED and own_case.outcome == "partly"
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditLog.objects.filter(action="labour.case_pdf", object_id=str(own_case.pk)).exists()


def test_a_step_dated_in_the_future_gets_a_message_and_saves_nothing(login, officer_huashe, own_case, today):
    client = login(officer_huashe)
    client.post(reverse("labour:case_action", args=[own_case.pk, "accept"]))
    response = client.post(
        reverse("labour:case_action", args=[own_case.pk, "step"]),
        {"kind": "advice", "on": (today + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert own_case.steps.count() == 0


def test_reveal_shows_the_mobile_in_full_and_is_audited(login, officer_huashe, own_case):
    client = login(officer_huashe)
    page = client.get(reverse("labour:case_detail", args=[own_case.pk])).content.decode()
    assert own_case.worker_mobile not in page
    revealed = client.post(reverse("labour:case_action", args=[own_case.pk, "reveal"])).content.decode()
    assert own_case.worker_mobile in revealed
    assert AuditLog.objects.filter(action="labour.case_reveal", actor=officer_huashe).count() == 1


def test_lawyer_sees_only_assigned_cases_and_needs_two_factor(
    login, settings, lawyer, officer_huashe, own_case, employer, today
):
    # given
    settings.OTP_REQUIRED = True
    other = make_case(by=officer_huashe, enterprise=employer, today=today)
    services.case_accept(by=officer_huashe, case=own_case, today=today)
    services.case_assign_lawyer(by=officer_huashe, case=own_case, lawyer=lawyer, today=today)
    client = login(lawyer.user)
    # then
    assert requires_two_factor(lawyer.user)
    assert client.get(reverse("labour:case_detail", args=[own_case.pk])).status_code == 200
    assert client.get(reverse("labour:case_detail", args=[other.pk])).status_code == 404
    assert [row["number"] for row in client.get(reverse("labour-case-list")).json()["results"]] == [own_case.number]


def test_hotline_caller_follows_the_case_through_the_texted_link(client, officer_huashe, employer, today):
    # given
    case = make_case(by=officer_huashe, enterprise=employer, today=today)
    link = Notification.objects.get(event_key__startswith=f"labour.case.follow.{case.pk}.").link
    # when
    page = client.get(link[link.index("/labour/") :])
    bad = client.get(reverse("labour:case_follow", args=["nonsense"]))
    # then
    assert page.status_code == 200 and case.number in page.content.decode()
    assert case.facts not in page.content.decode()
    assert bad.status_code == 404


def test_hotline_form_records_a_call(login, officer_huashe, employer):
    client = login(officer_huashe)
    response = client.post(
        reverse("labour:case_hotline"),
        {
            "case_type": "unpaid_wages",
            "enterprise": employer.pk,
            "facts": "工地欠薪",
            "worker_count": 1,
            "worker_name": "赵六",
            "worker_mobile": "13912345678",
        },
    )
    case = RightsCase.objects.get()
    assert response.status_code == 302 and case.source == "hotline" and case.worker_name == "赵六"


def test_worker_api_creates_a_case_with_documents_and_shows_its_history(login, worker, employer):
    client = login(worker)
    response = client.post(
        reverse("labour-my-case-list"),
        {
            "case_type": "unpaid_wages",
            "enterprise": employer.pk,
            "facts": "拖欠工资",
            "documents": [SimpleUploadedFile("a.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    detail = client.get(reverse("labour-my-case-detail", args=[pk])).json()
    assert detail["status"] == "new" and detail["history"] == []
    assert RightsCase.objects.get(pk=pk).documents.count() == 1


def test_worker_api_refuses_a_case_without_facts(login, worker, employer):
    response = login(worker).post(
        reverse("labour-my-case-list"), {"case_type": "unpaid_wages", "enterprise": employer.pk, "facts": ""}
    )
    assert response.status_code == 400
    assert not RightsCase.objects.exists()


def test_case_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api_schema")).content.decode()
    assert "/api/v1/labour/my/cases/" in schema and "/api/v1/labour/cases/" in schema


def _cases(officer, employer, n, today):
    for _ in range(n):
        make_case(by=officer, enterprise=employer, today=today)


def test_staff_list_has_no_n_plus_one(login, officer_huashe, employer, today, django_assert_num_queries):
    client = login(officer_huashe)
    _cases(officer_huashe, employer, 2, today)
    client.get(reverse("labour:case_list"))  # warm the caches (assignments, session)
    # 8 = session + user + OTP device (the middleware) + the page of cases with their union and employer joined +
    # the overdue ids of the page + the session's save (savepoint, update, release); the assignments and the
    # menu's counts come from the per-user cache. The same for N and N+k rows.
    with django_assert_num_queries(8) as first:
        client.get(reverse("labour:case_list"))
    _cases(officer_huashe, employer, 3, today)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("labour:case_list"))
    assert response.content.decode().count("/labour/cases/") >= 5


def test_staff_api_list_has_no_n_plus_one(login, officer_huashe, employer, today, django_assert_num_queries):
    client = login(officer_huashe)
    _cases(officer_huashe, employer, 2, today)
    client.get(reverse("labour-case-list"))
    # 8 = session + user + OTP device + the page's count + the page of cases (union and employer joined) + the
    # session's save (savepoint, update, release)
    with django_assert_num_queries(8) as first:
        client.get(reverse("labour-case-list"))
    _cases(officer_huashe, employer, 3, today)
    with django_assert_num_queries(len(first.captured_queries)):
        assert len(client.get(reverse("labour-case-list")).json()["results"]) == 5


def test_my_cases_page_and_api_have_no_n_plus_one(
    login, worker, worker_member, employer, today, django_assert_num_queries
):
    client = login(worker)

    def file(n):
        for _ in range(n):
            services.case_file(
                by=worker, member=worker_member, case_type="other", facts="x", enterprise=employer, today=today
            )

    file(2)
    client.get(reverse("labour:my_cases"))
    # page 7 = session + user + OTP device + the cases with their union + the session's save (3);
    # API 8 = the same with the page's count
    with django_assert_num_queries(7) as page:
        client.get(reverse("labour:my_cases"))
    with django_assert_num_queries(8) as api:
        client.get(reverse("labour-my-case-list"))
    file(3)
    with django_assert_num_queries(len(page.captured_queries)):
        client.get(reverse("labour:my_cases"))
    with django_assert_num_queries(len(api.captured_queries)):
        assert len(client.get(reverse("labour-my-case-list")).json()["results"]) == 5


def test_lawyer_roster_has_no_n_plus_one(login, officer_huashe, lawyer, tree, django_assert_num_queries):
    from tests.factories.lb_cases import make_lawyer

    client = login(officer_huashe)
    client.get(reverse("labour:lawyer_list"))
    with django_assert_num_queries(7) as first:  # session, user, device, the roster with workload, session save (3)
        response = client.get(reverse("labour:lawyer_list"))
    assert lawyer.name in response.content.decode()
    for i in range(3):
        make_lawyer(f"lawyer_x{i}", tree["SX-KQ"], name=f"律师{i}")
    with django_assert_num_queries(len(first.captured_queries)):
        assert "律师2" in client.get(reverse("labour:lawyer_list")).content.decode()


def test_district_admin_sets_the_group_warning_threshold(login, district_admin, officer_huashe):
    assert (
        login(district_admin).post(reverse("labour:case_settings"), {"group_warning_threshold": 20}).status_code == 302
    )
    from labour.selectors.cases import case_settings

    assert case_settings().group_warning_threshold == 20
