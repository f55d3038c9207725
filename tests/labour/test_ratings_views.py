"""Harmonious-enterprise ratings: the pages, who may see and change what, the public pages, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from labour.models import RatingApplication, RatingStatus
from labour.services import ratings as services
from members.models import Enterprise
from tests.factories import pdf
from tests.factories.lb_ratings import make_batch, make_ready
from union_portal.models import AuditLog

pytest_plugins = ["tests.labour.conftest_ratings"]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a temporary directory, not the worktree."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _submitted(batch, firm, handler, today):
    application = make_ready(batch=batch, enterprise=firm, by=handler, today=today)
    services.application_submit(by=handler, application=application, today=today)
    return application


def _named(batch, firm, handler, township, district_admin, today):
    application = _submitted(batch, firm, handler, today)
    services.application_review(by=township, application=application, decision="pass")
    services.application_review(by=district_admin, application=application, decision="pass")
    application = services.application_notice_start(
        by=district_admin, application=application, starts_on=today, today=today
    )
    return services.application_name(
        by=district_admin, application=application, named_on=application.notice.last_day + dt.timedelta(days=1)
    )


def test_the_handler_walks_the_self_assessment_through_the_pages(batch, huashe_firm, handler, login, today):
    # given the contract and congress on record
    from tests.factories.lb_ratings import make_congress, make_contract

    make_contract(
        enterprise=huashe_firm,
        by=handler,
        starts_on=batch.period_start,
        ends_on=batch.period_end + dt.timedelta(days=400),
    )
    make_congress(enterprise=huashe_firm, by=handler, held_on=batch.period_start + dt.timedelta(days=10))
    client = login(handler)
    # when the handler starts, fills in, attaches and submits
    response = client.post(reverse("labour:rating_create", args=[batch.pk]), {"enterprise": huashe_firm.pk})
    application = RatingApplication.objects.get(batch=batch, enterprise=huashe_firm)
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    client.post(
        reverse("labour:rating_edit", args=[application.pk]),
        {"contract_rate": "100", "insurance_rate": "97", "wages_on_time": "on", "safety_ok": "on", "statement": "好"},
    )
    client.post(
        reverse("labour:rating_evidence_add", args=[application.pk]), {"description": "社保清单", "file": pdf()}
    )
    client.post(reverse("labour:rating_submit", args=[application.pk]))
    # then
    application.refresh_from_db()
    assert application.status == RatingStatus.TOWNSHIP_REVIEW
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200 and "社保清单" in page.content.decode()
    evidence = application.evidence.get()
    assert client.get(reverse("labour:rating_evidence", args=[application.pk, evidence.pk])).status_code == 200


def test_a_rate_over_100_is_refused_on_the_form(batch, huashe_firm, handler, login, today):
    application = services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)
    client = login(handler)
    response = client.post(
        reverse("labour:rating_edit", args=[application.pk]),
        {"contract_rate": "120", "insurance_rate": "97"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.contract_rate is None


def test_a_failing_submission_shows_the_reason_and_keeps_the_draft(batch, huashe_firm, handler, login, today):
    application = services.application_create(by=handler, batch=batch, enterprise=huashe_firm, today=today)
    client = login(handler)
    response = client.post(reverse("labour:rating_submit", args=[application.pk]), follow=True)
    assert "请先填写劳动合同签订率和社会保险参保率。" in response.content.decode()
    application.refresh_from_db()
    assert application.status == RatingStatus.DRAFT


@pytest.mark.parametrize(
    ("who", "status"),
    [("handler", 200), ("huashe_staff", 200), ("district_admin", 200), ("qixian_staff", 404), ("handler_qixian", 404)],
)
def test_who_sees_a_huashe_self_assessment(batch, huashe_firm, handler, login, today, who, request, status):
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    evidence = application.evidence.get()
    client = login(request.getfixturevalue(who))
    assert client.get(application.get_absolute_url()).status_code == status
    assert client.get(reverse("labour:rating_evidence", args=[application.pk, evidence.pk])).status_code == status


def test_anonymous_is_sent_to_log_in(batch, huashe_firm, handler, client, today):
    application = make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    for url in (application.get_absolute_url(), reverse("labour:rating_list"), batch.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_stranger_cannot_submit_review_or_name(
    batch, huashe_firm, handler, handler_qixian, qixian_staff, huashe_staff, login, today
):
    # given a huashe self-assessment in township review
    application = _submitted(batch, huashe_firm, handler, today)
    # when strangers post
    assert login(handler_qixian).post(reverse("labour:rating_submit", args=[application.pk])).status_code == 404
    assert (
        login(qixian_staff)
        .post(reverse("labour:rating_review", args=[application.pk]), {"decision": "pass"})
        .status_code
        == 404
    )
    # the township staff see it but may not name it
    assert (
        login(huashe_staff)
        .post(reverse("labour:rating_name", args=[application.pk]), {"named_on": today.isoformat()})
        .status_code
        == 403
    )
    # then nothing moved
    application.refresh_from_db()
    assert application.status == RatingStatus.TOWNSHIP_REVIEW


def test_the_district_admin_withdraws_a_title_on_its_page(
    batch, huashe_firm, handler, huashe_staff, district_admin, login, today
):
    application = _named(batch, huashe_firm, handler, huashe_staff, district_admin, today)
    # (named after a notice that ends in the future: moved back so that the title is held today)
    RatingApplication.objects.filter(pk=application.pk).update(named_on=today - dt.timedelta(days=30))
    url = reverse("labour:rating_withdraw", args=[application.pk])
    assert login(huashe_staff).get(url).status_code == 403
    client = login(district_admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "发生重大劳动争议"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == RatingStatus.WITHDRAWN and application.withdrawal_reason == "发生重大劳动争议"
    assert AuditLog.objects.filter(action="labour.rating_withdraw", actor=district_admin).exists()


def test_the_public_notice_and_honour_list_are_public(
    batch, huashe_firm, qixian_firm, handler, handler_qixian, huashe_staff, district_admin, client, today
):
    # given one enterprise on notice and one named
    on_notice = _submitted(batch, huashe_firm, handler, today)
    services.application_review(by=huashe_staff, application=on_notice, decision="pass")
    services.application_review(by=district_admin, application=on_notice, decision="pass")
    services.application_notice_start(by=district_admin, application=on_notice, starts_on=today, today=today)
    # when anyone looks
    notices = client.get(reverse("labour:rating_public_notices")).content.decode()
    notice = client.get(reverse("labour:rating_public_notice", args=[on_notice.pk]))
    # then
    assert huashe_firm.name in notices and notice.status_code == 200
    draft = services.application_create(by=handler_qixian, batch=batch, enterprise=qixian_firm, today=today)
    assert client.get(reverse("labour:rating_public_notice", args=[draft.pk])).status_code == 404
    assert client.get(reverse("labour:rating_honours")).status_code == 200


def test_self_assessment_list_queries_do_not_grow_with_rows(
    tree, batch, huashe_firm, handler, district_admin, login, today, django_assert_num_queries
):
    make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    client = login(district_admin)
    client.get(reverse("labour:rating_list"))
    # session (+ the verified OTP device), user, assignments, the page of self-assessments (batch, enterprise and
    # union joined); the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(7):
        client.get(reverse("labour:rating_list"))
    for firm in Enterprise.objects.filter(union__code__in=["KQ-HS-002", "KQ-QX-002", "KQ-KQ-001"]):
        RatingApplication.objects.create(batch=batch, enterprise=firm, org=firm.union, created_by=district_admin)
    with django_assert_num_queries(7):
        client.get(reverse("labour:rating_list"))


def test_honour_list_queries_do_not_grow_with_rows(
    tree, district_admin, huashe_firm, qixian_firm, client, today, django_assert_num_queries
):
    batch = make_batch(by=district_admin, today=today)

    def name(firm):
        RatingApplication.objects.create(
            batch=batch,
            enterprise=firm,
            org=firm.union,
            created_by=district_admin,
            status=RatingStatus.NAMED,
            named_on=today - dt.timedelta(days=5),
            term_ends_on=today + dt.timedelta(days=900),
        )

    name(huashe_firm)
    # the titles held today (batch, enterprise and township joined)
    with django_assert_num_queries(1):
        client.get(reverse("labour:rating_honours"))
    name(qixian_firm)
    for firm in Enterprise.objects.filter(union__code__in=["KQ-HS-002", "KQ-QX-002"]):
        name(firm)
    with django_assert_num_queries(1):
        response = client.get(reverse("labour:rating_honours"))
    assert qixian_firm.name in response.content.decode()


def test_batch_list_and_detail_for_staff(batch, huashe_firm, handler, huashe_staff, login, today):
    make_ready(batch=batch, enterprise=huashe_firm, by=handler, today=today)
    client = login(huashe_staff)
    assert batch.title in client.get(reverse("labour:rating_batch_list")).content.decode()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert huashe_firm.name in page
    # the township may not change indicators
    indicator = batch.indicators.first()
    assert client.get(reverse("labour:rating_indicator_edit", args=[indicator.pk])).status_code == 403
