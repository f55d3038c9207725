"""Every funds list page costs the same number of queries for N and N+k rows (no N+1).

A logged-in page costs 4 queries before the view (session, user, the verified OTP device, the user's role
assignments) and 3 after it (the idle-timeout session save: savepoint, update, release); the comments give the view's own queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.services import collection_record, dues_record, payroll_declare, ratio_set_create
from members.models import Enterprise
from union_portal.models import OrgUnit

from .conftest import YEAR

BASE = 6  # session, user, OTP device; session save (savepoint, update, release); assignments: per-user cache

# page name -> the view's own queries
PAGES = {
    "overview": 1 + 5,  # home node; funds_totals: due, collections, reserve held, allocation, dues
    "enterprise_list": 1,  # the page of enterprises (township and union joined)
    "declaration_list": 1,  # the page of declarations (enterprise and township joined)
    "collection_list": 1,  # the page of collections (enterprise, township, union joined)
    "reserve_list": 2,  # the page of enterprises with their reserve; the recent hand-overs
    "ratio_list": 1,  # the ratio sets (district and author joined)
    "account_list": 1,  # the page of accounts with their balances (subquery)
    "report_collected": 4,  # by township: declarations, collections, the townships; the page of enterprises
    "report_allocation": 1,  # one grouped query over the journal lines
    "dues": 3,  # the first union; the page of members with "paid" (EXISTS); the union picker
    "arrears": 1,  # the page of members with unpaid months (subquery)
}


def _month(i: int) -> dt.date:
    return dt.date(YEAR - 2 + i // 12, i % 12 + 1, 1)


@pytest.fixture
def grow(tree, finance, district_admin, make_member):
    """grow(start, k): k more rows on every page (collections, declarations, reserves, accounts, ratio sets,
    members in arrears, dues)."""
    firms = list(Enterprise.objects.order_by("pk"))

    def _grow(start: int, k: int):
        for i in range(start, start + k):
            month = _month(i)
            for firm in firms[:4]:
                payroll_declare(by=finance, enterprise=firm, period=month, total_payroll=Decimal("1000.00") + i)
                collection_record(
                    by=finance, enterprise=firm, period=month, amount=Decimal("20.00") + i, collected_on=month
                )
            # a new unionless firm with a reserve, and a new union (a new funds account)
            firm = Enterprise.objects.create(name=f"测试企业{i}", uscc=f"9133TEST{i:010d}", township=tree["KQ-HS"])
            collection_record(by=finance, enterprise=firm, period=month, amount=Decimal("5.00"), collected_on=month)
            union = OrgUnit.objects.add_child(
                tree["KQ-QX"], {"code": f"KQ-QX-T{i:03d}", "name": f"测试工会{i}", "kind": "grassroots"}
            )
            other = Enterprise.objects.create(
                name=f"有工会企业{i}", uscc=f"9133UNIO{i:010d}", township=tree["KQ-QX"], union=union
            )
            collection_record(by=finance, enterprise=other, period=month, amount=Decimal("7.00"), collected_on=month)
            ratio_set_create(
                by=district_admin,
                district=tree["SX-KQ"],
                effective_from=month,
                grassroots_pct=Decimal("60"),
                district_pct=Decimal("20"),
                city_pct=Decimal("10"),
                province_pct=Decimal("5"),
                national_pct=Decimal("5"),
            )
            member = make_member("KQ-HS-001", monthly_wage="3000")
            dues_record(by=finance, members=[member], period=_month(i))
            make_member("KQ-HS-001", monthly_wage="4000")

    return _grow


@pytest.mark.parametrize("page", list(PAGES))
def test_funds_list_pages_do_not_grow_with_rows(tree, login, finance, grow, page, django_assert_num_queries):
    client = login(finance)
    url = reverse(f"funds:{page}")
    params = {"period_from": f"{YEAR - 2}-01", "period_to": f"{YEAR}-12"}
    grow(0, 2)
    client.get(url, params)  # warm the session

    with django_assert_num_queries(BASE + PAGES[page]):
        assert client.get(url, params).status_code == 200
    grow(2, 5)
    with django_assert_num_queries(BASE + PAGES[page]):
        assert client.get(url, params).status_code == 200


def test_account_lines_page_does_not_grow_with_rows(tree, login, finance, grow, django_assert_num_queries):
    from funds.models import LedgerAccount

    client = login(finance)
    grow(0, 2)
    account = LedgerAccount.objects.get(kind="collection")
    url = reverse("funds:account_detail", args=[account.pk])
    client.get(url)
    # the account (scoped); its balance; the page of lines (entry and enterprise joined)
    with django_assert_num_queries(BASE + 3):
        client.get(url)
    grow(2, 5)
    with django_assert_num_queries(BASE + 3):
        client.get(url)
