"""Menu entries of the labour app: each part has its own nav_<part>.py."""

from union_portal.nav import NavItem

from . import nav_cases, nav_congress, nav_contracts, nav_liaison, nav_ratings

PARTS = (
    nav_cases,
    nav_contracts,
    nav_ratings,
    nav_congress,
    nav_liaison,
)


def items(user) -> list[NavItem]:
    return [item for part in PARTS for item in part.items(user)]


def public_items() -> list[NavItem]:
    return [item for part in PARTS if hasattr(part, "public_items") for item in part.public_items()]
