"""Every write about union funds, the founding reserve, the ledger and member dues.

Services are keyword-only, atomic, check the caller may act, and write an audit row. Money is Decimal and is
rounded only by ``union_portal.money.round_fen``.

The writes live in submodules by sub-domain; this package re-exports them, so callers write
``from funds import services; services.collection_record(...)``:

- ``rates``: the funds rate (2% of the payroll) and the dues rate (0.5% of the wage)
- ``ratios``: the allocation ratios by level, their split of an amount, and the districts' ratio sets
- ``parsing``: months, amounts and dates as people write them
- ``collection``: payroll declarations, and the funds collected on them (record, reverse)
- ``reserve``: the founding reserve handed over to a newly founded union
- ``dues``: member dues paid
- ``spending``: spending from a union's funds (a help campaign's budget)
- ``tax_import``: the tax authority's export, previewed then posted whole
- ``_ledger``: the ledger the others post to (accounts, balanced journal entries, reversals)"""

from ._ledger import district_of, journal_entry_reverse, ledger_account
from .collection import collection_record, collection_reverse, payroll_declare
from .dues import arrears_window_months, dues_record
from .parsing import month_start, parse_date, parse_money, parse_period
from .rates import HUNDRED, dues_for_wage, funds_due_for_payroll, funds_rate, member_dues_due
from .ratios import (
    LEVEL_ORDER,
    Ratios,
    allocate,
    default_ratios,
    ratio_set_create,
    ratios_in_force,
    validate_ratio_shares,
)
from .reserve import founding_reserve_hand_over, founding_reserve_sweep
from .spending import spending_record
from .tax_import import (
    COL_AMOUNT,
    COL_DATE,
    COL_NAME,
    COL_PAYROLL,
    COL_PERIOD,
    COL_USCC,
    COL_VOUCHER,
    IMPORT_OPTIONAL,
    IMPORT_REQUIRED,
    ImportCheck,
    funds_import_post,
    funds_import_preview,
    funds_import_template,
)

__all__ = [
    "COL_AMOUNT",
    "COL_DATE",
    "COL_NAME",
    "COL_PAYROLL",
    "COL_PERIOD",
    "COL_USCC",
    "COL_VOUCHER",
    "HUNDRED",
    "IMPORT_OPTIONAL",
    "IMPORT_REQUIRED",
    "ImportCheck",
    "LEVEL_ORDER",
    "Ratios",
    "allocate",
    "arrears_window_months",
    "collection_record",
    "collection_reverse",
    "default_ratios",
    "district_of",
    "dues_for_wage",
    "dues_record",
    "founding_reserve_hand_over",
    "founding_reserve_sweep",
    "funds_due_for_payroll",
    "funds_import_post",
    "funds_import_preview",
    "funds_import_template",
    "funds_rate",
    "journal_entry_reverse",
    "ledger_account",
    "member_dues_due",
    "month_start",
    "parse_date",
    "parse_money",
    "parse_period",
    "payroll_declare",
    "ratio_set_create",
    "ratios_in_force",
    "spending_record",
    "validate_ratio_shares",
]
