"""Cost does not grow with the data (issue 18): each staff page below reads about as many rows and buffers
with 100,000 members as with 10,000.

The data is the benchmark's own (bench.generate: the demo tree, then grassroots unions, firms, members, their
events, claims, competitions and awards, COPY based), generated twice in one test: 10,000 members (rolled
back), then 100,000, in the same 200 synthetic unions, so that every township's and union's subtree grows
tenfold. Each page is opened through the test client as the demo user who would open it; every SELECT it ran
is then EXPLAINed with ANALYZE and BUFFERS (tests.plans.explain).

The bound: size 2 ≤ 2 × size 1 + a constant (rows + 300, buffers + 150). A page whose work grows with the
data reads about 10× more at size 2 and fails it; a bounded page may still read a few more rows and buffers:
B-trees one level deeper (one buffer more per descent, up to ~50 descents for a page of members) and the
planner's other choices on larger statistics. Timing is the benchmark's business (manage.py bench)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from bench import generate
from members.models import Member
from tests.conftest import verify_two_factor
from union_portal import tree as tree_mod
from union_portal.models import OrgUnit

from .explain import PageCost, page_cost

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SIZES = (10_000, 100_000)
UNIONS = 200
FACTOR, ROWS_SLACK, BUFFERS_SLACK = 2, 300, 150


def _sample_member(township: OrgUnit) -> Member:
    """A fixed, ordinary active member of a synthetic union of the township: the one in the middle."""
    qs = Member.objects.filter(tree_mod.subtree_q(township, field="org"), status=Member.Status.ACTIVE).exclude(
        member_number__startswith="KQ2"
    )
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    return Member.objects.get(pk=ids[len(ids) // 2])


def _largest_union(township: OrgUnit) -> OrgUnit:
    counts = {}
    for org_id in Member.objects.filter(tree_mod.subtree_q(township, field="org")).values_list("org_id", flat=True):
        counts[org_id] = counts.get(org_id, 0) + 1
    return OrgUnit.objects.get(pk=max(counts, key=counts.get))


def _pages() -> dict[str, PageCost]:
    """Every measured page at the data now in the database: {name: cost}."""
    from dashboard.figures import refresh_figures

    refresh_figures()  # the dashboard reads its summary table, kept by the refresh task
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    township = OrgUnit.objects.get(code="KQ-HS")
    member = _sample_member(township)
    union = _largest_union(township)
    clients: dict = {}

    def as_user(username):
        if username not in clients:
            user = get_user_model().objects.get(username=username)
            clients[username] = Client()
            clients[username].force_login(user)
            verify_two_factor(clients[username], user)
        return clients[username]

    members = reverse("members:member_list")
    pages = {
        "member list: township first page": (as_user("huashe_staff"), members, None),
        "member list: district first page": (as_user("district_admin"), members, None),
        "member list: a grassroots union's page": (as_user("huashe_staff"), members, {"unit": union.code}),
        "search: by name": (as_user("huashe_staff"), members, {"q": member.name}),
        "search: by ID number": (as_user("huashe_staff"), members, {"q": member.id_number}),
        "search: by phone": (as_user("huashe_staff"), members, {"q": member.mobile}),
        "search: by member number": (as_user("huashe_staff"), members, {"q": member.member_number}),
        "member detail": (as_user("huashe_staff"), reverse("members:member_detail", args=[member.pk]), None),
        "reviewers' claim queue": (as_user("reviewer1"), reverse("mutual_aid:queue"), None),
        "dashboard": (as_user("district_admin"), reverse("dashboard:home"), None),
    }
    return {name: page_cost(client, url, params) for name, (client, url, params) in pages.items()}


def _generate(members: int) -> None:
    generate.generate(members=members, unions=UNIONS, seed=2026, stdout=_Quiet())


class _Quiet(io.StringIO):
    def write(self, s, ending=None):  # the management command's OutputWrapper signature
        return super().write(s)


def test_staff_pages_read_about_as_much_with_ten_times_the_members(tree):
    # given the benchmark's data at size 1, measured and rolled back
    with transaction.atomic():
        _generate(SIZES[0])
        small = _pages()
        transaction.set_rollback(True)
    # when the same data is generated at size 2
    _generate(SIZES[1])
    large = _pages()

    # then no page reads in proportion to the data
    report = "\n".join(f"{name}:\n  size 1: {small[name]}\n  size 2: {large[name]}" for name in small)
    grew = [
        name
        for name in small
        if large[name].rows > FACTOR * small[name].rows + ROWS_SLACK
        or large[name].buffers > FACTOR * small[name].buffers + BUFFERS_SLACK
    ]
    print(report)
    assert not grew, f"grew with the data: {grew}\n{report}"
