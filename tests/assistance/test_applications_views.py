"""Pages of hardship applications: the worker applies from a phone, staff list and act, members see the notice
at their unit, the district admin edits the rules."""

import datetime as dt

import pytest
from django.urls import reverse

from assistance.models import Application, ApplicationDocument, RuleSet
from tests.factories import as_apply as f
from union_portal.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(worker):
    from members.models import Member

    return Member.objects.get(user=worker)


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def _post_data(member, today, *, income="24000") -> dict:
    household = f.household_of(member, today=today, extra=1)
    people = [
        {
            "relation": p.relation,
            "name": p.name,
            "id_number": p.id_number,
            "age": str(p.age),
            "health": p.health,
            "work": p.work,
        }
        for p in household
    ]
    return {
        "causes": ["serious_illness"],
        "housing": "rented",
        **_formset(
            "p",
            people
            + [{"relation": "", "name": "", "id_number": "", "age": "", "health": "healthy", "work": "employed"}],
        ),
        **_formset("i", [{"kind": "wages", "amount": income}]),
        **_formset("s", [{"kind": "medical", "amount": "3000"}]),
    }


def test_worker_applies_with_documents_and_consents(login, worker, member, today):
    # given
    client = login(worker)

    # when: the draft, the authorisation upload, then the submission with both consents
    response = client.post(reverse("assistance:application_new"), _post_data(member, today))
    application = Application.objects.get(member=member)
    assert response.status_code == 302
    url = reverse("assistance:application_submit", args=[application.pk])
    client.post(url, {"kind": "authorisation", "file": f.authorisation()})
    response = client.post(url, {"consent_sensitive": "on", "consent_check": "on"})

    # then
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Application.Status.SUBMITTED
    assert application.household.count() == 2
    page = client.get(reverse("assistance:my")).content.decode()
    assert application.number in page and str(Application.Status.SUBMITTED.label) in page


def test_bad_input_shows_messages_and_saves_nothing(login, worker, member, today):
    client = login(worker)
    data = _post_data(member, today, income="-100")
    data["p-1-relation"] = ""
    response = client.post(reverse("assistance:application_new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "不能为负数" in page and "与职工的关系" in page
    assert not Application.objects.exists()


def test_submit_without_consent_is_refused(login, worker, member, today):
    application = f.draft(member, today=today)
    client = login(worker)
    response = client.post(reverse("assistance:application_submit", args=[application.pk]), {"consent_sensitive": "on"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_staff_list_has_no_n_plus_one(login, handler, make_member, today, django_assert_num_queries):
    # given: one application, then three more
    client = login(handler)
    f.submitted(make_member("KQ-HS-001"), today=today)
    url = reverse("assistance:application_list")
    client.get(url)  # warm the per-user caches

    # 11 queries: session, user, two-factor device, the assignments, the nav (membership, roles), the townships
    # filter, the page of applications with their union and member, and the notices badge of the layout
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    n = count()
    with django_assert_num_queries(n):
        client.get(url)
    for _ in range(3):
        f.submitted(make_member("KQ-HS-001"), today=today)
    with django_assert_num_queries(n):
        response = client.get(url)
    assert response.content.decode().count("KN") >= 4


def test_list_is_scoped_and_filtered(login, huashe_staff, make_member, today):
    own = f.submitted(make_member("KQ-HS-001"), today=today)
    foreign = f.submitted(make_member("KQ-QX-001"), today=today)
    page = login(huashe_staff).get(reverse("assistance:application_list")).content.decode()
    assert own.number in page and foreign.number not in page
    page = login(huashe_staff).get(reverse("assistance:application_list") + "?status=visited").content.decode()
    assert own.number not in page


def test_detail_owner_staff_stranger_and_anonymous(client, login, worker, member, qixian_staff, handler_qixian, today):
    application = f.submitted(member, today=today)
    url = reverse("assistance:application_detail", args=[application.pk])
    assert client.get(url).status_code == 302  # anonymous: log in
    assert login(qixian_staff).get(url).status_code == 404
    assert login(handler_qixian).get(url).status_code == 404
    assert login(worker).get(url).status_code == 200


def test_health_and_income_are_masked_until_revealed_and_the_reveal_is_audited(login, huashe_staff, member, today):
    application = f.submitted(member, today=today, income="31234.00")
    client = login(huashe_staff)
    url = reverse("assistance:application_detail", args=[application.pk])
    page = client.get(url).content.decode()
    assert "31234" not in page and "***" in page
    page = client.post(reverse("assistance:application_reveal", args=[application.pk])).content.decode()
    assert "31234" in page
    assert AuditLog.objects.filter(action="assistance.application_reveal", actor=huashe_staff).exists()


def test_handler_records_visit_decides_category_and_township_reviews(
    login, handler, huashe_staff, district_admin, member, today
):
    # given
    application = f.submitted(member, today=today, income="24000.00")
    client = login(handler)

    # when: the visit
    response = client.post(
        reverse("assistance:application_visit", args=[application.pk]),
        {
            "visited_on": today.isoformat(),
            "staff_one": handler.pk,
            "staff_two": huashe_staff.pk,
            "findings": "属实",
            "photos": f.png(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.VISITED
    page = client.get(reverse("assistance:application_detail", args=[application.pk])).content.decode()
    assert "666.67" not in page  # masked until revealed
    # the category, different without a reason: refused
    client.post(reverse("assistance:application_category", args=[application.pk]), {"category": "relative"})
    application.refresh_from_db()
    assert application.status == Application.Status.VISITED
    client.post(reverse("assistance:application_category", args=[application.pk]), {"category": "deep"})
    application.refresh_from_db()
    assert application.status == Application.Status.ON_NOTICE

    # then: the handler may not review
    assert client.post(
        reverse("assistance:application_review", args=[application.pk]), {"decision": "pass"}
    ).status_code in (200, 302)
    application.refresh_from_db()
    assert application.status == Application.Status.ON_NOTICE


def test_visit_in_the_future_is_refused_with_a_message(login, handler, huashe_staff, member, today):
    application = f.submitted(member, today=today)
    response = login(handler).post(
        reverse("assistance:application_visit", args=[application.pk]),
        {
            "visited_on": (today + dt.timedelta(days=3)).isoformat(),
            "staff_one": handler.pk,
            "staff_two": huashe_staff.pk,
            "findings": "x",
        },
    )
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_district_admin_approves_and_the_worker_sees_approved(login, district_admin, worker, member, today):
    application = f.district_review(member, today=today)
    response = login(district_admin).post(
        reverse("assistance:application_review", args=[application.pk]), {"decision": "pass"}
    )
    assert response.status_code == 302
    page = login(worker).get(reverse("assistance:my")).content.decode()
    assert str(Application.Status.APPROVED.label) in page


def test_unit_notice_is_seen_masked_by_members_of_that_union_only(login, make_member, member, worker, today):
    # given: the worker's application on notice at 浙江华舍纺织印染
    f.on_notice(member, today=today)
    colleague = make_member("KQ-HS-001", user=f.new_user())
    stranger = make_member("KQ-QX-001", user=f.new_user())

    # when
    seen = login(colleague.user).get(reverse("assistance:unit_notices")).content.decode()
    unseen = login(stranger.user).get(reverse("assistance:unit_notices")).content.decode()

    # then
    assert "陈*红" in seen and "陈小红" not in seen
    assert "深度困难" in seen  # the category
    assert "陈*红" not in unseen


def test_unit_notices_are_not_on_the_public_front_page(client, member, today):
    f.on_notice(member, today=today)
    assert "陈*红" not in client.get("/").content.decode()


def test_document_is_served_to_staff_audited_and_hidden_from_strangers(
    login, huashe_staff, qixian_staff, member, today
):
    application = f.draft(member, today=today)
    document = application.documents.get(kind=ApplicationDocument.Kind.AUTHORISATION)
    url = reverse("assistance:document", args=[document.pk])
    response = login(huashe_staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditLog.objects.filter(action="assistance.document_view").count() == 1
    assert login(qixian_staff).get(url).status_code == 404


def test_rules_page_saves_a_version_and_refuses_township_staff(login, district_admin, huashe_staff, today):
    url = reverse("assistance:rules")
    assert login(huashe_staff).get(url).status_code == 403
    client = login(district_admin)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "effective_from": today.isoformat(),
            "poverty_line": "1100.00",
            "relative_multiple": "1.5",
            "aggravating_causes": ["serious_illness", "disability"],
            "accident_causes": ["accident"],
            "notice_working_days": "5",
            "file_valid_months": "12",
            "review_reminder_days": "30",
        },
    )
    assert response.status_code == 302
    assert RuleSet.objects.get(effective_from=today).rules["poverty_line"] == "1100.00"
    response = client.post(
        url,
        {
            "effective_from": today.isoformat(),
            "poverty_line": "0",
            "relative_multiple": "0.5",
            "notice_working_days": "99",
            "file_valid_months": "12",
            "review_reminder_days": "30",
        },
    )
    assert response.status_code == 200
    assert RuleSet.objects.count() == 2  # the first version (DEFAULT_RULES) and today's: nothing more
