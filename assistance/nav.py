"""Menu entries of the assistance app: each part has its own nav_<part>.py."""

from union_portal.nav import NavItem

from . import nav_applications, nav_campaigns, nav_files

PARTS = (
    nav_applications,
    nav_files,
    nav_campaigns,
)


def items(user) -> list[NavItem]:
    return [item for part in PARTS for item in part.items(user)]


def public_items() -> list[NavItem]:
    return [item for part in PARTS if hasattr(part, "public_items") for item in part.public_items()]
