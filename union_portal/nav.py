"""Navigation: each app lists what each role may do in ``<app>/nav.py`` as ``items(user) -> list[NavItem]``,
and what it offers anonymous visitors as ``public_items() -> list[NavItem]``.

The base template shows the entries of every app; the home page shows them as cards (the public ones to an
anonymous visitor). The apps' modules are found through the app registry (``union_portal.appmodules``), in
INSTALLED_APPS order; the core's own entries (inbox, surveys, administration; log-in and sign-up) come after
them."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class NavItem:
    section: "str | StrPromise"
    label: "str | StrPromise"
    url_name: str
    icon: str = "circle"
    description: "str | StrPromise" = ""
    # For an anonymous visitor: the entry leads to the log-in page, which comes back to the page after it.
    login_first: bool = False

    @property
    def url(self) -> str:
        try:
            target = reverse(self.url_name)
        except NoReverseMatch:
            return "#"
        if self.login_first:
            return f"{reverse('login')}?{urlencode({'next': target})}"
        return target


def is_worker(user) -> bool:
    """A logged-in user holding no staff role (a judge holds one: a judge is not shown the workers' entries).
    No query: the roles are read once per request."""
    from .scoping import roles_of

    return bool(getattr(user, "is_authenticated", False)) and not roles_of(user)


def public_nav_items() -> list[NavItem]:
    """What the apps offer anonymous visitors (the front page's tiles), then the core's log-in and sign-up."""
    from .appmodules import app_modules

    result: list[NavItem] = []
    for module in app_modules("nav", include_core=False):
        if hasattr(module, "public_items"):
            result.extend(module.public_items())
    return result + public_items()


def public_items() -> list[NavItem]:
    """union_portal's own public entries: log in, and sign up (built by the accounts work: "#" until the
    ``register`` URL exists)."""
    from django.utils.translation import gettext_lazy as _

    section = _("Log in / Sign up")
    return [
        NavItem(section, _("Log in"), "login", "box-arrow-in-right", _("Members and union staff")),
        NavItem(section, _("Sign up"), "register", "person-plus", _("A new account with your mobile number")),
    ]


def nav_items(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    from .appmodules import app_modules

    result: list[NavItem] = []
    for module in app_modules("nav", include_core=False):
        result.extend(module.items(user))
    return result + items(user)


def nav_sections(user) -> "list[tuple[str | StrPromise, list[NavItem]]]":
    sections: dict[str | StrPromise, list[NavItem]] = {}
    for item in nav_items(user):
        sections.setdefault(item.section, []).append(item)
    return list(sections.items())


def items(user) -> list[NavItem]:
    """union_portal's own entries."""
    from django.utils.translation import gettext_lazy as _

    from .roles import ADMIN_ROLES, Role
    from .scoping import has_role, roles_of

    result = [NavItem(_("Me"), _("Inbox"), "inbox", "bell", _("Messages about your applications and claims"))]
    from .permissions import MANAGER_ROLES

    if has_role(user, *MANAGER_ROLES):
        result.append(
            NavItem(
                _("Administration"),
                _("Staff accounts"),
                "staff_list",
                "person-badge",
                _("Accounts and roles in your area"),
            )
        )
    if has_role(user, *ADMIN_ROLES):
        result.append(
            NavItem(_("Administration"), _("Audit log"), "audit_list", "journal-text", _("Who did what, when"))
        )
    if has_role(user, Role.FINANCE, Role.DISTRICT_ADMIN):
        result.append(
            NavItem(
                _("Administration"),
                _("Bank file layouts"),
                "payments:layout_list",
                "bank",
                _("The banks' transfer-file layouts and which one each batch uses"),
            )
        )
    if has_role(user, *ADMIN_ROLES, Role.TOWNSHIP_STAFF):
        result.append(
            NavItem(
                _("Dashboard"),
                _("Satisfaction surveys"),
                "surveys:list",
                "emoji-smile",
                _("Ask workers how well a service works"),
            )
        )
    # Workers hold no role; asking for user.member here would cost a query on every page.
    if getattr(user, "is_authenticated", False) and not roles_of(user):
        result.append(NavItem(_("Me"), _("Surveys"), "surveys:mine", "ui-checks", _("Tell the union how it is doing")))
    return result
