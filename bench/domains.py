"""Generator steps for the domain apps (registered into :mod:`bench.generate`'s pipeline after
the members): mutual-aid claims, a year of a merit competition, an awards round's nominations.

Scheme, campaign and round (the few rows with rules) are made through the apps' services, exactly as a user
would; the many rows (enrolments, covers, ledgers, claims, invoices, events, payments; teams, assignments,
scores; quotas, nominations, reviews) are computed here in Python and loaded with COPY. Money amounts come
from the app's own rule function (``mutual_aid.rules.compute_inpatient``) on a per-member ledger kept here,
so what is approved and paid agrees with the ledgers. Counts scale with ``--members`` (400,000 members give
100,000 claims, 200 teams, 5,000 nominations). Deterministic for a seed: everything is drawn from ``ctx.rng``
(or a generator seeded from it) in a fixed order.

Not generated: claim document and nomination deeds *files* (the rows of reviewed claims need none; the
nominations point at file names that do not exist), the score edit history (simple_history rows)."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from members.models import Enterprise, Member
from mutual_aid.models import Claim
from union_portal.models import OrgUnit

from . import synthetic
from .generate import DEFAULT_MEMBERS, Context, Progress, step
from .writer import insert_rows, next_ids, reset_sequences

CLAIMS_PER_MEMBER = 0.25  # 100,000 claims for 400,000 members
TEAMS = 200
NOMINATIONS = 5_000
ENROLLED_SHARE = 0.85  # of the synthetic unions join the inpatient mutual aid

# Final states of a claim decided more than 45 days ago, and of one submitted recently (weights).
_S = Claim.Status
SETTLED_STATES = ((_S.PAID, 900), (_S.REJECTED, 55), (_S.PAYMENT_FAILED, 5), (_S.APPEALED, 5), (_S.APPROVED, 15),
                  (_S.IN_BATCH, 20))  # fmt: skip
RECENT_STATES = ((_S.FIRST_REVIEW, 330), (_S.SECOND_REVIEW, 170), (_S.RETURNED, 120), (_S.REJECTED, 50),
                 (_S.APPROVED, 170), (_S.IN_BATCH, 120), (_S.PAID, 40))  # fmt: skip
COMMITTED = {_S.APPROVED, _S.IN_BATCH, _S.PAID, _S.PAYMENT_FAILED}
HOSPITALS = ("绍兴市柯桥区人民医院", "绍兴市柯桥区中医医院", "绍兴第二医院", "绍兴市人民医院", "浙江大学医学院附属第一医院",
             "柯桥区妇幼保健院", "绍兴市中心医院", "柯桥区第二人民医院")  # fmt: skip


def _scaled(ctx: Context, full: int, minimum: int) -> int:
    return max(minimum, round(full * ctx.members / DEFAULT_MEMBERS))


def _users(*usernames: str) -> dict:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = set(usernames) - set(users)
    if missing:
        raise RuntimeError(f"The demo accounts {sorted(missing)} are missing: run `manage.py seed_demo` first.")
    return users


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60))))


# --- mutual aid ------------------------------------------------------------------------------------------


@step("claims", after="member_events")
def build_claims(ctx: Context) -> str:
    """The inpatient benefit of the current scheme: 85% of the synthetic unions enrolled and paid (covers for
    their members who joined before the period), a ledger per claimant, and claims in mixed states: those
    decided more than 45 days ago mostly paid (some rejected, failed, appealed), recent ones in review,
    returned, approved or in a batch; with their invoices, history and payments in monthly batches."""
    from mutual_aid import services as ma_services
    from mutual_aid.models import Claim, ClaimEvent, ClaimInvoice, Cover, Enrolment, Ledger, Scheme
    from mutual_aid.rules import compute_inpatient
    from union_portal.money import round_fen
    from union_portal.payments.models import Payment, PaymentBatch

    rng = random.Random(ctx.rng.random())
    users = _users("district_admin", "handler", "reviewer1", "reviewer2", "finance")
    today = ctx.today
    year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    scheme = Scheme.objects.filter(year=year).first() or ma_services.scheme_create(
        by=users["district_admin"], year=year
    )
    benefit = scheme.benefits.get(kind="inpatient")
    version = benefit.versions.order_by("effective_from").first()
    rules = version.rules
    waiting = dt.timedelta(days=int(rules.get("waiting_days", 0)))
    cover_start = scheme.starts_on + dt.timedelta(days=5)
    confirmed_at = _aware(scheme.starts_on + dt.timedelta(days=4), rng)
    district = OrgUnit.objects.get(code=ctx.district.code if ctx.district else "SX-KQ")

    # Enrolments and covers (members active and joined before the period).
    by_union: dict[int, list[int]] = {}
    for member_id, org_id, joined, status, _changed in ctx.member_facts:
        if status == Member.Status.ACTIVE and joined < scheme.starts_on:
            by_union.setdefault(org_id, []).append(member_id)
    enrolled = [u for u in ctx.unions if u.id in by_union and rng.random() < ENROLLED_SHARE]
    enrolment_ids = iter(next_ids(Enrolment, len(enrolled)))
    enrolment_rows, cover_rows, covered = [], [], []
    cover_ids = iter(next_ids(Cover, sum(len(by_union[u.id]) for u in enrolled)))
    for union in enrolled:
        members = by_union[union.id]
        enrolment_id = next(enrolment_ids)
        enrolment_rows.append({
            "id": enrolment_id, "scheme_id": scheme.pk, "benefit_id": benefit.pk, "org_id": union.id,
            "status": Enrolment.Status.PAID, "member_count": len(members), "eligible_count": len(members),
            "premium_due": benefit.premium * len(members), "enrolled_by_id": users["handler"].pk,
            "confirmed_by_id": users["finance"].pk, "confirmed_at": confirmed_at,
            "payment_reference": f"ZH{year}0105-{union.id}", "cover_starts_on": cover_start,
        })  # fmt: skip
        for member_id in members:
            continuing = rng.random() < 0.6
            cover_rows.append({
                "id": next(cover_ids), "enrolment_id": enrolment_id, "scheme_id": scheme.pk,
                "benefit_id": benefit.pk, "member_id": member_id, "continuing": continuing,
                "starts_on": cover_start, "waiting_ends_on": cover_start if continuing else cover_start + waiting,
            })  # fmt: skip
            covered.append((member_id, cover_start if continuing else cover_start + waiting))
    insert_rows(Enrolment, enrolment_rows)
    insert_rows(Cover, cover_rows, on_row=Progress(ctx.stdout, "covers", len(cover_rows)).tick)

    # Who claims what, when: members drawn with replacement; a member's stays do not overlap.
    count = _scaled(ctx, round(DEFAULT_MEMBERS * CLAIMS_PER_MEMBER), 10) if covered else 0
    last_day = min(today - dt.timedelta(days=3), scheme.ends_on)
    per_member: dict[int, int] = {}
    waiting_end = dict(covered)
    for _ in range(count):
        member_id = rng.choice(covered)[0]
        per_member[member_id] = per_member.get(member_id, 0) + 1
    settled = synthetic.Chooser(SETTLED_STATES)
    recent = synthetic.Chooser(RECENT_STATES)
    now = timezone.now()
    claim_ids = iter(next_ids(Claim, count))
    claims: list[dict] = []
    ledgers: list[dict] = []
    for member_id, k in per_member.items():
        first_day = waiting_end[member_id]
        span = max(k * 3, (last_day - first_day).days)
        segment = span // k
        cumulative, paid_total = Decimal("0"), Decimal("0")
        for i in range(k):
            admitted = first_day + dt.timedelta(days=i * segment + rng.randrange(max(1, segment - 2)))
            stay = min(max(1, segment - 2), 1 + int(rng.expovariate(1 / 6)))
            discharged = min(admitted + dt.timedelta(days=stay), last_day)
            admitted = min(admitted, discharged)
            delay = 1 + int(rng.expovariate(1 / 12))
            submitted = min(now - dt.timedelta(hours=1), _aware(discharged + dt.timedelta(days=delay), rng))
            age = (now - submitted).days
            status = settled(rng) if age > 45 else recent(rng)
            self_paid = round_fen(max(Decimal("1200"), Decimal(str(round(rng.lognormvariate(8.3, 0.8), 2)))))
            excluded = round_fen(self_paid * Decimal("0.05")) if rng.random() < 0.15 else Decimal("0.00")
            total = round_fen(self_paid / Decimal(str(round(rng.uniform(0.3, 0.7), 2))))
            base = self_paid - excluded
            computation = compute_inpatient(rules, base=base, prior_base=cumulative, prior_paid=paid_total)
            amount = computation.amount
            if status in COMMITTED and amount <= 0:
                status = "rejected"  # the cap is used up
            decided = submitted + dt.timedelta(days=2 + rng.randrange(max(1, min(20, age - 1))))
            decided = min(decided, now - dt.timedelta(minutes=30))
            paid_at = None
            if status in ("paid", "payment_failed"):
                paid_at = min(now - dt.timedelta(minutes=10), decided + dt.timedelta(days=3 + rng.randrange(20)))
            committed = status in COMMITTED
            bank_name, account = synthetic.bank_card(rng)
            if committed:
                cumulative += base
                paid_total += amount
            reviewed_twice = status in ("second_review",) or committed or status == "rejected"
            checks = [{"code": c, "ok": True, "params": {}} for c in
                      ("MEMBER_NOT_ACTIVE", "NOT_COVERED", "DEADLINE_MISSED", "DOCUMENTS_MISSING",
                       "INVOICE_REUSED", "STAY_OVERLAP", "CAP_REACHED")]  # fmt: skip
            if status == "returned":
                checks[3] = {"code": "DOCUMENTS_MISSING", "ok": False, "params": {"documents": ["settlement"]}}
            claims.append({
                "id": next(claim_ids), "member_id": member_id, "scheme_id": scheme.pk, "benefit_id": benefit.pk,
                "rule_version_id": version.pk, "filed_by_id": users["handler"].pk, "status": status,
                "hospital": rng.choice(HOSPITALS), "admission_date": admitted, "discharge_date": discharged,
                "total_amount": total, "self_paid_amount": self_paid, "excluded_amount": excluded,
                "disease_code": "", "payee_bank_account": account, "payee_bank_name": bank_name,
                "consent_version": ma_services.CONSENT_VERSION, "consent_at": submitted, "submitted_at": submitted,
                "submission": 1,
                "auto_reviewed_submission": 1, "auto_checks": checks,
                "auto_passed": status != "returned", "proposed_amount": amount,
                "working": computation.as_working(),
                "first_reviewer_id": users["reviewer1"].pk if status != "first_review" else None,
                "second_reviewer_id": users["reviewer2"].pk if reviewed_twice else None,
                "adjusted_amount": None, "adjust_reason": "",
                "missing_documents": ["settlement"] if status == "returned" else [],
                "return_note": "请补充住院费用结算单" if status == "returned" else "",
                "rejected_by_id": users["reviewer2"].pk if status in ("rejected", "appealed") else None,
                "rejection_reason": "已达封顶或住院时段重复" if status in ("rejected", "appealed") else "",
                "decided_at": decided if reviewed_twice or status in ("appealed", "returned") else None,
                "approved_amount": amount if committed else None,
                "approved_working": computation.as_working() if committed else {},
                "appealed_at": decided + dt.timedelta(days=1) if status == "appealed" else None,
                "appeal_reason": "住院时段并不重复，请复核" if status == "appealed" else "",
                "appeal_reviewer_id": None, "paid_at": paid_at if status == "paid" else None,
                "created_at": submitted, "updated_at": paid_at or decided,
            })  # fmt: skip
        ledgers.append((member_id, cumulative, paid_total))

    ledger_ids = iter(next_ids(Ledger, len(ledgers)))
    insert_rows(Ledger, ({"id": next(ledger_ids), "scheme_id": scheme.pk, "member_id": m, "cumulative_base": c,
                          "inpatient_paid": p, "lump_sums_paid": Decimal("0"), "lump_sums_used": []}
                         for m, c, p in ledgers))  # fmt: skip
    insert_rows(Claim, claims, on_row=Progress(ctx.stdout, "claims", len(claims)).tick)
    invoice_ids = iter(next_ids(ClaimInvoice, len(claims)))
    insert_rows(ClaimInvoice, ({"id": next(invoice_ids), "claim_id": c["id"], "number": f"3306{year % 100:02d}S{c['id']:08d}"}
                               for c in claims))  # fmt: skip

    # Payment batches (the core's): a closed one per month of payment, an open one for the claims in batch.
    claim_type = ContentType.objects.get_for_model(Claim)

    def batch_key(c: dict) -> object:
        when = "open" if c["status"] == "in_batch" else c["paid_at"] or c["updated_at"]
        return when if when == "open" else (when.year, when.month)

    # As many batch ids as months of payment (how many depends on the day the data is generated for).
    paying = [c for c in claims if c["status"] in ("paid", "payment_failed", "in_batch")]
    keys = list(dict.fromkeys(batch_key(c) for c in paying))
    batch_ids = iter(next_ids(PaymentBatch, len(keys)))
    batches: dict[object, dict] = {}
    payments: list[dict] = []
    for c in paying:
        key = batch_key(c)
        if key not in batches:
            created = now - dt.timedelta(days=1) if key == "open" else _aware(dt.date(key[0], key[1], 1), rng)
            batches[key] = {"id": next(batch_ids), "org_id": district.pk, "created_by_id": users["finance"].pk,
                            "app_label": "mutual_aid",
                            "created_at": created, "total": Decimal("0"),
                            "status": PaymentBatch.Status.OPEN if key == "open" else PaymentBatch.Status.CLOSED}  # fmt: skip
        batch = batches[key]
        batch["total"] += c["approved_amount"]
        state = {"paid": Payment.Status.PAID, "payment_failed": Payment.Status.FAILED}.get(c["status"], Payment.Status.PENDING)  # fmt: skip
        payments.append({
            "batch_id": batch["id"], "payer_type_id": claim_type.pk, "payer_id": c["id"],
            "amount": c["approved_amount"], "account_name": "", "purpose": ma_services.CLAIM_PAYMENT_PURPOSE,
            "reference": f"MA{c['scheme_id']:02d}-{c['id']:07d}",
            "bank_account": c["payee_bank_account"], "bank_name": c["payee_bank_name"], "status": state,
            "bank_reference": f"ICBC{c['id']:010d}" if state == Payment.Status.PAID else "",
            "failure_reason": "户名与账号不符" if state == Payment.Status.FAILED else "",
            "decided_by_id": users["finance"].pk if state != Payment.Status.PENDING else None,
            "decided_at": c["updated_at"] if state != Payment.Status.PENDING else None,
        })  # fmt: skip
    member_of = {c["id"]: c["member_id"] for c in claims}
    names = dict(Member.objects.filter(pk__in={member_of[p["payer_id"]] for p in payments}).values_list("pk", "name"))
    payment_ids = iter(next_ids(Payment, len(payments)))
    for p in payments:
        p["id"] = next(payment_ids)
        p["account_name"] = names.get(member_of[p["payer_id"]], "")
    insert_rows(PaymentBatch, batches.values())
    insert_rows(Payment, ({"id": p.pop("id"), **p} for p in payments))

    # History: submitted, automatic review, then the last decision.
    last_action = {"second_review": "first_approved", "returned": "returned", "rejected": "rejected",
                   "appealed": "appealed", "approved": "approved", "in_batch": "in_batch", "paid": "paid",
                   "payment_failed": "payment_failed"}  # fmt: skip
    last_by = {"second_review": "reviewer1", "returned": "reviewer1", "rejected": "reviewer2", "appealed": "handler",
               "approved": "reviewer2", "in_batch": "finance", "paid": "finance", "payment_failed": "finance"}  # fmt: skip
    total_events = len(claims) * 2 + sum(1 for c in claims if c["status"] in last_action)
    event_ids = iter(next_ids(ClaimEvent, total_events))

    def events():
        for c in claims:
            yield {"id": next(event_ids), "claim_id": c["id"], "action": "submitted", "from_status": "",
                   "to_status": "submitted", "by_id": users["handler"].pk, "note": "", "amount": None,
                   "at": c["submitted_at"]}  # fmt: skip
            yield {"id": next(event_ids), "claim_id": c["id"], "action": "auto_reviewed", "from_status": "submitted",
                   "to_status": "first_review", "by_id": None, "note": "", "amount": c["proposed_amount"],
                   "at": c["submitted_at"] + dt.timedelta(seconds=2)}  # fmt: skip
            if c["status"] in last_action:
                yield {"id": next(event_ids), "claim_id": c["id"], "action": last_action[c["status"]],
                       "from_status": "first_review", "to_status": c["status"], "by_id": users[last_by[c["status"]]].pk,
                       "note": c["rejection_reason"] or c["return_note"], "amount": c["approved_amount"],
                       "at": c["updated_at"]}  # fmt: skip

    insert_rows(ClaimEvent, events())
    reset_sequences(Enrolment, Cover, Ledger, Claim, ClaimInvoice, PaymentBatch, Payment, ClaimEvent)
    states: dict[str, int] = {}
    for c in claims:
        states[c["status"]] = states.get(c["status"], 0) + 1
    spread = ", ".join(f"{s} {n:,}" for s, n in sorted(states.items(), key=lambda kv: -kv[1]))
    return (f"{len(claims):,} claims ({spread}); {len(enrolment_rows):,} enrolments, {len(cover_rows):,} covers, "
            f"{len(ledgers):,} ledgers, {len(payments):,} payments in {len(batches)} batches")  # fmt: skip


# --- competitions ----------------------------------------------------------------------------------------

GROUPS = ("交通工程组", "城建工程组", "水利工程组", "产业项目组", "民生工程组")
PROJECTS = ("快速路", "综合体", "污水管网", "安置房", "标准厂房", "学校", "医院", "大桥", "堤防", "智慧园区")


@step("competitions", after="claims")
def build_competitions(ctx: Context) -> str:
    """Last year's merit competition: 200 project departments and contractors of the synthetic firms in five
    project groups, three judges per team and quarter (none scoring their own organisation), every criterion
    scored (up to three judges: the demo has five), and the four quarters closed and released through the app's services (ranking, honours)."""
    from competitions import services as c_services
    from competitions.models import Campaign, JudgeAssignment, Period, Score, Team
    from union_portal.roles import Role

    rng = random.Random(ctx.rng.random())
    admin = _users("district_admin")["district_admin"]
    district = OrgUnit.objects.get(code="SX-KQ")
    year = ctx.today.year - 1
    campaign = c_services.campaign_create(
        by=admin, org=district, kind=Campaign.Kind.MERIT, name=f"{year}年重点工程立功竞赛（压测数据）", year=year,
        description="压测数据：全区重点工程项目部和施工单位开展“六比六赛”立功竞赛。",
    )  # fmt: skip
    groups = [c_services.group_add(by=admin, campaign=campaign, name=name) for name in GROUPS]
    judges = list(get_user_model().objects.filter(assignments__role=Role.JUDGE).distinct().order_by("username"))
    if len(judges) < 2:
        raise RuntimeError("Fewer than two judges: run `manage.py seed_demo` first.")
    count = min(_scaled(ctx, TEAMS, 6), len(ctx.unions) * 3)
    team_ids = iter(next_ids(Team, count))
    rows = []
    for i in range(count):
        union = ctx.unions[i % len(ctx.unions)]
        firm = union.firms[i // len(ctx.unions) % len(union.firms)]
        kind = Team.Kind.PROJECT_DEPARTMENT if rng.random() < 0.7 else Team.Kind.CONTRACTOR
        suffix = "项目部" if kind == Team.Kind.PROJECT_DEPARTMENT else "施工单位"
        rows.append({
            "id": next(team_ids), "campaign_id": campaign.pk, "group_id": groups[i % len(groups)].pk, "kind": kind,
            "name": f"{firm.name[:40]}{rng.choice(PROJECTS)}{suffix}{i + 1:03d}", "org_id": union.id,
            "enterprise_id": firm.id, "member_id": None, "tie_breaker": rng.randrange(2**31),
            "serious_accident": False, "accident_note": "",
        })  # fmt: skip
    insert_rows(Team, rows)
    reset_sequences(Team)
    teams = list(Team.objects.filter(campaign=campaign).select_related("org").order_by("pk"))
    allowed = {
        team.pk: [j for j in judges if c_services.conflict_of_interest(judge=j, team=team) is None] for team in teams
    }
    criteria = list(campaign.criteria.order_by("order"))
    periods = list(campaign.periods.order_by("starts_on"))
    strength = {team.pk: rng.gauss(80, 6) for team in teams}
    assignments, scores = [], []
    assignment_ids = iter(next_ids(JudgeAssignment, len(periods) * len(teams) * 3))
    score_ids = iter(next_ids(Score, len(periods) * len(teams) * 3 * len(criteria)))
    for period in periods:
        for team in teams:
            strength[team.pk] += rng.gauss(0, 2)
            for judge in rng.sample(allowed[team.pk], k=min(3, len(allowed[team.pk]))):
                assignment_id = next(assignment_ids)
                assignments.append({"id": assignment_id, "period_id": period.pk, "team_id": team.pk,
                                    "judge_id": judge.pk, "assigned_by_id": admin.pk})  # fmt: skip
                bias = rng.gauss(0, 2)
                for criterion in criteria:
                    share = max(0.0, min(100.0, strength[team.pk] + bias + rng.gauss(0, 4))) / 100
                    value = (Decimal(str(share)) * criterion.max_score * 2).quantize(Decimal("1")) / 2
                    scores.append({"id": next(score_ids), "assignment_id": assignment_id,
                                   "criterion_id": criterion.pk, "value": min(value, criterion.max_score)})  # fmt: skip
    insert_rows(JudgeAssignment, assignments)
    insert_rows(Score, scores)
    reset_sequences(JudgeAssignment, Score)
    honours = 0
    for period in periods:
        c_services.period_close(by=admin, period=period)
        honours += len(c_services.period_release(by=admin, period=Period.objects.get(pk=period.pk)))
    results = sum(p.results.count() for p in periods)
    return (f"{len(teams)} teams in {len(groups)} groups, {len(assignments):,} judge assignments, "
            f"{len(scores):,} scores, {results:,} released results, {honours} honours ({year}, 4 quarters)")  # fmt: skip


# --- awards ----------------------------------------------------------------------------------------------

NOMINATION_STATES = (("draft", 8), ("township_review", 24), ("district_review", 24), ("returned", 9), ("passed", 30),
                     ("withdrawn", 5))  # fmt: skip


@step("awards", after="competitions")
def build_awards(ctx: Context) -> str:
    """This year's commendation round of the district (in nominations and review) with 5,000 nominations of
    synthetic members and unions across the stages (draft, township and district review, returned, passed,
    withdrawn), their review steps, and quotas per township that hold them."""
    from awards import services as a_services
    from awards.demo import TYPES
    from awards.models import Nomination, Quota
    from union_portal.notices.models import ReviewStep

    rng = random.Random(ctx.rng.random())
    users = _users("district_admin", "huashe_staff")
    admin = users["district_admin"]
    district = OrgUnit.objects.get(code="SX-KQ")
    today = ctx.today
    round_ = a_services.round_create(
        by=admin, org=district, year=today.year, title=f"{today.year}年度先进集体和先进个人表彰（压测数据）",
        nominations_open=today - dt.timedelta(days=40), nominations_close=today + dt.timedelta(days=20),
        township_review_by=today + dt.timedelta(days=23), district_review_by=today + dt.timedelta(days=29),
        notice_planned=today + dt.timedelta(days=35), issuer="绍兴市柯桥区总工会", award_types=TYPES,
    )  # fmt: skip
    types = {t.kind: t for t in round_.award_types.all()}
    individual = [(types[k], w) for k, w in (("advanced_individual", 70), ("model_worker", 10), ("may_day_medal", 5))]
    collective = [(types[k], w) for k, w in (("advanced_collective", 10), ("worker_pioneer", 5))]
    type_chooser = synthetic.Chooser(individual + collective)
    status_chooser = synthetic.Chooser(NOMINATION_STATES)
    count = _scaled(ctx, NOMINATIONS, 20)
    active = [m for m, _o, _j, status, _c in ctx.member_facts if status == Member.Status.ACTIVE]
    township_of = {u.id: u.parent for u in ctx.unions}
    plan = []
    people: set[int] = set()
    unions_taken: set[tuple[int, int]] = set()
    for _ in range(count):
        award_type = type_chooser(rng)
        if award_type.is_collective:
            union = rng.choice(ctx.unions)
            if (award_type.pk, union.id) in unions_taken:
                award_type = types["advanced_individual"]
            else:
                unions_taken.add((award_type.pk, union.id))
                plan.append((award_type, None, union, status_chooser(rng)))
                continue
        member_id = rng.choice(active)
        while member_id in people:
            member_id = rng.choice(active)
        people.add(member_id)
        plan.append((award_type, member_id, None, status_chooser(rng)))
    members = {
        m["id"]: m
        for m in Member.objects.filter(pk__in=people).values(
            "id", "name", "org_id", "enterprise_id", "id_number_hash", "sex", "is_frontline", "is_technical",
            "is_enterprise_head", "is_migrant")
    }  # fmt: skip
    firms = dict(
        Enterprise.objects.filter(pk__in={m["enterprise_id"] for m in members.values()}
                                  | {u.firms[0].id for _t, _m, u, _s in plan if u}).values_list("pk", "name")
    )  # fmt: skip
    nomination_ids = iter(next_ids(Nomination, len(plan)))
    nomination_type = ContentType.objects.get_for_model(Nomination)  # reviews are the core's ReviewStep rows
    now = timezone.now()
    rows, reviews = [], []
    held: dict[tuple[int, int], int] = {}  # (award type, township) -> places used
    for award_type, member_id, union, status in plan:
        nomination_id = next(nomination_ids)
        if member_id is not None:
            m = members[member_id]
            org_id, enterprise_id = m["org_id"], m["enterprise_id"]
            candidate = {"member_id": member_id, "candidate_org_id": None, "candidate_name": m["name"],
                         "person_hash": m["id_number_hash"], "is_frontline_or_technical": m["is_frontline"] or m["is_technical"],
                         "is_enterprise_head": m["is_enterprise_head"], "is_female": m["sex"] == "F",
                         "is_migrant": m["is_migrant"]}  # fmt: skip
        else:
            org_id, enterprise_id = union.id, union.firms[0].id
            candidate = {"member_id": None, "candidate_org_id": union.id, "candidate_name": union.name,
                         "person_hash": "", "is_frontline_or_technical": False, "is_enterprise_head": False,
                         "is_female": False, "is_migrant": False}  # fmt: skip
        created = now - dt.timedelta(days=rng.uniform(1, 39))
        submitted = created + dt.timedelta(hours=rng.uniform(1, 48)) if status != "draft" else None
        submitted = min(submitted, now) if submitted else None
        if status in Nomination.COUNTED:
            key = (award_type.pk, township_of[org_id].pk)
            held[key] = held.get(key, 0) + 1
        rows.append({
            "id": nomination_id, "round_id": round_.pk, "award_type_id": award_type.pk, "org_id": org_id,
            "enterprise_id": enterprise_id, **candidate, "unit_name": firms.get(enterprise_id, "")[:200],
            "deeds_summary": f"{candidate['candidate_name']}同志（单位）爱岗敬业，在本职岗位上作出突出贡献。",
            "deeds_file": f"awards/deeds/bench-{nomination_id}.pdf", "congress_file": "", "past_honours": [],
            "competition_record": [], "status": status,
            "return_comment": "请补充近三年工作业绩的证明材料" if status == "returned" else "",
            "withdrawn_reason": "本人申请撤回" if status == "withdrawn" else "", "submitted_at": submitted,
            "certificate_number": "", "created_by_id": admin.pk, "created_at": created, "updated_at": submitted or created,
        })  # fmt: skip
        steps = {"district_review": [("township", "pass")], "passed": [("township", "pass"), ("district", "pass")],
                 "returned": [("township", "return")]}.get(status, [])  # fmt: skip
        for i, (stage, decision) in enumerate(steps, start=1):
            reviews.append({"subject_type_id": nomination_type.pk, "subject_id": nomination_id, "stage": stage,
                            "decision": decision,
                            "comment": rows[-1]["return_comment"] if decision == "return" else "",
                            "by_id": users["huashe_staff"].pk if stage == "township" else admin.pk,
                            "created_at": min(now, submitted + dt.timedelta(days=i))})  # fmt: skip
    quota_ids = iter(next_ids(Quota, len(types) * 20))
    townships = {u.parent.pk for u in ctx.unions}
    quotas = [
        {"id": next(quota_ids), "round_id": round_.pk, "award_type_id": t.pk, "union_id": township,
         "places": min(32767, held.get((t.pk, township), 0) + 5)}
        for t in types.values() for township in sorted(townships)
    ]  # fmt: skip
    insert_rows(Quota, quotas)
    reset_sequences(Quota)
    a_services.round_open(by=admin, round_=round_)
    insert_rows(Nomination, rows, on_row=Progress(ctx.stdout, "nominations", len(rows)).tick)
    review_ids = iter(next_ids(ReviewStep, len(reviews)))
    insert_rows(ReviewStep, ({"id": next(review_ids), **r} for r in reviews))
    reset_sequences(Nomination, ReviewStep)
    states: dict[str, int] = {}
    for r in rows:
        states[r["status"]] = states.get(r["status"], 0) + 1
    spread = ", ".join(f"{s} {n:,}" for s, n in sorted(states.items(), key=lambda kv: -kv[1]))
    kinds = sum(1 for r in rows if r["member_id"] is None)
    return (
        f"{len(rows):,} nominations ({spread}; {kinds} of units), {len(reviews):,} review steps, {len(quotas)} quotas"
    )
