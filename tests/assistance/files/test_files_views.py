"""The hardship file pages: who may see and change what (owner staff, sibling-township stranger, worker,
anonymous), the list's filters and its constant queries, the audited full view, the review and closure forms,
the worker's own page, the statistics and the Excel exports."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from assistance.models import FileStatus
from union_portal.models import AuditLog

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_log_in(client, hardship_file):
    file = hardship_file()
    for url in (reverse("assistance:file_list"), reverse("assistance:file_detail", args=[file.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_township_staff_see_their_files_and_a_sibling_township_gets_404(
    hardship_file, login, huashe_staff, qixian_staff
):
    # given a 华舍 file
    file = hardship_file("KQ-HS-001")
    url = reverse("assistance:file_detail", args=[file.pk])
    # when / then
    assert login(huashe_staff).get(url).status_code == 200
    assert login(qixian_staff).get(url).status_code == 404
    assert login(qixian_staff).post(reverse("assistance:file_close", args=[file.pk])).status_code == 404


def test_the_handler_sees_the_file_but_may_not_close_it(hardship_file, login, handler):
    file = hardship_file("KQ-HS-001")
    client = login(handler)
    assert client.get(reverse("assistance:file_detail", args=[file.pk])).status_code == 200
    assert client.get(reverse("assistance:file_close", args=[file.pk])).status_code == 403


def test_the_worker_gets_no_staff_page_of_their_own_file(hardship_file, login, worker):
    from members.models import Member

    file = hardship_file(member=Member.objects.get(user=worker))
    assert login(worker).get(reverse("assistance:file_detail", args=[file.pk])).status_code == 403
    assert login(worker).get(reverse("assistance:file_list")).status_code == 403


def test_the_list_shows_only_the_subtree_and_filters_by_category_and_attention(hardship_file, login, huashe_staff):
    # given two 华舍 files (one flagged) and a 齐贤 one
    deep = hardship_file("KQ-HS-001", category="deep")
    flagged = hardship_file("KQ-HS-001", category="relative", attention="left")
    other = hardship_file("KQ-QX-001")
    client = login(huashe_staff)
    # when
    every = client.get(reverse("assistance:file_list")).context["page"]
    relative = client.get(reverse("assistance:file_list") + "?category=relative").context["page"]
    attention = client.get(reverse("assistance:file_list") + "?attention=1").context["page"]
    # then
    assert {f.pk for f in every} == {deep.pk, flagged.pk}
    assert other.pk not in {f.pk for f in every}
    assert [f.pk for f in relative] == [flagged.pk]
    assert [f.pk for f in attention] == [flagged.pk]


def test_the_list_filters_files_due_for_review(hardship_file, login, huashe_staff, today):
    due = hardship_file(valid_until=today + dt.timedelta(days=29))
    hardship_file(valid_until=today + dt.timedelta(days=90))
    page = login(huashe_staff).get(reverse("assistance:file_list") + "?due=1").context["page"]
    assert [f.pk for f in page] == [due.pk]


def test_the_list_keeps_its_queries_constant(hardship_file, login, district_admin, django_assert_num_queries):
    for _ in range(2):
        hardship_file()
    client = login(district_admin)
    url = reverse("assistance:file_list")
    client.get(url)  # warm the session
    # session, user, the verified OTP device (assignments come from the per-user cache); the page of files (one
    # query, member and union joined); the townships of the filter; the session save (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(4):
        hardship_file("KQ-QX-001")
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"]) == 6


def test_health_details_are_hidden_until_revealed_and_the_reveal_is_audited(hardship_file, login, huashe_staff):
    # given
    file = hardship_file()
    client = login(huashe_staff)
    # when
    page = client.get(reverse("assistance:file_detail", args=[file.pk])).content.decode()
    revealed = client.post(reverse("assistance:file_reveal", args=[file.pk]))
    # then
    assert "尿毒症" not in page
    assert "尿毒症" in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store, private"
    assert AuditLog.objects.filter(action="assistance.file_reveal", actor=huashe_staff).count() == 1


def test_review_form_proposes_then_records(hardship_file, login, huashe_staff, today):
    file = hardship_file(valid_until=today + dt.timedelta(days=10))
    client = login(huashe_staff)
    url = reverse("assistance:file_review", args=[file.pk])
    data = {"income_12m": "30000", "spending_12m": "0", "household_size": "3", "outcome": "kept", "note": ""}
    proposed = client.post(url, {**data, "outcome": "", "propose": "1"})
    assert proposed.status_code == 200 and proposed.context["proposal"].category == "deep"
    saved = client.post(url, {**data, "save": "1"})
    assert saved.status_code == 302
    file.refresh_from_db()
    assert file.last_reviewed_on == today and file.valid_until > today + dt.timedelta(days=300)


def test_review_form_refuses_negative_income_with_a_message(hardship_file, login, huashe_staff):
    file = hardship_file()
    response = login(huashe_staff).post(
        reverse("assistance:file_review", args=[file.pk]),
        {"income_12m": "-5", "spending_12m": "0", "household_size": "3", "outcome": "kept", "save": "1"},
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_close_form_refuses_a_future_date_and_closes_with_a_past_one(hardship_file, login, huashe_staff, today):
    file = hardship_file()
    client = login(huashe_staff)
    url = reverse("assistance:file_close", args=[file.pk])
    future = client.post(url, {"reason": "retired", "closed_on": (today + dt.timedelta(days=2)).isoformat()})
    assert future.status_code == 200 and future.context["form"].errors
    done = client.post(url, {"reason": "retired", "closed_on": today.isoformat()})
    assert done.status_code == 302
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED


def test_my_file_shows_category_and_validity_to_the_worker_only(hardship_file, login, worker, today):
    from members.models import Member

    # given
    file = hardship_file(member=Member.objects.get(user=worker), valid_until=today + dt.timedelta(days=100))
    # when
    response = login(worker).get(reverse("assistance:my_file"))
    # then
    assert response.context["file"] == file
    assert response.context["review_from"] == file.valid_until - dt.timedelta(days=30)
    assert "尿毒症" not in response.content.decode()


def test_my_file_without_a_file_says_so(login, worker):
    response = login(worker).get(reverse("assistance:my_file"))
    assert response.status_code == 200 and response.context["file"] is None


def test_export_masks_id_numbers_and_full_export_is_audited(hardship_file, login, huashe_staff):
    # given
    file = hardship_file()
    client = login(huashe_staff)
    # when
    masked = openpyxl.load_workbook(io.BytesIO(client.get(reverse("assistance:file_export")).content))
    full = openpyxl.load_workbook(io.BytesIO(client.get(reverse("assistance:file_export") + "?full=1").content))
    # then
    masked_id = masked.active.cell(row=2, column=3).value
    assert masked_id != file.member.id_number and "*" in masked_id
    assert full.active.cell(row=2, column=3).value == file.member.id_number
    assert full.active.cell(row=2, column=3).number_format == "@"
    assert AuditLog.objects.filter(action="assistance.file_export", actor=huashe_staff).count() == 1


def test_statistics_count_the_subtree_by_township_and_category(
    hardship_file, login, huashe_staff, district_admin, today
):
    from assistance.services.files import file_close

    # given two open 华舍 files, one 齐贤 file, one 华舍 file closed this year
    hardship_file("KQ-HS-001", category="deep")
    hardship_file("KQ-HS-001", category="relative")
    hardship_file("KQ-QX-001", category="deep")
    closed = hardship_file("KQ-HS-001", category="deep")
    file_close(by=huashe_staff, file=closed, reason="recovered", closed_on=today, today=today)
    # when
    mine = login(huashe_staff).get(reverse("assistance:file_statistics")).context
    district = login(district_admin).get(reverse("assistance:file_statistics")).context
    # then
    assert mine["stats"]["open_total"] == 2 and mine["stats"]["closed"] == 1
    assert len(mine["rows"]) == 1 and mine["rows"][0]["counts"][:2] == [1, 1]
    assert district["stats"]["open_total"] == 3 and len(district["rows"]) == 2
    assert district["stats"]["bands"]["under_line"] == 3  # 30,000 ÷ 3 ÷ 12 = 833.33 < 1,062


def test_statistics_are_refused_to_a_handler(login, handler):
    assert login(handler).get(reverse("assistance:file_statistics")).status_code == 403


def test_statistics_export_is_a_typed_workbook(hardship_file, login, district_admin):
    hardship_file()
    response = login(district_admin).get(reverse("assistance:file_statistics_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet.cell(row=2, column=2).value, int)
