"""The benchmark's operations, one small registered function each (run in this order).

Pages are measured through the Django test client against URL names, as the user who would open them, and
compared with the bare anchor view rendered for the same user. A page whose URL name does not exist yet, or
an app whose ``bench`` module is missing, gives a "not available" row, never a made-up number.

Hooks the domain apps provide (each optional; see README "Performance"):

- ``members.bench.excel_import_workload(*, people: list[dict], org: OrgUnit, by: User) -> Callable[[], int]``:
  build (untimed) an .xlsx in the members import template holding ``people`` for ``org`` and return a
  callable that imports it through the real import (read, validate, write every row) and returns the number
  of members created. Each call runs inside a transaction the benchmark rolls back, so it can run again.
  ``people`` dicts: name, id_number, sex, birth_date, mobile, job, is_frontline, is_migrant, is_hardship,
  joined_on, bank_name, bank_account, monthly_wage.
- ``mutual_aid.bench.auto_review_throughput(*, seconds: float, stdout) -> tuple[int, float]``: let one Celery
  worker against Redis review claims automatically for about ``seconds``; return (claims reviewed, seconds).
- ``union_portal.bench_dashboard``: ``URL_NAME`` (the dashboard page), optionally ``USERNAME`` (default
  ``district_admin``) and ``raw_sql() -> None`` (runs the raw SQL aggregate the dashboard summarises).
"""

import os
import random
from collections.abc import Callable

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members.idnumbers import id_number_hash, mobile_hash
from members.models import Member, OrgUnit

from . import synthetic
from .runner import Bench, Result, operation, optional_module
from .urls import BARE_URL_NAME
from .writer import insert_rows, next_ids

TOWNSHIP_USER = "huashe_staff"  # township staff of 华舍街道 (KQ-HS)
TOWNSHIP_CODE = "KQ-HS"
DISTRICT_USER = "district_admin"
HANDLER_USER = "handler"  # handler of KQ-HS-001
HANDLER_ORG = "KQ-HS-001"
REVIEWER_USER = "reviewer1"
ANCHOR = "bare view"
PAGE_GOAL = 3.0  # member search and list vs the bare view (issue 9)
IMPORT_ROWS = 50_000


def resolve(url_name: str, *arg_options: tuple) -> str | None:
    """The URL for the first argument tuple that ``url_name`` accepts, or None when it does not exist."""
    for args in arg_options or ((),):
        try:
            return reverse(url_name, args=args)
        except NoReverseMatch:
            continue
    return None


def bare_anchor(bench: Bench, username: str):
    client = bench.client(username)
    url = reverse(BARE_URL_NAME)
    return bench.anchor(f"bare:{username}", lambda: client.get(url))


def measure_page(
    bench: Bench,
    *,
    name: str,
    url_names: tuple[str, ...],
    username: str,
    args: tuple[tuple, ...] = ((),),
    params: dict | None = None,
    goal: float | None = None,
) -> Result:
    url = next((u for u in (resolve(n, *args) for n in url_names) if u), None)
    goal_text = f"≤ {goal:g}×" if goal is not None else None
    if url is None:
        return Result.not_available(name, f"no URL named {' or '.join(url_names)} yet", goal=goal_text)
    client = bench.client(username)

    def get():
        return client.get(url, params or {})

    response = get()
    if response.status_code != 200:
        return Result.error(name, f"GET {url} answered {response.status_code}", goal=goal_text)
    queries = bench.count_queries(get)
    timing = bench.time(get)
    result = Result(
        name=name,
        median_ms=round(timing.median_ms, 2),
        p95_ms=round(timing.p95_ms, 2),
        queries=queries,
        runs=len(timing.samples_ms),
        note=f"GET {url}" + (f"?{'&'.join(f'{k}=…' for k in params)}" if params else "") + f" as {username}",
    )
    return result.compare(ANCHOR, bare_anchor(bench, username), max_ratio=goal)


def _township() -> OrgUnit:
    return OrgUnit.objects.get(code=TOWNSHIP_CODE)


def _sample_member(township: OrgUnit) -> Member:
    """A fixed, ordinary active member of the township (the one in the middle of its id range)."""
    qs = Member.objects.filter(org__path__startswith=township.path, status=Member.Status.ACTIVE)
    ids = qs.order_by("pk").values_list("pk", flat=True)
    count = qs.count()
    return Member.objects.get(pk=ids[count // 2])


@operation("bare view (anchor)")
def bare_view(bench: Bench) -> Result:
    client = bench.client(TOWNSHIP_USER)
    url = reverse(BARE_URL_NAME)
    queries = bench.count_queries(lambda: client.get(url))
    timing = bare_anchor(bench, TOWNSHIP_USER)
    return Result(
        name="bare view (anchor)",
        median_ms=round(timing.median_ms, 2),
        p95_ms=round(timing.p95_ms, 2),
        queries=queries,
        runs=len(timing.samples_ms),
        note=f"base.html for {TOWNSHIP_USER}",
    )


@operation("member list: township first page")
def member_list(bench: Bench) -> Result:
    return measure_page(
        bench,
        name="member list: township first page",
        url_names=("members:member_list",),
        username=TOWNSHIP_USER,
        args=((), (_township().pk,)),
        goal=PAGE_GOAL,
    )


@operation("member search")
def member_search(bench: Bench) -> list[Result]:
    township = _township()
    member = _sample_member(township)
    common = dict(url_names=("members:member_list",), username=TOWNSHIP_USER, args=((), (township.pk,)))
    return [
        measure_page(bench, name="member search: by name", params={"q": member.name}, goal=PAGE_GOAL, **common),
        measure_page(
            bench, name="member search: by ID number", params={"q": member.id_number}, goal=PAGE_GOAL, **common
        ),
    ]


@operation("member detail")
def member_detail(bench: Bench) -> Result:
    member = _sample_member(_township())
    return measure_page(
        bench,
        name="member detail",
        url_names=("members:member_detail",),
        username=TOWNSHIP_USER,
        args=((member.pk,),),
    )


@operation("org tree list")
def org_tree(bench: Bench) -> list[Result]:
    return [
        measure_page(bench, name="org tree list: district", url_names=("members:org_list",), username=DISTRICT_USER),
        measure_page(bench, name="org tree list: township", url_names=("members:org_list",), username=TOWNSHIP_USER),
    ]


@operation("reviewers' claim queue")
def claim_queue(bench: Bench) -> Result:
    return measure_page(
        bench,
        name="reviewers' claim queue",
        url_names=("mutual_aid:review_queue", "mutual_aid:claim_queue", "mutual_aid:review_list"),
        username=REVIEWER_USER,
    )


@operation("dashboard vs raw SQL")
def dashboard(bench: Bench) -> Result:
    name = "dashboard vs raw SQL"
    module = optional_module("union_portal.bench_dashboard")
    if module is None or not hasattr(module, "raw_sql") or not hasattr(module, "URL_NAME"):
        return Result.not_available(name, "union_portal.bench_dashboard (URL_NAME, raw_sql) not there yet", goal="≤ 1×")
    result = measure_page(bench, name=name, url_names=(module.URL_NAME,), username=getattr(module, "USERNAME", DISTRICT_USER))  # fmt: skip
    if result.status != "ok":
        return result
    queries = bench.count_queries(module.raw_sql)
    timing = bench.time(module.raw_sql)
    result.note += f"; raw SQL: {queries} queries"
    return result.compare("raw SQL aggregate", timing, max_ratio=1.0)


def make_people(n: int, *, seed: int = 50_000) -> list[dict]:
    """``n`` new people with valid ID numbers no member of the database has (checked by hash)."""
    rng = random.Random(seed)
    ids = synthetic.IdNumbers(rng)
    today = timezone.localdate()
    people: list[dict] = []
    while len(people) < n:
        batch = []
        for _ in range(min(5000, n - len(people))):
            sex = "F" if rng.random() < 0.48 else "M"
            migrant = rng.random() < 0.45
            birth = synthetic.birth_date(rng, today=today)
            region = synthetic.REGION_MIGRANT(rng) if migrant else synthetic.REGION_LOCAL(rng)
            frontline = rng.random() < (0.85 if migrant else 0.58)
            bank_name, account = synthetic.bank_card(rng)
            batch.append(
                {
                    "name": synthetic.chinese_name(rng, sex),
                    "id_number": ids.make(region=region, birth=birth, sex=sex),
                    "sex": sex,
                    "birth_date": birth,
                    "mobile": synthetic.mobile(rng),
                    "job": synthetic.JOB_FRONTLINE(rng) if frontline else synthetic.JOB_OFFICE(rng),
                    "is_frontline": frontline,
                    "is_migrant": migrant,
                    "is_hardship": False,
                    "joined_on": today,
                    "bank_name": bank_name,
                    "bank_account": account,
                    "monthly_wage": synthetic.monthly_wage(rng, office=not frontline),
                }
            )
        hashes = {id_number_hash(p["id_number"]): p for p in batch}
        taken = set(Member.objects.filter(id_number_hash__in=list(hashes)).values_list("id_number_hash", flat=True))
        people.extend(p for h, p in hashes.items() if h not in taken)
    return people


def member_rows(people: list[dict], *, org: OrgUnit) -> list[dict]:
    """The Member rows of ``people`` in ``org``, as stored (encrypted, hashed): the COPY anchor's input."""
    from union_portal.crypto import encrypt

    rows = []
    for member_id, p in zip(next_ids(Member, len(people)), people, strict=True):
        rows.append(
            {
                "id": member_id,
                "member_number": f"KQI{member_id:08d}",
                **{k: v for k, v in p.items() if k not in ("id_number", "mobile", "bank_account")},
                "id_number": encrypt(p["id_number"]),
                "id_number_hash": id_number_hash(p["id_number"]),
                "mobile": encrypt(p["mobile"]),
                "mobile_hash": mobile_hash(p["mobile"]),
                "bank_account": encrypt(p["bank_account"]),
                "org_id": org.pk,
            }
        )
    return rows


def rolled_back(fn: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)

    return run


@operation("Excel import vs COPY")
def excel_import(bench: Bench) -> Result:
    name = f"Excel import of {IMPORT_ROWS:,} members vs COPY"
    module = optional_module("members.bench")
    workload = getattr(module, "excel_import_workload", None) if module else None
    if workload is None:
        return Result.not_available(name, "members.bench.excel_import_workload not there yet", goal="≤ 10×")
    from django.contrib.auth import get_user_model

    org = OrgUnit.objects.get(code=HANDLER_ORG)
    by = get_user_model().objects.get(username=HANDLER_USER)
    bench.log(f"    preparing {IMPORT_ROWS:,} people and the .xlsx (untimed) ...")
    people = make_people(IMPORT_ROWS)
    do_import = workload(people=people, org=org, by=by)
    rows = member_rows(people, org=org)

    def import_once():
        created = do_import()
        if created != len(people):
            raise RuntimeError(f"the import created {created} members, expected {len(people)}")

    timing = bench.time(rolled_back(import_once), runs=bench.heavy_runs, warmup=0)
    copy_timing = bench.time(rolled_back(lambda: insert_rows(Member, rows, prepared=True)), runs=bench.heavy_runs, warmup=0)  # fmt: skip
    result = Result(
        name=name,
        median_ms=round(timing.median_ms, 1),
        p95_ms=round(timing.p95_ms, 1),
        runs=len(timing.samples_ms),
        note=f"into {HANDLER_ORG} as {HANDLER_USER}; COPY of the same rows already encrypted; each run rolled back",
    )
    return result.compare("PostgreSQL COPY", copy_timing, max_ratio=10.0)


@operation("automatic claim review throughput")
def claim_review(bench: Bench) -> Result:
    name = "automatic claim review (1 Celery worker, Redis)"
    module = optional_module("mutual_aid.bench")
    fn = getattr(module, "auto_review_throughput", None) if module else None
    if fn is None:
        return Result.not_available(name, "mutual_aid.bench.auto_review_throughput not there yet", goal="≥ 200/s")
    count, seconds = fn(seconds=bench.seconds, stdout=bench.stdout)
    per_s = round(count / seconds, 1) if seconds else 0.0
    return Result(
        name=name,
        per_s=per_s,
        goal="≥ 200/s",
        met=per_s >= 200,
        runs=1,
        note=f"{count:,} claims in {seconds:.1f}s",
    )


@operation("HTTP throughput under gunicorn")
def http_throughput(bench: Bench, *, clients: int = 4, workers: int = 4) -> Result:
    from . import http
    from .sessions import session_cookie

    page = resolve("members:member_list", (), (_township().pk,))
    page_name = "member list"
    if page is None:
        page, page_name = reverse("members:org_list"), "org tree list"
    name = f"HTTP throughput: {page_name}"
    cookies = [session_cookie(TOWNSHIP_USER, cleanups=bench.cleanups) for _ in range(clients)]
    with http.gunicorn(workers=workers) as port:
        page_load = http.load(port=port, path=page, cookies=cookies, seconds=bench.seconds)
        anchor_load = http.load(port=port, path=reverse(BARE_URL_NAME), cookies=cookies, seconds=bench.seconds)
    if page_load.requests == 0:
        return Result.error(name, f"no successful request: answers by status {page_load.statuses}")
    latencies = sorted(page_load.latencies_ms)
    return Result(
        name=name,
        per_s=round(page_load.per_s, 1),
        anchor="bare view",
        anchor_per_s=round(anchor_load.per_s, 1),
        ratio=round(page_load.per_s / anchor_load.per_s, 2) if anchor_load.per_s else None,
        runs=page_load.requests,
        note=(
            ("" if page_name == "member list" else "the member list is not there yet, so the org list; ")
            + f"gunicorn {workers} sync workers, {clients} concurrent clients; "
            f"GET {page} as {TOWNSHIP_USER} for {bench.seconds:g}s: {page_load.requests:,} requests, "
            f"{page_load.errors} errors, median latency {latencies[len(latencies) // 2]:.0f} ms; "
            f"client threads share the {os.cpu_count()} CPUs with the server"
        ),
    )
