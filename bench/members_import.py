"""Benchmark helpers: an N-row valid member .xlsx built in memory, synthetic members in bulk, and timed
list/search reads. Used by ``manage.py bench_members_import`` (and reusable by the benchmark suite)."""

import datetime as dt
import io
import time
from collections.abc import Iterator

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from members.imports import COLUMNS
from members.models import Member
from union_portal import identity, tree
from union_portal.models import OrgUnit

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
DAY0 = dt.date(1960, 1, 1)


def person(i: int, region: str) -> tuple[str, str, str]:
    """The i-th synthetic person of a region: (name, valid ID number, mobile); unique per (i, region)."""
    birth = DAY0 + dt.timedelta(days=i // 1000)
    id_number = identity.make_id_number(region, birth, i % 1000)
    name = SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
    mobile = f"1{3 + i % 7}{i % 1_000_000_000:09d}"
    return name, id_number, mobile


def build_xlsx(rows: int, *, region: str = "330603", offset: int = 0) -> bytes:
    """A valid import file of ``rows`` members (template header), built in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员")
    sheet.append(COLUMNS)
    for i in range(offset, offset + rows):
        name, id_number, mobile = person(i, region)
        sheet.append([name, id_number, mobile, "2024-03-01", "挡车工", "是", "否" if i % 3 else "是", "否", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _synthetic(i: int, org: OrgUnit, number: str) -> Member:
    name, id_number, mobile = person(i, "330681")
    return Member(
        member_number=number,
        name=name,
        id_number=id_number,
        id_number_hash=identity.id_number_hash(id_number),
        sex=identity.sex_of(id_number),
        birth_date=identity.birth_date_of(id_number),
        mobile=mobile,
        mobile_hash=identity.mobile_hash(mobile),
        org=org,
        job="挡车工",
        is_frontline=i % 3 != 0,
        is_migrant=i % 2 == 0,
        is_hardship=i % 40 == 0,
        joined_on=dt.date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
    )


def bench_unions(per_township: int = 25) -> list[OrgUnit]:
    """Grassroots unions BENCH-<township>-NNN under every township (created once)."""
    unions = []
    for township in OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP).order_by("code"):
        for n in range(1, per_township + 1):
            code = f"BENCH-{township.code}-{n:03d}"
            node = OrgUnit.objects.filter(code=code).first()
            if node is None:
                township.refresh_from_db()
                node = OrgUnit.objects.add_child(
                    township, {"code": code, "name": f"{township.name}基准工会{n}", "kind": "grassroots"}
                )
            unions.append(node)
    return unions


def ensure_synthetic_members(total: int, *, batch: int = 5000, log=print) -> int:
    """Bulk-create synthetic members (numbers BM0000000001...) across the bench unions until ``total``
    exist. No events are written (they are not read by the list or search). Returns how many were added."""
    existing = Member.objects.filter(member_number__startswith="BM").count()
    if existing >= total:
        return 0
    unions = bench_unions()
    added = 0
    started = time.perf_counter()
    for start in range(existing, total, batch):
        end = min(start + batch, total)
        members = [_synthetic(i, unions[i % len(unions)], f"BM{i + 1:010d}") for i in range(start, end)]
        with transaction.atomic():
            Member.objects.bulk_create(members, batch_size=batch)
        added += len(members)
        if added % 50_000 < batch:
            log(f"  synthetic members: {start + len(members)} / {total} ({time.perf_counter() - started:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE members_member")
    return added


def timed(fn) -> tuple[float, int, object]:
    """(seconds, queries, result) of fn()."""
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, len(ctx.captured_queries), result


def read_scenarios(user, township: OrgUnit) -> Iterator[tuple[str, float, int, int]]:
    """Timed list and search reads as ``user`` (staff of ``township``) sees them: (label, seconds, queries,
    rows). The searched person is a synthetic member of that township."""
    from members.selectors import MemberFilters, member_list

    sample = (
        Member.objects.filter(tree.subtree_q(township, field="org"), member_number__startswith="BM")
        .order_by("member_number")[1234:1235]
        .first()
    )
    scenarios = [("first page, whole scope, by member number", MemberFilters())]
    scenarios.append(("first page, newest joined first", MemberFilters(sort="-joined")))
    scenarios.append(
        ("first page, frontline migrants with hardship", MemberFilters(frontline=True, migrant=True, hardship=True))
    )
    if sample is not None:
        scenarios += [
            ("search: full ID number (HMAC)", MemberFilters(q=sample.id_number)),
            ("search: mobile (HMAC)", MemberFilters(q=sample.mobile)),
            ("search: member number", MemberFilters(q=sample.member_number)),
            ("search: name prefix (2 chars)", MemberFilters(q=sample.name[:2])),
            ("search: full name (3 chars, trigram)", MemberFilters(q=sample.name)),
        ]
    for label, filters in scenarios:
        seconds, queries, rows = timed(lambda f=filters: list(member_list(user=user, filters=f)[:51]))
        yield label, seconds, queries, len(rows)
