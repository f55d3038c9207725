"""Menu entries: applications."""

from union_portal.nav import NavItem


def items(user) -> list[NavItem]:
    return []
