"""Helpers that build harmonious-enterprise ratings through their services, and the rows of the other labour
parts (contracts, congress sessions, cases) the ratings read, made directly (those parts are built elsewhere)."""

import datetime as dt
from decimal import Decimal

from labour.models import CollectiveContract, CongressSession, RatingApplication, RatingBatch, RightsCase
from labour.services import ratings as services
from members.models import Enterprise
from union_portal.models import OrgUnit, User

from .core import pdf

_case_no = iter(range(1, 10**6))


def make_batch(*, by: User, today: dt.date, **fields) -> RatingBatch:
    """A district batch over the last year, self-assessments due in 30 days."""
    values = {
        "title": "第五批区级和谐劳动关系企业",
        "level": "district",
        "period_start": today - dt.timedelta(days=365),
        "period_end": today - dt.timedelta(days=1),
        "apply_by": today + dt.timedelta(days=30),
    }
    values.update(fields)
    return services.batch_create(by=by, org=OrgUnit.objects.get(code="SX-KQ"), **values)


def make_contract(*, enterprise: Enterprise, by: User, starts_on: dt.date, ends_on: dt.date, status="effective"):
    contract = CollectiveContract.objects.create(
        kind="wage",
        level="enterprise",
        org=enterprise.union,
        enterprise=enterprise,
        title=f"{enterprise.name}工资专项集体合同",
        status=status,
        signed_on=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        workers_covered=enterprise.employee_count,
        created_by=by,
    )
    contract.covered.add(enterprise)
    return contract


def make_congress(*, enterprise: Enterprise, by: User, held_on: dt.date) -> CongressSession:
    return CongressSession.objects.create(
        enterprise=enterprise,
        org=enterprise.union,
        held_on=held_on,
        delegates=30,
        present=25,
        agenda="年度职代会",
        created_by=by,
    )


def make_case(*, enterprise: Enterprise, received_on: dt.date, is_group=False, case_type="unpaid_wages", outcome=""):
    return RightsCase.objects.create(
        number=f"WQ-T{next(_case_no):06d}",
        case_type=case_type,
        org=enterprise.township,
        enterprise=enterprise,
        employer_union=enterprise.union,
        is_group=is_group,
        worker_count=12 if is_group else 1,
        outcome=outcome,
        received_on=received_on,
    )


def make_ready(*, batch: RatingBatch, enterprise: Enterprise, by: User, today: dt.date) -> RatingApplication:
    """A draft self-assessment that passes: contract and congress on record, good figures, one piece of evidence."""
    make_contract(
        enterprise=enterprise, by=by, starts_on=batch.period_start, ends_on=batch.period_end + dt.timedelta(days=700)
    )
    make_congress(enterprise=enterprise, by=by, held_on=batch.period_start + dt.timedelta(days=30))
    application = services.application_create(by=by, batch=batch, enterprise=enterprise, today=today)
    services.application_update(
        by=by,
        application=application,
        contract_rate=Decimal("100"),
        insurance_rate=Decimal("98.5"),
        wages_on_time=True,
        safety_ok=True,
        statement="劳动合同签订率100%，社保全覆盖。",
    )
    services.evidence_add(by=by, application=application, description="劳动合同台账", file=pdf())
    return application
