"""Collective contracts and bargaining rounds of the demo tree, made through labour.services.contracts."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from labour.models import CollectiveContract
from labour.services import contracts as services


def make_contract(
    *,
    by,
    enterprise,
    kind: str = CollectiveContract.Kind.WAGE,
    signed_on: dt.date,
    years: int = 1,
    upto: str = "effective",
    title: str = "",
) -> CollectiveContract:
    """An enterprise contract signed on ``signed_on`` for ``years`` years, taken through the process up to the
    state ``upto`` (draft, signed, filed, effective); each step dated on the signing day."""
    contract = services.contract_create(
        by=by,
        kind=kind,
        level=CollectiveContract.Level.ENTERPRISE,
        enterprise=enterprise,
        title=title or f"{enterprise.name}{signed_on.year}年工资专项集体合同",
        wage_growth_pct=Decimal("5.00"),
        minimum_wage=Decimal("2600"),
    )
    if upto == "draft":
        return contract
    today = max(signed_on, dt.date(signed_on.year, 12, 31))
    services.contract_vote(
        by=by, contract=contract, delegates=30, present=25, in_favour=20, voted_on=signed_on, today=today
    )
    ends_on = signed_on + relativedelta(years=years) - dt.timedelta(days=1)
    contract = services.contract_sign(
        by=by, contract=contract, signed_on=signed_on, starts_on=signed_on, ends_on=ends_on, today=today
    )
    if upto == "signed":
        return contract
    contract = services.contract_file(by=by, contract=contract, filed_on=signed_on, today=today)
    if upto == "filed":
        return contract
    return services.contract_answer(by=by, contract=contract, objection=False, answered_on=signed_on, today=today)
