"""Keqiao-scale synthetic data, on top of the normal demo tree (``manage.py bench_seed --scale keqiao``).

The generator is a pipeline of named steps run in order in one transaction; each step reads and extends the
shared :class:`Context`. To add data for an app once its models exist, write a function ``(ctx) -> str`` and
register it with ``@step("claims")`` at the end of this module (or ``register_step`` from the app's own
bench module): it can use ``ctx.unions`` (every synthetic grassroots union with its members' id range),
``ctx.member_ids``, ``ctx.rng`` and :func:`bench.writer.insert_rows`.

Default scale: 1,000 grassroots unions under the 16 townships and the two industry unions, with lognormal
sizes (a few of thousands, many of tens), their enterprises (joint unions gather several small firms), some
firms of 25+ staff still without a union, 400,000 members with valid ID numbers and a membership event each.
It refuses to run twice (the synthetic unions' codes end in ``-S0001`` ...): drop the database to start over.
"""

import datetime as dt
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from members.models import Enterprise, Member, MemberEvent
from union_portal.identity import id_number_hash, make_uscc, mobile_hash
from union_portal.models import OrgUnit

from . import synthetic
from .writer import id_block, insert_rows, next_ids, reset_sequences

# Township codes of union_portal.demo with their share of the district's unions and members (the plains
# towns with the textile mills are large, the mountain towns of the south small).
TOWNSHIP_WEIGHTS = {
    "KQ-KQ": 10,
    "KQ-KY": 6,
    "KQ-HS": 10,
    "KQ-HT": 7,
    "KQ-QX": 9,
    "KQ-AC": 6,
    "KQ-FQ": 4,
    "KQ-QQ": 9,
    "KQ-LT": 3,
    "KQ-MA": 9,
    "KQ-YXQ": 7,
    "KQ-LZ": 3,
    "KQ-PS": 3,
    "KQ-WT": 1.5,
    "KQ-JD": 1,
    "KQ-XL": 2,
    # industry unions (their firms still lie in a township)
    "KQ-IND-TEX": 3,
    "KQ-IND-BLD": 2,
}
SYNTHETIC_CODE = re.compile(r"-S\d{4,}$")
SYNTHETIC_CODE_SQL = r"-S[0-9]{4,}$"
DEFAULT_MEMBERS = 400_000
DEFAULT_UNIONS = 1_000
USCC_BASE = 100_000_000  # make_uscc sequence numbers of synthetic firms (the demo uses small ones)


ALREADY_GENERATED = (
    "Keqiao-scale data is already in this database (synthetic unions KQ-…-S0001 exist); it is generated "
    "once. To start over: drop and re-create the database, `manage.py migrate`, then "
    "`manage.py bench_seed --scale keqiao` again."
)


class AlreadyGenerated(Exception):
    pass


@dataclass
class Firm:
    id: int
    name: str
    industry: str
    township_id: int
    size: int


@dataclass
class Union:
    id: int
    code: str
    name: str
    parent: OrgUnit
    path: str
    size: int
    township: OrgUnit
    industry: str
    joint: bool
    firms: list[Firm] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    first_member_id: int = 0  # members of this union have ids first_member_id .. first_member_id + size - 1


@dataclass
class Context:
    members: int
    unions_count: int
    seed: int
    stdout: object
    rng: random.Random
    today: dt.date
    unions: list[Union] = field(default_factory=list)
    member_ids: range = range(0)
    # (member id, org id, joined_on, status, status_changed_on) for the membership events
    member_facts: list[tuple] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    district: "District | None" = None  # the district being generated (Keqiao unless --scale city)


@dataclass(frozen=True)
class District:
    """One district the generator fills: its code, its townships and industry unions with their weights, and
    the share of the ID numbers' sequence digits (and firm codes) its members and firms draw from, so that the
    districts of one city never collide."""

    code: str = "SX-KQ"
    township_weights: tuple[tuple[str, float], ...] = ()
    member_prefix: str = "KQS"
    id_slots: range = range(0, 500)  # IdNumbers: sequence digits // 2 (500 per sex)
    uscc_base: int = 100_000_000  # make_uscc sequence numbers of its synthetic firms (the demo uses small ones)

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.township_weights) or TOWNSHIP_WEIGHTS


KEQIAO = District()


@dataclass
class Step:
    name: str
    run: Callable[[Context], str]


STEPS: list[Step] = []


def register_step(name: str, run: Callable[[Context], str], *, after: str | None = None) -> None:
    """Add a step to the pipeline (at the end, or right after the step called ``after``)."""
    if any(s.name == name for s in STEPS):
        raise ValueError(f"generator step {name!r} is already registered")
    position = len(STEPS)
    if after is not None:
        position = next(i for i, s in enumerate(STEPS) if s.name == after) + 1
    STEPS.insert(position, Step(name, run))


def step(name: str, *, after: str | None = None):
    def decorator(fn: Callable[[Context], str]):
        register_step(name, fn, after=after)
        return fn

    return decorator


class Progress:
    """A printed progress bar: redrawn in place on a terminal, a line every 10% otherwise (logs, CI)."""

    def __init__(self, stdout, label: str, total: int):
        self.stdout, self.label, self.total = stdout, label, max(total, 1)
        self.done = 0
        self.started = time.perf_counter()
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()
        self.every = max(1, self.total // (200 if self.tty else 10))

    def tick(self, n: int = 1) -> None:
        before = self.done
        self.done += n
        if self.done // self.every != before // self.every or self.done >= self.total:
            self._draw()

    def _draw(self) -> None:
        share = min(1.0, self.done / self.total)
        elapsed = time.perf_counter() - self.started
        eta = elapsed / share - elapsed if share else 0
        bar = "#" * int(share * 30)
        line = f"  {self.label:<14} [{bar:<30}] {self.done:>9,}/{self.total:,} {share:6.1%}  {elapsed:5.1f}s  eta {eta:4.0f}s"
        if self.tty:
            self.stdout.write("\r" + line, ending="\n" if self.done >= self.total else "")
            self.stdout.flush()
        else:
            self.stdout.write(line)
            self.stdout.flush()


def _district(ctx: Context) -> District:
    return ctx.district or KEQIAO


def demo_tree_present() -> bool:
    return OrgUnit.objects.filter(code__in=list(TOWNSHIP_WEIGHTS)).count() == len(TOWNSHIP_WEIGHTS)


def already_generated() -> bool:
    return OrgUnit.objects.filter(code__regex=SYNTHETIC_CODE_SQL).exists()


def generate(*, members: int = DEFAULT_MEMBERS, unions: int = DEFAULT_UNIONS, seed: int = 2026, stdout) -> dict:
    """Run every step in one transaction; return {step name: seconds}. Needs the demo tree (seed_demo)."""
    if already_generated():
        raise AlreadyGenerated(ALREADY_GENERATED)
    missing = [code for code in TOWNSHIP_WEIGHTS if not OrgUnit.objects.filter(code=code).exists()]
    if missing:
        raise RuntimeError(f"The demo tree is missing ({', '.join(missing)}): run `manage.py seed_demo` first.")
    started = time.perf_counter()
    timings = _generate_district(KEQIAO, members=members, unions=unions, seed=seed, stdout=stdout)
    timings["analyze"] = _analyze()
    timings["total"] = time.perf_counter() - started
    return timings


def _generate_district(
    district: District, *, members: int, unions: int, seed: int, stdout, skip: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Run the pipeline's steps (but ``skip``) for one district in one transaction; {step name: seconds}."""
    ctx = Context(
        members=members,
        unions_count=unions,
        seed=seed,
        stdout=stdout,
        rng=random.Random(seed),
        today=timezone.localdate(),
        district=district,
    )
    timings: dict[str, float] = {}
    with transaction.atomic():
        for s in STEPS:
            if s.name in skip:
                continue
            t0 = time.perf_counter()
            summary = s.run(ctx)
            timings[s.name] = time.perf_counter() - t0
            stdout.write(f"  {s.name}: {summary} ({timings[s.name]:.1f}s)")
            stdout.flush()
    return timings


def _analyze() -> float:
    """Fresh statistics, or the planner guesses from empty tables (PostgreSQL; every table: the domain steps
    fill many). Returns the seconds it took."""
    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - t0


# --- the steps --------------------------------------------------------------------------------------------


@step("plan")
def plan_unions(ctx: Context) -> str:
    """Sizes, places, industries and names of the grassroots unions and their firms (no database writes)."""
    rng = ctx.rng
    weights = _district(ctx).weights
    parents = {node.code: node for node in OrgUnit.objects.filter(code__in=list(weights))}
    townships = [code for code in weights if parents[code].kind == OrgUnit.Kind.TOWNSHIP]
    township_chooser = synthetic.Chooser([(c, weights[c]) for c in townships])
    parent_chooser = synthetic.Chooser(list(weights.items()))
    sizes = synthetic.union_sizes(rng, unions=ctx.unions_count, members=ctx.members)
    union_ids = next_ids(OrgUnit, ctx.unions_count)
    firm_seq = 0
    firm_ids = iter(next_ids(Enterprise, ctx.members + ctx.unions_count * 2))
    for n, (size, union_id) in enumerate(zip(sizes, union_ids, strict=True), start=1):
        parent_code = parent_chooser(rng)
        parent = parents[parent_code]
        if parent_code.endswith("-IND-TEX"):
            industry = rng.choice(("纺织", "印染", "化纤", "家纺"))
        elif parent_code.endswith("-IND-BLD"):
            industry = "建筑"
        else:
            industry = synthetic.INDUSTRY(rng)
        township = parent if parent.kind == OrgUnit.Kind.TOWNSHIP else parents[township_chooser(rng)]
        joint = size < 150 and rng.random() < 0.2
        union = Union(
            id=union_id,
            code=f"{parent_code}-S{n:04d}",
            name="",
            parent=parent,
            path="",
            size=size,
            township=township,
            industry=industry,
            joint=joint,
        )
        if joint:  # a joint union of small firms: 2-15 firms of under 25 staff
            count = max(2, min(15, size // 8))
            union.name = f"{township.name.removesuffix('工会')}{rng.choice(synthetic.BRAND_CHARS)}{n}小微企业联合工会"
            share = [rng.random() + 0.2 for _ in range(count)]
            total = sum(share)
            left = size
            for i, s in enumerate(share):
                part = left if i == count - 1 else max(1, min(left - (count - 1 - i), round(size * s / total)))
                left -= part
                firm_seq += 1
                union.firms.append(
                    Firm(next(firm_ids), synthetic.firm_name(rng, industry), industry, township.id, part)
                )
        else:
            firm_seq += 1
            name = synthetic.firm_name(rng, industry)
            union.name = f"{name}工会"
            union.firms.append(Firm(next(firm_ids), name, industry, township.id, size))
        ctx.unions.append(union)
    ctx.extra["firm_ids"] = firm_ids
    joint = sum(1 for u in ctx.unions if u.joint)
    big = sum(1 for u in ctx.unions if u.size >= 1000)
    return f"{len(ctx.unions):,} unions ({joint} joint, {big} of 1,000+ members, largest {max(sizes, default=0):,})"


@step("tree")
def build_tree(ctx: Context) -> str:
    """Insert the grassroots unions and, in unions of 300+ members, union groups, with treebeard paths
    computed here: the next free step under each parent, siblings in code order (node_order_by)."""
    rng = ctx.rng
    by_parent: dict[int, list[Union]] = {}
    for union in ctx.unions:
        by_parent.setdefault(union.parent.id, []).append(union)
    rows = []
    for _parent_id, children in by_parent.items():
        parent = children[0].parent
        last = OrgUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
        position = OrgUnit._str2int(last.path[-OrgUnit.steplen :]) if last else 0
        for union in sorted(children, key=lambda u: u.code):
            position += 1
            union.path = OrgUnit._get_path(parent.path, parent.depth + 1, position)
            rows.append(
                {
                    "id": union.id,
                    "path": union.path,
                    "depth": parent.depth + 1,
                    "numchild": 0,
                    "code": union.code,
                    "name": union.name,
                    "kind": OrgUnit.Kind.GRASSROOTS,
                }  # fmt: skip
            )
        OrgUnit.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(children))
    group_rows = []
    with_groups = [u for u in ctx.unions if u.size >= 300 and not u.joint]
    group_ids = iter(range(ctx.unions[-1].id + 1 if ctx.unions else 1, 10**12))
    for union in with_groups:
        count = min(12, union.size // 150)
        workshops = rng.sample(synthetic.WORKSHOPS, k=min(count, len(synthetic.WORKSHOPS)))
        for i, workshop in enumerate(workshops, start=1):
            group_id = next(group_ids)
            union.group_ids.append(group_id)
            group_rows.append(
                {
                    "id": group_id,
                    "path": OrgUnit._get_path(union.path, len(union.path) // OrgUnit.steplen + 1, i),
                    "depth": len(union.path) // OrgUnit.steplen + 1,
                    "numchild": 0,
                    "code": f"{union.code}-G{i:02d}",
                    "name": f"{workshop}工会小组",
                    "kind": OrgUnit.Kind.GROUP,
                }  # fmt: skip
            )
    numchild = {u.id: len(u.group_ids) for u in ctx.unions}
    for row in rows:
        row["numchild"] = numchild[row["id"]]
    insert_rows(OrgUnit, rows)
    insert_rows(OrgUnit, group_rows)
    reset_sequences(OrgUnit)
    return f"{len(rows):,} grassroots unions, {len(group_rows):,} union groups"


@step("enterprises")
def build_enterprises(ctx: Context) -> str:
    """The unions' firms, plus firms of all sizes without a union (a third of them with 25+ staff: the
    founding campaign's targets)."""
    rng = ctx.rng
    firm_ids = ctx.extra["firm_ids"]
    district = _district(ctx)
    seq = iter(range(district.uscc_base, district.uscc_base + 10**8))
    # Read before COPY starts: no query may run on the connection while a COPY is open.
    townships = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP, code__in=list(district.weights)))

    def rows():
        for union in ctx.unions:
            for firm in union.firms:
                yield {
                    "id": firm.id,
                    "name": firm.name,
                    "uscc": make_uscc(next(seq)),
                    "industry": firm.industry,
                    "employee_count": max(firm.size, round(firm.size / rng.uniform(0.85, 1.0))),
                    "township_id": firm.township_id,
                    "union_id": union.id,
                    "address": f"{union.township.name.removesuffix('工会')}{rng.randrange(1, 999)}号",
                    "contact_name": synthetic.chinese_name(rng, rng.choice("MF")),
                    "contact_phone": synthetic.mobile(rng),
                }
        for _ in range(len(ctx.unions) // 2):
            township = rng.choice(townships)
            industry = synthetic.INDUSTRY(rng)
            yield {
                "id": next(firm_ids),
                "name": synthetic.firm_name(rng, industry),
                "uscc": make_uscc(next(seq)),
                "industry": industry,
                "employee_count": max(3, int(rng.lognormvariate(2.9, 0.8))),
                "township_id": township.id,
                "union_id": None,
                "address": f"{township.name.removesuffix('工会')}{rng.randrange(1, 999)}号",
                "contact_name": synthetic.chinese_name(rng, rng.choice("MF")),
                "contact_phone": synthetic.mobile(rng),
            }

    count = insert_rows(Enterprise, rows())
    reset_sequences(Enterprise)
    unionised = sum(len(u.firms) for u in ctx.unions)
    return f"{count:,} enterprises ({unionised:,} with a union)"


STATUSES = (
    (Member.Status.ACTIVE, 940),
    (Member.Status.RETIRED, 30),
    (Member.Status.LEFT, 20),
    (Member.Status.TRANSFERRED_OUT, 8),
    (Member.Status.DECEASED, 2),
)


@step("members")
def build_members(ctx: Context) -> str:
    """The members, union by union: valid distinct ID numbers, names by sex, phones, bank cards (60%),
    frontline ~70% and migrant ~45% (migrants mostly from other provinces and mostly on the line)."""
    rng = ctx.rng
    district = _district(ctx)
    # One generator for the whole run keeps the numbers distinct; each district of a city has its own slots.
    ids = synthetic.IdNumbers(rng, slots=district.id_slots)
    # The demo's own members (a few dozen) hold numbers of any sequence digits: never draw theirs again.
    ids.seen.update(Member.objects.exclude(org__code__regex=SYNTHETIC_CODE_SQL).values_list("id_number", flat=True))
    status_chooser = synthetic.Chooser(STATUSES)
    ctx.member_ids = next_ids(Member, ctx.members)
    progress = Progress(ctx.stdout, "members", ctx.members)
    today = ctx.today
    facts = ctx.member_facts

    def rows():
        member_id = ctx.member_ids.start
        for union in ctx.unions:
            union.first_member_id = member_id
            firm_choice = synthetic.Chooser([(firm, firm.size) for firm in union.firms])
            heads = {firm.id for firm in union.firms}
            for _ in range(union.size):
                firm = firm_choice(rng) if len(union.firms) > 1 else union.firms[0]
                status = status_chooser(rng)
                sex = "F" if rng.random() < 0.48 else "M"
                migrant = rng.random() < 0.45
                birth = synthetic.birth_date(rng, today=today, retired=status == Member.Status.RETIRED)
                region = synthetic.REGION_MIGRANT(rng) if migrant else synthetic.REGION_LOCAL(rng)
                number = ids.make(region=region, birth=birth, sex=sex)
                head = firm.id in heads and status == Member.Status.ACTIVE
                if head:
                    heads.discard(firm.id)
                    frontline, job = False, rng.choice(synthetic.HEAD_JOBS)
                else:
                    frontline = rng.random() < (0.85 if migrant else 0.58)
                    job = synthetic.JOB_FRONTLINE(rng) if frontline else synthetic.JOB_OFFICE(rng)
                phone = synthetic.mobile(rng)
                bank_name, account = synthetic.bank_card(rng) if rng.random() < 0.6 else ("", "")
                adult = birth.replace(year=birth.year + 18) if not (birth.month == 2 and birth.day == 29) else birth
                earliest = max(adult, today - dt.timedelta(days=365 * 25))
                span = max(1, (today - earliest).days)
                joined = today - dt.timedelta(days=min(span - 1, int(rng.expovariate(1 / (365 * 4)))))
                changed = None
                if status != Member.Status.ACTIVE:
                    changed = joined + dt.timedelta(days=rng.randrange(max(1, (today - joined).days)))
                group_id = rng.choice(union.group_ids) if union.group_ids and rng.random() < 0.85 else None
                facts.append((member_id, union.id, joined, status, changed))
                yield {
                    "id": member_id,
                    "member_number": f"{district.member_prefix}{member_id:08d}",
                    "name": synthetic.chinese_name(rng, sex),
                    "id_number": number,
                    "id_number_hash": id_number_hash(number),
                    "sex": sex,
                    "birth_date": birth,
                    "mobile": phone,
                    "mobile_hash": mobile_hash(phone),
                    "bank_account": account,
                    "bank_name": bank_name,
                    "email": f"{rng.randrange(10**8, 10**10)}@qq.com" if rng.random() < 0.05 else "",
                    "org_id": union.id,
                    "group_id": group_id,
                    "enterprise_id": firm.id,
                    "job": job,
                    "is_frontline": frontline,
                    "is_migrant": migrant,
                    "is_hardship": rng.random() < 0.025,
                    "is_enterprise_head": head,
                    "is_technical": job in synthetic.TECHNICAL_JOBS,
                    "joined_on": joined,
                    "status": status,
                    "status_changed_on": changed,
                    "monthly_wage": synthetic.monthly_wage(rng, office=not frontline),
                }
                member_id += 1

    count = insert_rows(Member, rows(), on_row=progress.tick)
    reset_sequences(Member)
    return f"{count:,} members"


@step("member_events")
def build_member_events(ctx: Context) -> str:
    """A 'joined' event per member and, for those no longer active, the event that ended it, so that
    ``member_status_on`` answers for past dates as it does for members created through the services."""
    progress = Progress(ctx.stdout, "member events", len(ctx.member_facts))
    kind_of = {
        Member.Status.TRANSFERRED_OUT: MemberEvent.Kind.TRANSFER_OUT,
        Member.Status.RETIRED: MemberEvent.Kind.STATUS,
        Member.Status.LEFT: MemberEvent.Kind.STATUS,
        Member.Status.DECEASED: MemberEvent.Kind.STATUS,
    }
    event_ids = iter(next_ids(MemberEvent, len(ctx.member_facts) * 2))

    def rows():
        for member_id, org_id, joined, status, changed in ctx.member_facts:
            progress.tick()
            yield {"id": next(event_ids), "member_id": member_id, "kind": MemberEvent.Kind.JOINED,
                   "effective_on": joined, "from_status": "", "to_status": Member.Status.ACTIVE,
                   "from_org_id": None, "to_org_id": org_id, "reason": ""}  # fmt: skip
            if changed is not None:
                yield {"id": next(event_ids), "member_id": member_id, "kind": kind_of[status],
                       "effective_on": changed, "from_status": Member.Status.ACTIVE, "to_status": status,
                       "from_org_id": org_id if status == Member.Status.TRANSFERRED_OUT else None,
                       "to_org_id": None, "reason": ""}  # fmt: skip

    count = insert_rows(MemberEvent, rows())
    reset_sequences(MemberEvent)
    return f"{count:,} membership events"


@step("verify")
def verify(ctx: Context) -> str:
    """The tree is a valid treebeard tree and every count is what was planned."""
    district = OrgUnit.objects.get(code=_district(ctx).code)
    problems = OrgUnit.objects.find_problems(parent=district)
    if any(problems):
        names = ("bad characters", "bad step length", "orphans", "wrong depth", "wrong numchild")
        found = {name: ids[:10] for name, ids in zip(names, problems, strict=True) if ids}
        raise RuntimeError(f"The generated tree has problems: {found}")
    synthetic_unions = OrgUnit.objects.filter(code__regex=SYNTHETIC_CODE_SQL, path__startswith=district.path).count()
    ids = ctx.member_ids
    members = Member.objects.filter(pk__gte=ids.start, pk__lt=ids.stop).count() if ids else 0
    if synthetic_unions != len(ctx.unions) or members != ctx.members:
        raise RuntimeError(f"Expected {len(ctx.unions)} unions and {ctx.members} members, found "
                           f"{synthetic_unions} and {members}.")  # fmt: skip
    return f"tree valid (treebeard find_problems: none), {synthetic_unions:,} unions, {members:,} members"


# --- the city scale ----------------------------------------------------------------------------------------

CITY_DISTRICTS = 10  # Keqiao and nine synthetic districts of the same size
# Names of the synthetic districts (the city's other real counties, then made-up new areas).
CITY_DISTRICT_NAMES = ("越城区", "上虞区", "诸暨市", "嵊州市", "新昌县", "滨海新区", "镜湖新区", "袍江新区", "高新区")
TOWN_NAMES = ("城东街道", "城西街道", "城南街道", "城北街道", "东湖镇", "西山镇", "南岸镇", "北岸镇", "新桥镇", "长乐镇",
              "永安镇", "白石镇", "青山镇", "凤凰镇", "龙泉镇", "梅园镇")  # fmt: skip
CITY_SKIP = frozenset({"competitions", "awards"})  # one competition and one awards round: Keqiao's only
CITY_ID_BLOCK = 10**7  # primary keys of district k's rows: k × 10⁷ ... (parallel workers never collide)


def city_districts(count: int = CITY_DISTRICTS) -> list[tuple[District, str]]:
    """(district, name) of a city of ``count`` districts: Keqiao first, then ``SX-D01`` ... with 16 townships
    ``D01-T01`` ... and two industry unions each, weighted as Keqiao's. ID number slots and firm codes are
    split between them."""
    if not 1 <= count <= 1 + len(CITY_DISTRICT_NAMES):
        raise ValueError(f"a city has 1 to {1 + len(CITY_DISTRICT_NAMES)} districts")
    slots = 500 // count
    keqiao_weights = list(TOWNSHIP_WEIGHTS.values())
    districts = [(District(id_slots=range(0, slots)), "柯桥区总工会")]
    for k, name in enumerate(CITY_DISTRICT_NAMES[: count - 1], start=1):
        prefix = f"D{k:02d}"
        codes = [f"{prefix}-T{i:02d}" for i in range(1, len(TOWN_NAMES) + 1)] + [
            f"{prefix}-IND-TEX",
            f"{prefix}-IND-BLD",
        ]
        district = District(
            code=f"SX-{prefix}",
            township_weights=tuple(zip(codes, keqiao_weights, strict=True)),
            member_prefix=f"{prefix}S",
            id_slots=range(k * slots, (k + 1) * slots),
            uscc_base=USCC_BASE + k * 10**7,
        )
        districts.append((district, f"{name}总工会"))
    return districts


def _ensure_district_tree(district: District, name: str) -> None:
    """The district under the city and its townships and industry unions (treebeard, a few rows)."""
    if OrgUnit.objects.filter(code=district.code).exists():
        return
    city = OrgUnit.objects.get(code="SX")
    node = OrgUnit.objects.add_child(city, {"code": district.code, "name": name, "kind": OrgUnit.Kind.DISTRICT})
    short = name.removesuffix("总工会")
    for i, code in enumerate(district.weights):
        if "-IND-" in code:
            title = f"{short}{'纺织印染' if code.endswith('TEX') else '建筑'}产业工会"
            kind = OrgUnit.Kind.INDUSTRY
        else:
            title, kind = f"{short}{TOWN_NAMES[i]}工会", OrgUnit.Kind.TOWNSHIP
        node = OrgUnit.objects.get(pk=node.pk)  # treebeard: numchild changed with every child
        OrgUnit.objects.add_child(node, {"code": code, "name": title, "kind": kind})


def _district_generated(district: District) -> bool:
    root = OrgUnit.objects.filter(code=district.code).first()
    return bool(root) and OrgUnit.objects.filter(code__regex=SYNTHETIC_CODE_SQL, path__startswith=root.path).exists()


def generate_city(
    *,
    districts: int = CITY_DISTRICTS,
    members: int = DEFAULT_MEMBERS,
    unions: int = DEFAULT_UNIONS,
    seed: int = 2026,
    stdout,
    only: set[int] | None = None,
    analyze: bool = True,
) -> dict:
    """The city scale: ``districts`` Keqiao-sized districts (Keqiao's own, then synthetic ones), each in its own
    transaction (an interrupted run resumes with the next district not yet generated) and with its rows' keys
    in a block of its own (k × 10⁷ ...), ``members`` and ``unions`` per district; claims in every district,
    competitions and awards in Keqiao only. ``only``: the districts (by index) to generate, for parallel
    workers (``bench_seed --jobs``). Needs the demo tree (seed_demo). Returns {step name: seconds summed over
    the districts, "district <code>": seconds, "analyze", "total"}."""
    missing = [code for code in TOWNSHIP_WEIGHTS if not OrgUnit.objects.filter(code=code).exists()]
    if missing:
        raise RuntimeError(f"The demo tree is missing ({', '.join(missing)}): run `manage.py seed_demo` first.")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    for k, (district, name) in enumerate(city_districts(districts)):
        if only is not None and k not in only:
            continue
        if _district_generated(district):
            stdout.write(f"{name} ({district.code}): already generated, skipped")
            continue
        stdout.write(f"{name} ({district.code}): {unions:,} unions, {members:,} members ...")
        stdout.flush()
        t0 = time.perf_counter()
        with transaction.atomic(), id_block(range(k * CITY_ID_BLOCK, (k + 1) * CITY_ID_BLOCK)):
            _ensure_district_tree(district, name)
            steps = _generate_district(
                district,
                members=members,
                unions=unions,
                seed=seed + k,
                stdout=stdout,
                skip=CITY_SKIP if k else frozenset(),
            )
        for step_name, seconds in steps.items():
            timings[step_name] = timings.get(step_name, 0.0) + seconds
        timings[f"district {district.code}"] = time.perf_counter() - t0
        stdout.write(f"{name} ({district.code}) done in {timings[f'district {district.code}']:.0f}s")
        stdout.flush()
    if analyze:
        reset_all_sequences()
        timings["analyze"] = _analyze()
    timings["total"] = time.perf_counter() - started
    return timings


def prepare_city(districts: int = CITY_DISTRICTS) -> list[int]:
    """Before parallel workers: every district's tree in one transaction (treebeard numbers the city's
    children one at a time); the indexes of the districts still to generate."""
    pending = []
    with transaction.atomic():
        for k, (district, name) in enumerate(city_districts(districts)):
            if k:  # Keqiao's district is the demo's
                _ensure_district_tree(district, name)
            if not _district_generated(district):
                pending.append(k)
    return pending


def finish_city() -> float:
    """After parallel workers: sequences past every key (each worker moved them only past its own rows),
    then fresh statistics. Returns the seconds it took."""
    t0 = time.perf_counter()
    reset_all_sequences()
    _analyze()
    return time.perf_counter() - t0


def reset_all_sequences() -> None:
    from django.apps import apps

    reset_sequences(*apps.get_models())


# The domain apps' steps (claims, competitions, awards) register themselves before "verify".
from . import domains  # noqa: E402, F401
