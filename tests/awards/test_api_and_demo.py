"""The API (scoped, no personal data, in the schema), the navigation, the demo data."""

import io

import pytest
from django.urls import reverse

from awards import demo
from awards.models import Nomination, Round
from union_portal.models import HolidayDay


@pytest.fixture
def api(login):
    """The session-authenticated API as ``user``, past two-factor authentication."""
    return login


def test_api_nominations_are_scoped_and_carry_no_personal_data(
    tree, api, handler, handler_qixian, make_member, nominate
):
    mine = nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler_qixian, make_member(tree["KQ-QX-001"]))
    data = api(handler).get("/api/v1/awards/nominations/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    row = data["results"][0]
    assert "id_number" not in row and "mobile" not in row and "member" not in row
    assert mine.member.mobile not in str(data) and mine.member.member_number not in str(data)


def test_api_nomination_list_queries_do_not_grow(
    tree, api, district_admin, handler, make_member, nominate, django_assert_num_queries
):
    nominate(handler, make_member(tree["KQ-HS-001"]))
    client = api(district_admin)
    client.get("/api/v1/awards/nominations/")
    # session (+ the verified OTP device), user, assignments, the page of nominations (joined); the session save (3)
    with django_assert_num_queries(7):
        client.get("/api/v1/awards/nominations/")
    nominate(handler, make_member(tree["KQ-HS-001"]))
    nominate(handler, make_member(tree["KQ-HS-001"]), "劳动模范")
    with django_assert_num_queries(7):
        client.get("/api/v1/awards/nominations/")


def test_api_rounds_for_staff_only(tree, api, handler, worker, award_round):
    assert [r["id"] for r in api(handler).get("/api/v1/awards/rounds/").json()["results"]] == [award_round.pk]
    assert api(worker).get("/api/v1/awards/rounds/").json()["results"] == []


def test_api_is_in_the_schema(tree, api, district_admin):
    schema = api(district_admin).get("/api/schema/").content.decode()
    for path in ["/api/v1/awards/rounds/", "/api/v1/awards/nominations/", "/api/v1/awards/honours/"]:
        assert path in schema


def test_home_page_offers_awards_by_role(tree, login, handler, worker, district_admin):
    assert reverse("awards:nomination_list") in login(handler).get("/").content.decode()
    assert reverse("awards:holiday_list") not in login(handler).get("/").content.decode()
    assert reverse("awards:holiday_list") in login(district_admin).get("/").content.decode()
    assert reverse("awards:round_list") not in login(worker).get("/").content.decode()


def test_demo_seeds_a_closed_round_and_one_in_progress_idempotently(tree, settings, tmp_path, client, today):
    settings.MEDIA_ROOT = tmp_path
    demo.seed(stdout=io.StringIO())
    counts = (Round.objects.count(), Nomination.objects.count(), HolidayDay.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Round.objects.count(), Nomination.objects.count(), HolidayDay.objects.count()) == counts
    closed = Round.objects.get(year=today.year - 1)
    assert closed.status == Round.Status.PUBLISHED
    assert closed.nominations.filter(status=Nomination.Status.APPROVED).count() == 7
    current = Round.objects.get(year=today.year)
    assert current.status == Round.Status.NOMINATING
    assert set(current.nominations.values_list("status", flat=True)) == {
        "passed",
        "district_review",
        "township_review",
        "returned",
        "draft",
    }
    body = client.get(f"/awards/public/honours/?year={today.year - 1}").content.decode()
    assert "王丽萍" in body and "工人先锋号" in body
    data = client.get(f"/api/v1/awards/honours/?year={today.year - 1}").json()
    assert {"year", "award_type", "name", "unit", "deeds"} == set(data[0])
