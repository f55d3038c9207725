"""Menu entries: liaison."""

from union_portal.nav import NavItem


def items(user) -> list[NavItem]:
    return []
