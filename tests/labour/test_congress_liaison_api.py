"""The read-only API of congress sessions and liaison assignments: scoped like the pages, in the schema, and
its queries do not grow with rows; the demo seeds both townships."""

import datetime as dt
import io

import pytest

from labour.models import CongressSession, LiaisonAssignment, LiaisonIssue
from labour.services.congress import ResolutionInput, congress_session_record
from labour.services.liaison import assignment_create
from members.models import Enterprise

pytestmark = pytest.mark.django_db


def _session(by, firm, today, days):
    return congress_session_record(
        by=by,
        enterprise=firm,
        held_on=today - dt.timedelta(days=days),
        delegates=30,
        present=24,
        agenda="审议",
        resolutions=[ResolutionInput(title="甲", votes_for=20), ResolutionInput(title="乙", votes_for=10)],
        today=today,
    )


def test_api_sessions_are_scoped_and_carry_the_votes(tree, login, handler, handler_qixian, huashe_staff, today):
    mine = _session(handler, Enterprise.objects.get(union=tree["KQ-HS-001"]), today, 3)
    theirs = _session(handler_qixian, Enterprise.objects.get(union=tree["KQ-QX-001"]), today, 3)
    client = login(huashe_staff)
    data = client.get("/api/v1/labour/congress-sessions/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert [(r["title"], r["passed"]) for r in data["results"][0]["resolutions"]] == [("甲", True), ("乙", False)]
    assert client.get(f"/api/v1/labour/congress-sessions/{theirs.pk}/").status_code == 404


def test_api_session_list_queries_do_not_grow(tree, login, handler, district_admin, today, django_assert_num_queries):
    firm = Enterprise.objects.get(union=tree["KQ-HS-001"])
    _session(handler, firm, today, 3)
    client = login(district_admin)
    client.get("/api/v1/labour/congress-sessions/")
    # session (+ OTP device), user, the page of sessions (firm and union joined), their resolutions (one
    # prefetch); the idle-timeout session save (savepoint, update, release)
    with django_assert_num_queries(8):
        client.get("/api/v1/labour/congress-sessions/")
    _session(handler, firm, today, 30)
    _session(handler, firm, today, 60)
    with django_assert_num_queries(8):
        client.get("/api/v1/labour/congress-sessions/")


def test_api_assignments_are_scoped_and_do_not_grow(
    tree, login, district_admin, huashe_staff, qixian_staff, worker, today, django_assert_num_queries
):
    firms = [Enterprise.objects.get(union__code=code) for code in ("KQ-HS-001", "KQ-HS-002", "KQ-HS-003")]
    assignment_create(by=district_admin, cadre=huashe_staff, enterprise=firms[0], today=today)
    client = login(huashe_staff)
    client.get("/api/v1/labour/liaison-assignments/?mine=1")
    # session (+ OTP device), user, the page of assignments (aggregated, cadre and township joined); session save
    with django_assert_num_queries(7):
        rows = client.get("/api/v1/labour/liaison-assignments/?mine=1").json()["results"]
    assert [r["enterprise"] for r in rows] == [firms[0].name]
    for firm in firms[1:]:
        assignment_create(by=district_admin, cadre=huashe_staff, enterprise=firm, today=today)
    with django_assert_num_queries(7):
        client.get("/api/v1/labour/liaison-assignments/?mine=1")
    assert login(qixian_staff).get("/api/v1/labour/liaison-assignments/").json()["results"] == []
    assert login(worker).get("/api/v1/labour/liaison-assignments/").json()["results"] == []


def test_the_demo_seeds_sessions_items_and_liaison_in_both_townships(tree, today):
    from labour import demo_congress

    demo_congress.seed(stdout=io.StringIO())
    demo_congress.seed(stdout=io.StringIO())  # a second run adds nothing
    townships = {"KQ-HS", "KQ-QX"}
    assert {s.enterprise.township.code for s in CongressSession.objects.all()} == townships
    assert townships <= {a.org.code for a in LiaisonAssignment.objects.all()}
    assert townships <= {i.visit.assignment.org.code for i in LiaisonIssue.objects.all()}
    assert CongressSession.objects.filter(held_on__year=today.year).count() == 2
    held = set(CongressSession.objects.values_list("enterprise__union__code", flat=True))
    assert "KQ-QX-002" not in held  # a unionised firm without a congress
    assert set(LiaisonAssignment.objects.values_list("cadre__username", flat=True)) == {
        "district_admin",
        "huashe_staff",
        "qixian_staff",
    }
