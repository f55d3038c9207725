"""Home-page and menu entries for union funds."""

from django.utils.translation import gettext_lazy as _

from union_portal.nav import NavItem
from union_portal.scoping import has_role

from .permissions import DUES_ROLES, FUNDS_RECORD_ROLES, FUNDS_VIEW_ROLES


def items(user) -> list[NavItem]:
    result = []
    section = _("Union funds")
    if has_role(user, *FUNDS_VIEW_ROLES):
        result.append(
            NavItem(
                section,
                _("Union funds"),
                "funds:overview",
                "cash-stack",
                _("Funds collected, allocation and founding reserve in your area"),
            )
        )
    if has_role(user, *FUNDS_RECORD_ROLES):
        result.append(
            NavItem(
                section,
                _("Record funds collected"),
                "funds:collection_create",
                "cash-coin",
                # xgettext:no-python-format
                _("Payroll and the 2% collected by the tax authority, by hand or by import"),
            )
        )
    if has_role(user, *FUNDS_VIEW_ROLES):
        result.append(
            NavItem(
                section,
                _("Collected vs due"),
                "funds:report_collected",
                "bar-chart",
                _("By enterprise and township, with Excel export"),
            )
        )
    if has_role(user, *DUES_ROLES):
        result.append(
            NavItem(
                section,
                _("Member dues"),
                "funds:dues",
                "wallet2",
                _("Record dues paid; see members in arrears"),
            )
        )
    return result
