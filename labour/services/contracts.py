"""Collective contracts, bargaining rounds, the register of bargaining officers and the deadline rules.

Every state change checks the transition, the acting user's right (``labour.permissions.contracts``) and its
dates, writes the audit log and tells the union's staff. Dates come in as arguments (``today`` injectable);
deadlines come from ``labour.deadlines`` (data the district admin edits)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Enterprise
from union_portal import tree
from union_portal.audit import audit_record
from union_portal.money import round_fen
from union_portal.notifications import notify
from union_portal.roles import Role, role_holders
from union_portal.scoping import has_role
from union_portal.uploads import check_upload

from .. import deadlines
from ..models import (
    BargainingOfficer,
    BargainingRound,
    BargainingSession,
    CollectiveContract,
    DeadlineKey,
    DeadlineRule,
)
from ..permissions.contracts import DEADLINE_ADMIN_ROLES, can_change_at
from ..rules_contracts import MAX_TERM_YEARS, term_end_limits, vote_passes

Status = CollectiveContract.Status
RoundStatus = BargainingRound.Status


# --- helpers ----------------------------------------------------------------------------------------------


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _not_future(value: dt.date, today: dt.date, field: str) -> None:
    if value > today:
        raise ValidationError({field: _("This date is in the future.")})


def _check_can_change(by, org) -> None:
    if not can_change_at(by, org):
        raise PermissionDenied


def _check_term(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    if starts_on is None or ends_on is None:
        return
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The contract must end after it starts.")})
    shortest, longest = term_end_limits(starts_on)
    if ends_on > longest:
        raise ValidationError(
            {"ends_on": _("A collective contract runs for at most %(years)s years.") % {"years": MAX_TERM_YEARS}}
        )
    if ends_on < shortest:
        raise ValidationError({"ends_on": _("A collective contract runs for at least one year.")})


def _staff_of(org) -> list:
    """Who hears of a union's contracts: its handlers and the township staff at or above it (each once)."""
    people = {u.pk: u for u in role_holders(Role.HANDLER, at=org)}
    people.update({u.pk: u for u in role_holders(Role.TOWNSHIP_STAFF, at_or_above=org)})
    return list(people.values())


def _tell_staff(org, *, event: str, title: str, body: str, link: str) -> None:
    for user in _staff_of(org):
        notify(user=user, event_key=f"{event}.{user.pk}", title=title, body=body, link=link)


def _enterprise_in(enterprise: Enterprise, org) -> bool:
    """The enterprise belongs under the union ``org`` (its own union or its township lies in the subtree)."""
    return (enterprise.union_id is not None and tree.is_within(enterprise.union, org)) or tree.is_within(
        enterprise.township, org
    )


def _lock_contract(contract: CollectiveContract) -> CollectiveContract:
    return (
        CollectiveContract.objects.select_for_update(of=("self",))
        .select_related("org", "enterprise")
        .get(pk=contract.pk)
    )


def _lock_round(round_: BargainingRound) -> BargainingRound:
    return BargainingRound.objects.select_for_update(of=("self",)).select_related("org", "enterprise").get(pk=round_.pk)


# --- deadline rules --------------------------------------------------------------------------------------


@transaction.atomic
def deadline_rule_set(*, by, key: str, length: int, unit: str, first_day_counts: bool) -> DeadlineRule:
    """Set the rule of one deadline (district admin). Open periods keep the due dates already computed; new
    events use the new rule. Audited with the old and the new rule."""
    if not has_role(by, *DEADLINE_ADMIN_ROLES):
        raise PermissionDenied
    if key not in DeadlineKey.values:
        raise ValidationError({"key": _("Unknown deadline.")})
    if unit not in DeadlineRule.Unit.values:
        raise ValidationError({"unit": _("Choose working or calendar days.")})
    if not 1 <= length <= 366:
        raise ValidationError({"length": _("A deadline is between 1 and 366 days long.")})
    old = deadlines.rule_for(key)
    rule, _created = DeadlineRule.objects.update_or_create(
        key=key, defaults={"length": length, "unit": unit, "first_day_counts": first_day_counts}
    )
    audit_record(
        actor=by,
        action="labour.deadline_rule_set",
        obj=rule,
        detail={
            "key": key,
            "old": [old.length, old.unit, old.first_day_counts],
            "new": [length, unit, first_day_counts],
        },
    )
    return rule


# --- contracts ---------------------------------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *,
    by,
    kind: str,
    level: str,
    title: str,
    org=None,
    enterprise: Enterprise | None = None,
    covered: Iterable[Enterprise] = (),
    workers_covered: int = 0,
    union_party: str = "",
    employer_party: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    wage_growth_pct: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    weekly_hours: Decimal | None = None,
    other_terms: str = "",
) -> CollectiveContract:
    """A contract in draft. An enterprise contract belongs to the enterprise's union (``org`` defaults to it)
    and covers that enterprise; a regional or industry one belongs to ``org`` and covers ``covered``, which
    must lie under it."""
    if kind not in CollectiveContract.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of contract.")})
    if level not in CollectiveContract.Level.values:
        raise ValidationError({"level": _("Choose the level of the contract.")})
    covered = list(covered)
    if level == CollectiveContract.Level.ENTERPRISE:
        if enterprise is None:
            raise ValidationError({"enterprise": _("An enterprise contract needs its enterprise.")})
        org = org or enterprise.union or enterprise.township
        covered = [enterprise]
    else:
        enterprise = None
        if org is None:
            raise ValidationError({"org": _("Choose the union that makes the contract.")})
        if not covered:
            raise ValidationError({"covered": _("Choose the enterprises the contract covers.")})
    _check_can_change(by, org)
    for firm in covered:
        if not _enterprise_in(firm, org):
            raise ValidationError(
                {"covered": _("%(firm)s does not belong under %(union)s.") % {"firm": firm.name, "union": org.name}}
            )
    if not title.strip():
        raise ValidationError({"title": _("Give the contract a title.")})
    _check_term(starts_on, ends_on)
    if wage_growth_pct is not None and not Decimal("-100") < wage_growth_pct < Decimal("1000"):
        raise ValidationError({"wage_growth_pct": _("The wage growth is not a plausible percentage.")})
    if minimum_wage is not None and minimum_wage < 0:
        raise ValidationError({"minimum_wage": _("The minimum wage cannot be negative.")})
    if weekly_hours is not None and not Decimal("0") < weekly_hours <= Decimal("84"):
        raise ValidationError({"weekly_hours": _("The weekly hours must be between 0 and 84.")})
    if workers_covered < 0:
        raise ValidationError({"workers_covered": _("The number of workers cannot be negative.")})
    contract = CollectiveContract.objects.create(
        kind=kind,
        level=level,
        org=org,
        enterprise=enterprise,
        title=title.strip(),
        workers_covered=workers_covered or sum(f.employee_count for f in covered),
        union_party=union_party.strip() or org.name,
        employer_party=employer_party.strip() or (enterprise.name if enterprise else ""),
        starts_on=starts_on,
        ends_on=ends_on,
        wage_growth_pct=wage_growth_pct,
        minimum_wage=round_fen(minimum_wage) if minimum_wage is not None else None,
        weekly_hours=weekly_hours,
        other_terms=other_terms.strip(),
        created_by=by,
    )
    contract.covered.set(covered)
    audit_record(
        actor=by,
        action="labour.contract_create",
        obj=contract,
        detail={"kind": kind, "level": level, "covered": [f.pk for f in covered]},
    )
    return contract


@transaction.atomic
def contract_vote(
    *,
    by,
    contract: CollectiveContract,
    delegates: int,
    present: int,
    in_favour: int,
    voted_on: dt.date,
    today: dt.date | None = None,
) -> CollectiveContract:
    """Record the workers' congress vote on the draft. A vote that misses the quorum or the majority is
    recorded too (the draft goes back to bargaining); only a passed vote allows the signing."""
    today = _today(today)
    contract = _lock_contract(contract)
    _check_can_change(by, contract.org)
    if contract.status != Status.DRAFT:
        raise ValidationError(_("Only a draft is put to the vote."), code="stage")
    if delegates <= 0:
        raise ValidationError({"delegates": _("The congress has no delegates.")})
    if present > delegates:
        raise ValidationError({"present": _("More delegates present than the congress has delegates.")})
    if in_favour > present:
        raise ValidationError({"in_favour": _("More votes in favour than delegates present.")})
    _not_future(voted_on, today, "voted_on")
    contract.delegates, contract.present, contract.in_favour, contract.voted_on = (
        delegates,
        present,
        in_favour,
        voted_on,
    )
    contract.save(update_fields=["delegates", "present", "in_favour", "voted_on", "updated_at"])
    passed = vote_passes(delegates=delegates, present=present, in_favour=in_favour)
    audit_record(
        actor=by,
        action="labour.contract_vote",
        obj=contract,
        detail={"delegates": delegates, "present": present, "in_favour": in_favour, "passed": passed},
    )
    return contract


@transaction.atomic
def contract_sign(
    *,
    by,
    contract: CollectiveContract,
    signed_on: dt.date,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
) -> CollectiveContract:
    """Sign a draft the workers' congress passed. Sets the filing deadline (10 days by default) and the
    deadline for publishing it to the staff (5 working days); the linked bargaining round is signed."""
    today = _today(today)
    contract = _lock_contract(contract)
    _check_can_change(by, contract.org)
    if contract.status != Status.DRAFT:
        raise ValidationError(_("This contract is already signed."), code="stage")
    if not contract.vote_passed:
        raise ValidationError(
            _("The workers' congress has not passed the draft (2/3 present, more than half of all in favour)."),
            code="vote",
        )
    _not_future(signed_on, today, "signed_on")
    if contract.voted_on and signed_on < contract.voted_on:
        raise ValidationError({"signed_on": _("A contract is signed after the congress voted on it.")})
    starts_on = starts_on or contract.starts_on or signed_on
    ends_on = ends_on or contract.ends_on
    if ends_on is None:
        raise ValidationError({"ends_on": _("Give the last day of the contract.")})
    _check_term(starts_on, ends_on)
    contract.signed_on, contract.starts_on, contract.ends_on = signed_on, starts_on, ends_on
    contract.filing_due = deadlines.due(DeadlineKey.CONTRACT_FILING, signed_on)[0]
    contract.publish_due = deadlines.due(DeadlineKey.CONTRACT_PUBLISH, signed_on)[0]
    contract.status = Status.SIGNED
    contract.save()
    BargainingRound.objects.filter(contract=contract).exclude(status=RoundStatus.FAILED).update(
        status=RoundStatus.SIGNED, updated_at=timezone.now()
    )
    audit_record(
        actor=by,
        action="labour.contract_sign",
        obj=contract,
        detail={"signed_on": signed_on.isoformat(), "filing_due": contract.filing_due.isoformat()},
    )
    _tell_staff(
        contract.org,
        event=f"labour.contract.{contract.pk}.signed",
        title=_("Collective contract signed: file it by %(date)s") % {"date": contract.filing_due.isoformat()},
        body=contract.title,
        link=contract.get_absolute_url(),
    )
    return contract


@transaction.atomic
def contract_file(
    *, by, contract: CollectiveContract, filed_on: dt.date, today: dt.date | None = None
) -> CollectiveContract:
    """Record the filing with the labour authority; its objection window (15 days by default) starts. A filing
    after the deadline is recorded, and the audit row says it was late."""
    today = _today(today)
    contract = _lock_contract(contract)
    _check_can_change(by, contract.org)
    if contract.status != Status.SIGNED:
        raise ValidationError(_("Only a signed contract waiting for its filing can be filed."), code="stage")
    if filed_on < contract.signed_on:
        raise ValidationError({"filed_on": _("A contract cannot be filed before it was signed.")})
    _not_future(filed_on, today, "filed_on")
    contract.filed_on = filed_on
    contract.objection_ends = deadlines.due(DeadlineKey.CONTRACT_OBJECTION, filed_on)[0]
    contract.status = Status.FILED
    contract.save(update_fields=["filed_on", "objection_ends", "status", "updated_at"])
    audit_record(
        actor=by,
        action="labour.contract_file",
        obj=contract,
        detail={"filed_on": filed_on.isoformat(), "late": bool(contract.filing_due and filed_on > contract.filing_due)},
    )
    return contract


@transaction.atomic
def contract_answer(
    *,
    by,
    contract: CollectiveContract,
    objection: bool,
    answered_on: dt.date,
    note: str = "",
    today: dt.date | None = None,
) -> CollectiveContract:
    """Record the labour authority's answer: no objection (in force) or an objection (with its reasons; the
    parties bargain again)."""
    today = _today(today)
    contract = _lock_contract(contract)
    _check_can_change(by, contract.org)
    if contract.status != Status.FILED:
        raise ValidationError(_("Only a filed contract waits for the authority's answer."), code="stage")
    if answered_on < contract.filed_on:
        raise ValidationError({"answered_on": _("The authority cannot answer before the filing.")})
    _not_future(answered_on, today, "answered_on")
    if objection and not note.strip():
        raise ValidationError({"note": _("Give the authority's reasons for the objection.")})
    contract.answered_on, contract.authority_note = answered_on, note.strip()
    contract.status = Status.OBJECTED if objection else Status.EFFECTIVE
    contract.save(update_fields=["answered_on", "authority_note", "status", "updated_at"])
    audit_record(
        actor=by,
        action="labour.contract_answer",
        obj=contract,
        detail={"objection": objection, "answered_on": answered_on.isoformat()},
    )
    if objection:
        _tell_staff(
            contract.org,
            event=f"labour.contract.{contract.pk}.objected",
            title=_("The labour authority objected to a collective contract"),
            body=contract.title,
            link=contract.get_absolute_url(),
        )
    return contract


@transaction.atomic
def contract_publish(
    *, by, contract: CollectiveContract, published_on: dt.date, today: dt.date | None = None
) -> CollectiveContract:
    """Record that the signed contract was published to all staff (due within 5 working days of signing)."""
    today = _today(today)
    contract = _lock_contract(contract)
    _check_can_change(by, contract.org)
    if contract.status not in (Status.SIGNED, Status.FILED, Status.EFFECTIVE):
        raise ValidationError(_("Only a signed contract is published to the staff."), code="stage")
    if published_on < contract.signed_on:
        raise ValidationError({"published_on": _("A contract cannot be published before it was signed.")})
    _not_future(published_on, today, "published_on")
    contract.published_on = published_on
    contract.save(update_fields=["published_on", "updated_at"])
    audit_record(actor=by, action="labour.contract_publish", obj=contract, detail={"on": published_on.isoformat()})
    return contract


@transaction.atomic
def contracts_take_effect(*, today: dt.date | None = None) -> list[int]:
    """Filed contracts whose objection window has passed without an answer are in force (the regulation's
    tacit approval); contracts in force past their last day expire. Idempotent (beat)."""
    today = _today(today)
    effective = list(
        CollectiveContract.objects.select_for_update()
        .filter(status=Status.FILED, objection_ends__lt=today)
        .order_by("pk")
    )
    for contract in effective:
        contract.status = Status.EFFECTIVE
        contract.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="labour.contract_effective", obj=contract, detail={"tacit": True})
    expired = list(
        CollectiveContract.objects.select_for_update().filter(status=Status.EFFECTIVE, ends_on__lt=today).order_by("pk")
    )
    for contract in expired:
        contract.status = Status.EXPIRED
        contract.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="labour.contract_expire", obj=contract)
    return [c.pk for c in effective + expired]


# --- bargaining rounds ---------------------------------------------------------------------------------------


@transaction.atomic
def round_request(
    *,
    by,
    enterprise: Enterprise | None = None,
    org=None,
    requested_by: str,
    received_on: dt.date,
    subject: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> BargainingRound:
    """Open a bargaining round on a request by either side (``requested_by``: "union" or "employer"),
    received on ``received_on``. The union is ``org``, or the enterprise's union (its township when it has
    none). The reply is due in 10 working days (counted from the day after, DOMAIN.md), bargaining finished in
    60 days. Called by the cadres' liaison branch to open a bargaining follow-up."""
    today = _today(today)
    if enterprise is None and org is None:
        raise ValidationError({"enterprise": _("Choose the enterprise or the union of the bargaining.")})
    if org is None:
        org = enterprise.union or enterprise.township
    _check_can_change(by, org)
    if enterprise is not None and not _enterprise_in(enterprise, org):
        raise ValidationError(
            {
                "enterprise": _("%(firm)s does not belong under %(union)s.")
                % {"firm": enterprise.name, "union": org.name}
            }
        )
    if requested_by not in BargainingRound.Side.values:
        raise ValidationError({"requested_by": _("Say which side asked for bargaining.")})
    _not_future(received_on, today, "received_on")
    round_ = BargainingRound.objects.create(
        org=org,
        enterprise=enterprise,
        requested_by=requested_by,
        received_on=received_on,
        subject=subject.strip()[:200] or _("Wage bargaining %(year)s") % {"year": received_on.year},
        note=note.strip(),
        reply_due=deadlines.due(DeadlineKey.BARGAINING_REPLY, received_on)[0],
        finish_due=deadlines.due(DeadlineKey.BARGAINING_FINISH, received_on)[0],
        created_by=by,
    )
    audit_record(
        actor=by,
        action="labour.round_request",
        obj=round_,
        detail={"requested_by": requested_by, "received_on": received_on.isoformat()},
    )
    _tell_staff(
        org,
        event=f"labour.round.{round_.pk}.requested",
        title=_("Bargaining requested: reply by %(date)s") % {"date": round_.reply_due.isoformat()},
        body=str(round_),
        link=round_.get_absolute_url(),
    )
    return round_


@transaction.atomic
def round_reply(*, by, round_: BargainingRound, replied_on: dt.date, today: dt.date | None = None) -> BargainingRound:
    """The other side replied: bargaining starts."""
    today = _today(today)
    round_ = _lock_round(round_)
    _check_can_change(by, round_.org)
    if round_.status != RoundStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."), code="stage")
    if replied_on < round_.received_on:
        raise ValidationError({"replied_on": _("The reply cannot come before the request.")})
    _not_future(replied_on, today, "replied_on")
    round_.replied_on, round_.status = replied_on, RoundStatus.BARGAINING
    round_.save(update_fields=["replied_on", "status", "updated_at"])
    audit_record(
        actor=by,
        action="labour.round_reply",
        obj=round_,
        detail={"replied_on": replied_on.isoformat(), "late": replied_on > round_.reply_due},
    )
    return round_


@transaction.atomic
def round_session_add(
    *,
    by,
    round_: BargainingRound,
    held_on: dt.date,
    minutes: str = "",
    file=None,
    today: dt.date | None = None,
) -> BargainingSession:
    """Record a bargaining session with its minutes (text, a PDF or image scan, or both)."""
    today = _today(today)
    round_ = _lock_round(round_)
    _check_can_change(by, round_.org)
    if round_.status not in (RoundStatus.BARGAINING, RoundStatus.DRAFTED):
        raise ValidationError(_("Sessions are recorded while the sides are bargaining."), code="stage")
    if held_on < round_.received_on:
        raise ValidationError({"held_on": _("A session cannot be held before the request.")})
    _not_future(held_on, today, "held_on")
    if not minutes.strip() and not file:
        raise ValidationError({"minutes": _("Write the minutes or attach them.")})
    if file:
        try:
            check_upload(file)  # PDF, JPEG or PNG by content, size limit
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
    session = BargainingSession.objects.create(
        round=round_, held_on=held_on, minutes=minutes.strip(), file=file or "", created_by=by
    )
    audit_record(actor=by, action="labour.round_session", obj=round_, detail={"held_on": held_on.isoformat()})
    return session


@transaction.atomic
def round_draft(
    *,
    by,
    round_: BargainingRound,
    title: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    wage_growth_pct: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    weekly_hours: Decimal | None = None,
    other_terms: str = "",
) -> CollectiveContract:
    """The sides agreed on a draft: it becomes a contract in draft, linked to the round, for the workers'
    congress vote."""
    round_ = _lock_round(round_)
    _check_can_change(by, round_.org)
    if round_.status != RoundStatus.BARGAINING:
        raise ValidationError(_("A draft is made while the sides are bargaining."), code="stage")
    if not round_.sessions.exists():
        raise ValidationError(_("Record at least one bargaining session before the draft."), code="sessions")
    if round_.enterprise is not None:
        contract = contract_create(
            by=by, kind=round_.kind, level=CollectiveContract.Level.ENTERPRISE, enterprise=round_.enterprise,
            org=round_.org, title=title, starts_on=starts_on, ends_on=ends_on, wage_growth_pct=wage_growth_pct,
            minimum_wage=minimum_wage, weekly_hours=weekly_hours, other_terms=other_terms,
        )  # fmt: skip
    else:
        raise ValidationError(_("A regional round makes its contract on the contracts page."), code="level")
    round_.contract, round_.status = contract, RoundStatus.DRAFTED
    round_.save(update_fields=["contract", "status", "updated_at"])
    audit_record(actor=by, action="labour.round_draft", obj=round_, detail={"contract": contract.pk})
    return contract


@transaction.atomic
def round_fail(*, by, round_: BargainingRound, reason: str) -> BargainingRound:
    """End a round without a contract (the sides did not agree, the request was withdrawn), with the reason."""
    round_ = _lock_round(round_)
    _check_can_change(by, round_.org)
    if round_.status in (RoundStatus.SIGNED, RoundStatus.FAILED):
        raise ValidationError(_("This round is already over."), code="stage")
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    round_.status = RoundStatus.FAILED
    round_.note = (round_.note + "\n" + reason.strip()).strip()[:4000]
    round_.save(update_fields=["status", "note", "updated_at"])
    audit_record(actor=by, action="labour.round_fail", obj=round_, detail={"reason": reason.strip()[:200]})
    return round_


# --- bargaining officers and instructors -------------------------------------------------------------------


def _check_officer_input(*, org, training_hours: Decimal, enterprises: list[Enterprise]) -> None:
    if training_hours < 0:
        raise ValidationError({"training_hours": _("Training hours cannot be negative.")})
    for firm in enterprises:
        if not _enterprise_in(firm, org):
            raise ValidationError(
                {"enterprises": _("%(firm)s does not belong under %(union)s.") % {"firm": firm.name, "union": org.name}}
            )


@transaction.atomic
def officer_register(
    *,
    by,
    name: str,
    org,
    kind: str = BargainingOfficer.Kind.OFFICER,
    user=None,
    training_hours: Decimal = Decimal("0"),
    enterprises: Iterable[Enterprise] = (),
) -> BargainingOfficer:
    """Add a bargaining officer or instructor to the register of the union ``org`` (an account is optional)."""
    _check_can_change(by, org)
    enterprises = list(enterprises)
    if not name.strip():
        raise ValidationError({"name": _("Give the name.")})
    if kind not in BargainingOfficer.Kind.values:
        raise ValidationError({"kind": _("Choose officer or instructor.")})
    _check_officer_input(org=org, training_hours=training_hours, enterprises=enterprises)
    officer = BargainingOfficer.objects.create(
        name=name.strip(), kind=kind, org=org, user=user, training_hours=training_hours, created_by=by
    )
    officer.enterprises.set(enterprises)
    audit_record(actor=by, action="labour.officer_register", obj=officer, detail={"kind": kind})
    return officer


@transaction.atomic
def officer_update(
    *,
    by,
    officer: BargainingOfficer,
    training_hours: Decimal,
    enterprises: Iterable[Enterprise],
    active: bool = True,
) -> BargainingOfficer:
    """Change an officer's training hours, the firms they serve, or retire them from the register."""
    officer = BargainingOfficer.objects.select_for_update().select_related("org").get(pk=officer.pk)
    _check_can_change(by, officer.org)
    enterprises = list(enterprises)
    _check_officer_input(org=officer.org, training_hours=training_hours, enterprises=enterprises)
    old_hours = officer.training_hours
    officer.training_hours, officer.active = training_hours, active
    officer.save(update_fields=["training_hours", "active", "updated_at"])
    officer.enterprises.set(enterprises)
    audit_record(
        actor=by,
        action="labour.officer_update",
        obj=officer,
        detail={"hours": [str(old_hours), str(training_hours)], "active": active},
    )
    return officer


# --- reminders (beat) ----------------------------------------------------------------------------------------


def contract_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily reminders to the union's staff, each sent once (``notify`` is idempotent per event key):
    contracts to renew (within the renewal window before expiry), filings due within 3 days or overdue,
    the authority's objection window running, and, once a year per township, the unionised enterprises without
    a wage contract this year. Takes effect/expiry first, so the reminders read the states of today."""
    from ..selectors import contracts as selectors

    today = _today(today)
    contracts_take_effect(today=today)
    counts = {"renewal": 0, "filing": 0, "objection": 0, "no_wage_contract": 0}
    window = deadlines.rule_for(DeadlineKey.CONTRACT_RENEWAL).length
    for contract in selectors.contracts_due_for_renewal(today=today, window_days=window):
        _tell_staff(
            contract.org,
            event=f"labour.contract.{contract.pk}.renewal.{contract.ends_on.isoformat()}",
            title=_("A collective contract expires on %(date)s: bargain its renewal")
            % {"date": contract.ends_on.isoformat()},
            body=contract.title,
            link=contract.get_absolute_url(),
        )
        counts["renewal"] += 1
    for contract in selectors.contracts_to_file(today=today):
        overdue = contract.filing_due < today
        _tell_staff(
            contract.org,
            event=f"labour.contract.{contract.pk}.filing.{'overdue' if overdue else 'due'}",
            title=(
                _("Filing overdue since %(date)s: a collective contract")
                if overdue
                else _("File the collective contract with the labour authority by %(date)s")
            )
            % {"date": contract.filing_due.isoformat()},
            body=contract.title,
            link=contract.get_absolute_url(),
        )
        counts["filing"] += 1
    for contract in selectors.contracts_in_objection_window(today=today):
        _tell_staff(
            contract.org,
            event=f"labour.contract.{contract.pk}.objection_window.{contract.filed_on.isoformat()}",
            title=_("The labour authority may object until %(date)s") % {"date": contract.objection_ends.isoformat()},
            body=contract.title,
            link=contract.get_absolute_url(),
        )
        counts["objection"] += 1
    by_township: dict[int, list[Enterprise]] = {}
    for firm in selectors.unionised_without_wage_contract(year=today.year, on=today):
        by_township.setdefault(firm.township_id, []).append(firm)
    for firms in by_township.values():
        township = firms[0].township
        names = "、".join(f.name for f in firms[:20]) + ("……" if len(firms) > 20 else "")
        for user in role_holders(Role.TOWNSHIP_STAFF, at_or_above=township):
            notify(
                user=user,
                event_key=f"labour.no_wage_contract.{today.year}.{township.pk}.{user.pk}",
                title=_("%(n)s unionised enterprises have no wage contract this year") % {"n": len(firms)},
                body=names,
                link="/labour/contracts/",
            )
        counts["no_wage_contract"] += len(firms)
    return counts
