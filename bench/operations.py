"""The benchmark's operations, one small registered function each (run in this order).

Pages are measured through the Django test client against URL names, as the user who would open them, and
compared with the bare anchor view rendered for the same user. A page whose URL name does not exist yet, or
an app whose ``bench`` module is missing, gives a "not available" row, never a made-up number.

Hooks into the domain apps (each looked up when the operation runs; missing: "not available"):

- Excel import: ``members.imports.import_file(data: bytes, *, org, by) -> (created, errors)`` and
  ``members.imports.COLUMNS`` (the template's header). The benchmark writes the .xlsx itself (untimed) from
  the same people it then loads with COPY, and rolls every run back.
- Automatic review: ``bench.claim_review`` (``clean``, ``setup_members``, ``create_claims``, ``run_review``):
  submitted claims reviewed by one real Celery worker process against Redis.
- Dashboard: ``bench.dashboard_figures.bench(username=, repeat=, refresh=)`` -> page and raw SQL medians.
"""

import os
import random
import time
from collections.abc import Callable

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members.models import Member
from mutual_aid.models import Claim
from union_portal import tree
from union_portal.identity import id_number_hash, mobile_hash
from union_portal.models import OrgUnit
from union_portal.stored_text import gettext_stored

from . import synthetic
from .runner import HTTP_GOAL, PAGE_GOAL, Bench, Result, Timing, operation, optional_module
from .urls import BARE_URL_NAME, HELLO_URL_NAME
from .writer import insert_rows, next_ids

TOWNSHIP_USER = "huashe_staff"  # township staff of 华舍街道 (KQ-HS)
TOWNSHIP_CODE = "KQ-HS"
DISTRICT_USER = "district_admin"
HANDLER_USER = "handler"  # handler of KQ-HS-001
HANDLER_ORG = "KQ-HS-001"
REVIEWER_USER = "reviewer1"
ANCHOR = "bare view"
WORKER_USER = "worker"  # the demo worker (陈小红): a member with a login and claims of her own, no role
FINANCE_USER = "finance"
FLOOR = "hello-world view"
FLOOR_GOAL = 3.0  # the bare logged-in page vs the framework's floor (issue 18)
BARE_MAX_QUERIES = 2  # user and OTP device; sessions and the per-user cache in Redis (issue 18)
IMPORT_ROWS = 50_000
IMPORT_GOAL = 1.6  # issue 18: the Excel import ≤ 1.6× COPY of the same rows
IMPORT_MAX_MB = 300  # issue 18: peak memory of the import


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
    anchor_client = bench.client(username)
    anchor_url = reverse(BARE_URL_NAME)
    timing, anchor_timing = bench.time_pair(get, lambda: anchor_client.get(anchor_url))
    result = Result(
        name=name,
        median_ms=round(timing.median_ms, 2),
        p95_ms=round(timing.p95_ms, 2),
        queries=queries,
        runs=len(timing.samples_ms),
        note=f"GET {url}" + (f"?{'&'.join(f'{k}=…' for k in params)}" if params else "") + f" as {username}",
    )
    result.goal_id = "pages" if goal is not None else None
    return result.compare(ANCHOR, anchor_timing, max_ratio=goal)


def _township() -> OrgUnit:
    return OrgUnit.objects.get(code=TOWNSHIP_CODE)


def _sample_member(township: OrgUnit) -> Member:
    """A fixed, ordinary active member of the township (the one in the middle of its id range)."""
    qs = Member.objects.filter(tree.subtree_q(township, field="org"), status=Member.Status.ACTIVE)
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


@operation("hello-world view (framework floor)")
def hello_world(bench: Bench) -> list[Result]:
    """The framework's floor (anonymous, full middleware stack), then the bare logged-in page timed in
    alternation with it, as township staff (past 2FA) and as a worker: goal ≤ 3× the floor."""
    from django.test import Client

    url = reverse(HELLO_URL_NAME)
    anonymous = Client()

    def hello():
        return anonymous.get(url)

    if hello().status_code != 200:
        return [Result.error(f"{FLOOR} (framework floor)", f"GET {url} did not answer 200")]
    timing = bench.anchor("hello", hello)
    results = [
        Result(
            name=f"{FLOOR} (framework floor)",
            median_ms=round(timing.median_ms, 2),
            p95_ms=round(timing.p95_ms, 2),
            queries=bench.count_queries(hello),
            runs=len(timing.samples_ms),
            note="HttpResponse through the full middleware stack, anonymous",
            goal_id="hello-world",
        )
    ]
    bare_url = reverse(BARE_URL_NAME)
    for username in (TOWNSHIP_USER, WORKER_USER):
        name = f"bare view vs hello-world: {username}"
        try:
            client = bench.client(username)
        except Exception as exc:  # noqa: BLE001 - e.g. no such demo account in this database
            results.append(Result.error(name, f"{type(exc).__name__}: {exc}", goal=f"≤ {FLOOR_GOAL:g}×"))
            continue

        def bare(client=client):
            return client.get(bare_url)

        bare()  # a first page fills the per-user cache (as the log-in does for a real user)
        queries = bench.count_queries(bare)
        bare_timing, hello_timing = bench.time_pair(bare, hello)
        result = Result(
            name=name,
            median_ms=round(bare_timing.median_ms, 2),
            p95_ms=round(bare_timing.p95_ms, 2),
            queries=queries,
            runs=len(bare_timing.samples_ms),
            note=f"base.html for {username}, timed in alternation with the hello-world view",
            goal_id="bare",
        )
        result.compare(FLOOR, hello_timing, max_ratio=FLOOR_GOAL)
        results.append(result.check("queries", queries, BARE_MAX_QUERIES, unit="queries"))
    return results


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
        measure_page(bench, name="member search: by phone", params={"q": member.mobile}, goal=PAGE_GOAL, **common),
        measure_page(
            bench,
            name="member search: by member number",
            params={"q": member.member_number},
            goal=PAGE_GOAL,
            **common,
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
        goal=PAGE_GOAL,
    )


@operation("org tree list")
def org_tree(bench: Bench) -> list[Result]:
    return [
        measure_page(
            bench,
            name="org tree list: district",
            url_names=("members:org_list",),
            username=DISTRICT_USER,
            goal=PAGE_GOAL,
        ),
        measure_page(
            bench,
            name="org tree list: township",
            url_names=("members:org_list",),
            username=TOWNSHIP_USER,
            goal=PAGE_GOAL,
        ),
    ]


@operation("reviewers' claim queue")
def claim_queue(bench: Bench) -> Result:
    return measure_page(
        bench,
        name="reviewers' claim queue",
        url_names=("mutual_aid:queue",),
        username=REVIEWER_USER,
        goal=PAGE_GOAL,
    )


@operation("dashboard")
def dashboard(bench: Bench) -> list[Result]:
    name = "dashboard vs raw SQL"
    page = measure_page(
        bench, name="dashboard page", url_names=("dashboard:home",), username=DISTRICT_USER, goal=PAGE_GOAL
    )
    module = optional_module("bench.dashboard_figures")
    if module is None or not hasattr(module, "bench"):
        return [page, Result.not_available(name, "bench.dashboard_figures.bench not there yet", goal="≤ 1×")]
    figures = module.bench(username=DISTRICT_USER, repeat=bench.runs, refresh=True)
    ratio = figures.get("ratio")
    return [
        page,
        Result(
            name=name,
            median_ms=figures["page_ms"],
            queries=figures.get("page_queries"),
            anchor="raw SQL aggregates",
            anchor_median_ms=figures["raw_ms"],
            ratio=ratio,
            goal="≤ 1×",
            met=ratio is not None and ratio <= 1.0,
            runs=figures.get("repeat", bench.runs),
            note=(
                "bench.dashboard_figures.bench: the dashboard view for the district (RequestFactory, no "
                f"middleware) vs the grouped queries it summarises ({figures.get('raw_queries')} queries); "
                "medians only"
            ),
        ),
    ]


@operation("funds reports")
def funds_reports(bench: Bench) -> list[Result]:
    return [
        measure_page(
            bench,
            name=f"funds report: {what}",
            url_names=(f"funds:report_{what}",),
            username=DISTRICT_USER,
            goal=PAGE_GOAL,
        )
        for what in ("collected", "allocation")
    ]


@operation("award lists")
def award_lists(bench: Bench) -> list[Result]:
    return [
        measure_page(
            bench, name="award rounds", url_names=("awards:round_list",), username=DISTRICT_USER, goal=PAGE_GOAL
        ),
        measure_page(
            bench,
            name="award nominations: district",
            url_names=("awards:nomination_list",),
            username=DISTRICT_USER,
            goal=PAGE_GOAL,
        ),
        measure_page(
            bench,
            name="award nominations: township",
            url_names=("awards:nomination_list",),
            username=TOWNSHIP_USER,
            goal=PAGE_GOAL,
        ),
    ]


def _bench_campaign_pk() -> int | None:
    from competitions.models import Campaign

    return Campaign.objects.order_by("-pk").values_list("pk", flat=True).first()


@operation("competition lists")
def competition_lists(bench: Bench) -> list[Result]:
    campaign = _bench_campaign_pk()
    results = [
        measure_page(
            bench,
            name="competition campaigns",
            url_names=("competitions:campaign_list",),
            username=DISTRICT_USER,
            goal=PAGE_GOAL,
        )
    ]
    if campaign is None:
        results.append(Result.not_available("competition teams (campaign)", "no campaign in this database"))
        return results
    results += [
        measure_page(
            bench,
            name="competition teams (campaign)",
            url_names=("competitions:campaign_detail",),
            username=DISTRICT_USER,
            args=((campaign,),),
            goal=PAGE_GOAL,
        ),
    ]
    return results


@operation("worker's phone pages")
def worker_pages(bench: Bench) -> list[Result]:
    return [
        measure_page(bench, name=f"worker: {name}", url_names=(url_name,), username=WORKER_USER, goal=PAGE_GOAL)
        for name, url_name in (
            ("member card", "members:my_card"),
            ("my aid", "mutual_aid:my_aid"),
            ("claim form", "mutual_aid:claim_new"),
        )
    ]


def make_people(n: int, *, seed: int = 50_000) -> list[dict]:
    """``n`` new people with valid ID numbers no member of the database has (checked by hash), in the shape
    of the members import file."""
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


def build_import_xlsx(people: list[dict], columns: list[str]) -> bytes:
    """The members import file (template header ``columns``) holding ``people``."""
    import io

    from openpyxl import Workbook

    def yes(flag: bool) -> str:
        return "是" if flag else "否"

    values = {
        "姓名": lambda p: p["name"],
        "身份证号码": lambda p: p["id_number"],
        "手机号码": lambda p: p["mobile"],
        "入会日期": lambda p: p["joined_on"].isoformat(),
        "岗位": lambda p: p["job"],
        "一线职工": lambda p: yes(p["is_frontline"]),
        "农民工": lambda p: yes(p["is_migrant"]),
        "困难职工": lambda p: yes(p["is_hardship"]),
        "开户银行": lambda p: p["bank_name"],
        "银行账号": lambda p: p["bank_account"],
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员")
    sheet.append(columns)
    for person in people:
        sheet.append([values[c](person) if c in values else "" for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def event_rows(members: list[dict], *, org: OrgUnit, by) -> list[dict]:
    """The joined event of each of ``members`` (rows of :func:`member_rows`), as the import stores them."""
    from members.models import MemberEvent

    return [
        {
            "id": event_id,
            "member_id": m["id"],
            "kind": MemberEvent.Kind.JOINED.value,
            "effective_on": m["joined_on"],
            "to_status": Member.Status.ACTIVE.value,
            "to_org_id": org.pk,
            "reason": str(gettext_stored("Excel import")),  # as members.imports stores it
            "by_id": by.pk,
        }
        for event_id, m in zip(next_ids(MemberEvent, len(members)), members, strict=True)
    ]


@operation("Excel import vs COPY")
def excel_import(bench: Bench, *, peak: Callable[..., dict] | None = None) -> Result:
    """The import vs COPY of the same rows, and the import's peak memory (``peak``: bench.memory.import_peak,
    replaced in tests, whose data a spawned process cannot see)."""
    name = f"Excel import of {IMPORT_ROWS:,} members vs COPY"
    module = optional_module("members.imports")
    if module is None or not hasattr(module, "import_file") or not hasattr(module, "COLUMNS"):
        return Result.not_available(
            name, "members.imports.import_file / COLUMNS not there yet", goal=f"≤ {IMPORT_GOAL:g}×"
        )
    from django.contrib.auth import get_user_model

    from members.models import MemberEvent

    from .memory import import_peak

    org = OrgUnit.objects.get(code=HANDLER_ORG)
    by = get_user_model().objects.get(username=HANDLER_USER)
    bench.log(f"    preparing {IMPORT_ROWS:,} people, their .xlsx and their rows (untimed) ...")
    people = make_people(IMPORT_ROWS)
    data = build_import_xlsx(people, list(module.COLUMNS))
    rows = member_rows(people, org=org)
    events = event_rows(rows, org=org, by=by)

    def import_once():
        created, errors = module.import_file(data, org=org, by=by)
        if errors or created != len(people):
            raise RuntimeError(f"the import created {created} of {len(people)} members; problems: {errors[:3]}")

    def copy_once():
        # The anchor stores what the import stores: the members (already encrypted and hashed) and their
        # joined events, into the same tables with the same indexes.
        insert_rows(Member, rows, prepared=True)
        insert_rows(MemberEvent, events, prepared=True)

    # In alternation (import, COPY, import, COPY ...) so that the machine's load weighs on both alike.
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(bench.heavy_runs):
        for target, call in zip(samples, (import_once, copy_once), strict=True):
            started = time.perf_counter()
            rolled_back(call)()
            target.append((time.perf_counter() - started) * 1000)
    timing, copy_timing = Timing(samples[0]), Timing(samples[1])
    result = Result(
        name=name,
        median_ms=round(timing.median_ms, 1),
        p95_ms=round(timing.p95_ms, 1),
        runs=len(timing.samples_ms),
        note=(
            f"members.imports.import_file of a {len(data) / 1e6:.1f} MB .xlsx into {HANDLER_ORG} as {HANDLER_USER} "
            f"(read, check every row, store; {IMPORT_ROWS / timing.median_ms * 1000:,.0f} rows/s) vs COPY of the "
            "same members already encrypted and their joined events; timed in alternation, each run rolled back"
        ),
        goal_id="import",
    ).compare("PostgreSQL COPY", copy_timing, max_ratio=IMPORT_GOAL)
    bench.log("    peak memory of one import in a process of its own ...")
    peak_figures = (peak or import_peak)(data, org_code=HANDLER_ORG, username=HANDLER_USER)
    if peak_figures["errors"] or peak_figures["created"] != len(people):
        raise RuntimeError(
            f"the import in a process of its own created {peak_figures['created']} of {len(people)} members"
        )
    result.note += (
        f"; peak memory: the resident high-water mark (VmHWM) of a spawned process that sets Django up and "
        f"imports the file once (rolled back), {peak_figures['peak_mb']:.0f} MB, of which "
        f"{peak_figures['ready_mb']:.0f} MB before the import (interpreter, Django, the file's bytes); the "
        f"import took {peak_figures['seconds']:.1f} s there"
    )
    return result.check("peak memory", round(peak_figures["peak_mb"], 1), IMPORT_MAX_MB, unit="MB")


REVIEW_CPU_GOALS = {0: 5.0, 100: 1.0}  # ms of CPU per claim, worker + PostgreSQL: one task per claim; batch tasks


def _claim_review(bench: Bench, *, batch: int, claims: int, members: int) -> Result:
    """One run of bench.claim_review.run_review on fresh bench claims: ``batch`` 0 queues one task per claim (what
    a submission queues), else one batch task per ``batch`` claims (what the stale-review sweep queues)."""
    goal_ms = REVIEW_CPU_GOALS[batch]
    tasks = f"batch tasks of {batch}" if batch else "one task per claim"
    name = f"automatic claim review, {tasks} (1 Celery worker, Redis)"
    goal = f"≤ {goal_ms:g} ms CPU/claim"
    module = optional_module("bench.claim_review")
    needed = ("clean", "setup_members", "create_claims", "run_review")
    if module is None or not all(hasattr(module, f) for f in needed):
        return Result.not_available(name, "bench.claim_review (setup_members, create_claims, run_review) not there yet", goal=goal)  # fmt: skip
    from django.conf import settings

    if not settings.REDIS_URL:
        return Result.not_available(name, "needs Redis: set REDIS_URL", goal=goal)

    def out(message: str) -> None:
        bench.log(f"    {message}")

    module.clean(out)
    try:
        scheme, people = module.setup_members(count=members, out=out)
        ids = module.create_claims(scheme=scheme, members=people, count=claims, status=Claim.Status.SUBMITTED, out=out)
        figures = module.run_review(ids=ids, out=out, batch=batch)
    finally:
        module.clean(out)
    per_s = figures.get("claims_per_s_busy")
    worker_ms, db_ms = figures.get("worker_cpu_ms_per_claim"), figures.get("db_backend_cpu_ms_per_claim")
    cpu_ms = round(worker_ms + db_ms, 2) if worker_ms is not None and db_ms is not None else None
    bench.log(f"    {figures}")
    if figures.get("reviewed") != figures.get("claims"):
        return Result.error(name, f"reviewed {figures.get('reviewed')} of {figures.get('claims')} claims", goal=goal)
    return Result(
        name=name,
        per_s=per_s,
        runs=1,
        goal_id="review-batch" if batch else "review-cpu",
        note=(
            f"bench.claim_review.run_review: {figures.get('reviewed'):,} of {figures.get('claims'):,} submitted claims; "
            f"CPU per claim {cpu_ms} ms = worker {worker_ms} ms (process and children, /proc utime+stime) + "
            f"PostgreSQL {db_ms} ms (the worker's backends); {figures.get('db_transactions_per_claim')} database "
            f"transactions per claim; {per_s}/s while the worker was busy, {figures.get('claims_per_s_wall')}/s "
            f"including its start; load average {figures.get('load_average')}"
        ),
    ).check("CPU per claim", cpu_ms, goal_ms, unit="ms")


@operation("automatic claim review, one task per claim")
def claim_review(bench: Bench, *, claims: int = 2000, members: int = 1000) -> Result:
    return _claim_review(bench, batch=0, claims=claims, members=members)


@operation("automatic claim review, batch tasks")
def claim_review_batch(bench: Bench, *, claims: int = 2000, members: int = 1000) -> Result:
    return _claim_review(bench, batch=100, claims=claims, members=members)


@operation("HTTP throughput under gunicorn")
def http_throughput(bench: Bench, *, connections: int = 4, workers: int | None = None) -> Result:
    from . import http
    from .sessions import session_cookie

    page = resolve("members:member_list", (), (_township().pk,))
    page_name = "member list"
    if page is None:
        page, page_name = reverse("members:org_list"), "org tree list"
    name = f"HTTP throughput: {page_name}"
    workers = workers or http.default_workers()
    cookies = [session_cookie(TOWNSHIP_USER, cleanups=bench.cleanups) for _ in range(connections)]
    bare = reverse(BARE_URL_NAME)
    with http.gunicorn(workers=workers) as port:
        if http.wrk_path():
            client = f"wrk (its own process, 2 threads, {connections} connections)"
            page_load = http.wrk_load(port=port, path=page, cookie=cookies[0], seconds=bench.seconds, connections=connections)  # fmt: skip
            anchor_load = http.wrk_load(port=port, path=bare, cookie=cookies[0], seconds=bench.seconds, connections=connections)  # fmt: skip
        else:
            client = f"{connections} client threads in the benchmark's process (wrk not installed)"
            page_load = http.load(port=port, path=page, cookies=cookies, seconds=bench.seconds)
            anchor_load = http.load(port=port, path=bare, cookies=cookies, seconds=bench.seconds)
    if page_load.requests == 0 or anchor_load.requests == 0:
        return Result.error(
            name,
            f"no successful request: {page_load.statuses} (page), {anchor_load.statuses} (bare view)",
            goal=f"≥ {HTTP_GOAL:g}×",
        )
    latencies = sorted(page_load.latencies_ms)
    result = Result(
        name=name,
        per_s=round(page_load.per_s, 1),
        runs=page_load.requests,
        goal_id="http",
        note=(
            ("" if page_name == "member list" else "the member list is not there yet, so the org list; ")
            + f"gunicorn {workers} sync workers on {os.cpu_count()} CPUs, load from {client}; "
            f"GET {page} as {TOWNSHIP_USER} for {bench.seconds:g}s: {page_load.requests:,} requests, "
            f"{page_load.errors} errors, median latency {latencies[len(latencies) // 2]:.0f} ms; "
            f"bare view {anchor_load.requests:,} requests, {anchor_load.errors} errors"
        ),
    )
    return result.compare_throughput("bare view", anchor_load.per_s, min_ratio=HTTP_GOAL)
